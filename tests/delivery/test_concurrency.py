"""Two warehouse clerks at once, on PostgreSQL (real threads, each with its own
connection): two shipments drawing on one order's stock cannot ship more than is
in it; two 回单 of the two last lots recorded together move the order once."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import ValidationError
from delivery import services
from delivery.models import Shipment
from orders.stages import Stage
from tests.delivery.walk import delivery_walk, ship
from tests.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_shipments_at_once_cannot_ship_more_than_is_in_stock(users):
    order = delivery_walk(users, "in_stock")

    def one(index):
        return ship(users, order, Decimal(600), tracking_number=f"SF00{index}")

    results, errors = run_together(2, one)
    assert sum(r is not None for r in results) == 1
    assert sum(isinstance(e, ValidationError) for e in errors) == 1
    assert Shipment.objects.count() == 1


def test_the_two_last_receipts_at_once_move_the_order_once(users):
    order = delivery_walk(users, "in_stock")
    lots = [ship(users, order, Decimal(500)), ship(users, order, Decimal(500))]

    def sign(index):
        shipment = lots[index]
        return services.receipt_record(
            actor=users["warehouse"],
            shipment=shipment,
            signed_by="张收货",
            signed_on=timezone.localdate(),
            received={row.pk: row.quantity for row in shipment.lines.all()},
        )

    results, errors = run_together(2, sign)
    assert errors == [None, None]
    order.refresh_from_db()
    assert order.stage == Stage.SETTLEMENT
    assert order.events.filter(type="moved", to_stage=Stage.SETTLEMENT).count() == 1
