"""What every part of production's writes shares: who may, the text and number
rules, the locks (the order's row first, then the plan's or slip's — always in that
order, so two writers never wait on each other in a circle) and the numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import may
from core.dates import DateSpan, span_around
from core.exceptions import InvalidMove, PermissionDenied
from orders.models import Order, OrderLine
from orders.services import action_require, lock_order, number_next
from orders.stages import Stage

from .. import events as types
from ..models import (
    DispatchSlip,
    ProductionPlan,
)

APP = types.APP
MOVE = "production_done"
TEXT_MAX = 2000


def date_span(order: Order) -> DateSpan:
    """The dates production may give an order's plans, slips and materials: around
    the order's date, its requested and promised delivery and today (core.dates)."""
    return span_around(
        order.order_date,
        order.requested_date,
        order.promised_date,
        today=timezone.localdate(),
    )


def _require(actor, action: str, obj=None) -> None:
    if not may(actor, action, obj):
        raise PermissionDenied(_("Your role may not do this."))


def _text(value, limit: int = TEXT_MAX) -> str:
    return (value or "").strip()[:limit]


# Where production's work is done: in production; a make-up or rework slip also
# after it, while the order is inspected or delivered (quality sends pieces back).
IN_PRODUCTION = frozenset({Stage.PRODUCTION})
AFTER_PRODUCTION = frozenset({Stage.PRODUCTION, Stage.INSPECTION, Stage.DELIVERY})


def _may_act(
    order: Order,
    action: str,
    *,
    slip=None,
    after_production: bool = False,
    refusal=None,
) -> None:
    """Before an action on the (locked) order: whatever an app holds it with
    (orders.registry.action_check: an order on hold holds every action), then the
    stage the work is done in — production, or after it too for a make-up or
    rework slip's own work."""
    # the slip goes with the question, so an app may hold one slip's action (a
    # first-article check waiting) and not the order's others
    action_require(action=action, order=order, slip=slip)
    after = after_production or (slip is not None and slip.works_after_production)
    stages = AFTER_PRODUCTION if after else IN_PRODUCTION
    if order.stage not in stages:
        raise InvalidMove(
            (
                refusal
                or _(
                    "The order is at “%(stage)s”, not in production: nothing can "
                    "change here."
                )
            )
            % {"stage": order.get_stage_display()}
        )


def overrun_limit(quantity: int) -> int:
    """The most good + scrapped pieces a slip of `quantity` takes: over-production up
    to PRODUCTION_OVERRUN_PERCENT."""
    percent = Decimal(str(settings.PRODUCTION_OVERRUN_PERCENT))
    return int(math.floor(quantity * (1 + percent / 100)))


def counts_in_pieces(unit: str) -> bool:
    """The unit is one of whole pieces (件, 片 …: settings.PRODUCTION_PIECE_UNITS)."""
    return (unit or "").strip() in settings.PRODUCTION_PIECE_UNITS


def whole_pieces_problem(quantity, unit: str):
    """The refusal for a fraction of a piece (1.5 件), or None."""
    if (
        quantity is not None
        and counts_in_pieces(unit)
        and Decimal(quantity) != Decimal(quantity).to_integral_value()
    ):
        return _("The quantity is in %(unit)s: enter a whole number.") % {"unit": unit}
    return None


@dataclass
class PlanData:
    line: OrderLine
    # None: what is left of the line to plan
    quantity: Decimal | None
    planned_start: date
    planned_finish: date
    batch_number: str = ""
    model_code: str = ""
    maker: str = ""
    thickness: Decimal | None = None
    notes: str = ""


def planned_quantity(line: OrderLine, *, exclude=None) -> Decimal:
    """How much of an order line the plans that are not closed already make."""
    plans = ProductionPlan.objects.filter(line=line).exclude(
        status=ProductionPlan.Status.CLOSED
    )
    if exclude is not None:
        plans = plans.exclude(pk=exclude.pk)
    return plans.aggregate(q=Sum("quantity"))["q"] or Decimal(0)


def _plan_number(today: date) -> str:
    yyyymm = today.strftime("%Y%m")
    return f"JH-{yyyymm}-{number_next(key=f'plan:{yyyymm}'):04d}"


def _slip_number(today: date) -> str:
    yyyymm = today.strftime("%Y%m")
    return f"PG-{yyyymm}-{number_next(key=f'slip:{yyyymm}'):05d}"


def _plain(value) -> str:
    from core.money import plain

    return plain(value)


def _locked_plan(plan: ProductionPlan) -> tuple[Order, ProductionPlan]:
    order = lock_order(plan.order_id)
    return order, ProductionPlan.objects.select_for_update().get(pk=plan.pk)


def _slip_parameters(slip: DispatchSlip, **extra) -> dict:
    return {
        "slip": slip.number,
        "plan": slip.plan.number,
        "workshop": slip.workshop.name,
        "operation": slip.operation,
        **extra,
    }


def _locked_slip(slip: DispatchSlip) -> tuple[Order, DispatchSlip]:
    order_id = (
        DispatchSlip.objects.filter(pk=slip.pk).values_list("plan__order_id").get()[0]
    )
    order = lock_order(order_id)
    locked = (
        DispatchSlip.objects.select_for_update(of=("self",))
        .select_related("plan", "workshop")
        .get(pk=slip.pk)
    )
    return order, locked
