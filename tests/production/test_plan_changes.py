"""Plans change only through a plan change form (计划更改单, GS/G-SC-04): the planner
raises it, the production manager approves it before it applies, the order's history
shows each old → new, the salesperson is told and the form keeps when; nobody else
raises or approves one; a change that changes nothing, bad input and a stale page
are refused with a clear message and save nothing; the date a slip was first
committed to stays, so a plan change never erases how late it is."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from notifications.models import Notification
from production import services
from production.models import DispatchSlip, PlanChange
from tests.test_action_matrix import DEMO, _plan_change_form, world
from tests.walk import plan_of, slip_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def raise_url(order) -> str:
    return f"/production/plans/{plan_of(order).number}/changes/new/"


def change_of(order) -> PlanChange:
    return PlanChange.objects.get(plan__order=order)


def messages_of(response) -> str:
    from django.contrib.messages import get_messages

    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_change_applies_only_once_production_approves_it(users):
    # given an issued plan; the line's slip is due in 15 days, 1000 pieces
    order = walk(users, "plan_issued")
    line = slip_of(order, "line")
    first_due = line.due_date
    planner = signed_in(users["planner"])

    # the planner's form shows the plan and its open slips with today's values
    page = planner.get(raise_url(order)).content.decode()
    assert line.number in page and first_due.isoformat() in page

    # when the planner moves the line's slip three days later and cuts it to 900
    response = planner.post(raise_url(order), _plan_change_form(order))
    change = change_of(order)
    assert response.status_code == 302 and response.url == change.get_absolute_url()
    # then the change waits for the production manager, and nothing applied yet
    assert change.status == PlanChange.Status.RAISED
    line.refresh_from_db()
    assert (line.quantity, line.due_date) == (1000, first_due)
    items = {
        (i.slip_id, i.field): (i.old_value, i.new_value) for i in change.items.all()
    }
    new_due = (first_due + timedelta(3)).isoformat()
    assert items == {
        (line.pk, "quantity"): ("1000", "900"),
        (line.pk, "due_date"): (first_due.isoformat(), new_due),
    }
    # and it waits on the production manager's workbench
    home = signed_in(users["prodmgr"]).get("/").content.decode()
    assert change.number in home and "待批准的计划更改单" in home

    # when the production manager approves it
    prodmgr = signed_in(users["prodmgr"])
    response = prodmgr.post(
        f"/production/plan-changes/{change.number}/approve/",
        {"version": str(change.version), "form_token": ""},
    )
    assert response.status_code == 302
    assert "已批准并执行" in messages_of(response)
    # then the slip takes the new values and keeps the date first committed
    line.refresh_from_db()
    assert (line.quantity, line.due_date.isoformat()) == (900, new_due)
    assert line.committed_due_date == first_due
    change.refresh_from_db()
    assert change.status == PlanChange.Status.APPLIED
    assert change.approved_by == users["prodmgr"]
    assert change.notified_to == users["sales1"] and change.notified_at is not None

    # the order's history shows old → new, by name
    event = order.events.get(type="plan_changed")
    assert event.user == users["prodmgr"] and event.reason == "客户要求分批交货"
    history = signed_in(users["gm"]).get(order.get_absolute_url()).content.decode()
    assert "批准并执行了计划更改单" in history
    assert f"{line.number} 数量 1000 → 900" in history
    assert f"{first_due.isoformat()} → {new_due}" in history

    # the salesperson is told in their inbox and may read the change
    notice = Notification.objects.get(user=users["sales1"], kind="plan_change")
    assert change.number in notice.message and "1000 → 900" in notice.message
    sales1 = signed_in(users["sales1"])
    assert sales1.get(change.get_absolute_url()).status_code == 200
    printed = sales1.get(f"/production/plan-changes/{change.number}/print/")
    body = printed.content.decode()
    assert "GS/G-SC-04" in body and "通知业务部" in body and "张伟" in body


def test_only_the_planner_raises_a_change(users):
    order = walk(users, "plan_issued")
    before = world()
    for username in sorted(set(DEMO) - {"planner"}):
        client = signed_in(users[username])
        response = client.post(raise_url(order), _plan_change_form(order))
        assert response.status_code in (403, 404), username
        assert client.get(raise_url(order)).status_code in (403, 404), username
        assert world() == before, username
    assert not PlanChange.objects.exists()


def test_only_the_production_manager_approves_or_rejects(users):
    order = walk(users, "plan_change_raised")
    change = change_of(order)
    line = slip_of(order, "line")
    before = world()
    for username in sorted(set(DEMO) - {"prodmgr"}):
        client = signed_in(users[username])
        for action, data in (
            ("approve", {"version": str(change.version)}),
            ("reject", {"version": str(change.version), "reason": "不同意"}),
        ):
            response = client.post(
                f"/production/plan-changes/{change.number}/{action}/", data
            )
            assert response.status_code in (403, 404), (username, action)
        assert world() == before, username
    line.refresh_from_db()
    assert line.quantity == 1000
    # the page offers the decision to the production manager only
    assert 'data-test="approve-change"' in (
        signed_in(users["prodmgr"]).get(change.get_absolute_url()).content.decode()
    )
    for username in ("planner", "gm", "sales1"):
        page = signed_in(users[username]).get(change.get_absolute_url())
        assert page.status_code == 200, username
        assert 'data-test="approve-change"' not in page.content.decode()
    # another salesperson's order's change does not exist for sales2; a lead has
    # no plan changes at all
    assert signed_in(users["sales2"]).get(change.get_absolute_url()).status_code == 404
    response = signed_in(users["lead_line1"]).get(change.get_absolute_url())
    assert response.status_code == 403


def test_a_rejected_change_changes_nothing_and_tells_the_planner(users):
    order = walk(users, "plan_change_raised")
    change = change_of(order)
    prodmgr = signed_in(users["prodmgr"])
    url = f"/production/plan-changes/{change.number}/reject/"
    # without a reason it is refused
    prodmgr.post(url, {"version": str(change.version), "reason": "  "})
    change.refresh_from_db()
    assert change.status == PlanChange.Status.RAISED
    # with one it is rejected
    prodmgr.post(url, {"version": str(change.version), "reason": "交期不能再推"})
    change.refresh_from_db()
    assert change.status == PlanChange.Status.REJECTED
    assert change.rejected_reason == "交期不能再推"
    assert slip_of(order, "line").quantity == 1000
    assert order.events.filter(type="plan_change_rejected").count() == 1
    assert Notification.objects.filter(
        user=users["planner"], kind="plan_change"
    ).exists()
    # and approving it afterwards is refused, nothing applied
    response = prodmgr.post(
        f"/production/plan-changes/{change.number}/approve/",
        {"version": str(change.version)},
    )
    assert "已处理" in messages_of(response)
    assert slip_of(order, "line").quantity == 1000


def test_a_change_that_changes_nothing_is_refused(users):
    order = walk(users, "plan_issued")
    line = slip_of(order, "line")
    prefix = f"slip_{line.pk}_"
    data = _plan_change_form(
        order,
        **{
            prefix + "quantity": str(line.quantity),
            prefix + "due_date": line.due_date.isoformat(),
        },
    )
    before = world()
    response = signed_in(users["planner"]).post(raise_url(order), data)
    assert response.status_code == 400
    assert "这张更改单没有改动任何内容" in response.content.decode()
    assert world() == before and not PlanChange.objects.exists()


def errors_in(body: str) -> list[str]:
    import re

    return re.findall(r'class="(?:error|msg msg-error)"[^>]*>(.*?)</div>', body, re.S)


def _field(order, workshop, name):
    return f"slip_{slip_of(order, workshop).pk}_{name}"


@pytest.mark.parametrize(
    "changes,message",
    [
        (lambda o: {"plan_quantity": "-5"}, "数量不能为负数"),
        (lambda o: {"plan_quantity": "0"}, "数量必须大于 0"),
        (lambda o: {"plan_quantity": "1001"}, "本计划最多可排 1000"),
        (lambda o: {"plan_quantity": "abc"}, "输入一个数字"),
        (lambda o: {_field(o, "line", "quantity"): "0"}, "数量至少为 1"),
        (lambda o: {_field(o, "line", "quantity"): "-3"}, "数量至少为 1"),
        (lambda o: {_field(o, "line", "quantity"): "1200"}, "派工数量不能超过计划数量"),
        (lambda o: {"plan_quantity": "500"}, "派工数量不能超过计划数量"),
        (
            lambda o: {
                "plan_planned_finish": (
                    plan_of(o).planned_start - timedelta(1)
                ).isoformat()
            },
            "完成日期不能早于开始日期",
        ),
        (
            lambda o: {
                _field(o, "line", "start_date"): slip_of(
                    o, "line"
                ).due_date.isoformat(),
                _field(o, "line", "due_date"): (
                    slip_of(o, "line").due_date - timedelta(1)
                ).isoformat(),
            },
            "要求完成日期不能早于要求开始日期",
        ),
        (lambda o: {_field(o, "line", "due_date"): "2026-02-30"}, "日期"),
        (lambda o: {_field(o, "line", "operation"): "sabotage"}, "选择一个有效的选项"),
        (lambda o: {"reason": "有\x00空字符"}, "空字符"),
        (lambda o: {"plan_model_code": "GB\x00D"}, "空字符"),
        (lambda o: {"reason": "   "}, "这个字段是必填项"),
        (lambda o: {"version": "junk"}, "页面已过期或不完整"),
        (lambda o: {"version": ""}, "页面已过期或不完整"),
        (lambda o: {"version": "0"}, "该计划已被更改"),
    ],
)
def test_bad_input_says_why_and_saves_nothing(users, changes, message):
    order = walk(users, "plan_issued")
    data = _plan_change_form(order)
    data.update(changes(order))
    before = world()
    response = signed_in(users["planner"]).post(raise_url(order), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body, errors_in(body)
    assert world() == before and not PlanChange.objects.exists()


def test_a_quantity_below_what_is_already_made_is_refused(users):
    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    services.slip_report(
        actor=users["lead_cutting"], slip=cutting, token=_uuid(), good=300
    )
    data = _plan_change_form(order, **{_field(order, "cutting", "quantity"): "300"})
    response = signed_in(users["planner"]).post(raise_url(order), data)
    assert response.status_code == 400
    assert "已报合格 300 件" in response.content.decode()


def _uuid():
    import uuid

    return uuid.uuid4()


def test_the_same_form_posted_twice_raises_one_change(users):
    order = walk(users, "plan_issued")
    data = _plan_change_form(order, form_token=str(_uuid()))
    planner = signed_in(users["planner"])
    first = planner.post(raise_url(order), data)
    second = planner.post(raise_url(order), data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert PlanChange.objects.filter(plan__order=order).count() == 1


def test_one_change_at_a_time_and_a_stale_approval_is_refused(users):
    order = walk(users, "plan_change_raised")
    change = change_of(order)
    planner = signed_in(users["planner"])
    # a second change while the first waits is refused
    response = planner.post(raise_url(order), _plan_change_form(order))
    assert "尚待批准" in messages_of(response)
    assert PlanChange.objects.filter(plan__order=order).count() == 1
    # an approval posted from a page older than the change's version, or with a
    # junk version, does nothing
    prodmgr = signed_in(users["prodmgr"])
    url = f"/production/plan-changes/{change.number}/approve/"
    for version in ("0", "junk", ""):
        response = prodmgr.post(url, {"version": version})
        assert response.status_code == 302
        assert "页面" in messages_of(response), version
    change.refresh_from_db()
    assert change.status == PlanChange.Status.RAISED
    assert slip_of(order, "line").quantity == 1000


def test_an_approval_is_refused_when_the_slip_was_closed_since(users):
    order = walk(users, "plan_change_raised")
    change = change_of(order)
    line = slip_of(order, "line")
    services.slip_close(actor=users["planner"], slip=line, reason="外协加工")
    response = signed_in(users["prodmgr"]).post(
        f"/production/plan-changes/{change.number}/approve/",
        {"version": str(change.version)},
    )
    assert "请驳回并重新提出" in messages_of(response)
    change.refresh_from_db()
    assert change.status == PlanChange.Status.RAISED


def test_a_later_date_does_not_erase_how_late_a_slip_already_is(users):
    # given the cutting slip's committed date passed three days ago
    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    today = timezone.localdate()
    past = today - timedelta(3)
    DispatchSlip.objects.filter(pk=cutting.pk).update(
        due_date=past, committed_due_date=past
    )
    # when a plan change, approved, moves it ten days later
    change = services.plan_change_raise(
        actor=users["planner"],
        plan=plan_of(order),
        reason="设备大修",
        plan_values={},
        slip_values={cutting.pk: {"due_date": today + timedelta(10)}},
    )
    services.plan_change_approve(actor=users["prodmgr"], change=change)
    cutting.refresh_from_db()
    # then the slip is due later, yet still late against the date first committed
    assert cutting.due_date == today + timedelta(10)
    assert cutting.committed_due_date == past
    assert cutting.is_late and cutting.days_late == 3
    lead = signed_in(users["lead_cutting"]).get(cutting.get_absolute_url())
    body = lead.content.decode()
    assert f"最初承诺 {past.isoformat()}" in body and "逾期 3 天" in body
    # and the planner still finds it among the late slips
    late = signed_in(users["planner"]).get("/production/slips/?show=late")
    assert cutting.number in late.content.decode()


def test_the_list_filters_by_status_and_plan(users):
    order = walk(users, "plan_change_raised")
    change = change_of(order)
    prodmgr = signed_in(users["prodmgr"])
    body = prodmgr.get("/production/plan-changes/?status=raised").content.decode()
    assert change.number in body and 'data-test="filters"' in body
    body = prodmgr.get("/production/plan-changes/?status=applied").content.decode()
    assert change.number not in body
    body = prodmgr.get(
        f"/production/plan-changes/?plan={plan_of(order).number}"
    ).content.decode()
    assert change.number in body
    body = prodmgr.get(f"/production/plan-changes/?q={order.number}").content.decode()
    assert change.number in body
    # junk filters answer the list, never an error
    response = prodmgr.get("/production/plan-changes/?status=x&raised_at_after=junk")
    assert response.status_code == 200
    # sales and the leads have no list
    for username in ("sales1", "lead_cutting"):
        response = signed_in(users[username]).get("/production/plan-changes/")
        assert response.status_code == 403, username


def test_an_issued_plan_takes_no_new_slip_outside_a_plan_change(users):
    # given an issued plan
    order = walk(users, "plan_issued")
    plan = plan_of(order)
    planner = signed_in(users["planner"])
    # the plan page offers no slip form, only the plan change
    page = planner.get(plan.get_absolute_url()).content.decode()
    assert 'data-test="add-slip"' not in page and 'data-test="raise-change"' in page
    # and a slip posted anyway is refused, nothing saved
    from accounts.models import Department

    before = world()
    response = planner.post(
        f"/production/plans/{plan.number}/slips/new/",
        {
            "workshop": Department.objects.get(code="line").pk,
            "operation": "welding",
            "quantity": "100",
            "due_date": (timezone.localdate() + timedelta(8)).isoformat(),
        },
    )
    assert "只能通过计划更改单更改" in messages_of(response)
    assert world() == before


def test_closing_the_plan_ends_its_waiting_change(users):
    order = walk(users, "plan_change_raised")
    change = change_of(order)
    prodmgr = signed_in(users["prodmgr"])
    queue = prodmgr.get("/").content.decode()
    assert change.number in queue
    planner = signed_in(users["planner"])
    planner.post(
        f"/production/plans/{plan_of(order).number}/close/",
        {"reason": "客户取消该批次", "version": str(plan_of(order).version)},
    )
    change.refresh_from_db()
    assert change.status == PlanChange.Status.REJECTED
    assert "客户取消该批次" in change.rejected_reason
    assert change.rejected_by == users["planner"]
    # nothing left for the production manager to approve, and the history says why
    assert change.number not in prodmgr.get("/").content.decode()
    response = prodmgr.post(
        f"/production/plan-changes/{change.number}/approve/",
        {"version": str(change.version)},
    )
    assert response.status_code in (200, 302, 409, 422)
    change.refresh_from_db()
    assert change.status == PlanChange.Status.REJECTED
    assert order.events.filter(
        type="plan_change_rejected", reason__contains="客户取消该批次"
    ).exists()


def test_the_order_page_lists_the_plans_changes_to_who_may_read_them(users):
    order = walk(users, "plan_change_raised")
    change = change_of(order)
    for reader in ("sales1", "planner", "prodmgr"):
        page = signed_in(users[reader]).get(order.get_absolute_url())
        html = page.content.decode()
        assert f'data-change="{change.number}"' in html, reader
        assert "客户要求分批交货" in html, reader
        assert change.get_absolute_url() in html, reader
        # the history says the slip's own fields, not an order's stage due date
        assert "本环节到期日" not in html, reader
    # finance sees every order (and its history), not the plan changes' section
    page = signed_in(users["finance"]).get(order.get_absolute_url())
    assert page.status_code == 200
    assert f'data-change="{change.number}"' not in page.content.decode()


def test_the_stale_page_tells_only_the_lines_its_reader_may_read(users):
    """What changed since a stale form was opened is read like the history: a plan
    change is not told to finance, who may read the order but not its plans."""
    from orders import selectors
    from orders.events import since

    order = walk(users, "plan_change_raised")
    lines = since(order, 0)
    assert any(e.type == "plan_change_raised" for e in lines)
    for_finance = selectors.readable(users["finance"], order, lines)
    for_sales1 = selectors.readable(users["sales1"], order, lines)
    assert not any(e.type.startswith("plan_change") for e in for_finance)
    assert any(e.type == "plan_change_raised" for e in for_sales1)
    assert len(for_finance) == len(lines) - 1
