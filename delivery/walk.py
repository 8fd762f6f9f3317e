"""Everything delivery brings to the walk, registered from DeliveryConfig.ready()
— no line of `orders`, `production` or `quality` names it:

- its permissions granted to the roles (delivery.roles) and its menu entries
  (delivery.navigation);
- its move `delivered` (交付 → 开票收款: every line's ordered quantity received
  by the customer, or the rest closed short with the customer's agreement), its
  precondition and its effect (finance is told), and the actions it performs
  inside the stages (delivery.actions), which any app may hold;
- its event types (delivery.events) and its queues (delivery.queues);
- its section of the order page (stock, shipments, receipts, the early warning
  and the dates agreed with the customer);
- its due items: receiving into stock, each shipment and the customer's receipt
  of each, against the promised date — an agreed new date moves what is due,
  never the date first committed;
- its columns of each order line's quantities (in stock, shipped, received by
  the customer, closed short with the customer);
- its part of the demo and of the scale data.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.navigation import register as register_nav
from accounts.permissions import has_role_perm, may
from accounts.roles import grant
from accounts.workdays import get_calendar
from core import seeds
from core.memo import memo
from notifications.services import notify
from orders import registry
from orders.stages import Stage

from . import navigation, roles, selectors
from .actions import register as register_actions
from .events import APP, MOVE, register_event_types
from .models import Shipment
from .quantities import delivery_columns
from .queues import register_all as register_queues
from .services import WAREHOUSE_STAGES, delivery_refusal
from .warning import WATCHED, committed_days_of, current_stage, date_risk

# --- the move and its effect -------------------------------------------------------------


DELIVERED = registry.Move(
    MOVE,
    _("Delivered"),
    frozenset({Stage.DELIVERY}),
    Stage.SETTLEMENT,
    "orders.confirm_delivery",
    rule="orders.confirm_delivery",
    app=APP,
)


def tell_finance(t) -> None:
    people = [
        u
        for u in get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename="settle_order")
        .distinct()
        if has_role_perm(u, "orders.settle_order")
    ]
    notify(
        users=people,
        message=_(
            "Order %(number)s is delivered: the customer has received it. "
            "Invoice and collect payment."
        )
        % {"number": t.order.number},
        link=t.order.get_absolute_url(),
        kind="delivered",
    )


# --- the order page -------------------------------------------------------------------------


def first_committed(order):
    """The promised date first committed (the review's), which lateness counts
    against; an agreed new date moves only the order's promised date."""
    review = getattr(order, "review", None)
    if review is not None and review.promised_date:
        return review.promised_date
    return order.promised_date


def risk_of(order, days=None):
    """The order's early warning, from its current stage's own due items (a
    dispatch slip's date in production …) and the review's committed days."""
    stage = current_stage(order)
    if stage not in WATCHED or order.promised_date is None:
        return None
    if days is None:
        days = committed_days_of([order.pk])[order.pk]
    items = [
        item
        for source in registry.due_sources()
        if source.stage == stage
        for item in source.for_order(order)
    ]
    return date_risk(order, get_calendar(), days=days, items=items)


SHOWN = (Stage.INSPECTION, Stage.DELIVERY, Stage.SETTLEMENT, Stage.COMPLETED)
AGREED = frozenset(WATCHED | set(SHOWN))


def _order_panel(order, user):
    stage = current_stage(order)
    if stage not in AGREED or not may(user, "delivery.view_order", order):
        return None
    risk = risk_of(order)
    agreements = list(
        order.date_agreements.select_related("recorded_by").order_by("recorded_at")
    )
    shown = stage in SHOWN
    can_agree = may(user, "delivery.agree_date", order) and order.stage in WATCHED
    if not (shown or risk or agreements or can_agree):
        return None
    section = selectors.order_section(order) if shown else {}
    section["agreements"] = agreements
    works = order.stage in WAREHOUSE_STAGES and may(user, "delivery.manage")
    figures = section.get("figures", ())
    return {
        "section": section,
        "risk": risk,
        "first_committed": first_committed(order) if agreements else None,
        "can_agree": can_agree,
        "can_receive": works and any(f.to_receive > 0 for f in figures),
        "can_ship": works and any(f.on_hand > 0 for f in figures),
        "can_close": works,
    }


# --- due items --------------------------------------------------------------------------------


def _receipt_into_stock(order, figures, committed) -> registry.DueItem:
    done = not any(f.to_receive > 0 for f in figures) and order.stage == Stage.DELIVERY
    last = (
        order.stock_receipts.order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return registry.DueItem(
        order_id=order.pk,
        source="stock_receipt",
        what=_("Passed goods received into stock (入库)"),
        due_date=order.promised_date,
        committed_date=committed,
        done_at=last if done else None,
        stage=Stage.DELIVERY,
        object_id=order.pk,
    )


def _stock_items(order) -> list[registry.DueItem]:
    if order.stage not in (Stage.DELIVERY, Stage.SETTLEMENT, Stage.COMPLETED):
        return []
    from .quantities import line_figures

    return [_receipt_into_stock(order, line_figures(order), first_committed(order))]


def _shipment_item(shipment, committed) -> registry.DueItem:
    return registry.DueItem(
        order_id=shipment.order_id,
        source="shipment",
        what=_("Delivery note %(number)s shipped") % {"number": shipment.number},
        due_date=shipment.order.promised_date,
        committed_date=committed,
        done_at=shipment.created_at,
        stage=Stage.DELIVERY,
        object_id=shipment.pk,
    )


def _receipt_item(shipment, committed) -> registry.DueItem:
    receipt = (
        getattr(shipment, "receipt", None) if shipment.status == "received" else None
    )
    return registry.DueItem(
        order_id=shipment.order_id,
        source="customer_receipt",
        what=_("Customer's receipt (回单) of %(number)s") % {"number": shipment.number},
        due_date=shipment.order.promised_date,
        committed_date=committed,
        done_at=receipt.recorded_at if receipt else None,
        stage=Stage.DELIVERY,
        object_id=shipment.pk,
    )


def _shipments_of(order):
    """The order's shipments, read once per request for both sources (none
    before the order could ship)."""
    if current_stage(order) not in SHOWN:
        return []
    return memo(
        f"delivery:shipments:{order.pk}",
        lambda: list(
            Shipment.objects.filter(order=order)
            .select_related("order__review", "receipt")
            .order_by("ship_date", "id")
        ),
    )


def _shipment_items(order):
    return [_shipment_item(s, first_committed(s.order)) for s in _shipments_of(order)]


def _receipt_items(order):
    return [_receipt_item(s, first_committed(s.order)) for s in _shipments_of(order)]


def _open_stock_items():
    for order in selectors.awaiting_receipt().select_related("review"):
        yield registry.DueItem(
            order_id=order.pk,
            source="stock_receipt",
            what=_("Passed goods received into stock (入库)"),
            due_date=order.promised_date,
            committed_date=first_committed(order),
            stage=Stage.DELIVERY,
            object_id=order.pk,
        )


def _open_receipt_items():
    for shipment in selectors.in_transit().select_related("order__review"):
        yield _receipt_item(shipment, first_committed(shipment.order))


# --- line quantities -------------------------------------------------------------------------


def _line_quantities(order) -> dict:
    stage = order.held_stage if order.stage == Stage.ON_HOLD else order.stage
    if stage not in (
        Stage.INSPECTION,
        Stage.DELIVERY,
        Stage.SETTLEMENT,
        Stage.COMPLETED,
    ):
        return {}
    return delivery_columns(order)


LINE_QUANTITIES = registry.LineQuantitySource(
    "delivery",
    APP,
    (
        registry.LineQuantity(
            "in_stock", pgettext_lazy("line quantity", "in stock"), 60
        ),
        registry.LineQuantity("shipped", pgettext_lazy("line quantity", "shipped"), 65),
        registry.LineQuantity(
            "customer_received",
            pgettext_lazy("line quantity", "received by customer"),
            70,
        ),
        registry.LineQuantity(
            "delivery_closed_short",
            pgettext_lazy("line quantity", "short, agreed"),
            75,
        ),
    ),
    _line_quantities,
    doc=_(
        "in stock: taken into the warehouse after inspection; shipped: on delivery "
        "notes; received by customer: signed for on the 回单; short, agreed: closed "
        "with the customer's agreement"
    ),
)


def register() -> None:
    grant(APP, roles.GRANTS)
    for item in navigation.ITEMS:
        register_nav(item)
    registry.move(DELIVERED)
    register_actions()
    registry.line_quantity_source(LINE_QUANTITIES)
    registry.precondition(
        MOVE,
        app=APP,
        doc=_(
            "every line's ordered quantity received by the customer (the 回单 "
            "recorded), or the rest closed short with a reason agreed with the "
            "customer; made automatically by the receipt or closure that completes it"
        ),
    )(delivery_refusal)
    registry.effect(MOVE, app=APP, doc=_("tells finance, in their inbox"))(tell_finance)
    register_event_types()
    register_queues()
    registry.panel(
        registry.Panel(
            "delivery",
            registry.ORDER_PAGE,
            "delivery/_order_panel.html",
            _order_panel,
            position=60,
            app=APP,
        )
    )
    registry.due_source(
        registry.DueSource(
            "stock_receipt",
            _("receipt into stock"),
            Stage.DELIVERY,
            APP,
            _stock_items,
            _open_stock_items,
            doc=_(
                "the passed goods taken into stock, by the promised date (an agreed "
                "new date moves it; lateness counts from the first)"
            ),
        )
    )
    registry.due_source(
        registry.DueSource(
            "shipment",
            _("shipment"),
            Stage.DELIVERY,
            APP,
            _shipment_items,
            lambda: iter(()),
            doc=_("each shipment (送货单) against the promised date"),
        )
    )
    registry.due_source(
        registry.DueSource(
            "customer_receipt",
            _("customer's receipt"),
            Stage.DELIVERY,
            APP,
            _receipt_items,
            _open_receipt_items,
            doc=_("the customer's signed receipt (回单) of each shipment"),
        )
    )
    seeds.demo(APP, "delivery.demo.seed_delivery", position=60)
    seeds.scale(APP, "delivery.scale.seed_scale_delivery", position=60)
