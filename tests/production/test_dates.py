"""Dates far outside the order's span are a slip of the finger: every production
form refuses them with the span in a Chinese message and writes nothing — a slip due
on 9999-12-31 used to be saved, and then the page failed computing the workshop's
load for it."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Department
from accounts.workdays import WorkCalendar
from production import load
from production.models import DispatchSlip, PlanChange
from production.services.common import date_span
from tests.test_action_matrix import world
from tests.walk import materials_post, plan_of, slip_of, steel, walk

pytestmark = pytest.mark.django_db

FAR = ("9999-12-31", "1900-01-01")


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def refused(body: str) -> bool:
    return "请填写" in body and "之间的日期" in body


@pytest.mark.parametrize("far", FAR)
def test_a_slip_due_far_away_is_refused_and_nothing_is_written(users, far):
    # given a draft plan of an order entered today
    order = walk(users, "plan_draft")
    plan = plan_of(order)
    before = world()
    # when the planner adds a slip due on 9999-12-31 (or 1900-01-01)
    response = signed_in(users["planner"]).post(
        f"/production/plans/{plan.number}/slips/new/",
        {
            "workshop": Department.objects.get(code="line").pk,
            "operation": "welding",
            "quantity": "100",
            "due_date": far,
        },
        follow=True,
    )
    # then the plan's page says which dates it takes, and nothing was saved
    assert response.status_code == 200
    assert refused(response.content.decode())
    assert world() == before
    assert not DispatchSlip.objects.filter(plan=plan, due_date=far).exists()


@pytest.mark.parametrize(
    "field,far", [("planned_finish", FAR[0]), ("planned_start", FAR[1])]
)
def test_a_plan_finishing_in_9999_or_starting_in_1900_is_refused(users, field, far):
    order = walk(users, "materials_ready")
    form = {
        "line": order.lines.get().pk,
        "quantity": "100",
        "planned_start": day(1),
        "planned_finish": day(20),
        field: far,
    }
    before = world()
    response = signed_in(users["planner"]).post(
        f"/production/orders/{order.number}/plans/new/", form
    )
    assert response.status_code == 400
    assert refused(response.content.decode())
    assert world() == before


@pytest.mark.parametrize("far", FAR)
def test_materials_expected_in_9999_are_refused(users, far):
    order = walk(users, "production")
    before = world()
    response = signed_in(users["purchasing"]).post(
        f"/production/orders/{order.number}/materials/",
        materials_post(order, steel(expected_date=far)),
    )
    assert response.status_code == 400
    assert refused(response.content.decode())
    assert world() == before


@pytest.mark.parametrize(
    "field,far",
    [("plan_planned_finish", FAR[0]), ("slip_due_date", FAR[0])],
)
def test_a_plan_change_to_a_far_date_is_refused(users, field, far):
    from tests.production.test_plan_changes import _plan_change_form, raise_url

    order = walk(users, "plan_issued")
    data = _plan_change_form(order)
    if field == "slip_due_date":
        field = f"slip_{slip_of(order, 'line').pk}_due_date"
    data.update({field: far, "reason": "客户要求"})
    before = world()
    response = signed_in(users["planner"]).post(raise_url(order), data)
    assert response.status_code == 400
    assert refused(response.content.decode())
    assert world() == before and not PlanChange.objects.exists()


def test_a_slip_due_years_ahead_loads_only_the_days_shown():
    """The load counts a slip's share over its whole window without walking it:
    3 pieces over the working days of ten years put nothing on the first weeks
    shown but the one unit each of the first three days."""
    monday = date(2026, 3, 2)
    calendar = WorkCalendar(covered_years=frozenset(range(2026, 2037)))
    loaded = load.slip_days(
        pieces=3,
        start=monday,
        due=date(2036, 3, 3),
        today=monday,
        calendar=calendar,
        until=date(2026, 3, 13),
    )
    assert loaded == {monday: 1, date(2026, 3, 3): 1, date(2026, 3, 4): 1}


def test_the_plan_page_still_opens_around_a_slip_at_the_span_edge(users):
    """A slip due at the far edge of the span is saved, and the planner's load
    warning after it is computed without walking every day up to it."""
    order = walk(users, "plan_draft")
    plan = plan_of(order)
    edge = date_span(order).latest.isoformat()
    response = signed_in(users["planner"]).post(
        f"/production/plans/{plan.number}/slips/new/",
        {
            "workshop": Department.objects.get(code="line").pk,
            "operation": "welding",
            "quantity": "100",
            "due_date": edge,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert DispatchSlip.objects.filter(plan=plan, due_date=edge).exists()
