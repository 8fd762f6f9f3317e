"""Issue 7 items 6 and 9: amounts the database could not keep, and orders with more
lines than allowed, are refused on the form with a message that says which limit —
the typed input kept — and a forged line count is refused without building it."""

from decimal import Decimal

import pytest
from django.test import Client

from orders import services
from orders.exceptions import ValidationError
from orders.forms import LINES_READ, MAX_LINES
from orders.models import Order
from orders.services import LineData, QuoteLineData
from tests.test_action_matrix import ACTIONS, _order_form, world
from tests.walk import walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def line(i, quantity="100", price="3.80"):
    return {
        f"lines-{i}-product": "",
        f"lines-{i}-model_code": f"GB-D{1000 + i}",
        f"lines-{i}-spec": "",
        f"lines-{i}-quantity": quantity,
        f"lines-{i}-unit": "片",
        f"lines-{i}-unit_price": price,
        f"lines-{i}-price_includes_tax": "on",
        f"lines-{i}-vat_percent": "13",
    }


def order_with(count, **line_values):
    data = _order_form(None)
    data["customer"] = ""
    for key in list(data):
        if key.startswith("lines-0-"):
            del data[key]
    data["lines-TOTAL_FORMS"] = str(count)
    for i in range(count):
        data.update(line(i, **line_values))
    return data


# --- item 6: totals over the money column ---------------------------------------------


def test_lines_each_valid_whose_total_overflows_are_refused_with_the_limit(users):
    order = walk(users, "draft")
    data = order_with(2, quantity="1000000", price="900000")
    data["customer"] = order.customer_id
    before = world()
    response = signed_in(users["sales1"]).post("/orders/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "超过系统可记录的最大金额" in page
    assert "¥999,999,999,999.99" in page
    assert world() == before


def test_the_services_refuse_an_overflowing_total_too(users):
    order = walk(users, "draft")
    big = [
        LineData(model_code="A", quantity=Decimal(1000000), unit_price=Decimal(900000))
    ] * 2
    with pytest.raises(ValidationError, match="最大金额"):
        services.order_update(
            actor=users["sales1"],
            order=order,
            version=order.version,
            lines=big,
            customer=order.customer,
            channel="phone",
            requested_date=order.requested_date,
        )
    order = walk(users, "quote")
    with pytest.raises(ValidationError, match="最大金额"):
        services.quote_save(
            actor=users["sales2"],
            order=order,
            lines=[
                QuoteLineData(
                    model_code="A",
                    quantity=Decimal(1000000),
                    unit_price=Decimal(900000),
                )
            ]
            * 2,
            prices_include_tax=True,
            vat_rate=Decimal("0.13"),
            discount_percent=Decimal(0),
            lead_time_days=10,
            payment_terms="月结",
            valid_until=order.requested_date,
        )


def test_a_quote_whose_total_overflows_is_refused_on_its_form(users):
    order = walk(users, "quote")
    path, data = ACTIONS["orders:quote_create"].request(order, users)
    data["lines-TOTAL_FORMS"] = "2"
    for i in (0, 1):
        data.update(
            {
                f"lines-{i}-model_code": "GB-D1060",
                f"lines-{i}-spec": "",
                f"lines-{i}-quantity": "1000000",
                f"lines-{i}-unit": "片",
                f"lines-{i}-unit_price": "900000",
            }
        )
    before = world()
    response = signed_in(users["sales2"]).post(path, data)
    assert response.status_code == 400
    assert "超过系统可记录的最大金额" in response.content.decode()
    assert world() == before


# --- item 9: how many lines -------------------------------------------------------------


def test_the_declared_maximum_of_lines_is_accepted(users):
    customer = walk(users, "draft").customer
    data = order_with(MAX_LINES)
    data["customer"] = customer.pk
    response = signed_in(users["sales1"]).post("/orders/new/", data)
    assert response.status_code == 302
    assert Order.objects.latest("id").lines.count() == MAX_LINES


def test_one_line_too_many_is_refused_in_chinese_with_every_line_kept(users):
    customer = walk(users, "draft").customer
    data = order_with(MAX_LINES + 1)
    data["customer"] = customer.pk
    before = world()
    response = signed_in(users["sales1"]).post("/orders/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"最多 {MAX_LINES} 行明细" in page
    assert f'value="GB-D{1000 + MAX_LINES}"' in page  # the 201st line, kept
    assert world() == before


def test_a_form_too_large_to_read_gets_a_chinese_page_not_a_bare_400(users):
    data = order_with(LINES_READ + 200)  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = signed_in(users["sales1"]).post("/orders/new/", data)
    assert response.status_code == 400
    assert "表单内容过多" in response.content.decode()


def test_a_forged_line_count_builds_no_more_than_it_reads(users):
    customer = walk(users, "draft").customer
    data = order_with(1)
    data["customer"] = customer.pk
    data["lines-TOTAL_FORMS"] = "100000"
    before = world()
    response = signed_in(users["sales1"]).post("/orders/new/", data)
    assert response.status_code == 400
    assert f"最多 {MAX_LINES} 行明细" in response.content.decode()
    assert len(response.context["formset"].forms) <= LINES_READ
    assert world() == before
