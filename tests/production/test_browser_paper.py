"""The printed 派工单 in a real browser (issue 17, paper): a plan's slips print
together, two to an A4 sheet — Chromium's own PDF of the page has two pages for
three slips — each slip no taller than half the sheet, with the order, the customer,
the drawing and its version, the key requirements, blank report rows, QC's signature
box and a QR code a phone can read. The PDF and a picture of it are kept under
ARTIFACTS_DIR."""

import re

import pytest
import zxingcpp
from PIL import Image

from accounts.demo import seed_company
from tests.conftest import ARTIFACTS_DIR
from tests.walk import plan_of, walk

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels per millimetre
A4_HALF_PRINTABLE = (297 - 12 - 14) / 2  # mm, inside print.css's @page margins


def sign_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-test=roles]")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_a_plans_slips_print_two_to_an_a4_sheet(page, demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    company = seed_company()
    # given an issued plan of three slips (cutting, line, mould repair)
    order = walk(demo_users, "plan_issued")
    plan = plan_of(order)
    slips = list(plan.slips.order_by("number"))
    assert len(slips) == 3

    # when the planner prints the plan's slips from the plan's page
    sign_in(page, "planner")
    page.goto(plan.get_absolute_url())
    page.click("[data-test=print-slips]")
    page.wait_for_selector("[data-test=slip-sheet]")

    # then every slip carries what the workshop needs on paper
    sheets = page.locator("[data-test=slip-sheet]")
    assert sheets.count() == 3
    first = sheets.first
    assert order.number in first.locator("[data-test=slip-order]").inner_text()
    assert (
        order.customer.name in first.locator("[data-test=slip-customer]").inner_text()
    )
    assert "钢背总图" in first.locator("[data-test=slip-drawing]").inner_text()
    assert "第 1 版" in first.locator("[data-test=slip-drawing]").inner_text()
    requirements = first.locator("[data-test=slip-requirements]").inner_text()
    assert "平面度≤0.1" in requirements and "冲压后去毛刺" in requirements
    assert first.locator("[data-test=slip-report-rows] tbody tr").count() == 5
    assert first.locator("[data-test=slip-qc-sign]").count() == 1
    assert company.name in first.locator("[data-test=paper-company]").inner_text()

    # and printed, each is at most half of the printable A4 height
    page.emulate_media(media="print")
    page.set_viewport_size({"width": round(186 * MM), "height": 1100})
    heights = sheets.evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert all(h / MM <= A4_HALF_PRINTABLE for h in heights), [h / MM for h in heights]

    # and Chromium's PDF of the page is two A4 sheets: two slips, then one
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (ARTIFACTS_DIR / "plan-slips.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 2

    # and each slip's QR code opens that slip
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS_DIR / "plan-slips.png"), full_page=True)
    for index, slip in enumerate(slips):
        path = ARTIFACTS_DIR / f"slip-qr-{index}.png"
        sheets.nth(index).locator("[data-test=slip-qr] svg").screenshot(path=str(path))
        found = zxingcpp.read_barcodes(Image.open(path))
        assert found and found[0].text.endswith(f"/production/slips/{slip.number}/")

    # and a fourth slip still makes two sheets; a fifth a third
    for quantity in (10, 20):
        services_slip(demo_users, plan, quantity)
    page.reload()
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    (ARTIFACTS_DIR / "plan-slips-5.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 3


def services_slip(users, plan, quantity):
    """A slip added as the planner's draft would have it (the plan is issued, so
    written directly: this test is about paper, not the plan change)."""
    from production.models import DispatchSlip

    first = plan.slips.order_by("number").first()
    DispatchSlip.objects.create(
        number=f"{first.number}-{quantity}",
        plan=plan,
        workshop=first.workshop,
        operation="other",
        quantity=quantity,
        due_date=first.due_date,
        requirements=first.requirements,
        created_by=users["planner"],
    )
