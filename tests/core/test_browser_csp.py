"""Issue 7 item 3 in a real browser: under the Content-Security-Policy the pages work
(the order form's autocomplete, htmx) and Chromium reports no violation."""

import pytest

from tests.walk import walk

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-test=roles]")


def test_no_page_breaks_the_content_security_policy(
    page, demo_users, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    order = walk(demo_users, "drawing_ready")
    violations = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    sign_in(page, "sales1")
    for path in (
        "/",
        "/orders/",
        order.get_absolute_url(),
        f"/orders/{order.number}/review/",
        f"/orders/{order.number}/quotes/1/print/",
        "/orders/contracts/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    # the order form's own script still runs: the customer autocomplete answers
    page.goto("/orders/new/")
    page.fill("[data-field=customer] [data-ac-input]", "测试")
    page.wait_for_selector("#id_customer-options option", state="attached")
    sign_in(page, "admin")
    for path in ("/admin/", "/admin/accounts/calendarday/", "/admin/orders/order/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert violations == []
