"""Every list out as .xlsx or .csv: the whole filtered set, what the user may see,
Chinese headers, dates and amounts as such, text that a spreadsheet would run
neutralised — through core.exports, streamed."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from orders.models import Order
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "zh-hans"
    return client


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def _xlsx(response):
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def orders_of_two(make_user, settings):
    from orders import services
    from tests.orders.conftest import line

    settings.ORDER_LIST_PAGE_SIZE = 2
    a = make_user("sales", username="sales_a", display_name="张伟")
    b = make_user("sales", username="sales_b", display_name="王芳")
    made = []
    for i in range(5):
        made.append(
            services.order_create(
                actor=a,
                customer=CustomerFactory(name=f'=HYPERLINK("x")客户{i}'),
                channel="phone",
                customer_po=f"-PO-{i}",
                requested_date=__import__("datetime").date.today()
                + __import__("datetime").timedelta(days=30),
                special_requirements="+86 138 0000 0000" if i == 0 else "",
                lines=[line(qty="10", price="3.20")],
            )
        )
    services.order_create(
        actor=b,
        customer=CustomerFactory(name="别人的客户"),
        channel="phone",
        requested_date=__import__("datetime").date.today()
        + __import__("datetime").timedelta(days=30),
        lines=[line()],
    )
    return a, b, made


def test_the_order_list_exports_its_whole_filtered_set_as_csv(orders_of_two):
    a, b, made = orders_of_two
    response = _client(a).get("/orders/?export=csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["订单号", "客户", "业务员"]
    # all five of sales_a's orders (the page shows two), none of sales_b's
    assert sorted(r[0] for r in body) == sorted(o.number for o in made)
    assert all(r[2] == "张伟" for r in body)
    first = next(r for r in body if r[0] == made[0].number)
    # text that would run is neutralised; an amount is a plain number
    assert first[1].startswith("'=HYPERLINK")
    assert first[3] == "'-PO-0"
    assert first[10] == "36.16" or Decimal(first[10]) == made[0].gross_amount
    assert first[4] == made[0].order_date.isoformat()
    assert first[6] == "草稿"


def test_a_filter_applies_to_the_export(orders_of_two):
    a, b, made = orders_of_two
    response = _client(a).get(f"/orders/?q={made[2].number}&export=csv")
    body = _csv(response)[1:]
    assert [r[0] for r in body] == [made[2].number]


def test_the_order_list_exports_as_xlsx_with_types(orders_of_two):
    a, b, made = orders_of_two
    rows = _xlsx(_client(a).get("/orders/?export=xlsx"))
    assert rows[0][0] == "订单号"
    first = next(r for r in rows[1:] if r[0] == made[0].number)
    # text stays text, never a formula; dates are dates; amounts numbers
    assert first[1] == '=HYPERLINK("x")客户0'
    assert first[4].date() == made[0].order_date
    assert Decimal(str(first[10])) == made[0].gross_amount
    assert first[12] == "+86 138 0000 0000"


def test_export_buttons_on_the_lists(orders_of_two):
    a, _b, _made = orders_of_two
    page = _client(a).get("/orders/?stage=draft").content.decode()
    assert 'data-test="export-xlsx"' in page
    assert "stage=draft&amp;export=xlsx" in page


@pytest.mark.parametrize(
    "path",
    [
        "/production/materials/?export=csv",
        "/production/plans/?export=csv",
        "/production/slips/?export=csv",
        "/orders/contracts/?export=csv",
    ],
)
def test_production_lists_export(make_user, path):
    planner = make_user("production_planner", username="planner_e")
    response = _client(planner).get(path)
    assert response.status_code in (200, 403), path
    if response.status_code == 200:
        content = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        assert content.startswith("\ufeff".encode())


def test_the_catalogue_exports_in_the_import_columns(make_user):
    from orders.models import Product

    Product.objects.create(model_code="GB-1", name="钢背", unit_price="3.80")
    admin = make_user("system_admin", username="admin_e")
    rows = _xlsx(_client(admin).get("/imports/export/products/?export=xlsx"))
    assert rows[0][:2] == ["型号", "产品名称"]
    assert rows[1][:2] == ["GB-1", "钢背"]
    # sales may not export the catalogue's customers' … they may: they see them;
    # a workshop lead may not
    lead = make_user("workshop_lead", username="lead_e")
    assert _client(lead).get("/imports/export/customers/").status_code == 403


def test_a_large_export_is_streamed_in_chunks(
    orders_of_two, django_assert_max_num_queries
):
    a, _b, _made = orders_of_two
    client = _client(a)
    with django_assert_max_num_queries(12):
        response = client.get("/orders/?export=csv")
        rows = _csv(response)
    assert len(rows) == 6
    assert Order.objects.count() == 6
