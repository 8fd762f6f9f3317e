"""Issue 8 in a real browser: each role's 我的工作台 at every stage from draft to
drawings (each waiting order once per person who must act, with the next action
named), a double click that is one request, errors on their fields, and screenshots
of the pages people fill in (saved under ARTIFACTS_DIR, outside the repository)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from orders.money import format_cny
from tests.conftest import ARTIFACTS_DIR
from tests.walk import walk

pytestmark = pytest.mark.browser

from tests.test_action_matrix import DEMO  # noqa: E402


def expected_actions(orders) -> dict:
    """situation -> {username: the next action as the workbench must name it}."""
    with translation.override("zh-hans"):
        sign = _("Sign your department's row of the review sheet")
        change = _("Change request: %(reason)s") % {"reason": "客户加量"}
        waiting = _("Change request awaiting approval")
        # production: from the review's conclusion purchasing prepares materials
        from production.models import MaterialRequirement

        materials = _("Materials: %(status)s") % {
            "status": MaterialRequirement.Status.NEEDED.label
        }
        actions = {
            "draft": {"sales1": _("Draft to complete and submit")},
            "draft_over_credit": {
                "sales1": _("Draft awaiting finance's credit approval"),
                "finance": _("Over the credit limit: approve or not"),
            },
            "review": {"prodmgr": _("Organise the contract review")},
            "review_open": {
                "techmgr": sign,
                "purchasing": sign,
                "qcmgr": sign,
                "prodmgr": sign,  # their own row first, once
            },
            "review_signed": {
                "prodmgr": _("Conclude the review: every department has signed")
            },
            "approval": {
                "gm": _("Approve the order: %(amount)s")
                % {"amount": format_cny(orders["approval"].gross_amount)}
            },
            "quote": {"sales2": _("Prepare the quote")},  # not yet for sales1
            "quote_draft": {
                "sales2": _("Submit quote v%(version)s to the general manager")
                % {"version": 1}
            },
            "quote_submitted": {"gm": _("Approve quote %(number)s (%(amount)s)")},
            "quote_approved": {
                "sales1": _("Record the customer's acceptance of the quote")
            },
            "contract": {"sales1": _("Record the signed contract")},
            "drawing": {"techmgr": _("Review and issue the drawings")},
            "change_pending": {"prodmgr": change, "sales1": waiting},
            "change_awaiting_gm": {"gm": change, "sales1": waiting},
        }
        for situation in (
            "approval",
            "quote",
            "quote_draft",
            "quote_submitted",
            "quote_approved",
            "contract",
            "drawing",
        ):
            actions[situation]["purchasing"] = materials
        return actions


@pytest.fixture
def orders(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return {
        situation: walk(demo_users, situation)
        for situation in (
            "draft",
            "draft_over_credit",
            "review",
            "review_open",
            "review_signed",
            "approval",
            "quote",
            "quote_draft",
            "quote_submitted",
            "quote_approved",
            "contract",
            "drawing",
            "change_pending",
            "change_awaiting_gm",
        )
    }


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-test=roles]")


def test_every_waiting_order_appears_once_per_person_with_the_next_action(
    page, demo_users, orders
):
    actions = expected_actions(orders)
    owed = {name: {} for name in DEMO}  # username -> {order number: action}
    for situation, people in actions.items():
        for username, what in people.items():
            owed[username][orders[situation].number] = what

    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    for username in DEMO:
        sign_in(page, username)
        rows = page.locator("[data-queue] tr[data-order]")
        shown = {}
        for i in range(rows.count()):
            row = rows.nth(i)
            number = row.get_attribute("data-order")
            assert number not in shown, (username, number, "shown twice")
            shown[number] = row.locator("[data-test=what]").inner_text()
        # then each order that needs them is there once, with what to do next
        assert set(shown) == set(owed[username]), username
        for number, what in owed[username].items():
            if "%(" in what:  # the quote's number and amount are filled in
                what = what.split("%(")[0]
            assert what in shown[number], (username, number, shown[number])
        # and the badge counts each order once
        badge = page.locator("[data-test=count-home]")
        if owed[username]:
            expect(badge).to_have_text(str(len(owed[username])))
        else:
            expect(badge).to_have_count(0)
        if owed[username]:
            page.screenshot(
                path=str(ARTIFACTS_DIR / f"workbench-{username}.png"), full_page=True
            )


def test_everyone_else_has_nothing_of_these_orders_on_their_workbench(
    demo_users, orders
):
    """The same over HTTP, cheaply, for every demo user: who does not have to act
    does not see the order in their workbench."""
    actions = expected_actions(orders)
    for username in DEMO:
        client = Client()
        client.force_login(demo_users[username])
        body = client.get("/").content.decode()
        for situation, people in actions.items():
            number = orders[situation].number
            present = f'data-order="{number}"' in body
            assert present is (username in people), (username, situation)


def test_a_double_click_on_submit_or_issue_shows_only_the_success(
    page, demo_users, orders
):
    draft = orders["draft"]
    sign_in(page, "sales1")
    page.goto(draft.get_absolute_url())
    page.dblclick("[data-move=submit]")
    page.wait_for_selector("[data-stage=review]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-error")).to_have_count(0)
    expect(page.locator(".msg-success")).to_contain_text("提交评审")
    assert draft.events.filter(type="moved", to_stage="review").count() == 1

    ready = walk(demo_users, "drawing_ready")
    sign_in(page, "techmgr")
    page.goto(ready.get_absolute_url())
    page.dblclick("[data-test=issue-drawings]")
    page.wait_for_selector("[data-stage=production]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".msg-error")).to_have_count(0)
    expect(page.locator(".msg-success")).to_contain_text("图纸已下发")
    assert ready.events.filter(type="moved", to_stage="production").count() == 1


def test_the_new_customer_dialog_says_what_is_wrong_on_the_field(page, demo_users):
    sign_in(page, "sales1")
    page.goto("/orders/new/")
    page.click("[data-new-customer]")
    page.click("[data-save-customer]")
    banner = page.locator("[data-customer-errors]")
    expect(banner).to_contain_text("客户未保存：请修正下面标红的内容。")
    assert banner.inner_text().strip() != "!"
    name = page.locator("[data-customer-field=name]")
    expect(name.locator(".error")).to_contain_text("这个字段是必填项")
    expect(name).to_have_class("field required has-error")


def test_an_empty_drawing_upload_keeps_the_page_and_shows_the_error_on_the_field(
    page, demo_users, orders
):
    order = orders["drawing"]
    sign_in(page, "techmgr")
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(order.get_absolute_url())
    form = page.locator("[data-test=drawing-form]")
    form.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 0
    form.locator("[data-test=upload-drawing]").click()
    title = page.locator("[data-test=drawing-form] .field.has-error").first
    expect(title).to_contain_text("这个字段是必填项")
    assert page.url.endswith(order.get_absolute_url())  # no reload to the top
    assert abs(page.evaluate("window.scrollY") - before) < 200
    assert order.drawings.count() == 0


def test_screenshots_of_the_forms_people_fill_in(page, demo_users, orders):
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    sign_in(page, "sales1")
    page.goto("/orders/new/")
    page.screenshot(path=str(ARTIFACTS_DIR / "order-form.png"), full_page=True)
    order = orders["quote"]
    sign_in(page, "sales2")
    page.goto(f"/orders/{order.number}/quotes/new/")
    page.fill(
        "#id_valid_until", (timezone.localdate() + timedelta(days=10)).isoformat()
    )
    page.screenshot(path=str(ARTIFACTS_DIR / "quote-form.png"), full_page=True)
    page.goto(f"/orders/{orders['quote_approved'].number}/quotes/1/print/")
    page.screenshot(path=str(ARTIFACTS_DIR / "quote-printed.png"), full_page=True)
    expect(page.locator("[data-test=seller]")).to_be_visible()
