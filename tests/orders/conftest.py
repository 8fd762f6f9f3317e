from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders import services
from orders.services import LineData
from tests.factories import CustomerFactory


def line(model="GB-D1060", qty="100", price="3.80", **kwargs) -> LineData:
    return LineData(
        model_code=model, quantity=Decimal(qty), unit_price=Decimal(price), **kwargs
    )


@pytest.fixture
def sales(make_user):
    return make_user("sales", username="sales_a", display_name="张伟")


@pytest.fixture
def customer(db):
    return CustomerFactory()


@pytest.fixture
def make_order(db):
    """make_order(actor, lines=3, submit=False, **header) → an order made through the
    services, as a user would."""

    def make(actor, *, lines=1, submit=False, customer=None, **header):
        header.setdefault("channel", "phone")
        header.setdefault("requested_date", timezone.localdate() + timedelta(days=30))
        order = services.order_create(
            actor=actor,
            customer=customer or CustomerFactory(),
            lines=[
                line(model=f"GB-D{1000 + i}", qty=str(10 * (i + 1)))
                for i in range(lines)
            ],
            **header,
        )
        if submit:
            order = services.order_submit(actor=actor, order=order)
        return order

    return make
