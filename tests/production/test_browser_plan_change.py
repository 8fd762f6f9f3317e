"""Issue 13's plan change in a real browser: the planner raises a plan change
(计划更改单, GS/G-SC-04) from the plan page that moves the line's slip three days
later and cuts it to 900; the production manager finds it on the workbench and
approves it; the slip's page shows the new values beside the date first committed;
the order's history shows old → new; the salesperson finds the notice in the
inbox, opens the change and prints the form with its fields and signatures.
Screenshots are kept under ARTIFACTS_DIR."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from production.models import PlanChange
from tests.conftest import ARTIFACTS_DIR
from tests.walk import plan_of, slip_of, walk

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-test=roles]")


def test_planner_raises_prodmgr_approves_sales_is_told_and_the_form_prints(
    page, demo_users, live_server
):
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    # given an issued plan: the line's forming slip, 1000 pieces
    order = walk(demo_users, "plan_issued")
    plan = plan_of(order)
    line = slip_of(order, "line")
    first_due = line.due_date
    new_due = first_due + timedelta(days=3)

    # the planner opens the plan change form from the plan page
    sign_in(page, "planner")
    page.goto(plan.get_absolute_url())
    page.click("[data-test=raise-change]")
    form = page.locator("[data-test=plan-change-form]")
    expect(form.locator(f"tr[data-slip='{line.number}']")).to_be_visible()
    # today's values are prefilled
    expect(page.locator(f"#id_slip_{line.pk}_quantity")).to_have_value("1000")
    expect(page.locator(f"#id_slip_{line.pk}_due_date")).to_have_value(
        first_due.isoformat()
    )
    # a change that changes nothing is refused with a message
    page.fill("#id_reason", "客户要求分批交货")
    page.click("[data-test=save-plan-change]")
    expect(page.locator("[data-test=form-errors]")).to_contain_text("没有改动任何内容")
    # the planner moves the line's slip and cuts it, and says why
    page.fill(f"#id_slip_{line.pk}_quantity", "900")
    page.fill(f"#id_slip_{line.pk}_due_date", new_due.isoformat())
    page.fill("#id_reason", "客户要求分批交货，首批900片")
    page.screenshot(path=str(ARTIFACTS_DIR / "plan-change-form.png"), full_page=True)
    page.click("[data-test=save-plan-change]")
    expect(page.locator("[data-test=change-status]")).to_have_text("待生产部批准")
    change = PlanChange.objects.get(plan=plan)
    items = page.locator("[data-test=change-items]")
    expect(items).to_contain_text("1000")
    expect(items).to_contain_text("900")
    # nothing applies before the production manager approves
    line.refresh_from_db()
    assert (line.quantity, line.due_date) == (1000, first_due)

    # the production manager finds it on the workbench and approves it
    sign_in(page, "prodmgr")
    page.goto("/")
    queue = page.locator("[data-queue=plan_changes]")
    expect(queue).to_contain_text(change.number)
    queue.locator(f"tr[data-order='{order.number}'] a").first.click()
    expect(page.locator("[data-test=change-number]")).to_contain_text(change.number)
    page.click("[data-test=approve-change]")
    expect(page.locator("[data-test=change-status]")).to_have_text("已批准并执行")
    expect(page.locator("[data-test=change-approved]")).to_contain_text("王强")
    expect(page.locator("[data-test=change-notified]")).to_contain_text("张伟")
    page.screenshot(
        path=str(ARTIFACTS_DIR / "plan-change-approved.png"), full_page=True
    )

    # the slip's page shows the new values, and the date first committed
    page.goto(line.get_absolute_url())
    expect(page.locator("[data-test=due-date]")).to_have_text(new_due.isoformat())
    expect(page.locator("[data-test=committed-due]")).to_contain_text(
        first_due.isoformat()
    )
    expect(page.locator("[data-test=slip-card]")).to_contain_text("/ 900")
    page.screenshot(path=str(ARTIFACTS_DIR / "plan-change-slip.png"), full_page=True)

    # the order's history shows old → new, by name
    page.goto(order.get_absolute_url())
    applied = page.locator("[data-test=history] li[data-event=plan_changed]")
    expect(applied).to_contain_text("王强")
    expect(applied).to_contain_text(f"{line.number} 数量 1000 → 900")
    expect(applied).to_contain_text(f"{first_due.isoformat()} → {new_due.isoformat()}")
    raised = page.locator("[data-test=history] li[data-event=plan_change_raised]")
    expect(raised).to_contain_text("孙磊")

    # the salesperson finds the notice in the inbox and opens the change
    sign_in(page, "sales1")
    page.goto("/inbox/")
    notice = page.locator("[data-test=inbox] li", has_text=change.number)
    expect(notice).to_contain_text("1000 → 900")
    page.screenshot(path=str(ARTIFACTS_DIR / "plan-change-inbox.png"), full_page=True)
    notice.locator("button").click()
    expect(page.locator("[data-test=change-number]")).to_contain_text(change.number)

    # and prints GS/G-SC-04 with its fields and signatures
    page.click("[data-test=print-change]")
    sheet = page.locator("[data-test=change-sheet]")
    for text in (
        "GS/G-SC-04",
        "计划更改单",
        change.number,
        "原计划单号",
        plan.number,
        "更改原因",
        "客户要求分批交货",
        "受影响的派工单",
        line.number,
        "数量",
        "要求完成日期",
        new_due.isoformat(),
    ):
        expect(sheet).to_contain_text(text)
    signatures = page.locator("[data-test=sheet-signatures]")
    for text in ("提出人", "孙磊", "生产部批准", "王强", "通知业务部（日期）", "张伟"):
        expect(signatures).to_contain_text(text)
    change.refresh_from_db()
    expect(signatures).to_contain_text(
        timezone.localtime(change.notified_at).date().isoformat()
    )
    page.screenshot(path=str(ARTIFACTS_DIR / "plan-change-print.png"), full_page=True)
