"""Each order line's figures as delivery counts them, and the ONE place delivery
reads what quality accepted.

`accepted_by_line(order)` reads quality's columns of the line roll-up
(orders.registry.line_quantities) by their codes — delivery never imports quality.
If quality names its columns differently one day, only this function changes. A
factory without quality (no app declares the columns) takes what production
produced as what may go into stock."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from orders import registry

# quality's columns of the roll-up (quality/walk.py): what passed the final
# inspection, and what the customer accepted by concession (让步接收).
QUALITY_ACCEPTED = "accepted"
QUALITY_PASSED = "passed"
QUALITY_CONCEDED = "conceded"
# without quality: production's good pieces
PRODUCED = "produced"

ZERO = Decimal(0)


def _declared() -> set[str]:
    return {column.code for column in registry.line_columns()}


def accepted_by_line(order, figures: dict | None = None) -> dict[int, Decimal]:
    """{line id: pieces accepted by quality and free to go into stock}."""
    figures = registry.line_quantities(order) if figures is None else figures
    declared = _declared()

    def accepted(row: dict) -> Decimal:
        if QUALITY_ACCEPTED in declared:
            return Decimal(row.get(QUALITY_ACCEPTED) or 0)
        if QUALITY_PASSED in declared:
            return Decimal(row.get(QUALITY_PASSED) or 0) + Decimal(
                row.get(QUALITY_CONCEDED) or 0
            )
        return Decimal(row.get(PRODUCED) or 0)

    return {line_id: accepted(row) for line_id, row in figures.items()}


@dataclass
class LineFigures:
    """One order line as the warehouse sees it."""

    line: object
    accepted: Decimal = ZERO
    in_stock: Decimal = ZERO  # taken into stock, ever
    shipped: Decimal = ZERO
    received: Decimal = ZERO  # by the customer (回单)
    closed_short: Decimal = ZERO  # agreed with the customer

    @property
    def to_receive(self) -> Decimal:
        """Accepted, not yet taken into stock."""
        return max(self.accepted - self.in_stock, ZERO)

    @property
    def on_hand(self) -> Decimal:
        """In the warehouse, not shipped yet."""
        return max(self.in_stock - self.shipped, ZERO)

    @property
    def ordered(self) -> Decimal:
        return self.line.quantity

    @property
    def outstanding(self) -> Decimal:
        """What the customer has still to receive, after the agreed shortfall."""
        return max(self.ordered - self.received - self.closed_short, ZERO)


def _sums(queryset, field: str) -> dict[int, Decimal]:
    return {
        row["line_id"]: row["q"] or ZERO
        for row in queryset.order_by().values("line_id").annotate(q=Sum(field))
    }


def delivery_columns(order) -> dict[int, dict]:
    """{line id: in_stock, shipped, customer_received, delivery_closed_short} — four
    queries whatever the number of lines and records."""
    from .models import ShipmentLine, ShortfallClosure, StockReceipt

    stock = _sums(StockReceipt.objects.filter(order=order), "quantity")
    shipped_rows = ShipmentLine.objects.filter(shipment__order=order)
    shipped = _sums(shipped_rows, "quantity")
    received = _sums(shipped_rows, "received_quantity")
    closed = _sums(ShortfallClosure.objects.filter(order=order), "quantity")
    result: dict[int, dict] = defaultdict(dict)
    for code, sums in (
        ("in_stock", stock),
        ("shipped", shipped),
        ("customer_received", received),
        ("delivery_closed_short", closed),
    ):
        for line_id, value in sums.items():
            result[line_id][code] = value
    return dict(result)


def line_figures(order, lines=None) -> list[LineFigures]:
    """Every line of the order with what was accepted, taken in, shipped, received
    and closed short."""
    lines = list(lines if lines is not None else order.lines.order_by("position"))
    figures = registry.line_quantities(order)
    accepted = accepted_by_line(order, figures)
    rows = []
    for line in lines:
        row = figures.get(line.pk, {})
        rows.append(
            LineFigures(
                line=line,
                accepted=accepted.get(line.pk, ZERO),
                in_stock=Decimal(row.get("in_stock") or 0),
                shipped=Decimal(row.get("shipped") or 0),
                received=Decimal(row.get("customer_received") or 0),
                closed_short=Decimal(row.get("delivery_closed_short") or 0),
            )
        )
    return rows
