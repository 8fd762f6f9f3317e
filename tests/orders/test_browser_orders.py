"""The whole first half of an order's life in a real browser, as sales1 and prodmgr."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orders.demo import seed_catalogue
from orders.models import Order, OrderEvent
from orders.money import line_amounts
from tests.conftest import ARTIFACTS_DIR

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-test=roles]")


def sign_out(page):
    page.click("[data-test=logout]")
    page.wait_for_url("**/login/")


def type_line(page, index, model, qty, last=False):
    """Keyboard only: type the model, Enter picks the catalogue entry, Tab to quantity,
    Tab through to the VAT field; Tab from the last field adds the next line."""
    model_input = page.locator(f"[name=lines-{index}-model_code]")
    model_input.press_sequentially(model, delay=20)
    # the catalogue suggests it (the browser's own list, filled by the server)
    page.wait_for_selector(
        f"#product-options option[value='{model}']", state="attached"
    )
    page.keyboard.press("Tab")  # spec, filled from the catalogue by the server
    expect(page.locator(f"[name=lines-{index}-unit_price]")).not_to_have_value("")
    page.keyboard.press("Tab")  # quantity
    page.keyboard.type(qty)
    if not last:
        page.focus(f"[name=lines-{index}-vat_percent]")
        page.keyboard.press("Tab")
        page.wait_for_selector(f"[name=lines-{index + 1}-model_code]")


def test_sales_enters_edits_submits_finds_copies_and_prodmgr_approves_a_change(
    page, demo_users
):
    _customers, products = seed_catalogue()
    requested = timezone.localdate() + timedelta(days=60)
    models = ["GB-D1060", "GB-D1092", "GB-D1367", "GB-D2155", "LJ-ZJ-10"]
    quantities = ["1000", "2000", "1500", "800", "50"]

    # sales1 enters a customer inline and a five-line order from the keyboard
    sign_in(page, "sales1")
    page.click("[data-nav=new_order]")
    page.click("[data-new-customer]")
    page.fill("[name=customer-name]", "苏州恒瑞制动器有限公司")
    page.fill("[name=customer-contact]", "徐经理")
    page.fill("[name=customer-phone]", "0512-66001122")
    page.select_option("[name=customer-type]", "key")
    page.fill("[name=customer-tax_id]", "91320500MA1MXXXX0")
    page.click("[data-save-customer]")
    expect(page.locator("[data-error-for=tax_id]")).to_contain_text("统一社会信用代码")
    from orders.validators import uscc_check_char

    page.fill(
        "[name=customer-tax_id]",
        "91320500MA1N23456" + uscc_check_char("91320500MA1N23456"),
    )
    page.click("[data-save-customer]")
    expect(page.locator("[data-test=customer-saved]")).to_be_visible()
    expect(page.locator("[data-customer-dialog]")).not_to_have_attribute("open", "")
    customer_box = page.locator("[data-field=customer] [data-ac-input]")
    assert customer_box.input_value() == "苏州恒瑞制动器有限公司"

    page.select_option("#id_channel", "phone")
    page.fill("#id_customer_po", "HR-PO-8812")
    page.fill("#id_requested_date", requested.isoformat())
    page.fill("#id_special_requirements", "每片钢背打客户标识")
    page.focus("[name=lines-0-model_code]")
    for index, (model, qty) in enumerate(zip(models, quantities, strict=True)):
        type_line(page, index, model, qty, last=index == len(models) - 1)

    expected = [
        line_amounts(Decimal(q), products[m].unit_price, True, Decimal("0.13"))
        for m, q in zip(models, quantities, strict=True)
    ]
    gross = sum(x[2] for x in expected)
    # the totals the server computes, once the last keystroke has reached it
    expect(page.locator("[data-total=gross]")).to_have_text(f"¥{gross:,.2f}")
    page.click("[data-test=save-draft]")

    page.wait_for_selector("[data-test=order-number]")
    order = Order.objects.get(customer_po="HR-PO-8812")
    assert order.stage == "draft" and order.lines.count() == 5
    assert order.salesperson.username == "sales1"
    assert "每片钢背打客户标识" in page.locator("[data-test=special]").inner_text()

    # edits it: line 2 quantity
    page.click("[data-test=edit]")
    page.fill("[name=lines-1-quantity]", "2400")
    page.click("[data-test=save-draft]")
    page.wait_for_selector("[data-test=order-number]")
    assert page.locator("[data-test=history]").get_by_text("2000 → 2400").count() == 1

    # submits it
    page.click("[data-move=submit]")
    page.wait_for_selector("[data-stage=review]")
    order.refresh_from_db()
    assert order.stage == "review"

    # finds it by a filter and by search
    page.click("[data-nav=orders]")
    page.check("input[name=stage][value=review]")
    page.click("[data-test=apply-filters]")
    assert (
        page.locator("[data-test=order-table]").get_by_text(order.number).count() == 1
    )
    page.fill("#id_q", "GB-D2155")
    page.click("[data-test=apply-filters]")
    assert (
        page.locator("[data-test=order-table]").get_by_text(order.number).count() == 1
    )
    page.fill("#id_q", "HR-PO-8812")
    page.click("[data-test=apply-filters]")
    assert page.locator("[data-test=order-table] tbody tr").count() == 1

    # copies it as a new order
    page.goto(order.get_absolute_url())
    page.click("[data-test=copy]")
    page.wait_for_selector("[data-test=save-draft]")
    copy = Order.objects.exclude(pk=order.pk).get(copied_from=order)
    assert copy.customer_po == ""  # a repeat order has a PO number of its own
    assert copy.stage == "draft" and copy.copied_from == order
    assert copy.lines.count() == 5

    # a customer change request on the submitted order
    page.goto(order.get_absolute_url())
    page.click("[data-test=change-request]")
    page.fill("#id_reason", "客户追加第一行数量")
    page.fill("[name=lines-0-quantity]", "1200")
    page.click("[data-test=submit-change]")
    page.wait_for_selector("[data-stage=on_hold]")
    sign_out(page)

    # prodmgr approves it
    sign_in(page, "prodmgr")
    page.goto(order.get_absolute_url())
    page.click("[data-test=approve-change]")
    page.wait_for_selector("[data-stage=review]")
    order.refresh_from_db()
    assert order.stage == "review"
    assert order.lines.get(position=1).quantity == Decimal("1200")

    # the page: lines, totals with tax, every step by the right person
    amounts = [
        line_amounts(Decimal(q), products[m].unit_price, True, Decimal("0.13"))
        for m, q in zip(models, ["1200", "2400", "1500", "800", "50"], strict=True)
    ]
    net = sum(a[0] for a in amounts)
    tax = sum(a[1] for a in amounts)
    gross = sum(a[2] for a in amounts)
    assert page.locator("[data-test=net]").inner_text() == f"¥{net:,.2f}"
    assert page.locator("[data-test=tax]").inner_text() == f"¥{tax:,.2f}"
    assert page.locator("[data-test=gross]").inner_text() == f"¥{gross:,.2f}"
    assert page.locator("[data-test=lines] tbody tr").count() == 5

    history = page.locator("[data-test=history] > li")
    steps = [
        (e.type, e.user.display_name)
        for e in OrderEvent.objects.filter(order=order).select_related("user")
    ]
    assert steps == [
        ("created", "张伟"),
        ("edited", "张伟"),
        ("moved", "张伟"),  # submitted
        ("change_requested", "张伟"),
        ("moved", "张伟"),  # held
        ("change_approved", "王强"),
        ("change_applied", "王强"),
        ("moved", "王强"),  # resumed, automatic
    ]
    assert history.count() == len(steps)
    for item, (_type, name) in zip(history.all(), steps, strict=True):
        assert item.locator("[data-test=actor]").inner_text() == name
    assert "1000 → 1200" in history.nth(6).inner_text()
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "order-page.png"), full_page=True)
