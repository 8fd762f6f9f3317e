"""`manage.py seed_scale` for delivery: stock, shipments and receipts for the
orders quality released, adding up as the services would have them — received by
the customer ≤ shipped ≤ in stock ≤ accepted by quality, by independent sums —
an order gone on received in full or closed short, numbers unique and the counter
past them; seeding again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from delivery.models import CustomerReceipt, Shipment, StockReceipt
from delivery.quantities import line_figures
from orders.models import NumberSequence, Order
from orders.stages import Stage
from tests.delivery.test_services import assert_adds_up

ORDERS = 300


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", orders=ORDERS, force=True, seed=7, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def scale(seeded, db):
    return seeded


def test_delivery_records_add_up(scale):
    assert StockReceipt.objects.exists()
    assert Shipment.objects.filter(status="received").exists()
    assert CustomerReceipt.objects.exists()
    assert assert_adds_up() > 10
    # an order that went on was received in full, or closed short with the customer
    for order in Order.objects.filter(
        stage__in=(Stage.SETTLEMENT, Stage.COMPLETED), stock_receipts__isnull=False
    ).distinct()[:30]:
        assert all(f.outstanding == 0 for f in line_figures(order)), order.number
    numbers = list(Shipment.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    top = max(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert (
        max(
            NumberSequence.objects.filter(key__startswith="shipment:").values_list(
                "last", flat=True
            )
        )
        >= top
    )


def test_seeding_delivery_again_adds_nothing(scale):
    count = StockReceipt.objects.count()
    call_command(
        "seed_scale",
        only=["delivery"],
        append=True,
        orders=0,
        force=True,
        stdout=StringIO(),
    )
    assert StockReceipt.objects.count() == count
