"""Bad input on the shop floor's forms: a clear Chinese message, nothing saved, never
a server error — negative quantities, good + scrap over the tolerance, a plan beyond
its order's quantity, NUL bytes and junk hidden fields."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from production.models import DispatchSlip, ProductionPlan, SlipReport
from tests.test_action_matrix import world
from tests.walk import materials_post, plan_of, slip_of, steel, walk

pytestmark = pytest.mark.django_db


def day(offset: int) -> str:
    """A date `offset` days from today, as a date input posts it (the walk's orders
    are entered today, so their production dates lie around today)."""
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRODUCTION_OVERRUN_PERCENT = 5
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def started(users):
    """The cutting slip (1000 pieces) started by its lead, and the lead's phone."""
    order = walk(users, "slip_started")
    return slip_of(order, "cutting"), signed_in(users["lead_cutting"])


def report(client, slip, **data):
    data.setdefault("token", str(uuid.uuid4()))
    return client.post(
        f"/production/slips/{slip.number}/report/", data, HTTP_HX_REQUEST="true"
    )


@pytest.mark.parametrize(
    "data,message",
    [
        ({"good": "-5"}, "数量不能为负数"),
        ({"good": "10", "scrap": "-1"}, "数量不能为负数"),
        ({"good": "abc"}, "请输入整数"),
        ({"good": "99999999999"}, "10000000"),
        ({"good": "", "scrap": ""}, "请填写合格或报废数量，或报告异常"),
        ({"good": "0", "anomaly": "on"}, "请选择异常原因"),
        ({"good": "1", "anomaly": "on", "cause": "sabotage"}, "异常原因"),
        ({"good": "1000", "scrap": "51"}, "最多 1050"),
        ({"good": "1051"}, "最多 1050"),
        ({"token": "not-a-uuid", "good": "5"}, "报工页面已过期或不完整"),
        ({"token": "", "good": "5"}, "报工页面已过期或不完整"),
    ],
)
def test_a_bad_report_says_why_and_saves_nothing(started, data, message):
    slip, phone = started
    before = world()
    response = report(phone, slip, **data)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body, body[:2000]
    assert 'data-test="error"' in body
    assert world() == before
    assert not SlipReport.objects.filter(slip=slip).exists()


def test_over_production_within_the_tolerance_finishes_the_slip(started):
    slip, phone = started
    assert report(phone, slip, good="1000", scrap="20").status_code == 200
    slip.refresh_from_db()
    assert (slip.good_qty, slip.scrap_qty, slip.status) == (1000, 20, "done")
    # a finished slip takes no more reports
    response = report(phone, slip, good="10")
    assert response.status_code == 422
    assert "该派工单已完成" in response.content.decode()


def test_the_tolerance_counts_every_report_so_far(started):
    slip, phone = started
    report(phone, slip, good="900", scrap="100")
    response = report(phone, slip, good="60")
    assert response.status_code == 422
    assert "1060" in response.content.decode()
    slip.refresh_from_db()
    assert (slip.good_qty, slip.scrap_qty) == (900, 100)


def test_nul_bytes_are_refused_before_any_view(started):
    slip, phone = started
    before = world()
    response = report(
        phone, slip, good="5", note="坏\x00了", anomaly="on", cause="other"
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert world() == before


def test_a_plan_beyond_its_orders_quantity_is_refused(users):
    # given an order of 1000 pieces with its materials ready
    order = walk(users, "materials_ready")
    planner = signed_in(users["planner"])
    path = f"/production/orders/{order.number}/plans/new/"
    form = {
        "line": order.lines.get().pk,
        "quantity": "1200",
        "planned_start": day(7),
        "planned_finish": day(25),
    }
    before = world()
    response = planner.post(path, form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "最多还能计划 1000" in body
    assert world() == before
    # when 600 are planned, 500 more are refused too, 400 are not
    assert planner.post(path, {**form, "quantity": "600"}).status_code == 302
    response = planner.post(path, {**form, "quantity": "500"})
    assert "最多还能计划 400" in response.content.decode()
    assert planner.post(path, {**form, "quantity": "400"}).status_code == 302
    assert ProductionPlan.objects.filter(order=order).count() == 2


@pytest.mark.parametrize(
    "change,message",
    [
        ({"quantity": "-3"}, "数量不能为负数"),
        ({"quantity": "0"}, "数量必须大于 0"),
        ({"planned_finish": day(6)}, "完成日期不能早于开始日期"),
        ({"line": "999999"}, "选择一个有效的选项"),
        ({"planned_start": "2026-13-45"}, "有效的日期"),
        ({"thickness": "-1"}, "不能为负数"),
    ],
)
def test_a_bad_plan_says_why_and_saves_nothing(users, change, message):
    order = walk(users, "materials_ready")
    form = {
        "line": order.lines.get().pk,
        "quantity": "100",
        "planned_start": day(7),
        "planned_finish": day(25),
        **change,
    }
    before = world()
    response = signed_in(users["planner"]).post(
        f"/production/orders/{order.number}/plans/new/", form
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert world() == before


@pytest.mark.parametrize(
    "change,message",
    [
        ({"quantity": "1001"}, "派工数量不能超过计划数量"),
        ({"quantity": "-1"}, "数量至少为 1"),
        ({"workshop": "office"}, "选择一个有效的选项"),
        ({"predecessors": "999999"}, "有效的选项"),
        ({"due_date": ""}, "这个字段是必填项"),
        (
            {"start_date": day(40), "due_date": day(31)},
            "不能早于要求开始日期",
        ),
        ({"operation": "teleport"}, "选择一个有效的选项"),
    ],
)
def test_a_bad_slip_says_why_and_saves_nothing(users, change, message):
    from accounts.models import Department

    order = walk(users, "plan_draft")
    plan = plan_of(order)
    form = {
        "workshop": Department.objects.get(code="line").pk,
        "operation": "welding",
        "quantity": "100",
        "due_date": day(50),
        **change,
    }
    if form["workshop"] == "office":
        form["workshop"] = Department.objects.get(code="sales").pk
    before = world()
    response = signed_in(users["planner"]).post(
        f"/production/plans/{plan.number}/slips/new/", form, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert world() == before
    assert DispatchSlip.objects.filter(plan=plan).count() == 3


@pytest.mark.parametrize(
    "line,change,message",
    [
        ({"material": ""}, {}, "这个字段是必填项"),
        ({"quantity": "-2"}, {}, "数量不能为负"),
        ({"quantity": "abc"}, {}, "输入一个数字"),
        ({"arrived_now": "-1"}, {}, "数量不能为负"),
        ({"arrived_now": "5"}, {}, "超出预计"),
        ({"material": "Q235\x00"}, {}, "空字符"),
        ({}, {"version": "abc"}, "页面已过期或不完整"),
        ({}, {"version": "0"}, "别人已修改了备料"),
        ({"expected_date": "tomorrow"}, {}, "有效的日期"),
        ({}, {"product": "NOPE-1"}, "产品目录中没有型号为“NOPE-1”的产品"),
        ({"id": "999999"}, {}, "别人已修改了备料"),
    ],
)
def test_bad_materials_say_why_and_save_nothing(users, line, change, message):
    order = walk(users, "production")
    form = {**materials_post(order, steel(**line)), **change}
    before = world()
    response = signed_in(users["purchasing"]).post(
        f"/production/orders/{order.number}/materials/", form
    )
    assert response.status_code == 400
    assert message in response.content.decode(), response.content.decode()[-4000:]
    assert world() == before


def test_materials_without_a_line_are_refused(users):
    order = walk(users, "production")
    before = world()
    response = signed_in(users["purchasing"]).post(
        f"/production/orders/{order.number}/materials/", materials_post(order)
    )
    assert response.status_code == 400
    assert "至少一行" in response.content.decode()
    assert world() == before


def test_a_slip_of_another_plan_is_no_predecessor(users):
    first = walk(users, "plan_draft")
    second = walk(users, "plan_draft")
    from accounts.models import Department

    response = signed_in(users["planner"]).post(
        f"/production/plans/{plan_of(second).number}/slips/new/",
        {
            "workshop": Department.objects.get(code="line").pk,
            "operation": "welding",
            "quantity": "10",
            "due_date": day(50),
            "predecessors": slip_of(first, "cutting").pk,
        },
        follow=True,
    )
    assert "有效的选项" in response.content.decode()
    assert DispatchSlip.objects.filter(plan=plan_of(second)).count() == 3
