"""Issue 10: the browser shows the line totals the server computes — one rounding
rule, on the server (orders.lines) — and they equal what is saved."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orders.models import Customer, Order
from orders.money import format_cny

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-test=roles]")


def test_the_totals_shown_while_typing_are_the_ones_saved(page, demo_users):
    Customer.objects.create(name="常州精工制动器有限公司", type="regular")
    sign_in(page, "sales1")
    page.goto("/orders/new/")
    page.fill("[data-field=customer] [data-ac-input]", "常州精工制动器有限公司")
    page.select_option("#id_channel", "phone")
    page.fill(
        "#id_requested_date", (timezone.localdate() + timedelta(days=30)).isoformat()
    )
    # a tax-inclusive line at a price with three decimals
    page.fill("[name=lines-0-model_code]", "GB-X1")
    page.fill("[name=lines-0-quantity]", "3")
    page.fill("[name=lines-0-unit_price]", "12.345")
    # and a tax-exclusive one
    page.click("[data-add-line]")
    page.fill("[name=lines-1-model_code]", "GB-X2")
    page.fill("[name=lines-1-quantity]", "7")
    page.fill("[name=lines-1-unit_price]", "3.333")
    page.uncheck("[name=lines-1-price_includes_tax]")
    # what the page shows once the server has answered: 3 × 12.345 = 37.035 → 37.04
    # incl.; 7 × 3.333 = 23.331 → 23.33 net + 13 % 3.03 = 26.36 incl.
    expect(page.locator("#lines-0-total")).to_have_text("¥37.04")
    expect(page.locator("#lines-1-total")).to_have_text("¥26.36")
    expect(page.locator("[data-total=gross]")).to_have_text("¥63.40")
    shown = {
        "net": page.locator("[data-total=net]").inner_text(),
        "tax": page.locator("[data-total=tax]").inner_text(),
        "gross": page.locator("[data-total=gross]").inner_text(),
        "lines": [
            page.locator("#lines-0-total").inner_text(),
            page.locator("#lines-1-total").inner_text(),
        ],
    }
    page.click("[data-test=save-draft]")
    page.wait_for_selector("[data-test=order-number]")

    order = Order.objects.get(customer__name="常州精工制动器有限公司")
    saved_lines = [format_cny(x.gross_amount) for x in order.lines.order_by("position")]
    assert shown["lines"] == saved_lines
    assert (shown["net"], shown["tax"], shown["gross"]) == (
        format_cny(order.net_amount),
        format_cny(order.tax_amount),
        format_cny(order.gross_amount),
    )
    # and the order page says the same
    expect(page.locator("[data-test=gross]")).to_have_text(shown["gross"])


def test_a_late_catalogue_answer_never_overwrites_what_was_typed(page, demo_users):
    # given a catalogue product with its own price
    from orders.models import Product

    Product.objects.create(
        model_code="GB-SLOW-1", spec="料厚8.0", unit="片", unit_price="50.00"
    )
    sign_in(page, "sales1")
    page.goto("/orders/new/")
    page.fill("[name=lines-0-quantity]", "10")
    # and a server slow to answer once the model is typed: the answer to the model
    # (price still empty when it was asked) is held until the price is typed
    held = []

    def hold(route):
        if not held and "GB-SLOW-1" in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route("**/orders/lines/preview/", hold)
    page.fill("[name=lines-0-model_code]", "GB-SLOW-1")
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the model's totals were never asked"
    assert "lines-0-unit_price=&" in held[0].request.post_data
    # when the clerk types the price the customer negotiated and moves on, and only
    # then the server's answer (with the catalogue's 50.00) arrives
    page.fill("[name=lines-0-unit_price]", "42.50")
    page.press("[name=lines-0-unit_price]", "Tab")
    held[0].continue_()
    # then the catalogue fills what was left empty and keeps the typed price, and
    # the total is computed from it: 10 × 42.50
    expect(page.locator("[name=lines-0-spec]")).to_have_value("料厚8.0")
    expect(page.locator("#lines-0-total")).to_have_text("¥425.00")
    page.wait_for_timeout(1000)  # every answer has arrived
    expect(page.locator("[name=lines-0-unit_price]")).to_have_value("42.50")
    expect(page.locator("#lines-0-total")).to_have_text("¥425.00")
