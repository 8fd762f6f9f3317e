"""The workshop lead's phone in a real browser (390 × 844): 「全部完成」 asks once
(cancel books nothing, a double tap only asks, confirm books the rest), the lead
takes a report back and sees the totals and the history say so, an anomaly goes
with a photo from the camera, the card names the order, the customer and the
drawing, and every target a thumb needs is at least 44 px — measured, not guessed.
Screenshots under ARTIFACTS_DIR."""

import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from production import services
from production.models import ReportReversal, SlipReport
from tests.conftest import ARTIFACTS_DIR
from tests.production.test_browser_production import PHONE, phone, sign_in_on_phone
from tests.walk import slip_of, walk

pytestmark = pytest.mark.browser

MIN_TARGET = 44


def lead_phone(browser, live_server, slip, username="lead_cutting"):
    page = phone(browser, live_server)
    page.goto(slip.get_absolute_url())
    sign_in_on_phone(page, username)
    expect(page.locator("[data-test=slip-number]")).to_have_text(slip.number)
    return page


def shot(page, name):
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / name), full_page=True)


def big_enough(page, selector):
    boxes = [
        page.locator(selector).nth(i).bounding_box()
        for i in range(page.locator(selector).count())
    ]
    assert boxes, f"nothing matches {selector}"
    for box in boxes:
        assert box is not None, selector
        assert box["height"] >= MIN_TARGET and box["width"] >= MIN_TARGET, (
            selector,
            box,
        )


def test_all_done_asks_once_and_a_report_is_taken_back(
    browser, demo_users, live_server
):
    users = demo_users
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    page = lead_phone(browser, live_server, slip)

    # the card names the order, the customer and the drawing to work to
    expect(page.locator("[data-test=order-number]")).to_have_text(order.number)
    expect(page.locator("[data-test=customer]")).to_have_text(order.customer.name)
    expect(page.locator("[data-test=drawing-link]")).to_contain_text("钢背总图 v1")

    # 400 good and 3 scrapped on the number pad
    page.fill("[data-test=good-input]", "400")
    page.fill("[data-test=scrap-input]", "3")
    page.click("[data-test=report]")
    expect(page.locator("[data-test=good]")).to_have_text("400")
    expect(page.locator("[data-test=report-rest]")).to_have_text("全部完成：597 件合格")
    expect(page.locator("[data-test=limit-help]")).to_contain_text(
        "本次最多还能报 647 件"
    )
    shot(page, "phone-slip-card.png")

    # a double tap on 「全部完成」 only asks: the answer's buttons are not armed yet
    page.dblclick("[data-test=report-rest]")
    expect(page.locator("[data-test=confirm-rest-step]")).to_contain_text(
        "将剩余 597 件记为合格并完成派工单？"
    )
    shot(page, "phone-all-done-asks.png")
    assert SlipReport.objects.filter(slip=slip).count() == 1
    # 取消 books nothing
    page.click("[data-test=cancel-rest]")
    expect(page.locator("[data-test=report-rest]")).to_be_visible()
    expect(page.locator("[data-test=good]")).to_have_text("400")
    assert SlipReport.objects.filter(slip=slip).count() == 1

    # asked again and confirmed, the rest is booked and the slip is finished
    page.click("[data-test=report-rest]")
    page.click("[data-test=confirm-rest]")
    expect(page.locator("[data-test=slip-status]")).to_have_text("已完成")
    expect(page.locator("[data-test=good]")).to_have_text("997")
    expect(page.locator("[data-test=shortfall]")).to_contain_text("短缺 3 件")
    expect(page.locator("[data-test=shortfall]")).to_contain_text("孙磊")
    shot(page, "phone-all-done-booked.png")

    # the lead took the wrong figure: they take the last report back
    page.locator("[data-test=take-back]").first.click()
    form = page.locator("[data-test=reverse-form]")
    expect(form).to_contain_text("撤回这条报工？")
    form.locator("label", has_text="数量报错").click()
    shot(page, "phone-take-back-asks.png")
    page.click("[data-test=confirm-take-back]")
    expect(page.locator("[data-test=notice]")).to_contain_text("报工已撤回")
    # the totals drop, the slip is in progress again, the history shows both
    expect(page.locator("[data-test=slip-status]")).to_have_text("进行中")
    expect(page.locator("[data-test=good]")).to_have_text("400")
    expect(page.locator("[data-test=reversal-row]")).to_contain_text("数量报错")
    expect(page.locator("[data-test=reversal-row]")).to_contain_text("−597")
    expect(page.locator("[data-test=reversed]")).to_have_count(1)
    shot(page, "phone-taken-back.png")
    assert ReportReversal.objects.filter(report__slip=slip).count() == 1
    page.context.close()


def jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (1600, 1200), (180, 40, 30)).save(out, "JPEG")
    return out.getvalue()


def test_an_anomaly_with_a_photo_from_the_phone(browser, demo_users, live_server):
    order = walk(demo_users, "slip_started")
    slip = slip_of(order, "cutting")
    page = lead_phone(browser, live_server, slip)
    page.click("[data-test=anomaly-open]")
    page.locator("label.cause", has_text="质量问题").click()
    page.fill("[data-test=anomaly-form] input[name=note]", "冲压毛刺超标")
    page.set_input_files(
        "[data-test=photos-input]",
        files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}],
    )
    shot(page, "phone-anomaly-form.png")
    page.click("[data-test=report-anomaly]")
    expect(page.locator("[data-test=notice]")).to_contain_text("已通知计划员")
    thumbnail = page.locator("[data-test=photo-thumbnail]")
    expect(thumbnail).to_have_count(1)
    # the thumbnail loaded (its natural width is the server's, not zero)
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    shot(page, "phone-anomaly-photo.png")
    page.context.close()


def test_every_target_is_big_enough_for_a_thumb(browser, demo_users, live_server):
    users = demo_users
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    services.slip_report(
        actor=users["lead_cutting"], slip=slip, token=uuid.uuid4(), good=100
    )
    page = lead_phone(browser, live_server, slip)

    # the header takes one row
    bar = page.locator("header.topbar").bounding_box()
    assert bar["height"] <= 56, bar
    for selector in (
        "header .brand",
        "header .mainnav a",
        "[data-test=bell]",
        "[data-test=logout]",
    ):
        big_enough(page, selector)
    # and the lead's menu holds their slips and the board
    expect(page.locator("header .mainnav a")).to_have_count(2)

    for selector in (
        "[data-test=drawing-link]",
        "[data-test=report-rest]",
        "[data-test=report]",
        "[data-test=good-input]",
        "[data-test=take-back]",
        "[data-test=anomaly-open]",
        "[data-test=print-slip]",
    ):
        big_enough(page, selector)
    page.click("[data-test=anomaly-open]")
    for selector in ("label.cause", "[data-test=photos-input]"):
        big_enough(page, selector)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-targets.png")

    # the slip list is cards, no wider than the phone
    page.goto("/production/slips/")
    expect(page.locator(f"[data-slip='{slip.number}']")).to_be_visible()
    assert page.locator("table").count() == 0
    big_enough(page, "[data-slip] a")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-slip-list.png")
    page.context.close()


def test_waiting_for_materials_says_when_and_whom_to_call(
    browser, demo_users, live_server
):
    # given an issued plan whose materials are ordered, expected in three days
    order = walk(demo_users, "plan_issued")
    requirement = order.materials
    requirement.status = "ordered"
    requirement.expected_date = order.order_date + timedelta(days=3)
    requirement.save()
    slip = slip_of(order, "cutting")
    page = lead_phone(browser, live_server, slip)
    waiting = page.locator("[data-test=materials-waiting]")
    expect(waiting).to_contain_text(f"预计 {requirement.expected_date:%Y-%m-%d} 到货")
    expect(waiting).to_contain_text("陈静")
    expect(page.locator("[data-test=start]")).to_have_count(0)
    big_enough(page, "[data-test=materials-waiting] a.tel")
    shot(page, "phone-waiting-for-materials.png")
    page.context.close()
