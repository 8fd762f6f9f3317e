"""短缺: a slip that finished with fewer good pieces than its quantity (some were
scrapped) is short. The planner makes the rest up on a make-up slip (补派) for the
same workshop and operation, or closes what is left short with the reason; until
then the order line does not count as produced and the order stays in production.
A make-up slip is the one new slip an issued plan takes outside a plan change: it
adds work the plan already promised, it changes none of it."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import check_within
from core.exceptions import InvalidMove, ValidationError
from core.submissions import claim_token, record_result
from orders.services import record_event

from .. import actions
from .. import events as types
from ..models import DispatchSlip, ProductionPlan
from .common import (
    _locked_slip,
    _may_act,
    _require,
    _slip_number,
    _slip_parameters,
    _text,
    date_span,
)
from .completion import _finish_if_complete


def uncovered_shortfall(slip: DispatchSlip) -> int:
    """What the slip is still short of: its shortfall less what make-up slips
    were made for and what the planner closed."""
    made_up = slip.make_ups.aggregate(q=Sum("quantity"))["q"] or 0
    return max(slip.shortfall - made_up - slip.shortfall_closed_qty, 0)


def _short(slip: DispatchSlip) -> int:
    if slip.plan.status != ProductionPlan.Status.ISSUED:
        raise InvalidMove(_("The slip's plan is not issued."))
    if slip.status != DispatchSlip.Status.DONE:
        raise InvalidMove(_("Only a finished slip can be short."))
    left = uncovered_shortfall(slip)
    if not left:
        raise InvalidMove(
            _("%(slip)s is not short: nothing is left to make up or close.")
            % {"slip": slip.number}
        )
    return left


@transaction.atomic
def slip_make_up(
    *,
    actor,
    slip: DispatchSlip,
    quantity: int | None,
    due_date: date | None,
    start_date: date | None = None,
    notes: str = "",
    form_token=None,
) -> DispatchSlip:
    """The planner makes up a short slip (补派): a new slip for the same workshop
    and operation, at most the pieces still short, with the key requirements
    carried over; the workshop lead finds it among their slips."""
    _require(actor, "production.manage_plan")
    submission = claim_token(form_token, actor)
    order, slip = _locked_slip(slip)
    _may_act(order, actions.MAKE_UP)
    left = _short(slip)
    errors: dict[str, list] = {}
    if quantity is None or quantity < 1:
        errors["quantity"] = [_("The quantity must be at least 1.")]
    elif quantity > left:
        errors["quantity"] = [
            _("%(slip)s is short of %(left)s: a make-up slip makes at most that.")
            % {"slip": slip.number, "left": left}
        ]
    if due_date is None:
        errors["due_date"] = [_("Give the date the slip must be finished by.")]
    elif start_date and due_date < start_date:
        errors["due_date"] = [_("The finish date cannot be before the start date.")]
    check_within(date_span(order), errors, start_date=start_date, due_date=due_date)
    if errors:
        raise ValidationError(errors)
    make_up = DispatchSlip.objects.create(
        number=_slip_number(timezone.localdate()),
        plan=slip.plan,
        workshop=slip.workshop,
        operation=slip.operation,
        quantity=quantity,
        start_date=start_date,
        due_date=due_date,
        committed_due_date=due_date,
        requirements=slip.requirements,
        notes=_text(notes),
        make_up_for=slip,
        kind=DispatchSlip.Kind.MAKE_UP,
        created_by=actor,
    )
    record_event(
        order=order,
        type_=types.SLIP_MADE_UP,
        user=actor,
        parameters=_slip_parameters(
            make_up, quantity=quantity, short_slip=slip.number, short=left
        ),
    )
    record_result(submission, make_up.get_absolute_url())
    return make_up


@transaction.atomic
def slip_shortfall_close(*, actor, slip: DispatchSlip, reason: str) -> DispatchSlip:
    """The planner closes what a slip is still short of with the reason (the
    customer takes fewer, the scrap is accepted): the line counts it as accounted
    for, and if nothing else is left the order moves on."""
    _require(actor, "production.manage_plan")
    order, slip = _locked_slip(slip)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason.")]})
    _may_act(order, actions.CLOSE_SHORTFALL)
    left = _short(slip)
    _close_shortfall(slip, actor=actor, quantity=left, reason=reason)
    slip.version += 1
    slip.save(
        update_fields=[
            "shortfall_closed_qty",
            "shortfall_closed_by",
            "shortfall_closed_at",
            "shortfall_reason",
            "version",
        ]
    )
    record_event(
        order=order,
        type_=types.SHORTFALL_CLOSED,
        user=actor,
        reason=reason,
        parameters=_slip_parameters(slip, short=left, good=slip.good_qty),
    )
    _finish_if_complete(actor=actor, order=order, finished=slip)
    return slip


def _close_shortfall(slip: DispatchSlip, *, actor, quantity: int, reason: str) -> None:
    slip.shortfall_closed_qty += quantity
    slip.shortfall_closed_by = actor
    slip.shortfall_closed_at = timezone.now()
    slip.shortfall_reason = reason
