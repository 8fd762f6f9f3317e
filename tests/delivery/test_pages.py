"""The warehouse's pages over HTTP: bad input gets a Chinese message and writes
nothing (zero or negative quantities, a ship date before the receipt, a tracking
number with markup, a stale page, a double click); the workbench and the shipment
page keep a fixed number of queries whatever the data."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from core.submissions import new_form_token
from delivery.models import Shipment, StockReceipt
from tests.delivery.walk import delivery_walk, receive_all, ship, yesterday

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def _ship_form(order, quantity="100", **extra):
    line = order.lines.get()
    data = {
        "form_token": new_form_token(),
        "version": str(order.version),
        "ship_date": timezone.localdate().isoformat(),
        "carrier": "德邦物流",
        "tracking_number": "DB20261203001",
        "address": "浙江省瑞安市塘下镇工业区1号",
        "contact": "王经理",
        "phone": "0577-65000000",
        "notes": "",
        f"qty_{line.pk}": quantity,
    }
    data.update(extra)
    return data


def _receive_form(order, quantity="100", **extra):
    line = order.lines.get()
    data = {
        "form_token": new_form_token(),
        "version": str(order.version),
        "received_on": timezone.localdate().isoformat(),
        "location": "成品库A-01",
        "notes": "",
        f"qty_{line.pk}": quantity,
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("quantity", ["0", "-5", "abc", "1000.001"])
def test_zero_negative_or_junk_quantities_are_refused(users, quantity):
    order = delivery_walk(users, "in_delivery")
    response = client_for(users["warehouse"]).post(
        f"/delivery/orders/{order.number}/receive/", _receive_form(order, quantity)
    )
    assert response.status_code == 400
    assert "msg-error" in response.content.decode()
    assert not StockReceipt.objects.exists()


def test_a_ship_date_before_the_receipt_is_refused(users):
    order = delivery_walk(users, "in_stock")
    earlier = (timezone.localdate() - timezone.timedelta(days=3)).isoformat()
    response = client_for(users["warehouse"]).post(
        f"/delivery/orders/{order.number}/ship/", _ship_form(order, ship_date=earlier)
    )
    assert response.status_code == 400
    assert "入库" in response.content.decode() or "收货" in response.content.decode()
    assert not Shipment.objects.exists()


@pytest.mark.parametrize(
    "tracking",
    ["<script>alert(1)</script>", "SF123\"onmouseover='x'", "=cmd|' /C calc'!A0"],
)
def test_a_tracking_number_with_markup_is_refused(users, tracking):
    order = delivery_walk(users, "in_stock")
    response = client_for(users["warehouse"]).post(
        f"/delivery/orders/{order.number}/ship/",
        _ship_form(order, tracking_number=tracking),
    )
    assert response.status_code == 400
    assert "<script>alert" not in response.content.decode()
    assert not Shipment.objects.exists()


def test_a_stale_page_is_refused(users):
    order = delivery_walk(users, "in_stock")
    stale = _ship_form(order)
    # someone else ships first
    ship(users, order, Decimal(100))
    response = client_for(users["warehouse"]).post(
        f"/delivery/orders/{order.number}/ship/", stale
    )
    assert response.status_code == 302
    assert Shipment.objects.count() == 1


def test_a_double_click_ships_once(users):
    order = delivery_walk(users, "in_stock")
    data = _ship_form(order)
    client = client_for(users["warehouse"])
    first = client.post(f"/delivery/orders/{order.number}/ship/", data)
    second = client.post(f"/delivery/orders/{order.number}/ship/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Shipment.objects.count() == 1


def test_the_warehouse_walks_its_pages(users):
    order = delivery_walk(users, "in_delivery")
    client = client_for(users["warehouse"])
    home = client.get("/delivery/").content.decode()
    assert order.number in home
    response = client.post(
        f"/delivery/orders/{order.number}/receive/", _receive_form(order, "1000")
    )
    assert response.status_code == 302
    order.refresh_from_db()
    response = client.post(
        f"/delivery/orders/{order.number}/ship/", _ship_form(order, "1000")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    shipment = Shipment.objects.get()
    assert client.get(shipment.get_absolute_url()).status_code == 200
    note = client.get(f"/delivery/shipments/{shipment.number}/print/").content.decode()
    assert note.count('data-test="note-copy"') == 4
    for copy in ("存根", "客户", "回单", "财务"):
        assert copy in note
    cert = client.get(f"/delivery/shipments/{shipment.number}/certificate/")
    assert cert.status_code == 200
    line = shipment.lines.get()
    response = client.post(
        f"/delivery/shipments/{shipment.number}/receipt/",
        {
            "form_token": new_form_token(),
            "version": str(shipment.version),
            "signed_by": "李收货",
            "signed_on": timezone.localdate().isoformat(),
            f"got_{line.pk}": "1000",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.stage == "settlement"


# --- fixed query counts ------------------------------------------------------------------


def _grow(users, size):
    orders = []
    for _ in range(size):
        order = delivery_walk(users, "in_delivery")
        receive_all(users, order, Decimal(500))
        ship(users, order, Decimal(100))
        orders.append(order)
    return orders


@pytest.mark.parametrize("size", [1, 3])
def test_the_warehouse_workbench_has_a_fixed_query_count(
    users, size, django_assert_max_num_queries
):
    _grow(users, size)
    client = client_for(users["warehouse"])
    with django_assert_max_num_queries(14):
        response = client.get("/delivery/")
    assert response.status_code == 200


@pytest.mark.parametrize("lines", [1, 4])
def test_the_shipment_page_has_a_fixed_query_count(
    users, lines, django_assert_max_num_queries
):
    from delivery import services
    from orders.services import LineData
    from tests.delivery.walk import into_delivery

    order = into_delivery(users)
    receive_all(users, order, Decimal(1000))
    shipment = ship(users, order, Decimal(10))
    client = client_for(users["warehouse"])
    for _ in range(lines - 1):
        services.shipment_create(
            actor=users["warehouse"],
            order=order,
            quantities={order.lines.get().pk: 1},
            data=services.ShipmentData(
                ship_date=timezone.localdate(), carrier="x", address="y"
            ),
        )
    del LineData
    with django_assert_max_num_queries(12):
        response = client.get(shipment.get_absolute_url())
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            client.get(f"/delivery/shipments/{shipment.number}/print/").status_code
            == 200
        )


def test_yesterday_helper():
    assert yesterday() < timezone.localdate()
