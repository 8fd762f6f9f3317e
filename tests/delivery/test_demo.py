"""seed_demo brings delivery's part through the services — stock received, a
partial shipment, a full one signed for (the order moved on to 开票收款), an order
whose agreed date shows the early warning — running it again changes nothing, and
every line's quantities add up."""

from io import StringIO

import pytest
from django.core.management import call_command

from delivery.models import CustomerReceipt, DateAgreement, Shipment, StockReceipt
from delivery.walk import risk_of
from orders.stages import Stage
from tests.delivery.test_services import assert_adds_up

pytestmark = pytest.mark.django_db


def test_seed_demo_has_stock_shipments_a_receipt_and_an_early_warning(settings):
    settings.DEMO_DATA = True
    call_command("seed_demo", stdout=StringIO())
    counts = (
        StockReceipt.objects.count(),
        Shipment.objects.count(),
        CustomerReceipt.objects.count(),
        DateAgreement.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert counts == (
        StockReceipt.objects.count(),
        Shipment.objects.count(),
        CustomerReceipt.objects.count(),
        DateAgreement.objects.count(),
    )
    assert StockReceipt.objects.count() >= 3
    assert Shipment.objects.filter(status="shipped").exists()  # partial, on its way
    signed = Shipment.objects.get(status="received")
    assert signed.order.stage == Stage.SETTLEMENT
    agreement = DateAgreement.objects.get()
    assert risk_of(agreement.order) is not None
    assert assert_adds_up() >= 3
