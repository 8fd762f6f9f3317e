"""报工: progress and anomalies reported on a slip from the workshop lead's phone,
and how an anomaly was handled."""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from io import BytesIO
from types import SimpleNamespace

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.permissions import may
from core.exceptions import InvalidMove, PermissionDenied, ValidationError
from core.uploads import discarded_on_failure, keep_upload
from notifications.services import notify
from orders.models import Order
from orders.services import lock_order, record_event

from .. import actions
from .. import events as types
from ..models import (
    DispatchSlip,
    ReportPhoto,
    ReportReversal,
    SlipReport,
)
from .common import (
    _locked_slip,
    _may_act,
    _require,
    _slip_parameters,
    _text,
    overrun_limit,
)
from .completion import (
    _finish_if_complete,
)


@dataclass
class ReportOutcome:
    report: SlipReport
    slip: DispatchSlip
    duplicate: bool = False  # the same token was reported before: counted once
    order_moved: bool = False


# What a phone's camera sends, found by content (a phone may name it "image" or
# "1701234567890.jpg"): the name's extension is not asked.
PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# A photo larger than this is refused before it is decoded (a 50-megapixel camera
# stays under it; a decompression bomb does not).
PHOTO_MAX_PIXELS = 64_000_000
THUMBNAIL_SIZE = (480, 480)


@dataclass
class _Photo:
    uploaded: object
    content_type: str
    thumbnail: ContentFile = field(repr=False)


def _thumbnail(uploaded) -> ContentFile | None:
    """A small JPEG of the photo, turned upright (re-encoded: the camera's metadata,
    its location among them, stays behind); None when it is no image after all."""
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                return None
            image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMBNAIL_SIZE)
            out = BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    return ContentFile(out.getvalue())


def _checked_photos(photos, errors: dict) -> list[_Photo]:
    """The anomaly's photos, each checked as an image by its content and its size,
    a few at most; what is wrong goes into `errors` under "photos"."""
    photos = [p for p in photos or () if p is not None]
    limit = settings.PRODUCTION_REPORT_PHOTOS
    max_mb = settings.PRODUCTION_PHOTO_MAX_MB
    problems = []
    if len(photos) > limit:
        problems.append(
            _("At most %(limit)s photos go with one report; %(count)s were sent.")
            % {"limit": limit, "count": len(photos)}
        )
        photos = []
    checked = []
    for uploaded in photos:
        name = (uploaded.name or "")[-80:]
        if not uploaded.size:
            problems.append(_("The photo “%(name)s” is empty.") % {"name": name})
            continue
        if uploaded.size > max_mb * 1024 * 1024:
            problems.append(
                _("The photo “%(name)s” is %(size).1f MB; the limit is %(limit)d MB.")
                % {"name": name, "size": uploaded.size / 1024 / 1024, "limit": max_mb}
            )
            continue
        uploaded.seek(0)
        kind = filetype.guess(uploaded.read(8192))
        uploaded.seek(0)
        thumbnail = None
        if kind is not None and kind.extension in PHOTO_TYPES:
            thumbnail = _thumbnail(uploaded)
        if thumbnail is None:
            problems.append(
                _("“%(name)s” is not a photo (JPEG, PNG or WebP).") % {"name": name}
            )
            continue
        checked.append(_Photo(uploaded, PHOTO_TYPES[kind.extension], thumbnail))
    if problems:
        errors["photos"] = problems
    return checked


def _keep_photos(stack: ExitStack, report: SlipReport, photos: list[_Photo]) -> None:
    """Store the checked photos with the report; their files go again if the
    report is not saved after all (the rest of the report's transaction)."""
    for position, photo in enumerate(photos):
        row = ReportPhoto(report=report, position=position)
        keep_upload(row, photo.uploaded, photo.content_type)
        stack.enter_context(discarded_on_failure(row))
        row.thumbnail.save(f"{uuid.uuid4().hex}-thumb.jpg", photo.thumbnail, save=False)
        stack.enter_context(discarded_on_failure(SimpleNamespace(file=row.thumbnail)))
        row.save()


def _token(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError:
        raise ValidationError(
            _(
                "This report screen is out of date or incomplete; nothing was saved. "
                "Reload the page and report again."
            )
        ) from None


def _whole(value, field: str, errors: dict) -> int:
    if value in (None, ""):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("Enter a whole number.")]
        return 0
    if number < 0:
        errors[field] = [_("The quantity cannot be negative.")]
    elif number > 10_000_000:
        errors[field] = [_("That number is too large.")]
    return number


@transaction.atomic
def slip_report(
    *,
    actor,
    slip: DispatchSlip,
    token,
    good=0,
    scrap=0,
    anomaly: bool = False,
    cause: str = "",
    note: str = "",
    photos=(),
    version: int | None = None,
) -> ReportOutcome:
    """A workshop lead reports progress (报工): good and scrapped pieces, and an
    anomaly (异常) with its cause (and photos, if they take some) when something is
    wrong. Reports add up; the token makes the same report count once however often
    it arrives. Good + scrapped may
    exceed the slip's quantity by PRODUCTION_OVERRUN_PERCENT at most. The slip is
    finished when good + scrapped pieces reach its quantity (the good ones short of
    it are its shortfall, the planner's to make up); the report that finishes the
    order's last slip moves the order to inspection. `version`, when given, is the
    slip's version the report screen showed (「全部完成」's rest): a report made
    since refuses it."""
    _require(actor, "production.report_slip", slip)
    token = _token(token)
    order, slip = _locked_slip(slip)
    earlier = SlipReport.objects.filter(token=token).first()
    if earlier is not None:
        if earlier.slip_id != slip.pk:
            raise ValidationError(
                _("This report belongs to another slip; nothing was saved.")
            )
        return ReportOutcome(earlier, slip, duplicate=True)
    if version is not None and version != slip.version:
        raise InvalidMove(
            _(
                "The slip changed since you opened it (a report or a plan change); "
                "nothing was saved. Look at its totals and report again."
            )
        )
    if slip.status == DispatchSlip.Status.WAITING:
        raise InvalidMove(_("Start the slip before reporting on it."))
    if slip.is_finished:
        raise InvalidMove(
            _("The slip is finished: nothing more can be reported on it.")
        )
    _may_act(order, actions.REPORT, slip=slip)
    errors: dict[str, list] = {}
    good = _whole(good, "good", errors)
    scrap = _whole(scrap, "scrap", errors)
    cause = (cause or "").strip()
    note = _text(note, 500)
    if anomaly and cause not in SlipReport.Cause.values:
        errors["cause"] = [_("Choose what went wrong.")]
    if not anomaly:
        cause, note = "", ""
        if photos:
            errors["photos"] = [_("Photos go with an anomaly.")]
    checked = _checked_photos(photos, errors) if anomaly else []
    if not errors and not (good or scrap or anomaly):
        errors["good"] = [_("Enter the good or scrapped pieces, or report an anomaly.")]
    limit = overrun_limit(slip.quantity)
    if not errors and slip.good_qty + slip.scrap_qty + good + scrap > limit:
        errors["good"] = [
            _(
                "Good and scrapped pieces on this slip would come to %(total)s in "
                "all, more than its %(quantity)s plus the allowed %(percent)s%% (at "
                "most %(limit)s in all): this report may add at most %(room)s. "
                "Nothing was saved."
            )
            % {
                "total": slip.good_qty + slip.scrap_qty + good + scrap,
                "quantity": slip.quantity,
                "percent": settings.PRODUCTION_OVERRUN_PERCENT,
                "limit": limit,
                "room": max(limit - slip.good_qty - slip.scrap_qty, 0),
            }
        ]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            report = SlipReport.objects.create(
                slip=slip,
                token=token,
                good=good,
                scrap=scrap,
                anomaly=anomaly,
                cause=cause,
                note=note,
                reported_by=actor,
            )
    except IntegrityError:
        # The same token, committed by another request after our check.
        earlier = SlipReport.objects.filter(token=token).first()
        if earlier is None:
            raise
        return ReportOutcome(earlier, slip, duplicate=True)
    with ExitStack() as stack:
        _keep_photos(stack, report, checked)
        return _count_report(actor, order, slip, report)


def _count_report(actor, order, slip, report) -> ReportOutcome:
    """Add a new report to its (locked) slip, finish the slip when it reaches its
    quantity, write the history and tell whom it concerns."""
    good, scrap, anomaly = report.good, report.scrap, report.anomaly
    cause, note = report.cause, report.note
    slip.good_qty += good
    slip.scrap_qty += scrap
    fields = ["good_qty", "scrap_qty", "version"]
    # Every piece accounted for, good or scrapped: what is short of the quantity
    # goes to the planner (production.services.shortfalls).
    finished = slip.reaches_quantity
    if finished:
        slip.status = DispatchSlip.Status.DONE
        slip.done_at = timezone.now()
        fields += ["status", "done_at"]
    slip.version += 1
    slip.save(update_fields=fields)
    if anomaly:
        record_event(
            order=order,
            type_=types.ANOMALY,
            user=actor,
            reason=note,
            parameters=_slip_parameters(slip, cause=cause, report=report.pk),
        )
        _tell_about_anomaly(order, slip, report)
    moved = False
    if finished:
        record_event(
            order=order,
            type_=types.SLIP_DONE,
            user=actor,
            parameters=_slip_parameters(slip, good=slip.good_qty, scrap=slip.scrap_qty),
        )
        moved = _finish_if_complete(actor=actor, order=order, finished=slip)
    return ReportOutcome(report, slip, order_moved=moved)


def _anomaly_handlers():
    User = get_user_model()
    return [
        user
        for user in User.objects.filter(
            is_active=True,
            groups__permissions__codename="handle_anomalies",
            groups__permissions__content_type__app_label="production",
        ).distinct()
        if may(user, "production.handle_anomaly")
    ]


def _tell_about_anomaly(order: Order, slip: DispatchSlip, report: SlipReport) -> None:
    """The planner and the production manager hear of an anomaly at once."""
    notify(
        users=_anomaly_handlers(),
        message=_(
            "Anomaly on %(slip)s (%(workshop)s, order %(order)s): %(cause)s %(note)s"
        )
        % {
            "slip": slip.number,
            "workshop": slip.workshop.name,
            "order": order.number,
            "cause": report.get_cause_display(),
            "note": report.note,
        },
        link=slip.get_absolute_url(),
        kind="production_anomaly",
    )


@transaction.atomic
def anomaly_handle(*, actor, report: SlipReport, note: str) -> SlipReport:
    """The planner or the production manager records how an anomaly was handled;
    it leaves their queue."""
    _require(actor, "production.handle_anomaly")
    order = lock_order(report.slip.plan.order_id)
    report = (
        SlipReport.objects.select_for_update(of=("self",))
        .select_related("slip__plan", "slip__workshop")
        .get(pk=report.pk)
    )
    note = _text(note, 500)
    if not note:
        raise ValidationError({"note": [_("Say how the anomaly was handled.")]})
    if not report.anomaly:
        raise InvalidMove(_("This report has no anomaly."))
    if report.handled_at is not None:
        raise InvalidMove(_("This anomaly was already handled."))
    report.handled_by = actor
    report.handled_at = timezone.now()
    report.handled_note = note
    report.save(update_fields=["handled_by", "handled_at", "handled_note"])
    record_event(
        order=order,
        type_=types.ANOMALY_HANDLED,
        user=actor,
        reason=note,
        parameters=_slip_parameters(report.slip, cause=report.cause),
    )
    return report


def _report_id(value) -> int:
    raw = str(value or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
        raise ValidationError(
            _("Choose the report to take back; nothing was taken back.")
        )
    return int(raw)


def _may_take_back(actor, report: SlipReport) -> None:
    if may(actor, "production.reverse_report", report):
        return
    if report.reported_by_id == actor.pk and may(
        actor, "production.report_slip", report.slip
    ):
        raise InvalidMove(
            _(
                "A lead takes a report back within %(minutes)s minutes of making it; "
                "this one is older. Ask the planner to take it back."
            )
            % {"minutes": settings.PRODUCTION_REPORT_CORRECTION_MINUTES}
        )
    raise PermissionDenied(
        _("Only the lead who made a report, or the planner, may take it back.")
    )


@transaction.atomic
def report_reverse(
    *, actor, slip: DispatchSlip, report_id, why: str, note: str = ""
) -> ReportReversal:
    """报工撤回: take a report back by a reversing record — the report stays as it
    was, a new record says it no longer counts and why, and the slip's totals drop
    by its pieces (a finished slip whose totals fall below its quantity is in
    progress again). Its own lead may, within PRODUCTION_REPORT_CORRECTION_MINUTES,
    on their workshop's slip; the planner at any time; while the order is in
    production. A report is taken back once (its row is locked, and the database
    keeps one reversal per report)."""
    _require(actor, "production.reverse_report")
    report_id = _report_id(report_id)
    order, slip = _locked_slip(slip)
    report = (
        SlipReport.objects.select_for_update(of=("self",))
        .select_related("reported_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.slip_id != slip.pk:
        raise ValidationError(
            _("This report is not one of this slip's; nothing was taken back.")
        )
    report.slip = slip
    _may_take_back(actor, report)
    if ReportReversal.objects.filter(report=report).exists():
        raise InvalidMove(_("This report was already taken back."))
    _may_act(
        order,
        actions.REVERSE_REPORT,
        slip=slip,
        refusal=_(
            "The order has left production (it is at “%(stage)s”): its reports "
            "can no longer be taken back."
        ),
    )
    why = (why or "").strip()
    note = _text(note, 500)
    errors: dict[str, list] = {}
    if why not in ReportReversal.Why.values:
        errors["why"] = [_("Say why the report is taken back.")]
    elif why == ReportReversal.Why.OTHER and not note:
        errors["note"] = [_("Say what was wrong with the report.")]
    if "\x00" in note:
        errors["note"] = [_("The note contains a NUL character, which no field takes.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            reversal = ReportReversal.objects.create(
                report=report,
                why=why,
                note=note,
                good=report.good,
                scrap=report.scrap,
                reversed_by=actor,
            )
    except IntegrityError:
        # Taken back by another request between our check and our write.
        raise InvalidMove(_("This report was already taken back.")) from None
    old_good, old_scrap = slip.good_qty, slip.scrap_qty
    slip.good_qty = max(old_good - report.good, 0)
    slip.scrap_qty = max(old_scrap - report.scrap, 0)
    fields = ["good_qty", "scrap_qty", "version"]
    reopened = slip.status == DispatchSlip.Status.DONE and not slip.reaches_quantity
    if reopened:
        slip.status = DispatchSlip.Status.STARTED
        slip.done_at = None
        fields += ["status", "done_at"]
    slip.version += 1
    slip.save(update_fields=fields)
    if report.anomaly and report.handled_at is None:
        # A taken-back anomaly leaves the planner's queue.
        report.handled_by = actor
        report.handled_at = timezone.now()
        report.handled_note = note
        report.save(update_fields=["handled_by", "handled_at", "handled_note"])
    record_event(
        order=order,
        type_=types.REPORT_REVERSED,
        user=actor,
        reason=note,
        parameters=_slip_parameters(
            slip,
            report=report.pk,
            reported_at=timezone.localtime(report.reported_at).strftime(
                "%Y-%m-%d %H:%M"
            ),
            reported_by=str(report.reported_by),
            good=report.good,
            scrap=report.scrap,
            why=why,
            old_good=old_good,
            new_good=slip.good_qty,
            old_scrap=old_scrap,
            new_scrap=slip.scrap_qty,
            reopened=reopened,
        ),
    )
    if report.reported_by_id != actor.pk:
        notify(
            users=[report.reported_by],
            message=_(
                "%(who)s took back your report on %(slip)s (good %(good)s, scrapped "
                "%(scrap)s): %(why)s %(note)s"
            )
            % {
                "who": actor,
                "slip": slip.number,
                "good": report.good,
                "scrap": report.scrap,
                "why": reversal.get_why_display(),
                "note": note,
            },
            link=slip.get_absolute_url(),
            kind="production_report_reversed",
        )
    return reversal
