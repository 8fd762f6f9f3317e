"""Writes of the production app. An order moves on only through the orders service
for the move production owns (orders.services.order_advance)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.permissions import may
from orders import events
from orders.exceptions import InvalidMove, PermissionDenied
from orders.services import order_advance
from orders.stages import Stage

APP = "production"
REPORTED = "production_reported"


@transaction.atomic
def production_report_complete(*, actor, order, note: str = ""):
    """The planner reports the order's production complete: recorded in its history,
    then the order moves to inspection through production's own move."""
    if not may(actor, "production.report_complete", order):
        raise PermissionDenied(_("Only the production planner reports production."))
    if order.stage != Stage.PRODUCTION:
        raise InvalidMove(_("The order is not in production."))
    events.record(
        order=order,
        type_=REPORTED,
        user=actor,
        reason=(note or "").strip(),
        parameters={"note": (note or "").strip()},
    )
    return order_advance(
        actor=actor, order=order, move="production_done", app=APP, reason=note
    )
