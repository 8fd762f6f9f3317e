"""Uploads are everyone's: core.uploads (kept importable from here for orders' own
modules)."""

from core.uploads import (
    ALLOWED,
    discarded_on_failure,
    keep_upload,
    upload_problems,
    validate_upload,
)

__all__ = [
    "ALLOWED",
    "discarded_on_failure",
    "keep_upload",
    "upload_problems",
    "validate_upload",
]
