"""返工: pieces QC sent back are reworked on a slip for a workshop — offered to the
apps after production (quality's nonconformance disposition calls it; the planner
may too). A rework slip is made, started and reported on while the order is in
production, inspection or delivery; its pieces are pieces the line already
produced, so it counts for nothing the line produced, and finishing it never moves
the order again."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import check_within
from core.exceptions import InvalidMove, ValidationError
from core.submissions import claim_token, record_result
from orders.models import Order, OrderLine
from orders.services import lock_lines, lock_order, record_event

from .. import actions
from .. import events as types
from ..models import DispatchSlip, ProductionPlan
from ..selectors import line_output
from .common import (
    _may_act,
    _require,
    _slip_number,
    _slip_parameters,
    _text,
    date_span,
)


@transaction.atomic
def rework_slip_add(
    *,
    actor,
    order: Order,
    line: OrderLine,
    workshop,
    operation: str,
    quantity: int | None,
    due_date: date | None,
    reason: str,
    start_date: date | None = None,
    form_token=None,
) -> DispatchSlip:
    """A rework slip (返工) for `quantity` pieces of `line` in `workshop`, on the
    line's issued plan, with the drawings' key requirements carried over and the
    reason (a nonconformance's number, say) in its notes and the history."""
    _require(actor, "production.add_rework_slip")
    submission = claim_token(form_token, actor)
    locked = lock_order(order)
    _may_act(locked, actions.REWORK, after_production=True)
    lock_lines([line])
    errors: dict[str, list] = {}
    plan = None
    if line is None or line.order_id != locked.pk:
        errors["line"] = [_("Choose one of this order's lines.")]
    else:
        plan = (
            ProductionPlan.objects.select_for_update()
            .filter(line=line, status=ProductionPlan.Status.ISSUED)
            .order_by("-issued_at", "-id")
            .first()
        )
        if plan is None:
            raise InvalidMove(
                _("Line %(line)s has no issued plan to rework its pieces on.")
                % {"line": line.position}
            )
    if workshop is None or workshop.kind != "workshop":
        errors["workshop"] = [_("Choose a workshop or line.")]
    if operation not in DispatchSlip.Operation.values:
        errors["operation"] = [_("Choose one of the listed operations.")]
    produced = next(
        (
            row.produced
            for row in line_output(locked)
            if line and row.line.pk == line.pk
        ),
        0,
    )
    if quantity is None or quantity < 1:
        errors["quantity"] = [_("The quantity must be at least 1.")]
    elif quantity > produced:
        errors["quantity"] = [
            _("Line %(line)s has %(produced)s pieces produced: rework at most that.")
            % {"line": line.position, "produced": produced}
        ]
    if due_date is None:
        errors["due_date"] = [_("Give the date the slip must be finished by.")]
    elif start_date and due_date < start_date:
        errors["due_date"] = [_("The finish date cannot be before the start date.")]
    check_within(date_span(locked), errors, start_date=start_date, due_date=due_date)
    reason = _text(reason)
    if not reason:
        errors["reason"] = [_("Say why the pieces are reworked.")]
    if errors:
        raise ValidationError(errors)
    slip = DispatchSlip.objects.create(
        number=_slip_number(timezone.localdate()),
        plan=plan,
        workshop=workshop,
        operation=operation,
        quantity=quantity,
        start_date=start_date,
        due_date=due_date,
        committed_due_date=due_date,
        requirements=_requirements(plan),
        notes=reason,
        kind=DispatchSlip.Kind.REWORK,
        created_by=actor,
    )
    record_event(
        order=locked,
        type_=types.SLIP_REWORK,
        user=actor,
        reason=reason,
        parameters=_slip_parameters(slip, quantity=quantity),
    )
    record_result(submission, slip.get_absolute_url())
    return slip


def _requirements(plan: ProductionPlan) -> str:
    """The key requirements the plan's slips carry (the first one's)."""
    first = plan.slips.exclude(requirements="").order_by("number").first()
    return first.requirements if first else ""
