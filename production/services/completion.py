"""The order's move out of production (`production_done`): its precondition, and
the move made automatically, on behalf of the person whose report or close
finished the last slip."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from orders.models import Order
from orders.services import order_advance
from orders.stages import Stage

from ..models import (
    DispatchSlip,
    ProductionPlan,
)
from ..selectors import line_output
from .common import (
    APP,
    MOVE,
    _plain,
    _slip_parameters,
)


def production_refusal(order: Order):
    """production_done's precondition: an issued plan, none left in draft or awaiting
    its review, every
    slip of the issued plans finished (done, or closed by the planner), and every
    line of the order planned and produced in full — the good pieces of its plans'
    last operation, make-up slips included, or short by what the planner closed
    with a reason."""
    plans = list(
        ProductionPlan.objects.filter(order=order).exclude(
            status=ProductionPlan.Status.CLOSED
        )
    )
    issued = [p for p in plans if p.status == ProductionPlan.Status.ISSUED]
    if not issued:
        return _("No production plan of this order is issued.")
    # a draft, or one awaiting its review (审核): not issued yet
    pending = [p.number for p in plans if p.status != ProductionPlan.Status.ISSUED]
    if pending:
        return _(
            "Plan %(plans)s is not issued yet: have it reviewed and issued, or close "
            "it."
        ) % {"plans": "、".join(pending)}
    open_slips = list(
        DispatchSlip.objects.filter(plan__in=issued)
        .exclude(status__in=[DispatchSlip.Status.DONE, DispatchSlip.Status.CLOSED])
        .values_list("number", flat=True)[:5]
    )
    if open_slips:
        return _("Dispatch slips not finished yet: %(slips)s.") % {
            "slips": "、".join(open_slips)
        }
    for row in line_output(order):
        values = {
            "line": row.line.position,
            "model": row.line.model_code,
            "ordered": _plain(row.ordered),
            "planned": _plain(row.planned),
            "produced": row.produced,
        }
        if row.unplanned:
            return (
                _(
                    "Line %(line)s (%(model)s): %(planned)s of %(ordered)s planned; "
                    "plan the rest."
                )
                % values
            )
        if row.missing:
            return (
                _(
                    "Line %(line)s (%(model)s): %(produced)s of %(ordered)s produced; "
                    "make up the shortfall or close it with a reason."
                )
                % values
            )
    return None


def _finish_if_complete(*, actor, order: Order, finished, plan=None) -> bool:
    """Once production's record allows it, make the move for the person whose
    action completed it (the order row is locked: two last slips finishing at once
    see each other)."""
    if order.stage != Stage.PRODUCTION or production_refusal(order) is not None:
        return False
    parameters = {}
    if finished is not None:
        parameters = _slip_parameters(finished)
    elif plan is not None:
        parameters = {"plan": plan.number}
    order_advance(
        actor=actor,
        order=order,
        move=MOVE,
        app=APP,
        automatic=True,
        parameters=parameters,
    )
    return True
