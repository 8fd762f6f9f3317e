"""质检 in a real browser: qc1 inspects the order's line and fails part of it; the
nonconformance is described and signed as rework by the reviewers (qcmgr and
prodmgr), the planner has the rework slip made; lead_line1 finishes
the rework slip on a phone (390 × 844); qc1 re-inspects and passes, releases the
order to 交付 and the warehouse is told; the printed 检验报告 is one A4 page
(screenshot and PDF under ARTIFACTS_DIR). Every step names its person in the
history."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Department
from notifications.models import Notification
from orders.models import Order
from quality.models import Inspection, Nonconformance
from tests.conftest import ARTIFACTS_DIR
from tests.production.test_browser_production import phone, sign_in, sign_in_on_phone
from tests.quality.helpers import in_inspection

pytestmark = pytest.mark.browser


def shot(page, name):
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / name), full_page=True)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_fail_rework_reinspect_and_release(page, browser, users, live_server):
    order = in_inspection(users)

    # qc1 finds the order on the QC workbench and inspects its line
    sign_in(page, "qc1")
    page.goto("/quality/")
    queue = page.locator("[data-test=queue-qc_final]")
    expect(queue).to_contain_text(order.number)
    queue.locator("a", has_text="终检").first.click()
    form = page.locator("[data-test=inspect-form]")
    form.locator("input[name=inspected]").fill("1000")
    form.locator("input[name=passed]").fill("990")
    form.locator("input[name=failed]").fill("10")
    form.locator("label", has_text="毛刺").click()
    shot(page, "quality-inspect.png")
    form.locator("[data-test=record-inspection]").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    nc = Nonconformance.objects.get(order=order)
    assert nc.quantity == 10

    # qc1 describes the nonconformance and sends it to the reviewers
    page.goto(nc.get_absolute_url())
    describe = page.locator("[data-test=nc-describe]")
    describe.locator("textarea[name=description]").fill("10 件毛刺高度超标")
    describe.locator("select[name=cause]").select_option("quality")
    describe.locator("select[name=responsible_department]").select_option(
        str(Department.objects.get(code="line").pk)
    )
    describe.locator(f"input[name=reviewers][value='{users['qcmgr'].pk}']").check()
    describe.locator(f"input[name=reviewers][value='{users['prodmgr'].pk}']").check()
    describe.locator("input[name=rework]").fill("10")
    describe.locator("input[name=scrap]").fill("0")
    describe.locator("input[name=concession]").fill("0")
    describe.locator("[data-test=nc-submit]").click()
    expect(page.locator("[data-test=nc-status]")).to_have_text("评审中")

    # the reviewers sign: the quality manager, then the production manager
    for who in ("qcmgr", "prodmgr"):
        sign_in(page, who)
        page.goto(nc.get_absolute_url())
        page.locator("[data-test=nc-sign] textarea[name=opinion]").fill("同意返工")
        page.locator("[data-test=nc-sign-button]").click()
        expect(page.locator(f"[data-reviewer={who}]")).not_to_contain_text("未签字")
    expect(page.locator("[data-test=nc-status]")).to_have_text("处置中")
    # the planner finds it waiting for rework and makes the slip for the line
    sign_in(page, "planner")
    page.goto("/")
    page.locator("a", has_text=nc.number).first.click()
    rework = page.locator("[data-test=nc-rework]")
    rework.locator("select[name=workshop]").select_option(
        str(Department.objects.get(code="line").pk)
    )
    rework.locator("select[name=operation]").select_option("forming")
    rework.locator("input[name=due_date]").fill(
        (timezone.localdate() + timedelta(days=2)).isoformat()
    )
    rework.locator("[data-test=nc-rework-button]").click()
    expect(page.locator("[data-test=nc-status]")).to_have_text("已关闭")
    nc.refresh_from_db()
    slip = nc.rework_slip
    assert slip.kind == "rework" and slip.quantity == 10

    # lead_line1 finishes the rework slip on the phone
    lead = phone(browser, live_server)
    lead.goto(slip.get_absolute_url())
    sign_in_on_phone(lead, "lead_line1")
    expect(lead.locator("[data-test=slip-number]")).to_have_text(slip.number)
    lead.click("[data-test=start]")
    lead.click("[data-test=report-rest]")
    lead.click("[data-test=confirm-rest]")
    expect(lead.locator("[data-test=slip-status]")).to_have_text("已完成")
    shot(lead, "quality-rework-phone.png")
    lead.context.close()

    # qc1 re-inspects the reworked pieces from the workbench, and passes them
    sign_in(page, "qc1")
    page.goto("/quality/")
    page.locator("[data-test=queue-qc_reinspect] a", has_text=nc.number).click()
    form = page.locator("[data-test=inspect-form]")
    form.locator("input[name=inspected]").fill("10")
    form.locator("input[name=passed]").fill("10")
    form.locator("input[name=failed]").fill("0")
    form.locator("[data-test=record-inspection]").click()
    expect(
        page.locator("[data-test=quality-figures] [data-test=accepted]")
    ).to_have_text("1000")
    assert Inspection.objects.filter(nonconformance=nc).count() == 1

    # and releases the order to delivery from the order page
    page.goto(order.get_absolute_url())
    page.locator("[data-test=pass-order]").click()
    expect(page.locator("body")).to_contain_text("终检合格")
    order = Order.objects.get(pk=order.pk)
    assert order.stage == "delivery"
    assert Notification.objects.filter(
        user=users["warehouse"], kind="inspection_passed"
    ).exists()

    # every step names its person in the history
    steps = set(order.events.values_list("type", "user__username"))
    for step in (
        ("inspected", "qc1"),
        ("nonconformance_opened", "qc1"),
        ("nonconformance_submitted", "qc1"),
        ("nonconformance_signed", "qcmgr"),
        ("nonconformance_signed", "prodmgr"),
        ("nonconformance_rework", "planner"),
        ("slip_rework", "planner"),
        ("slip_started", "lead_line1"),
        ("moved", "qc1"),
    ):
        assert step in steps, step
    history = page.content()
    assert "郭亮" in history and "杨帆" in history and "王强" in history

    # the printed inspection report is one A4 page
    page.goto(f"/quality/orders/{order.number}/report/")
    expect(page.locator("[data-test=inspection-report]")).to_contain_text(order.number)
    shot(page, "quality-inspection-report.png")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (ARTIFACTS_DIR / "quality-inspection-report.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1
    page.emulate_media(media="screen")
