"""The order's move out of inspection (`inspection_passed`, 质检 → 交付): its
precondition, and the move made by a QC inspector."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.money import plain
from core.submissions import claim_token, record_result
from orders.models import Order
from orders.services import order_advance

from ..models import OPEN_NONCONFORMANCE, Nonconformance
from ..selectors import line_figures
from .common import APP, MOVE, _require


def inspection_refusal(order: Order):
    """inspection_passed's precondition: no nonconformance of the order left open,
    and every line covered — its passed pieces, re-passed and conceded ones
    included, or short only by scrapped pieces the customer agreed to (a
    disposition recorded with their consent)."""
    open_ncs = list(
        Nonconformance.objects.filter(order=order, status__in=OPEN_NONCONFORMANCE)
        .order_by("id")
        .values_list("number", flat=True)[:5]
    )
    if open_ncs:
        return _("Nonconformances still open: %(ncs)s.") % {"ncs": "、".join(open_ncs)}
    for row in line_figures(order, produced=False):
        if not row.covered:
            return _(
                "Line %(line)s (%(model)s): %(accepted)s of %(ordered)s accepted "
                "(passed, re-passed and conceded); inspect the rest, or close the "
                "shortfall with a disposition the customer agreed to."
            ) % {
                "line": row.line.position,
                "model": row.line.model_code,
                "accepted": row.accepted,
                "ordered": plain(row.ordered),
            }
    return None


def _summary(order: Order) -> list[list]:
    """Each line's position, accepted and ordered pieces when the order passed: kept
    as figures, put into words when the history is read (records store codes)."""
    return [
        [row.line.position, row.accepted, plain(row.ordered)]
        for row in line_figures(order, produced=False)
    ]


@transaction.atomic
def order_pass(*, actor, order: Order, version=None, form_token=None) -> Order:
    """A QC inspector releases the order after the final inspection (质检 → 交付);
    the gate checks the precondition quality registered."""
    _require(actor, "quality.pass_order", order)
    submission = claim_token(form_token, actor)
    moved = order_advance(
        actor=actor,
        order=order,
        move=MOVE,
        app=APP,
        version=version,
        # figures read afresh: a caller's order object may carry figures it read before
        parameters={"lines": _summary(Order.objects.get(pk=order.pk))},
    )
    record_result(submission, moved.get_absolute_url())
    return moved
