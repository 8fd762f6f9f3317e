"""Customers and the catalogue from a spreadsheet: recognised by name and model,
new / updated / unchanged, each change only for the role that may make it."""

from decimal import Decimal

import pytest

from imports import services
from imports.models import ImportLog
from orders.models import Customer, Order, OrderEvent, Product

from .conftest import HEADERS, order_rows, upload, xlsx

pytestmark = pytest.mark.django_db

CUSTOMER_HEADERS = [
    "客户名称",
    "联系人",
    "电话",
    "客户类型",
    "纳税人识别号",
    "信用额度",
]


def _run(actor, kind, headers, rows, name="f.xlsx"):
    log = services.import_upload(
        actor=actor, kind=kind, uploaded=upload(name, xlsx(headers, rows))
    )
    if log.status == ImportLog.Status.PREVIEWED:
        log = services.import_confirm(actor=actor, log=log, version=log.version)
    return log


def test_sales_import_new_customers_and_may_not_change_one(sales):
    rows = [
        ["宁波北仑刹车片厂", "周经理", "+86 574 8888 0000", "重点客户", "", 50000],
        ["丙厂", "", "", "新客户", "", ""],
    ]
    log = _run(sales, "customers", CUSTOMER_HEADERS, rows)
    assert log.status == "done", log.problems
    ningbo = Customer.objects.get(name="宁波北仑刹车片厂")
    assert ningbo.type == "key" and ningbo.credit_limit == Decimal("50000")
    assert ningbo.phone == "+86 574 8888 0000"
    # the same file again: unchanged
    again = _run(sales, "customers", CUSTOMER_HEADERS, rows)
    assert again.status == "nothing" and again.unchanged == 2
    # a change to an existing customer: sales may not (finance keeps them)
    rows[0][5] = 90000
    refused = _run(sales, "customers", CUSTOMER_HEADERS, rows)
    assert refused.status == "refused"
    assert refused.problems[0]["row"] == 2
    ningbo.refresh_from_db()
    assert ningbo.credit_limit == Decimal("50000")


def test_who_may_add_and_change_customers_may_change_one(make_user, sales):
    from core.exceptions import PermissionDenied

    _run(sales, "customers", CUSTOMER_HEADERS, [["甲厂", "", "", "", "", 100]])
    # finance may change customers but not add them: it may not import them
    finance = make_user("finance", username="finance_i")
    with pytest.raises(PermissionDenied):
        _run(finance, "customers", CUSTOMER_HEADERS, [["甲厂", "", "", "", "", 200]])
    admin = make_user("system_admin", username="admin_c")
    log = _run(admin, "customers", CUSTOMER_HEADERS, [["甲厂", "", "", "", "", 200]])
    assert log.status == "done" and log.updated == 1, log.problems
    assert Customer.objects.get(name="甲厂").credit_limit == 200


def test_a_bad_tax_id_is_refused_by_the_model_s_own_rule(sales):
    log = _run(sales, "customers", CUSTOMER_HEADERS, [["乙厂", "", "", "", "123", ""]])
    assert log.status == "refused"
    assert log.problems[0]["column"] == "纳税人识别号"
    assert not Customer.objects.filter(name="乙厂").exists()


def test_the_administrator_imports_the_catalogue(make_user):
    admin = make_user("system_admin", username="admin_i")
    headers = [
        "型号",
        "产品名称",
        "产品类型",
        "规格",
        "单位",
        "目录价",
        "料厚(mm)",
        "启用",
    ]
    rows = [
        ["GB-D1092", "盘式刹车片钢背", "钢背", "D1092", "片", "3.20", 6, "是"],
        ["MJ-01", "冲压模具", "mould", "", "套", "12000", "", "否"],
    ]
    log = _run(admin, "products", headers, rows)
    assert log.status == "done", log.problems
    mould = Product.objects.get(model_code="MJ-01")
    assert mould.kind == "mould" and not mould.is_active
    assert Product.objects.get(model_code="GB-D1092").kind == "backplate"
    rows[0][5] = "3.50"
    log = _run(admin, "products", headers, rows)
    assert (log.updated, log.unchanged) == (1, 1)
    assert Product.objects.get(model_code="GB-D1092").unit_price == Decimal("3.50")


def test_an_imported_order_over_the_credit_limit_waits_for_finance(sales, huadong):
    huadong.credit_limit = Decimal("100")
    huadong.save()
    log = _run(sales, "orders", HEADERS, order_rows(n_orders=1))
    assert log.status == "done", log.problems
    order = Order.objects.get()
    assert order.credit == Order.Credit.PENDING
    assert OrderEvent.objects.filter(order=order, type="credit_flagged").exists()


def test_the_order_page_names_the_file(sales, huadong):
    from django.test import Client

    _run(sales, "orders", HEADERS, order_rows(n_orders=1), name="华东.xlsx")
    client = Client()
    client.force_login(sales)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(Order.objects.get().get_absolute_url()).content.decode()
    assert "从 华东.xlsx 导入" in page
