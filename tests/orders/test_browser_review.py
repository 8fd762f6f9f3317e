"""Orders part 2 in a real browser: review sheet, GM approval on a phone, quote,
contract with its PDF, drawings issued; the order ends at production with the
promised date the test computes itself from the committed days and the calendar."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.workdays import get_calendar
from orders import services
from orders.demo import seed_catalogue
from orders.models import Order, OrderEvent
from orders.services import LineData
from tests.conftest import ARTIFACTS_DIR

pytestmark = pytest.mark.browser

DAYS = {"technical": 3, "purchasing": 4, "production": 8, "quality": 2}
SIGNERS = {
    "technical": "techmgr",
    "purchasing": "purchasing",
    "production": "prodmgr",
    "quality": "qcmgr",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-test=roles]")


def test_review_approval_quote_contract_drawings_to_production(
    page, browser, demo_users, live_server
):
    _customers, products = seed_catalogue()
    users = demo_users
    customer = _customers["浙江万达汽车制动系统有限公司"]
    # a draft over the GM threshold (the keyboard entry has its own browser test)
    order = services.order_create(
        actor=users["sales1"],
        customer=customer,
        channel="phone",
        customer_po="WD-BIG-1",
        requested_date=timezone.localdate() + timedelta(days=40),
        lines=[
            LineData(
                model_code="GB-WVA29087",
                quantity=Decimal(40000),
                unit_price=Decimal("12.80"),
                product=products["GB-WVA29087"],
            )
        ],
    )
    assert order.gross_amount >= settings.ORDER_GM_APPROVAL_AMOUNT

    # sales1 submits it
    sign_in(page, "sales1")
    page.goto(order.get_absolute_url())
    page.click("[data-move=submit]")
    page.wait_for_selector("[data-stage=review]")

    # prodmgr opens the review with the default departments
    sign_in(page, "prodmgr")
    page.goto(order.get_absolute_url())
    page.click("[data-test=start-review]")
    page.click("[data-test=open]")
    page.wait_for_selector("[data-test=review-sheet]")

    # each reviewer signs their row with days
    for code, username in SIGNERS.items():
        sign_in(page, username)
        page.goto("/")
        # the queue's row leads straight to their row of the sheet
        page.click(f"[data-queue=signoffs] >> text={order.number}")
        page.fill("#id_content", "已评审")
        page.fill("#id_days_needed", str(DAYS[code]))
        page.check("#id_resources_ok_0")
        page.check("#id_opinion_0")
        page.click("[data-test=sign]")
        expect(page.locator(f"[data-signoff={code}]")).to_contain_text(
            users[username].display_name
        )

    # prodmgr accepts
    sign_in(page, "prodmgr")
    page.goto(f"/orders/{order.number}/review/")
    page.check("#id_conclusion_0")
    page.click("[data-test=conclude]")
    page.wait_for_selector("[data-stage=approval]")
    page.goto(f"/orders/{order.number}/review/print/")
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "review-sheet-print.png"), full_page=True)

    # gm approves the order on a phone-sized screen
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        base_url=live_server.url,
        is_mobile=True,
        has_touch=True,
    )
    gm_page = phone.new_page()
    sign_in(gm_page, "gm")
    gm_page.click(f"[data-queue=approvals] >> text={order.number}")
    button = gm_page.locator("[data-test=gm-approve]")
    box = button.bounding_box()
    assert box["height"] >= 48 and box["x"] + box["width"] <= 390
    gm_page.fill("[data-test=gm-approval] textarea", "同意，注意回款")
    button.click()
    gm_page.wait_for_selector("[data-stage=quote]")

    # the quoter records the quote; the gm approves it; sales records acceptance
    sign_in(page, "sales2")
    page.goto(order.get_absolute_url())
    page.click("[data-test=new-quote]")
    page.fill("#id_payment_terms", "预付30%，余款月结60天")
    page.fill(
        "#id_valid_until", (timezone.localdate() + timedelta(days=10)).isoformat()
    )
    page.click("[data-test=save-quote]")
    page.click("[data-test=submit-quote-1]")
    gm_page.goto(order.get_absolute_url())
    gm_page.click("[data-test=approve-quote-1]")
    gm_page.wait_for_selector("[data-quote='1'] >> text=已批准")
    phone.close()
    sign_in(page, "sales1")
    page.goto(order.get_absolute_url())
    page.select_option("[data-quote='1'] select[name=how]", "signed")
    page.click("[data-test=accept-quote-1]")
    page.wait_for_selector("[data-stage=contract]")
    page.goto(f"/orders/{order.number}/quotes/1/print/")
    page.screenshot(path=str(ARTIFACTS_DIR / "quote-print.png"), full_page=True)
    expect(page.locator("[data-test=quote-gm]")).to_contain_text("周建国")

    _record_contract_and_issue_drawings(page, order, users)

    # the order page: stage production, the promised date, every step by its person
    order.refresh_from_db()
    assert order.stage == "production"
    concluded = OrderEvent.objects.get(order=order, type="review_concluded")
    start = timezone.localdate(concluded.created_at)
    ready = max(DAYS["technical"], DAYS["purchasing"])
    total = (
        ready
        + DAYS["production"]
        + DAYS["quality"]
        + settings.ORDER_DELIVERY_WORKING_DAYS
    )
    expected = get_calendar().add_working_days(start, total)
    page.goto(order.get_absolute_url())
    expect(page.locator("[data-test=promised]")).to_contain_text(expected.isoformat())
    expect(page.locator("[data-test=order-number] [data-stage]")).to_have_text("生产")

    steps = list(
        OrderEvent.objects.filter(order=order)
        .select_related("user", "on_behalf_of")
        .values_list("type", "user__username")
    )
    expected_steps = [
        ("created", "sales1"),
        ("moved", "sales1"),  # submitted
        ("review_opened", "prodmgr"),
        ("review_signed", "techmgr"),
        ("review_signed", "purchasing"),
        ("review_signed", "prodmgr"),
        ("review_signed", "qcmgr"),
        ("review_concluded", "prodmgr"),
        ("moved", "prodmgr"),  # accepted, to the GM
        ("moved", "gm"),  # approved
        ("quote_prepared", "sales2"),
        ("quote_submitted", "sales2"),
        ("quote_approved", "gm"),
        ("quote_accepted", "sales1"),
        ("moved", "sales1"),  # to contract
        ("contract_recorded", "sales1"),
        ("moved", "sales1"),  # to drawings
        ("drawing_uploaded", "techmgr"),
        ("requirements_written", "techmgr"),
        ("moved", "techmgr"),  # drawings issued: to production
    ]
    assert steps == expected_steps
    history = page.locator("[data-test=history] > li")
    assert history.count() == len(steps)
    for item, (_type, username) in zip(history.all(), steps, strict=True):
        assert (
            item.locator("[data-test=actor]").inner_text()
            == users[username].display_name
        )
    page.screenshot(path=str(ARTIFACTS_DIR / "order-at-production.png"), full_page=True)
    assert Order.objects.get(pk=order.pk).promised_date == expected


def _record_contract_and_issue_drawings(page, order, users):
    # sales1 records the signed contract with its PDF, at the quote's amount
    page.goto(order.get_absolute_url())
    contract = page.locator("[data-test=contract-section]")
    contract.locator("[name=number]").fill("HT-2026-0188")
    contract.locator("[name=file]").set_input_files(
        files=[
            {
                "name": "合同HT-2026-0188.pdf",
                "mimeType": "application/pdf",
                "buffer": PDF,
            }
        ]
    )
    page.click("[data-test=record-contract]")
    page.wait_for_selector("[data-stage=drawing]")
    expect(page.locator("[data-test=contract-number]")).to_have_text("HT-2026-0188")

    # techmgr finds it in "drawings due", uploads a drawing, writes the key
    # requirements and issues them
    sign_in(page, "techmgr")
    page.click(f"[data-queue=drawings] >> text={order.number}")
    drawings = page.locator("[data-test=drawings-section]")
    drawings.locator("[name=title]").fill("GB-WVA29087 钢背总图")
    drawings.locator("[name=file]").set_input_files(
        files=[{"name": "WVA29087.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("[data-test=upload-drawing]")
    expect(page.locator("[data-drawing='1']")).to_contain_text("钢背总图")
    page.locator("[data-test=drawings-section] [name=quality]").fill(
        "平面度≤0.15mm\n毛刺高度≤0.1mm"
    )
    page.locator("[data-test=drawings-section] [name=process]").fill("冲压后去应力退火")
    page.click("[data-test=save-requirements]")
    expect(page.locator("[data-test=quality-requirements] li")).to_have_count(2)
    page.click("[data-test=issue-drawings]")
    page.wait_for_selector("[data-stage=production]")
