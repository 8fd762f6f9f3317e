"""Issue 7 items 4 and 11: what no field may hold is refused before any view with a
clear Chinese message, never a server error, and nothing is saved — a NUL character
anywhere in the request (PostgreSQL cannot store it), and form bodies that are not
valid UTF-8 (they used to be stored as mojibake)."""

import pytest
from django.test import Client

from orders.models import Customer, Order, OrderEvent

pytestmark = pytest.mark.django_db

AUTOCOMPLETES = (
    ("sales1", "/orders/customers/autocomplete/"),
    ("sales1", "/orders/products/autocomplete/"),
    ("sales1", "/orders/salespeople/autocomplete/"),
    ("gm", "/orders/staff/autocomplete/"),
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def saved():
    return Order.objects.count(), OrderEvent.objects.count(), Customer.objects.count()


@pytest.mark.parametrize(("username", "path"), AUTOCOMPLETES)
def test_a_nul_in_an_autocomplete_query_is_a_clear_400(demo_users, username, path):
    response = signed_in(demo_users[username]).get(path, {"q": "钢\x00背"})
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_a_nul_in_the_list_filter_and_in_an_address_is_a_clear_400(demo_users):
    client = signed_in(demo_users["sales1"])
    assert client.get("/orders/", {"q": "SO\x00"}).status_code == 400
    response = client.get("/orders/SO-2026%00/")
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


def test_a_nul_in_a_posted_form_saves_nothing(demo_users):
    before = saved()
    response = signed_in(demo_users["sales1"]).post(
        "/orders/customers/new/",
        {"customer-name": "坏\x00客户", "customer-type": "new"},
    )
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
    assert saved() == before


def test_a_body_that_is_not_utf8_is_refused_not_stored_as_mojibake(demo_users):
    before = saved()
    gbk = b"customer-name=" + "华东客户".encode("gbk") + b"&customer-type=new"
    response = signed_in(demo_users["sales1"]).generic(
        "POST",
        "/orders/customers/new/",
        gbk,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert saved() == before
    # the same through percent-encoding, as a browser set to GBK would send it
    encoded = "customer-name=%BB%AA%B6%AB&customer-type=new"
    response = signed_in(demo_users["sales1"]).generic(
        "POST",
        "/orders/customers/new/",
        encoded,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert saved() == before


def test_a_multipart_field_that_is_not_utf8_is_refused(demo_users):
    before = saved()
    boundary = "XyZ"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="customer-name"\r\n\r\n'
        ).encode()
        + "华东".encode("gbk")
        + (
            f"\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="customer-type"\r\n\r\nnew\r\n'
            f"--{boundary}--\r\n"
        ).encode()
    )
    response = signed_in(demo_users["sales1"]).generic(
        "POST",
        "/orders/customers/new/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert saved() == before


def test_good_chinese_text_still_goes_through(demo_users):
    response = signed_in(demo_users["sales1"]).post(
        "/orders/customers/new/", {"customer-name": "华东客户", "customer-type": "new"}
    )
    assert response.status_code == 200
    assert Customer.objects.filter(name="华东客户").exists()
