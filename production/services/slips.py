"""派工单: a workshop lead starts a slip once its previous operations and the
order's materials allow it (or the planner allowed an early start); the planner
closes one short with the reason."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidMove, ValidationError
from orders.services import record_event

from .. import actions
from .. import events as types
from ..models import (
    DispatchSlip,
    ProductionPlan,
)
from .common import (
    _locked_slip,
    _may_act,
    _require,
    _slip_parameters,
    _text,
)
from .completion import (
    _finish_if_complete,
)
from .materials import (
    _materials_ready,
)
from .shortfalls import _close_shortfall


def start_blockers(slip: DispatchSlip) -> list[str]:
    """Why the slip cannot start yet: its previous operations and the order's
    materials (empty when it can, or when the planner allowed an early start)."""
    if slip.override_at is not None:
        return []
    blockers = [
        str(
            _("Waiting for %(slip)s (%(workshop)s, %(operation)s).")
            % {
                "slip": p.number,
                "workshop": p.workshop.name,
                "operation": p.get_operation_display(),
            }
        )
        for p in slip.predecessors.select_related("workshop")
        if not p.is_finished
    ]
    if not _materials_ready(slip.plan.order_id):
        blockers.append(str(_("The order's materials are not ready (备料).")))
    return blockers


@transaction.atomic
def slip_start(*, actor, slip: DispatchSlip) -> DispatchSlip:
    """The workshop lead starts (接收) the slip: only once its previous operations are
    finished and the order's materials are ready, unless the planner allowed an
    early start. Starting a started slip again does nothing."""
    _require(actor, "production.report_slip", slip)
    order, slip = _locked_slip(slip)
    if slip.plan.status != ProductionPlan.Status.ISSUED:
        raise InvalidMove(_("The slip's plan is not issued."))
    if slip.status == DispatchSlip.Status.STARTED:
        return slip
    if slip.status != DispatchSlip.Status.WAITING:
        raise InvalidMove(_("The slip is already finished."))
    _may_act(order, actions.START_SLIP, slip=slip)
    blockers = start_blockers(slip)
    if blockers:
        raise InvalidMove(" ".join(blockers))
    slip.status = DispatchSlip.Status.STARTED
    slip.started_at = timezone.now()
    slip.started_by = actor
    slip.version += 1
    slip.save(update_fields=["status", "started_at", "started_by", "version"])
    record_event(
        order=order,
        type_=types.SLIP_STARTED,
        user=actor,
        parameters=_slip_parameters(slip, early=slip.override_at is not None),
    )
    return slip


@transaction.atomic
def slip_allow_early_start(*, actor, slip: DispatchSlip, reason: str) -> DispatchSlip:
    """The planner lets a slip start before its previous operations are finished or
    its materials ready, and says why; recorded on the slip and in the history."""
    _require(actor, "production.manage_plan")
    order, slip = _locked_slip(slip)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason.")]})
    if slip.status != DispatchSlip.Status.WAITING:
        raise InvalidMove(
            _("Only a slip that has not started can be allowed to start early.")
        )
    _may_act(order, actions.START_SLIP, slip=slip)
    slip.override_reason = reason
    slip.override_by = actor
    slip.override_at = timezone.now()
    slip.version += 1
    slip.save(
        update_fields=["override_reason", "override_by", "override_at", "version"]
    )
    record_event(
        order=order,
        type_=types.SLIP_EARLY_START,
        user=actor,
        reason=reason,
        parameters=_slip_parameters(slip),
    )
    return slip


@transaction.atomic
def slip_close(*, actor, slip: DispatchSlip, reason: str) -> DispatchSlip:
    """The planner closes a slip short (or one no longer needed) with the reason;
    it then counts as finished for the slips after it and for the order, and what
    it is short of is closed with the same reason."""
    _require(actor, "production.manage_plan")
    order, slip = _locked_slip(slip)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason.")]})
    if slip.is_finished:
        raise InvalidMove(_("The slip is already finished."))
    _may_act(order, actions.CLOSE_SLIP, slip=slip)
    slip.status = DispatchSlip.Status.CLOSED
    slip.closed_by = actor
    slip.closed_reason = reason
    slip.done_at = timezone.now()
    _close_shortfall(slip, actor=actor, quantity=slip.shortfall, reason=reason)
    slip.version += 1
    slip.save(
        update_fields=[
            "status",
            "closed_by",
            "closed_reason",
            "done_at",
            "shortfall_closed_qty",
            "shortfall_closed_by",
            "shortfall_closed_at",
            "shortfall_reason",
            "version",
        ]
    )
    record_event(
        order=order,
        type_=types.SLIP_CLOSED,
        user=actor,
        reason=reason,
        parameters=_slip_parameters(slip, good=slip.good_qty, scrap=slip.scrap_qty),
    )
    _finish_if_complete(actor=actor, order=order, finished=slip)
    return slip
