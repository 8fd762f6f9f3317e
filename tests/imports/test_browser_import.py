"""sales1 in a real browser: downloads the template, fills it (here with openpyxl),
uploads it, reads the preview, confirms, finds the orders in their list, exports
the list — and the file's rows are the list's."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from orders.demo import seed_catalogue
from orders.models import Order

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-test=roles]")


def test_sales_imports_a_customers_orders_and_exports_the_list(
    page, demo_users, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    customers, _products = seed_catalogue()
    name = next(iter(customers))
    sign_in(page, "sales1")
    page.click("[data-nav=imports]")

    # the template, downloaded
    with page.expect_download() as got:
        page.click("[data-test=template-orders]")
    template = tmp_path / "template.xlsx"
    got.value.save_as(template)
    book = load_workbook(template)
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["客户*", "客户订单号*", "型号*"]

    # filled in: three orders of two lines each
    sheet.delete_rows(2, sheet.max_row)
    when = timezone.localdate() + timedelta(days=45)
    column = {h.rstrip("*"): i for i, h in enumerate(headers)}
    for n in range(3):
        for m, model in enumerate(("GB-D1060", "GB-D1092")):
            row = [None] * len(headers)
            row[column["客户"]] = name
            row[column["客户订单号"]] = f"WEB-PO-{n}"
            row[column["型号"]] = model
            row[column["数量"]] = 100 * (n + 1) + m
            row[column["单价"]] = 3.5
            row[column["交货日期"]] = when
            row[column["付款方式"]] = "月结60天"
            sheet.append(row)
    filled = tmp_path / "客户周订单.xlsx"
    book.save(filled)

    # uploaded and previewed: six new rows, nothing written yet
    page.select_option("[name=kind]", "orders")
    page.set_input_files("[name=file]", str(filled))
    page.click("[data-test=upload]")
    expect(page.locator("[data-test=import-status]")).to_have_attribute(
        "data-status", "previewed"
    )
    expect(page.locator("[data-test=count-new]")).to_have_text("6")
    assert not Order.objects.filter(customer_po__startswith="WEB-PO-").exists()

    # confirmed
    page.click("[data-test=confirm]")
    expect(page.locator("[data-test=import-done]")).to_be_visible()
    assert Order.objects.filter(customer_po__startswith="WEB-PO-").count() == 3

    # found in the orders' list
    page.goto("/orders/?q=WEB-PO")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(3)
    shown = sorted(
        rows.nth(i).locator("td").first.inner_text().strip() for i in range(3)
    )

    # the list exported: the file's rows are the list's
    with page.expect_download() as got:
        page.click("[data-test=export-csv]")
    exported = tmp_path / "orders.csv"
    got.value.save_as(exported)
    text = exported.read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "订单号"
    assert sorted(r[0] for r in table[1:]) == [s.split()[0] for s in shown]
    assert all(r[3].startswith("WEB-PO-") for r in table[1:])
