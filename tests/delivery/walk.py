"""An order of sales1 walked to 交付 and on through delivery's services, as the
demo users would get it there.

qc1 inspects the 1,000 pieces, all pass, and releases the order through quality's
services. Without quality installed, the order leaves 质检 by a test's move
(registered for the one call and forgotten at once, so the walk table never shows
it) and what production produced is what delivery may take into stock
(delivery.quantities.accepted_by_line)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from orders import registry
from orders.stages import Stage
from tests.walk import slip_of, walk

# an installed app of the test settings, so that the gate takes the move
TEST_APP = "tests.plug_app"
TEST_MOVE = "test_inspection_passed"


def finish_production(users, order):
    """Every slip of the issued plan started and reported in full: production
    moves the order to 质检 by itself."""
    from production import services as production

    for workshop, lead, good in (
        ("cutting", "lead_cutting", 1000),
        ("line", "lead_line1", 1000),
        ("maintenance", "lead_maint", 1),
    ):
        slip = slip_of(order, workshop)
        production.slip_start(actor=users[lead], slip=slip)
        production.slip_report(
            actor=users[lead], slip=slip, token=uuid.uuid4(), good=good
        )
    order.refresh_from_db()
    assert order.stage == Stage.INSPECTION, order.stage
    return order


def pass_inspection(users, order):
    """质检 → 交付: quality's move when quality is installed, else a test's."""
    from orders.services import order_advance

    if "inspection_passed" in registry.MOVES:  # quality's own
        from quality import services as quality
        from tests.quality.helpers import inspect

        inspect(users, order, 1000, 0)
        quality.order_pass(actor=users["qc1"], order=order)
        order.refresh_from_db()
        return order
    registry.move(
        registry.Move(
            TEST_MOVE,
            "passed (test)",
            frozenset({Stage.INSPECTION}),
            Stage.DELIVERY,
            "orders.pass_inspection",
            rule="orders.pass_inspection",
            app=TEST_APP,
        )
    )
    try:
        order_advance(actor=users["qc1"], order=order, move=TEST_MOVE, app=TEST_APP)
    finally:
        del registry.MOVES[TEST_MOVE]
    order.refresh_from_db()
    return order


def into_delivery(users, **kwargs):
    order = walk(users, "plan_issued", **kwargs)
    order = finish_production(users, order)
    return pass_inspection(users, order)


def receive_all(users, order, quantity=Decimal(1000)):
    from delivery import services

    line = order.lines.get()
    services.stock_receive(
        actor=users["warehouse"],
        order=order,
        quantities={line.pk: quantity},
        received_on=timezone.localdate(),
    )
    order.refresh_from_db()
    return order


def ship(users, order, quantity=Decimal(1000), **extra):
    from delivery import services

    line = order.lines.get()
    return services.shipment_create(
        actor=users["warehouse"],
        order=order,
        quantities={line.pk: quantity},
        data=services.ShipmentData(
            ship_date=extra.pop("ship_date", timezone.localdate()),
            carrier=extra.pop("carrier", "顺丰物流"),
            tracking_number=extra.pop("tracking_number", "SF1234567890"),
            address=extra.pop("address", "浙江省瑞安市塘下镇工业区1号"),
            contact="王经理",
            phone="0577-65000000",
        ),
    )


# released to 交付, nothing in stock; all 1,000 in stock; shipped on one delivery
# note awaiting its 回单; the 回单 says 990 arrived (10 broken): short by 10
DELIVERY_SITUATIONS = ("in_delivery", "in_stock", "shipped", "received_short")


def delivery_walk(users, situation: str):
    from delivery import services

    order = into_delivery(users)
    if situation == "in_delivery":
        return order
    order = receive_all(users, order)
    if situation == "in_stock":
        return order
    shipment = ship(users, order)
    if situation == "received_short":
        services.receipt_record(
            actor=users["warehouse"],
            shipment=shipment,
            signed_by="李收货",
            signed_on=timezone.localdate(),
            received={shipment.lines.get().pk: Decimal(990)},
            note="10片破损拒收",
        )
    order.refresh_from_db()
    return order


def yesterday():
    return timezone.localdate() - timedelta(days=1)
