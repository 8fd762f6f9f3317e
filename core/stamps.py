"""An approval stamp (签批): who, when, and on whose behalf when a stand-in signed.
Models expose their stamps as properties; templates show any of them with
`{% include "includes/stamp.html" with stamp=... %}`, so "on behalf of" reads the
same everywhere (the order page, the review sheet, the printed forms, the history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Stamp:
    who: object
    at: datetime | None = None
    on_behalf_of: object = None

    def __bool__(self) -> bool:
        return self.who is not None


def stamp(obj, prefix: str) -> Stamp:
    """The stamp kept in `<prefix>by`, `<prefix>at`, `<prefix>on_behalf_of` fields
    (any of them may be missing on a model)."""
    return Stamp(
        getattr(obj, f"{prefix}by", None),
        getattr(obj, f"{prefix}at", None),
        getattr(obj, f"{prefix}on_behalf_of", None),
    )
