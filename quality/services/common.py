"""What quality's writes share: who may, the numbers, whole quantities, photos."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as UploadError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import may
from core.exceptions import InvalidMove, PermissionDenied
from core.uploads import validate_upload
from orders.services import action_require, number_next

from .. import events as types

APP = types.APP
MOVE = types.MOVE
TEXT_MAX = 2000
PHOTO_TYPES = {"jpg": {"jpg"}, "jpeg": {"jpg"}, "png": {"png"}, "webp": {"webp"}}
CONSENT_TYPES = {
    "pdf": {"pdf"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
}


def photo_limits() -> tuple[int, int]:
    """(how many photos, how many MB each) an inspection takes."""
    return (
        getattr(settings, "QUALITY_PHOTOS", 6),
        getattr(settings, "QUALITY_PHOTO_MAX_MB", 10),
    )


def _require(actor, action: str, obj=None) -> None:
    if not may(actor, action, obj):
        raise PermissionDenied(_("Your role may not do this."))


def _text(value, limit: int = TEXT_MAX) -> str:
    return (value or "").strip()[:limit]


def _may_act(order, action: str, stages, refusal) -> None:
    action_require(action=action, order=order)
    if order.stage not in stages:
        raise InvalidMove(refusal % {"stage": order.get_stage_display()})


def _whole(value, field: str, errors: dict, *, minimum: int = 0) -> int:
    if value in (None, ""):
        if minimum:
            errors[field] = [_("Enter a whole number.")]
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("Enter a whole number.")]
        return 0
    if number < minimum:
        errors[field] = [
            _("The quantity must be at least %(min)s.") % {"min": minimum}
            if minimum
            else _("The quantity cannot be negative.")
        ]
    elif number > 10_000_000:
        errors[field] = [_("That number is too large.")]
    return number


def checked_files(files, errors: dict, field: str, allowed, limit: int, max_mb: int):
    """The uploads, each checked by its content and size (core.uploads); what is
    wrong goes into `errors[field]`. [(upload, content type)]."""
    files = [f for f in files or () if f is not None]
    if len(files) > limit:
        errors[field] = [
            _("At most %(limit)s files; %(count)s were sent.")
            % {"limit": limit, "count": len(files)}
        ]
        return []
    checked, problems = [], []
    for uploaded in files:
        try:
            checked.append(
                (uploaded, validate_upload(uploaded, allowed=allowed, max_mb=max_mb))
            )
        except UploadError as exc:
            problems.extend(exc.messages)
    if problems:
        errors[field] = problems
    return checked


def _number(prefix: str, key: str) -> str:
    yyyymm = timezone.localdate().strftime("%Y%m")
    return f"{prefix}-{yyyymm}-{number_next(key=f'{key}:{yyyymm}'):05d}"


def inspection_number() -> str:
    return _number("JY", "inspection")


def nonconformance_number() -> str:
    return _number("BHG", "nonconformance")
