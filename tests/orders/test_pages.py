from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders.models import Order
from tests.factories import CustomerFactory


@pytest.fixture
def manager(make_user):
    return make_user("production_manager", display_name="王强")


def _numbers(response):
    return {o.number for o in response.context["page"]}


def test_list_filters_search_and_sort(client, sales, manager, make_order):
    wanda = CustomerFactory(name="浙江万达汽车制动系统有限公司")
    special = make_order(
        sales, customer=wanda, special_requirements="表面磷化", customer_po="WD-001"
    )
    submitted = make_order(sales, submit=True, is_important=True)
    plain = make_order(sales, lines=2)
    Order.objects.filter(pk=submitted.pk).update(due_date=date(2020, 1, 1))
    client.force_login(manager)

    assert _numbers(client.get("/orders/")) == {
        special.number,
        submitted.number,
        plain.number,
    }
    assert _numbers(client.get("/orders/", {"stage": "review"})) == {submitted.number}
    assert _numbers(client.get("/orders/", {"special": "true"})) == {special.number}
    assert _numbers(client.get("/orders/", {"is_important": "true"})) == {
        submitted.number
    }
    assert _numbers(client.get("/orders/", {"overdue": "true"})) == {submitted.number}
    assert _numbers(client.get("/orders/", {"customer": wanda.pk})) == {special.number}
    assert _numbers(client.get("/orders/", {"q": "万达"})) == {special.number}
    assert _numbers(client.get("/orders/", {"q": "WD-001"})) == {special.number}
    assert _numbers(client.get("/orders/", {"q": "GB-D1001"})) == {plain.number}
    assert _numbers(client.get("/orders/", {"amount_min": "50"})) == {plain.number}
    ordered = [
        o.number for o in client.get("/orders/", {"sort": "-amount"}).context["page"]
    ]
    assert ordered[0] == plain.number
    body = client.get("/orders/").content.decode()
    assert 'class="late' in body  # the overdue row is red
    assert "特殊要求" in body


def test_customer_filter_is_an_autocomplete_not_a_select(client, manager, db):
    for n in range(30):
        CustomerFactory(name=f"{'山东' if n % 2 else '浙江'}客户{n}")
    client.force_login(manager)

    body = client.get("/orders/").content.decode()
    results = client.get("/orders/customers/autocomplete/", {"q": "山东"}).json()

    assert '<select name="customer"' not in body
    assert 'data-autocomplete="/orders/customers/autocomplete/"' in body
    assert len(results["results"]) == 15
    assert all(r["text"].startswith("山东") for r in results["results"])


def test_list_is_paginated(client, manager, sales, make_order, settings):
    settings.ORDER_LIST_PAGE_SIZE = 2
    for _ in range(5):
        make_order(sales)
    client.force_login(manager)

    page3 = client.get("/orders/", {"page": 3})

    assert len(page3.context["page"]) == 1
    assert "第 3 页，共 3 页" in page3.content.decode()


def test_sales_home_shows_what_needs_them_most_urgent_first(
    client, sales, manager, make_order
):
    soon = make_order(sales, requested_date=timezone.localdate() + timedelta(days=3))
    later = make_order(sales, requested_date=timezone.localdate() + timedelta(days=40))
    back = make_order(sales, submit=True)
    from orders.workflow import order_move

    order_move(order=back, actor=manager, move="send_back", reason="缺图纸")
    client.force_login(sales)

    response = client.get("/")

    body = response.content.decode()
    queue = response.context["queues"][0]
    assert [i.order.number for i in queue.items][:1] == [soon.number]
    assert {i.order.number for i in queue.items} == {
        soon.number,
        later.number,
        back.number,
    }
    assert "已退回：缺图纸" in body
    # the navigation's badge comes after the page, through htmx
    assert 'id="badge-home"' in body
    badges = client.get("/nav/badges/").content.decode()
    assert 'data-test="count-home">3<' in badges


def test_production_manager_home_lists_orders_awaiting_review(
    client, sales, manager, make_order
):
    order = make_order(sales, submit=True)
    client.force_login(manager)

    body = client.get("/").content.decode()

    assert "待评审订单" in body and order.number in body


def test_order_page_in_english_has_no_chinese_labels_left(client, sales, make_order):
    order = make_order(sales, lines=2)
    client.cookies["django_language"] = "en"
    client.force_login(sales)

    body = client.get(order.get_absolute_url()).content.decode()

    for label in (
        "Stage tracker",
        "History",
        "Lines",
        "Amount incl. tax",
        "entered the order",
    ):
        assert label in body
    for chinese in ("环节进度", "订单记录", "含税金额", "录入了订单"):
        assert chinese not in body


def test_seed_demo_has_orders_at_each_early_stage(db, settings):
    settings.DEMO_DATA = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)

    stages = set(Order.objects.values_list("stage", flat=True))
    assert {
        "draft",
        "review",
        "on_hold",
        "cancelled",
        "approval",
        "quote",
        "contract",
        "drawing",
        "production",
    } <= stages
    assert Order.objects.filter(credit="pending").exists()
    assert Order.objects.filter(customer__name__contains="刹车片").exists()
    assert Order.objects.filter(lines__model_code__startswith="GB-").exists()
    assert Order.objects.filter(lines__model_code__startswith="MJ-").exists()
    # idempotent (production's and quality's seeders add their own orders,
    # DEMO-SC-… and DEMO-QC-…)
    ours = Order.objects.exclude(customer_po__startswith="DEMO-SC-").exclude(
        customer_po__startswith="DEMO-QC-"
    )
    assert ours.count() == 12
    assert ours.filter(gross_amount__gt=Decimal(0)).count() == 12
    from orders.models import ContractReview, Quote

    assert ContractReview.objects.filter(conclusion="").count() == 2  # to sign/conclude
    assert Quote.objects.filter(status="submitted").exists()
