"""报工: progress and anomalies reported on a slip from the workshop lead's phone,
and how an anomaly was handled."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import may
from notifications.services import notify
from orders import events
from orders.concurrency import lock_order
from orders.exceptions import InvalidMove, ValidationError
from orders.models import Order

from .. import events as types
from ..models import (
    DispatchSlip,
    SlipReport,
)
from .common import (
    _in_production,
    _locked_slip,
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
) -> ReportOutcome:
    """A workshop lead reports progress (报工): good and scrapped pieces, and an
    anomaly (异常) with its cause when something is wrong. Reports add up; the token
    makes the same report count once however often it arrives. Good + scrapped may
    exceed the slip's quantity by PRODUCTION_OVERRUN_PERCENT at most. The slip is
    finished when the good pieces reach its quantity; the report that finishes the
    order's last slip moves the order to inspection."""
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
    if slip.status == DispatchSlip.Status.WAITING:
        raise InvalidMove(_("Start the slip before reporting on it."))
    if slip.is_finished:
        raise InvalidMove(
            _("The slip is finished: nothing more can be reported on it.")
        )
    _in_production(order)
    errors: dict[str, list] = {}
    good = _whole(good, "good", errors)
    scrap = _whole(scrap, "scrap", errors)
    cause = (cause or "").strip()
    note = _text(note, 500)
    if anomaly and cause not in SlipReport.Cause.values:
        errors["cause"] = [_("Choose what went wrong.")]
    if not anomaly:
        cause, note = "", ""
    if not errors and not (good or scrap or anomaly):
        errors["good"] = [_("Enter the good or scrapped pieces, or report an anomaly.")]
    limit = overrun_limit(slip.quantity)
    if not errors and slip.good_qty + slip.scrap_qty + good + scrap > limit:
        errors["good"] = [
            _(
                "Good and scrapped pieces would come to %(total)s, more than this "
                "slip's %(quantity)s plus the allowed %(percent)s%% (at most "
                "%(limit)s). Nothing was saved."
            )
            % {
                "total": slip.good_qty + slip.scrap_qty + good + scrap,
                "quantity": slip.quantity,
                "percent": settings.PRODUCTION_OVERRUN_PERCENT,
                "limit": limit,
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
    slip.good_qty += good
    slip.scrap_qty += scrap
    fields = ["good_qty", "scrap_qty", "version"]
    # Every piece accounted for, good or scrapped: what is short of the quantity
    # goes to the planner (production.services.shortfalls).
    finished = slip.good_qty + slip.scrap_qty >= slip.quantity
    if finished:
        slip.status = DispatchSlip.Status.DONE
        slip.done_at = timezone.now()
        fields += ["status", "done_at"]
    slip.version += 1
    slip.save(update_fields=fields)
    if anomaly:
        events.record(
            order=order,
            type_=types.ANOMALY,
            user=actor,
            reason=note,
            parameters=_slip_parameters(slip, cause=cause, report=report.pk),
        )
        _tell_about_anomaly(order, slip, report)
    moved = False
    if finished:
        events.record(
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
    events.record(
        order=order,
        type_=types.ANOMALY_HANDLED,
        user=actor,
        reason=note,
        parameters=_slip_parameters(report.slip, cause=report.cause),
    )
    return report
