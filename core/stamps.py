"""An approval stamp (签批): who, when, and on whose behalf when a stand-in signed.
Models expose their stamps as properties; templates show any of them with
`{% include "includes/stamp.html" with stamp=... %}`, so "on behalf of" reads the
same everywhere (the order page, the review sheet, the printed forms, the history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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


APPROVED_BY = _("approved by")
APPROVED_AT = _("approved at")


def stamp_fields(by=APPROVED_BY, at=APPROVED_AT):
    """The three fields of a stamp, for a model's class body:

        approved_by, approved_on_behalf_of, approved_at = stamp_fields()

    who signed, the approver they stood in for (blank when they signed themselves)
    and when."""
    return (
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            verbose_name=by,
            null=True,
            blank=True,
            on_delete=models.PROTECT,
            related_name="+",
        ),
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            verbose_name=_("on behalf of"),
            null=True,
            blank=True,
            on_delete=models.PROTECT,
            related_name="+",
        ),
        models.DateTimeField(at, null=True, blank=True),
    )
