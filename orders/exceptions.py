"""orders' refusals are everyone's: core.exceptions (kept importable from here for
orders' own modules)."""

from core.exceptions import (
    DuplicateSubmission,
    InvalidMove,
    PermissionDenied,
    StaleEdit,
    ValidationError,
)

__all__ = [
    "DuplicateSubmission",
    "InvalidMove",
    "PermissionDenied",
    "StaleEdit",
    "ValidationError",
]
