"""The planner in a real browser: a draft plan's slips made from the product's
routing (工艺路线) in one step, one of them adjusted, the plan submitted and the
production manager's review issuing it. Screenshots under ARTIFACTS_DIR."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from production.models import DispatchSlip
from tests.conftest import ARTIFACTS_DIR
from tests.production.test_browser_production import sign_in
from tests.walk import plan_of, walk

pytestmark = pytest.mark.browser


def test_the_routing_makes_the_slips_in_one_step_and_the_planner_adjusts_one(
    page, demo_users, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    # given a draft plan without slips for GB-D1060, whose routing has 3 steps
    order = walk(demo_users, "plan_empty")
    plan = plan_of(order)
    sign_in(page, "planner")
    page.goto(plan.get_absolute_url())
    expect(page.locator("[data-test=from-routing]")).to_contain_text("首件检验")
    # when the planner makes all slips from it, in one step
    page.click("[data-test=make-from-routing]")
    rows = page.locator("[data-test=slips] tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator(".messages")).to_contain_text("已按工艺路线开具 3 张派工单")
    page.screenshot(path=str(ARTIFACTS_DIR / "plan-from-routing.png"), full_page=True)
    # and adjusts the forming slip: two days more
    forming = DispatchSlip.objects.get(plan=plan, operation="forming")
    later = forming.due_date + timedelta(days=2)
    page.locator(f"tr[data-slip='{forming.number}'] [data-test=edit-slip]").click()
    page.fill("#id_due_date", later.isoformat())
    page.screenshot(path=str(ARTIFACTS_DIR / "slip-adjust.png"), full_page=True)
    page.click("[data-test=save-slip]")
    expect(page.locator(f"tr[data-slip='{forming.number}'] .due")).to_contain_text(
        later.isoformat()
    )
    # then it is submitted, and the production manager reviews and issues it
    page.click("[data-test=submit-plan]")
    expect(page.locator("[data-test=plan-status]")).to_have_text("待审核")
    sign_in(page, "prodmgr")
    page.goto(plan.get_absolute_url())
    page.click("[data-test=issue-plan]")
    expect(page.locator("[data-test=plan-status]")).to_have_text("已下发")
    page.click("[data-test=print-plan]")
    expect(page.locator("[data-test=sheet-prepared]")).to_contain_text("孙磊")
    expect(page.locator("[data-test=sheet-reviewed]")).to_contain_text("王强")
    page.screenshot(path=str(ARTIFACTS_DIR / "plan-print-reviewed.png"), full_page=True)


def test_the_plan_form_takes_the_chosen_lines_model(
    page, demo_users, settings, tmp_path
):
    from decimal import Decimal

    from orders.services import LineData

    settings.MEDIA_ROOT = tmp_path
    order = walk(
        demo_users,
        "production",
        lines=[
            LineData(
                model_code="GB-D1060", quantity=Decimal(1000), unit_price=Decimal(3)
            ),
            LineData(
                model_code="GB-D1092", quantity=Decimal(400), unit_price=Decimal(4)
            ),
        ],
    )
    sign_in(page, "planner")
    page.goto(f"/production/orders/{order.number}/plans/new/")
    expect(page.locator("#id_model_code")).to_have_value("GB-D1060")
    second = order.lines.get(position=2)
    page.select_option("#id_line", str(second.pk))
    expect(page.locator("#id_model_code")).to_have_value("GB-D1092")
    expect(page.locator("#id_quantity")).to_have_value("400")
    page.screenshot(path=str(ARTIFACTS_DIR / "plan-form-line-2.png"), full_page=True)
