"""delivery's "what needs whom now" queues (core.queues), registered from
DeliveryConfig.ready().

- the warehouse: orders whose passed pieces wait to go into stock; orders with
  stock ready to ship, the most urgent promised date first; shipments whose
  customer's receipt (回单) is not recorded yet;
- a salesperson (their own orders) and the production manager (every order):
  orders whose promised date is out of reach (交期预警, delivery.warning), to
  agree a new date with the customer.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_role_perm
from accounts.workdays import get_calendar
from core.queues import Queue, QueueItem, register
from orders.models import Order

from . import selectors
from .events import APP
from .warning import at_risk_ids


def _holds(permission):
    return lambda user: has_role_perm(user, permission)


def _orders_url(key: str):
    def url(user) -> str:
        return f"{reverse('orders:list')}?queue={key}"

    return url


def _receive_rows(user) -> QuerySet:
    return selectors.awaiting_receipt().annotate(due=F("promised_date"))


def _receive_item(order, calendar) -> QueueItem:
    return QueueItem(
        order,
        _("Receive the passed goods into stock"),
        order.due,
        reverse("delivery:receive", kwargs={"number": order.number}),
    )


def _ship_rows(user) -> QuerySet:
    return selectors.ready_to_ship().annotate(due=F("promised_date"))


def _ship_item(order, calendar) -> QueueItem:
    return QueueItem(
        order,
        _("Ship: %(pieces)s in stock")
        % {"pieces": _plain(order.stock_in - order.shipped_out)},
        order.due,
        reverse("delivery:ship", kwargs={"number": order.number}),
    )


def _plain(value) -> str:
    from core.money import plain

    return plain(value)


def _receipt_rows(user) -> QuerySet:
    return selectors.in_transit().annotate(due=F("ship_date"))


def _receipt_item(shipment, calendar) -> QueueItem:
    return QueueItem(
        shipment.order,
        _("Record the customer's receipt of %(number)s (shipped %(date)s)")
        % {"number": shipment.number, "date": shipment.ship_date.isoformat()},
        shipment.due,
        reverse("delivery:receipt", kwargs={"number": shipment.number}),
    )


def _is_production_manager(user) -> bool:
    return has_role_perm(user, "orders.conclude_review")


def _warns_user(user) -> bool:
    return has_role_perm(user, "delivery.agree_date") or _is_production_manager(user)


def _warning_rows(user) -> QuerySet:
    """The orders at risk the user answers for: a salesperson their own, the
    production manager every one (remembered for the request: the badge and
    the workbench ask twice)."""
    ids = getattr(user, "_delivery_risk_ids", None)
    if ids is None:
        orders = Order.objects.all()
        if not _is_production_manager(user):
            orders = orders.filter(salesperson=user)
        ids = user._delivery_risk_ids = at_risk_ids(orders, get_calendar())
    if not ids:
        return Order.objects.none()
    return (
        Order.objects.filter(pk__in=ids)
        .select_related("customer")
        .annotate(due=F("promised_date"))
        .order_by("promised_date", "number")
    )


def _warning_item(order, calendar) -> QueueItem:
    return QueueItem(
        order,
        _("Promised date at risk: agree a new date with the customer"),
        order.due,
        order.get_absolute_url() + "#delivery",
    )


QUEUES = (
    Queue(
        "stock_to_receive",
        gettext_lazy("Passed goods to receive into stock"),
        _holds("delivery.manage_warehouse"),
        _receive_rows,
        _receive_item,
        _orders_url("stock_to_receive"),
        position=400,
        app=APP,
    ),
    Queue(
        "stock_to_ship",
        gettext_lazy("Stock ready to ship"),
        _holds("delivery.manage_warehouse"),
        _ship_rows,
        _ship_item,
        _orders_url("stock_to_ship"),
        position=410,
        app=APP,
    ),
    Queue(
        "receipts_awaited",
        gettext_lazy("Customer's receipts (回单) to record"),
        _holds("delivery.manage_warehouse"),
        _receipt_rows,
        _receipt_item,
        _orders_url("receipts_awaited"),
        position=420,
        order_field="order_id",
        app=APP,
    ),
    Queue(
        "date_warnings",
        gettext_lazy("Promised dates at risk (交期预警)"),
        _warns_user,
        _warning_rows,
        _warning_item,
        _orders_url("date_warnings"),
        position=90,
        app=APP,
    ),
)


def register_all() -> None:
    for queue in QUEUES:
        register(queue)
