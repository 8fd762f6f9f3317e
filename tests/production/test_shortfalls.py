"""Every line planned and produced before the order leaves production: a slip that
finished with scrap is short, and the planner makes the rest up (补派) or closes it
with a reason; a line nobody planned keeps the order in production and in the
planner's queue."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from orders.services import LineData
from production import services
from production.models import DispatchSlip
from tests.test_action_matrix import world
from tests.walk import plan_of, slip_of, walk

pytestmark = pytest.mark.django_db

TWO_LINES = [
    LineData(model_code="GB-D1060", quantity=Decimal(1000), unit_price=Decimal("3.80")),
    LineData(model_code="GB-D1092", quantity=Decimal(400), unit_price=Decimal("4.20")),
]


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report(users, slip, lead, **figures):
    return services.slip_report(
        actor=users[lead], slip=slip, token=uuid.uuid4(), **figures
    )


def day(offset: int):
    return timezone.localdate() + timedelta(days=offset)


def finish_all_but_the_line(users, order):
    """Cutting all good, the mould repaired: only the line's slip is left."""
    cutting = slip_of(order, "cutting")
    services.slip_start(actor=users["lead_cutting"], slip=cutting)
    report(users, cutting, "lead_cutting", good=1000)
    repair = slip_of(order, "maintenance")
    services.slip_start(actor=users["lead_maint"], slip=repair)
    report(users, repair, "lead_maint", good=1)
    line = slip_of(order, "line")
    services.slip_start(actor=users["lead_line1"], slip=line)
    return line


def test_a_slip_with_scrap_finishes_and_its_shortfall_waits_for_the_planner(users):
    # given an order whose line slip (1000 pieces) is the last one open
    order = walk(users, "plan_issued")
    line = finish_all_but_the_line(users, order)
    # when the line reports 990 good and 10 scrapped
    outcome = report(users, line, "lead_line1", good=990, scrap=10)
    # then the slip is finished (every piece accounted for) but short of 10
    line.refresh_from_db()
    assert line.status == "done" and line.shortfall == 10
    assert not outcome.order_moved
    order.refresh_from_db()
    assert order.stage == "production"
    assert str(services.production_refusal(order)) == (
        "第 1 行（GB-D1060）：订购 1000，已生产 990；请补派短缺，或说明原因后关闭短缺。"
    )
    # and the planner finds it on the workbench and on the slip list's short tab
    planner = signed_in(users["planner"])
    home = planner.get("/").content.decode()
    assert line.number in home and "短缺" in home
    short = planner.get("/production/slips/?show=short").content.decode()
    assert line.number in short and 'data-test="short"' in short


def test_a_make_up_slip_covers_the_shortfall_and_the_order_moves_when_it_is_done(
    users,
):
    order = walk(users, "plan_issued")
    line = finish_all_but_the_line(users, order)
    report(users, line, "lead_line1", good=990, scrap=10)
    # when the planner makes up the 10 on the slip's page
    planner = signed_in(users["planner"])
    page = planner.get(line.get_absolute_url()).content.decode()
    assert 'data-test="make-up-form"' in page
    response = planner.post(
        f"/production/slips/{line.number}/make-up/",
        {"quantity": "10", "due_date": day(3).isoformat()},
    )
    assert response.status_code == 302
    make_up = DispatchSlip.objects.get(make_up_for=line)
    assert (make_up.workshop, make_up.operation, make_up.quantity) == (
        line.workshop,
        line.operation,
        10,
    )
    assert order.events.filter(type="slip_made_up").count() == 1
    # then the short slip leaves the planner's queue, the line's lead finds the
    # make-up slip, and the order moves once it is done
    assert line.number not in planner.get("/").content.decode()
    assert make_up.number in signed_in(users["lead_line1"]).get("/").content.decode()
    services.slip_start(actor=users["lead_line1"], slip=make_up)
    outcome = report(users, make_up, "lead_line1", good=10)
    assert outcome.order_moved
    order.refresh_from_db()
    assert order.stage == "inspection"


def test_closing_the_shortfall_with_a_reason_moves_the_order(users):
    order = walk(users, "plan_issued")
    line = finish_all_but_the_line(users, order)
    report(users, line, "lead_line1", good=990, scrap=10)
    planner = signed_in(users["planner"])
    # a close without a reason is refused and changes nothing
    before = world()
    planner.post(f"/production/slips/{line.number}/shortfall/close/", {"reason": ""})
    assert world() == before
    # with the reason, the line counts the 10 as accounted for and the order moves
    response = planner.post(
        f"/production/slips/{line.number}/shortfall/close/",
        {"reason": "客户同意少交 10 件"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (
        line.shortfall_closed_qty == 10 and line.shortfall_closed_by == users["planner"]
    )
    order.refresh_from_db()
    assert order.stage == "inspection"
    event = order.events.get(type="shortfall_closed")
    assert event.reason == "客户同意少交 10 件" and event.user == users["planner"]
    history = planner.get(order.get_absolute_url()).content.decode()
    assert "客户同意少交 10 件" in history


@pytest.mark.parametrize(
    "data,message",
    [
        ({"quantity": "11"}, "最多补派该数量"),
        ({"quantity": "0"}, "数量至少为 1"),
        ({"quantity": "-1"}, "数量至少为 1"),
        ({"quantity": "abc"}, "请输入整数"),
        ({"due_date": ""}, "这个字段是必填项"),
        ({"due_date": "9999-12-31"}, "之间的日期"),
        ({"start_date": "2026-13-01"}, "有效的日期"),
    ],
)
def test_a_bad_make_up_says_why_and_saves_nothing(users, data, message):
    order = walk(users, "slip_short")
    cutting = slip_of(order, "cutting")
    form = {"quantity": "10", "due_date": day(3).isoformat(), **data}
    before = world()
    response = signed_in(users["planner"]).post(
        f"/production/slips/{cutting.number}/make-up/", form, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert world() == before


def test_a_slip_that_is_not_short_takes_no_make_up(users):
    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    report(users, cutting, "lead_cutting", good=1000)
    before = world()
    response = signed_in(users["planner"]).post(
        f"/production/slips/{cutting.number}/make-up/",
        {"quantity": "1", "due_date": day(3).isoformat()},
        follow=True,
    )
    assert "没有短缺" in response.content.decode()
    assert world() == before


def test_a_double_submitted_make_up_makes_one_slip(users):
    order = walk(users, "slip_short")
    cutting = slip_of(order, "cutting")
    planner = signed_in(users["planner"])
    form = {
        "quantity": "5",
        "due_date": day(3).isoformat(),
        "form_token": str(uuid.uuid4()),
    }
    planner.post(f"/production/slips/{cutting.number}/make-up/", form)
    planner.post(f"/production/slips/{cutting.number}/make-up/", form)
    assert DispatchSlip.objects.filter(make_up_for=cutting).count() == 1


def test_an_order_with_a_line_nobody_planned_stays_in_production(users):
    # given a two-line order whose first line alone is planned (cutting → line,
    # and a mould repair), every slip of that plan finished in full
    order = walk(users, "plan_issued", lines=TWO_LINES)
    line = finish_all_but_the_line(users, order)
    # when the last slip of the plan finishes
    outcome = report(users, line, "lead_line1", good=1000)
    # then the order does not move: line 2 is not planned
    assert not outcome.order_moved
    order.refresh_from_db()
    assert order.stage == "production"
    assert str(services.production_refusal(order)) == (
        "第 2 行（GB-D1092）：订购 400，已计划 0；请为剩余数量编制计划。"
    )
    # and the planner's queue still holds the order, asking for line 2's plan
    home = signed_in(users["planner"]).get("/").content.decode()
    second = order.lines.get(position=2)
    assert f"?line={second.pk}" in home
    assert "为第 2 行的剩余数量编制计划" in home


def test_planning_and_making_the_second_line_moves_the_order(users):
    order = walk(users, "plan_issued", lines=TWO_LINES)
    line = finish_all_but_the_line(users, order)
    report(users, line, "lead_line1", good=1000)
    planner = users["planner"]
    second = order.lines.get(position=2)
    plan = services.plan_create(
        actor=planner,
        order=order,
        data=services.PlanData(
            line=second, quantity=400, planned_start=day(0), planned_finish=day(10)
        ),
    )
    from accounts.models import Department

    slip = services.slip_add(
        actor=planner,
        plan=plan,
        workshop=Department.objects.get(code="line"),
        operation="stamping",
        quantity=400,
        due_date=day(8),
    )
    _issue(users, plan)
    services.slip_start(actor=users["lead_line1"], slip=slip)
    outcome = report(users, slip, "lead_line1", good=400)
    assert outcome.order_moved
    order.refresh_from_db()
    assert order.stage == "inspection"


def _issue(users, plan):
    """Issue the plan the way the walk does: the planner submits it, the production
    manager reviews and issues it (GS/G-SC-03's 编制 and 审核)."""
    services.plan_submit(actor=users["planner"], plan=plan)
    services.plan_issue(actor=users["prodmgr"], plan=plan)


def test_a_make_up_of_a_short_cutting_slip_does_not_count_as_the_lines_output(
    users,
):
    """Only the last operation's good pieces are what the line produced: a make-up
    of cutting is more cutting, not product."""
    from production.selectors import line_output

    order = walk(users, "slip_short")
    cutting = slip_of(order, "cutting")
    services.slip_make_up(
        actor=users["planner"], slip=cutting, quantity=10, due_date=day(2)
    )
    (row,) = line_output(order)
    assert row.produced == 0 and row.planned == 1000
    assert plan_of(order).slips.count() == 4


def test_the_order_page_rolls_each_line_up_from_the_records(users):
    """The order page's quantities by line are sums of production's records, read
    through the registry: planned from the plans, produced from the good pieces of
    the last operation (the make-up slip's included), closed short from the
    planner's close."""
    from django.db.models import Sum

    order = walk(users, "plan_issued")
    line = finish_all_but_the_line(users, order)
    report(users, line, "lead_line1", good=990, scrap=10)
    make_up = services.slip_make_up(
        actor=users["planner"], slip=line, quantity=6, due_date=day(2)
    )
    services.slip_start(actor=users["lead_line1"], slip=make_up)
    report(users, make_up, "lead_line1", good=6)
    services.slip_shortfall_close(
        actor=users["planner"], slip=line, reason="客户同意少交 4 件"
    )
    page = signed_in(users["sales1"]).get(order.get_absolute_url()).content.decode()
    # the figures, summed here on their own
    planned = plan_of(order).quantity
    produced = DispatchSlip.objects.filter(
        plan__order=order, workshop__code="line"
    ).aggregate(good=Sum("good_qty"))["good"]
    closed = DispatchSlip.objects.aggregate(c=Sum("shortfall_closed_qty"))["c"]
    assert (planned, produced, closed) == (1000, 996, 4)
    assert 'data-test="line-quantities"' in page
    assert '<td class="num" data-figure="planned">1000</td>' in page
    assert '<td class="num" data-figure="produced">996</td>' in page
    assert '<td class="num" data-figure="closed_short">4</td>' in page
    order.refresh_from_db()
    assert order.stage == "inspection"
