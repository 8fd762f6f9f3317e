"""Issue 12 in a real browser, from issued drawings to inspection: purchasing marks
the materials ready; the planner issues a plan of three slips (cutting → line, and
mould repair beside them); the cutting lead scans the printed slip's QR code on a
phone-sized screen, signs in once and reports until done; the line's lead can start
only then and finishes; the maintenance lead finishes the mould repair; only then
is the order in inspection, and its history names each person. Screenshots of the
printed plan and slip and of the phone's report screen are kept under
ARTIFACTS_DIR."""

from datetime import timedelta

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from orders.stages import Stage
from production.models import DispatchSlip
from tests.conftest import ARTIFACTS_DIR
from tests.walk import walk

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-test=roles]")


def phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in_on_phone(page, username):
    """The login page a scanned link leads to, once per phone."""
    page.wait_for_selector("#id_username")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")


def add_slip(page, workshop, operation, quantity, due, after=None):
    details = page.locator("[data-test=add-slip]")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.select_option("#id_workshop", label=workshop)
    page.select_option("#id_operation", operation)
    page.fill("#id_quantity", str(quantity))
    page.fill("#id_due_date", due.isoformat())
    if after is not None:
        page.check(f"input[name=predecessors][value='{after.pk}']")
    page.click("[data-test=save-slip]")
    expect(page.locator(".msg-success")).to_contain_text("已开具")


def all_done(page):
    """「全部完成」, then 确认完成 on the question it puts."""
    page.click("[data-test=report-rest]")
    page.click("[data-test=confirm-rest]")


def decode_qr(page, name) -> str:
    path = ARTIFACTS_DIR / name
    page.locator("[data-test=slip-qr] svg").screenshot(path=str(path))
    found = zxingcpp.read_barcodes(Image.open(path))
    assert found, "no QR code found on the printed slip"
    return found[0].text


def test_materials_plan_slips_phone_reports_to_inspection(
    page, browser, demo_users, live_server
):
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    users = demo_users
    # given an order whose drawings are issued, with key requirements
    order = walk(users, "production")
    today = timezone.localdate()

    # purchasing finds its materials in the workbench and marks them ready
    sign_in(page, "purchasing")
    page.locator(
        f"[data-queue=materials_due] tr[data-order='{order.number}'] a"
    ).first.click()
    # one line, ordered from 鞍钢: 2 t of Q235 steel, all of it arrived now
    page.fill("#id_lines-0-material", "Q235 钢板")
    page.fill("#id_lines-0-spec", "6.0mm")
    page.fill("#id_lines-0-quantity", "2")
    page.fill("#id_lines-0-unit", "吨")
    page.fill("#id_lines-0-supplier", "鞍钢")
    page.fill("#id_lines-0-po_number", "CG-0001")
    page.fill("#id_lines-0-arrived_now", "2")
    page.screenshot(path=str(ARTIFACTS_DIR / "materials-form.png"), full_page=True)
    page.click("[data-test=save-materials]")
    expect(page.locator("[data-test=materials-status]")).to_have_text("备料完成")

    # the planner makes the plan from the order page, adds three slips, issues it
    sign_in(page, "planner")
    page.goto(order.get_absolute_url())
    page.click("[data-test=plan-line]")
    page.fill("#id_thickness", "6.0")
    page.click("[data-test=save-plan]")
    expect(page.locator("[data-test=plan-status]")).to_have_text("草稿")
    add_slip(page, "下料车间", "cutting", 1000, today + timedelta(days=3))
    cutting = DispatchSlip.objects.get(plan__order=order, operation="cutting")
    add_slip(page, "生产线", "forming", 1000, today + timedelta(days=8), after=cutting)
    add_slip(page, "维修车间", "mould_repair", 1, today + timedelta(days=3))
    page.click("[data-test=submit-plan]")
    expect(page.locator("[data-test=plan-status]")).to_have_text("待审核")
    # 审核: the production manager reviews and issues it
    sign_in(page, "prodmgr")
    page.goto(f"/production/plans/{cutting.plan.number}/")
    page.click("[data-test=issue-plan]")
    expect(page.locator("[data-test=plan-status]")).to_have_text("已下发")
    page.screenshot(path=str(ARTIFACTS_DIR / "plan-detail.png"), full_page=True)
    page.click("[data-test=print-plan]")
    expect(page.locator("[data-test=plan-sheet]")).to_contain_text("GS/G-SC-03")
    expect(page.locator("[data-test=distribution]")).to_contain_text("质量部 2 份")
    page.screenshot(path=str(ARTIFACTS_DIR / "plan-print.png"), full_page=True)
    line = DispatchSlip.objects.get(plan__order=order, operation="forming")
    mould = DispatchSlip.objects.get(plan__order=order, operation="mould_repair")

    # the slip prints with its QR code and the drawings' key requirements
    page.goto(f"/production/slips/{cutting.number}/print/")
    expect(page.locator("[data-test=slip-sheet]")).to_contain_text("平面度≤0.1")
    page.screenshot(path=str(ARTIFACTS_DIR / "slip-print.png"), full_page=True)
    url = decode_qr(page, "slip-qr.png")
    assert url == f"{live_server.url}/production/slips/{cutting.number}/"

    # the line's lead, on their phone, sees what their slip waits for and who is
    # late upstream, and cannot start it yet
    line_phone = phone(browser, live_server)
    line_phone.goto(line.get_absolute_url())
    sign_in_on_phone(line_phone, "lead_line1")
    expect(line_phone.locator("[data-test=blockers]")).to_contain_text(cutting.number)
    expect(line_phone.locator("[data-test=upstream]")).to_contain_text("马军")
    expect(line_phone.locator("[data-test=start]")).to_have_count(0)
    line_phone.screenshot(
        path=str(ARTIFACTS_DIR / "slip-waiting-phone.png"), full_page=True
    )
    line_phone.goto("/production/slips/")
    expect(line_phone.locator(f"[data-slip='{line.number}']")).to_contain_text(
        "等待前道工序"
    )
    line_phone.screenshot(path=str(ARTIFACTS_DIR / "slips-lead-phone.png"))
    line_phone.goto(line.get_absolute_url())

    # the cutting lead scans the QR code: the link opens the sign-in once, then
    # the slip's report screen
    cut_phone = phone(browser, live_server)
    cut_phone.goto(url)
    sign_in_on_phone(cut_phone, "lead_cutting")
    expect(cut_phone.locator("[data-test=slip-number]")).to_have_text(cutting.number)
    cut_phone.click("[data-test=start]")
    expect(cut_phone.locator("[data-test=slip-status]")).to_have_text("进行中")
    # a number on the pad and one tap
    cut_phone.fill("[data-test=good-input]", "400")
    cut_phone.fill("[data-test=scrap-input]", "3")
    cut_phone.click("[data-test=report]")
    expect(cut_phone.locator("[data-test=good]")).to_have_text("400")
    expect(cut_phone.locator("[data-test=scrap]")).to_have_text("3")
    cut_phone.screenshot(
        path=str(ARTIFACTS_DIR / "slip-report-phone.png"), full_page=True
    )
    # the targets are big enough for a gloved thumb
    for target in ("[data-test=report-rest]", "[data-test=report]"):
        box = cut_phone.locator(target).bounding_box()
        assert box["height"] >= 48, (target, box)
    assert cut_phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # then one tap (and its confirmation) reports the rest: 1000 − 400 − 3 good,
    # and the slip is finished 3 short
    all_done(cut_phone)
    expect(cut_phone.locator("[data-test=slip-status]")).to_have_text("已完成")
    expect(cut_phone.locator("[data-test=good]")).to_have_text("997")
    cut_phone.screenshot(
        path=str(ARTIFACTS_DIR / "slip-report-phone-done.png"), full_page=True
    )

    # only now the line can start, and finishes
    line_phone.reload()
    line_phone.click("[data-test=start]")
    expect(line_phone.locator("[data-test=slip-status]")).to_have_text("进行中")
    all_done(line_phone)
    expect(line_phone.locator("[data-test=slip-status]")).to_have_text("已完成")
    order.refresh_from_db()
    assert order.stage == Stage.PRODUCTION  # the mould repair is still open

    # the maintenance lead finishes the mould repair: the order moves on
    maint_phone = phone(browser, live_server)
    maint_phone.goto(mould.get_absolute_url())
    sign_in_on_phone(maint_phone, "lead_maint")
    maint_phone.click("[data-test=start]")
    all_done(maint_phone)
    expect(maint_phone.locator("[data-test=notice]")).to_contain_text("进入质检")
    order.refresh_from_db()
    assert order.stage == Stage.INSPECTION

    # the order page: in inspection, the production section, and a history that
    # names each person
    sign_in(page, "gm")
    page.goto(order.get_absolute_url())
    expect(page.locator("h1 [data-stage=inspection]")).to_be_visible()
    expect(page.locator("[data-test=workshop-progress]")).to_contain_text("生产线")
    history = page.locator("[data-test=history]")
    for who, what in (
        ("陈静", "登记了备料"),
        ("孙磊", "提交了生产计划单待审核"),
        ("王强", "审核并下发了生产计划单"),
        ("马军", "完成了派工单"),
        ("朱辉", "完成了派工单"),
        ("胡斌", "完成了派工单"),
    ):
        expect(
            history.locator("li", has_text=what).filter(has_text=who)
        ).not_to_have_count(0)
    moved = history.locator("li[data-event=moved]").last
    expect(moved).to_contain_text("胡斌")
    expect(moved).to_contain_text("自动")
    expect(moved).to_contain_text(mould.number)
    page.screenshot(
        path=str(ARTIFACTS_DIR / "order-after-production.png"), full_page=True
    )
    for context_page in (line_phone, cut_phone, maint_phone):
        context_page.context.close()
