"""delivery's reads: querysets and plain data, never forms or pages, limited to
what the user may see."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.permissions import may
from orders.models import Order, OrderLine
from orders.stages import Stage

from .models import Shipment, ShipmentLine, ShortfallClosure, StockReceipt
from .quantities import line_figures

AMOUNT = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal(0), output_field=AMOUNT)


def _order_sum(queryset, field: str):
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("order_ref")
            .annotate(q=Sum(field))
            .values("q")[:1],
            output_field=AMOUNT,
        ),
        ZERO,
    )


def stock_total():
    """The order's (OuterRef) pieces ever taken into stock."""
    return _order_sum(
        StockReceipt.objects.filter(order=OuterRef("pk")).annotate(
            order_ref=F("order_id")
        ),
        "quantity",
    )


def shipped_total():
    return _order_sum(
        ShipmentLine.objects.filter(shipment__order=OuterRef("pk")).annotate(
            order_ref=F("shipment__order_id")
        ),
        "quantity",
    )


def with_stock(queryset: QuerySet) -> QuerySet:
    """Orders annotated with their stock taken in and shipped, in pieces."""
    return queryset.annotate(stock_in=stock_total(), shipped_out=shipped_total())


def ready_to_ship() -> QuerySet:
    """Orders with pieces in stock and not shipped, most urgent promised date
    first."""
    return (
        with_stock(Order.objects.filter(stage__in=(Stage.INSPECTION, Stage.DELIVERY)))
        .filter(stock_in__gt=F("shipped_out"))
        .select_related("customer")
        .order_by(F("promised_date").asc(nulls_last=True), "number")
    )


def _line_not_in_stock():
    """Lines of the order (OuterRef) not yet wholly in stock or closed short."""
    stocked = (
        StockReceipt.objects.filter(line=OuterRef("pk"))
        .order_by()
        .values("line")
        .annotate(q=Sum("quantity"))
        .values("q")
    )
    closed = (
        ShortfallClosure.objects.filter(line=OuterRef("pk"))
        .order_by()
        .values("line")
        .annotate(q=Sum("quantity"))
        .values("q")
    )
    return (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .annotate(
            stocked=Coalesce(Subquery(stocked, output_field=AMOUNT), ZERO),
            closed=Coalesce(Subquery(closed, output_field=AMOUNT), ZERO),
        )
        .filter(quantity__gt=F("stocked") + F("closed"))
    )


def awaiting_receipt() -> QuerySet:
    """Orders quality passed (交付) with a line not wholly in stock yet, and orders
    still inspected whose passed pieces already started going into stock —
    oldest promised date first."""
    started = StockReceipt.objects.filter(order=OuterRef("pk"))
    return (
        Order.objects.filter(
            Q(stage=Stage.DELIVERY)
            | Q(stage=Stage.INSPECTION, pk__in=started.values("order"))
        )
        .filter(Exists(_line_not_in_stock()))
        .select_related("customer")
        .order_by(F("promised_date").asc(nulls_last=True), "number")
    )


def in_transit() -> QuerySet:
    """Shipments whose customer's receipt (回单) is not recorded yet, oldest first."""
    return (
        Shipment.objects.filter(status=Shipment.Status.SHIPPED)
        .select_related("order__customer")
        .order_by("ship_date", "number")
    )


def shipments(user) -> QuerySet:
    """The shipments the user may see, newest first."""
    rows = Shipment.objects.select_related("order__customer").order_by(
        "-ship_date", "-id"
    )
    if may(user, "delivery.view_delivery"):
        return rows
    return rows.filter(order__salesperson=user)


def shipment_for_page(number: str) -> Shipment:
    return (
        Shipment.objects.select_related(
            "order__customer", "created_by", "receipt", "receipt__recorded_by"
        )
        .prefetch_related("lines__line")
        .get(number=number)
    )


def order_section(order):
    """What the order page shows of delivery: each line's figures, the stock
    receipts, the shipments and the agreed dates (a fixed number of queries)."""
    lines = list(order.lines.order_by("position"))
    return {
        "figures": line_figures(order, lines),
        "receipts": list(
            StockReceipt.objects.filter(order=order)
            .select_related("line", "received_by")
            .order_by("-received_on", "-id")[:20]
        ),
        "shipments": list(
            Shipment.objects.filter(order=order)
            .select_related("receipt")
            .prefetch_related("lines__line")
            .order_by("ship_date", "id")
        ),
        "closures": list(
            ShortfallClosure.objects.filter(order=order).select_related(
                "line", "closed_by"
            )
        ),
    }
