"""The workshop load (issue 13): a workshop with a daily capacity of 100 and 80
pieces planned on day D — the planner who adds and issues a 30-piece slip due on D
is warned (not refused), the plan board shows D in red, and so does the load strip
on the contract review sheet of a new order. Plus the spreading rule itself."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Department
from accounts.workdays import WorkCalendar, get_calendar
from production import load, services
from production.models import DispatchSlip, ProductionPlan, WorkshopCapacity
from tests.walk import walk

pytestmark = pytest.mark.django_db

WEEK = WorkCalendar()  # Monday to Friday, no holidays
MON = date(2030, 1, 7)


# --- the rule ---------------------------------------------------------------------------


def test_a_slip_starting_and_due_on_the_same_day_puts_everything_on_it():
    assert load.slip_days(pieces=30, start=MON, due=MON, today=MON, calendar=WEEK) == {
        MON: 30
    }


def test_pieces_are_spread_evenly_over_the_working_days_remainder_first():
    friday, next_monday = MON + timedelta(days=4), MON + timedelta(days=7)
    spread = load.slip_days(
        pieces=13, start=friday, due=next_monday, today=MON, calendar=WEEK
    )
    # Friday and Monday: the weekend carries nothing
    assert spread == {friday: 7, next_monday: 6}


def test_a_slip_without_start_counts_from_today_and_a_late_one_lands_today():
    wednesday = MON + timedelta(days=2)
    assert load.slip_days(
        pieces=30, start=None, due=wednesday, today=MON, calendar=WEEK
    ) == {MON: 10, MON + timedelta(days=1): 10, wednesday: 10}
    assert load.slip_days(
        pieces=30, start=None, due=MON - timedelta(days=3), today=MON, calendar=WEEK
    ) == {MON: 30}


def test_a_slip_due_on_a_sunday_loads_the_friday_before():
    sunday = MON + timedelta(days=6)
    assert load.slip_days(
        pieces=5, start=sunday, due=sunday, today=MON, calendar=WEEK
    ) == {MON + timedelta(days=4): 5}


# --- the scenario -------------------------------------------------------------------------


def _day_cell(html: str, workshop: str, day: date) -> str:
    """The opening tag of the load strip's cell for `workshop` on `day`."""
    row = re.search(
        rf'<tr data-workshop="{workshop}">(.*?)</tr>', html, flags=re.S
    ).group(1)
    return re.search(rf'<td [^>]*data-day="{day.isoformat()}"[^>]*>', row).group(0)


def _plan(users, order, quantity, day):
    planner = users["planner"]
    plan = services.plan_create(
        actor=planner,
        order=order,
        data=services.PlanData(
            line=order.lines.get(),
            quantity=Decimal(quantity),
            planned_start=day,
            planned_finish=day,
        ),
    )
    return plan


@pytest.fixture
def scenario(demo_users):
    """Cutting makes 100 a day; an issued plan puts 80 pieces on day D."""
    users = demo_users
    cutting = Department.objects.get(code="cutting")
    WorkshopCapacity.objects.update_or_create(
        department=cutting, defaults={"daily_capacity": 100, "unit": "pcs"}
    )
    d = get_calendar().add_working_days(timezone.localdate(), 3)
    order = walk(users, "materials_ready")
    first = _plan(users, order, 80, d)
    services.slip_add(
        actor=users["planner"],
        plan=first,
        workshop=cutting,
        operation="cutting",
        quantity=80,
        start_date=d,
        due_date=d,
    )
    services.plan_submit(actor=users["planner"], plan=first)
    services.plan_issue(actor=users["prodmgr"], plan=first)
    return users, order, cutting, d


def test_the_load_of_day_d_against_capacity_service_level(scenario):
    users, order, cutting, d = scenario
    # given 80 planned on D: D is loaded, not overloaded
    (before,) = load.workshop_loads(workshop_ids=[cutting.pk])
    assert before.on(d).load == 80 and not before.on(d).overloaded

    # when a 30-piece slip starting and due on D is added to a new plan
    second = _plan(users, order, 30, d)
    slip = services.slip_add(
        actor=users["planner"],
        plan=second,
        workshop=cutting,
        operation="stamping",
        quantity=30,
        start_date=d,
        due_date=d,
    )
    # then the draft's slip is weighed as if issued: D would carry 110 > 100
    (over,) = load.plan_overloads(second, only=[slip])
    assert (over.workshop, over.day.day, over.day.load, over.day.capacity) == (
        cutting,
        d,
        110,
        100,
    )
    # while the committed load does not count a draft yet
    assert load.workshop_loads(workshop_ids=[cutting.pk])[0].on(d).load == 80

    # once issued, D is overloaded, and only D
    services.plan_submit(actor=users["planner"], plan=second)
    services.plan_issue(actor=users["prodmgr"], plan=second)
    (after,) = load.workshop_loads(workshop_ids=[cutting.pk])
    assert after.on(d).load == 110 and after.on(d).overloaded
    assert [day.day for day in after.overloaded] == [d]
    (still,) = load.plan_overloads(second)
    assert still.day.load == 110  # not counted twice once issued


def test_issuing_a_30_piece_slip_due_on_d_warns_and_d_turns_red(scenario):
    users, order, cutting, d = scenario
    planner = Client()
    planner.force_login(users["planner"])
    board = planner.get("/production/board/").content.decode()
    assert "overloaded" not in _day_cell(board, "cutting", d)

    # when the planner makes a plan and adds a 30-piece slip due on D
    second = _plan(users, order, 30, d)
    response = planner.post(
        f"/production/plans/{second.number}/slips/new/",
        {
            "workshop": cutting.pk,
            "operation": "stamping",
            "quantity": "30",
            "start_date": d.isoformat(),
            "due_date": d.isoformat(),
        },
        follow=True,
    )
    page = response.content.decode()
    # then the slip is added, with a warning (not a refusal) naming the day
    assert DispatchSlip.objects.filter(plan=second).count() == 1
    assert "msg-warning" in page
    warning = f"超出车间日产能：下料车间 {d.isoformat()}：计划 110 件，日产能 100"
    assert warning in page

    # and when the plan is submitted, and when the reviewer issues it, the warning
    # comes again
    response = planner.post(f"/production/plans/{second.number}/submit/", follow=True)
    assert warning in response.content.decode()
    reviewer = Client()
    reviewer.force_login(users["prodmgr"])
    response = reviewer.post(f"/production/plans/{second.number}/issue/", follow=True)
    page = response.content.decode()
    assert ProductionPlan.objects.get(pk=second.pk).status == "issued"
    assert warning in page

    # the plan board shows D in red for cutting, the other days not
    board = planner.get("/production/board/").content.decode()
    assert "overloaded" in _day_cell(board, "cutting", d)
    assert board.count("overloaded") == 1

    # the contract review sheet of a new order shows D in red in its load strip
    new = walk(users, "review_open")
    reviewer = Client()
    reviewer.force_login(users["prodmgr"])
    sheet = reviewer.get(f"/orders/{new.number}/review/").content.decode()
    assert 'data-test="load-strip"' in sheet
    assert "overloaded" in _day_cell(sheet, "cutting", d)
    assert "overloaded" not in _day_cell(sheet, "line", d)


def test_a_slip_within_capacity_gives_no_warning(scenario):
    users, order, cutting, d = scenario
    planner = Client()
    planner.force_login(users["planner"])
    second = _plan(users, order, 20, d)
    response = planner.post(
        f"/production/plans/{second.number}/slips/new/",
        {
            "workshop": cutting.pk,
            "operation": "stamping",
            "quantity": "20",
            "start_date": d.isoformat(),
            "due_date": d.isoformat(),
        },
        follow=True,
    )
    assert "msg-warning" not in response.content.decode()


def test_setup_gives_each_workshop_a_capacity_and_keeps_the_admins(demo_users):
    # the demo users' departments were synced: each workshop has its capacity
    capacities = dict(
        WorkshopCapacity.objects.values_list("department__code", "daily_capacity")
    )
    assert set(capacities) == {"cutting", "line", "maintenance"}
    WorkshopCapacity.objects.filter(department__code="line").update(daily_capacity=7)
    from accounts.services import departments_sync

    departments_sync()
    assert WorkshopCapacity.objects.get(department__code="line").daily_capacity == 7


def test_the_system_administrator_keeps_the_capacities_in_the_admin(make_user):
    from accounts.services import departments_sync

    departments_sync()
    admin = make_user("system_admin", is_staff=True)
    client = Client()
    client.force_login(admin)
    row = WorkshopCapacity.objects.get(department__code="cutting")
    url = f"/admin/production/workshopcapacity/{row.pk}/change/"
    assert client.get("/admin/production/workshopcapacity/").status_code == 200
    response = client.post(
        url,
        {"department": row.department_id, "daily_capacity": "120", "unit": "pcs"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.daily_capacity == 120
    # a planner has no admin console
    planner = Client()
    planner.force_login(make_user("production_planner", is_staff=True))
    assert planner.get(url).status_code in (302, 403)
