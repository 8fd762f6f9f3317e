"""Many phones at once, on PostgreSQL (real threads, each with its own connection):
different reports on one slip are all counted; the same report arriving twice at
once is counted once; the two last slips finishing at the same moment move the
order exactly once."""

import uuid

import pytest
from django.test import Client

from orders.stages import Stage
from production import services
from production.models import DispatchSlip, SlipReport
from tests.threads import run_together
from tests.walk import slip_of, walk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def phones(user, count):
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_twenty_different_reports_at_once_are_all_counted(users):
    # given the cutting slip (1000 pieces) started
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    clients = phones(users["lead_cutting"], 20)
    url = f"/production/slips/{slip.number}/report/"

    # when twenty different reports arrive at the same instant
    def post(i):
        return (
            clients[i]
            .post(
                url,
                {"token": str(uuid.uuid4()), "good": "10", "scrap": str(i % 2)},
                HTTP_HX_REQUEST="true",
            )
            .status_code
        )

    results, errors = run_together(20, post)

    # then every one is answered and counted
    assert errors == [None] * 20
    assert results == [200] * 20
    slip.refresh_from_db()
    assert (slip.good_qty, slip.scrap_qty) == (200, 10)
    assert SlipReport.objects.filter(slip=slip).count() == 20
    assert slip.status == DispatchSlip.Status.STARTED


def test_the_same_report_posted_twice_at_once_counts_once(users):
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    clients = phones(users["lead_cutting"], 2)
    token = str(uuid.uuid4())
    url = f"/production/slips/{slip.number}/report/"

    # when a double tap sends the same report twice at the same instant
    def post(i):
        response = clients[i].post(
            url, {"token": token, "good": "250"}, HTTP_HX_REQUEST="true"
        )
        return response.status_code, response.content.decode()

    results, errors = run_together(2, post)

    # then both are answered without an error, and it counts once
    assert errors == [None, None]
    assert [status for status, _body in results] == [200, 200]
    assert any("只计一次" in body for _status, body in results)
    slip.refresh_from_db()
    assert slip.good_qty == 250
    assert SlipReport.objects.filter(slip=slip).count() == 1


def test_the_two_last_slips_finishing_together_move_the_order_once(users):
    # given the cutting done, the line and the mould repair started
    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    services.slip_report(
        actor=users["lead_cutting"], slip=cutting, token=uuid.uuid4(), good=1000
    )
    line, maint = slip_of(order, "line"), slip_of(order, "maintenance")
    services.slip_start(actor=users["lead_line1"], slip=line)
    services.slip_start(actor=users["lead_maint"], slip=maint)
    last = [(users["lead_line1"], line), (users["lead_maint"], maint)]

    # when both report their last pieces at the same instant
    def finish(i):
        lead, slip = last[i]
        return services.slip_report(
            actor=lead, slip=slip, token=uuid.uuid4(), good=slip.quantity
        ).order_moved

    results, errors = run_together(2, finish)

    # then exactly one of them moved the order, once
    assert errors == [None, None]
    assert sorted(results) == [False, True]
    order.refresh_from_db()
    assert order.stage == Stage.INSPECTION
    assert order.events.filter(type="moved", to_stage=Stage.INSPECTION).count() == 1


def test_two_planners_making_up_one_shortfall_at_once_cannot_overdraw_it(users):
    """The cutting slip is 10 short: two make-ups of 8 posted at the same instant
    (two planners, two tabs) make one slip; the other is told how many are left."""
    from datetime import timedelta

    from django.utils import timezone

    order = walk(users, "slip_short")
    slip = slip_of(order, "cutting")
    clients = phones(users["planner"], 2)
    url = f"/production/slips/{slip.number}/make-up/"
    due = (timezone.localdate() + timedelta(days=3)).isoformat()

    def post(i):
        response = clients[i].post(url, {"quantity": "8", "due_date": due}, follow=True)
        return response.content.decode()

    results, errors = run_together(2, post)

    assert errors == [None, None]
    assert DispatchSlip.objects.filter(make_up_for=slip).count() == 1
    assert sum("最多补派该数量" in page for page in results) == 1
    assert services.uncovered_shortfall(slip) == 2


def test_two_plans_of_one_line_at_once_cannot_plan_more_than_it_orders(users):
    """Two planners plan 600 of the same 1,000-piece line at the same instant: the
    line is locked (orders.services.lock_lines), one plan is made, the other is
    told that at most 400 are left."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from core.exceptions import ValidationError
    from production.models import ProductionPlan

    order = walk(users, "materials_ready")
    line = order.lines.get()
    today = timezone.localdate()

    def plan(i):
        return services.plan_create(
            actor=users["planner"],
            order=order,
            data=services.PlanData(
                line=line,
                quantity=Decimal(600),
                planned_start=today,
                planned_finish=today + timedelta(days=10),
            ),
        )

    results, errors = run_together(2, plan)

    made = [r for r in results if r is not None]
    refused = [e for e in errors if e is not None]
    assert len(made) == 1 and len(refused) == 1
    assert isinstance(refused[0], ValidationError)
    assert "400" in " ".join(refused[0].messages)
    assert ProductionPlan.objects.filter(line=line).count() == 1
    assert services.planned_quantity(line) == 600
