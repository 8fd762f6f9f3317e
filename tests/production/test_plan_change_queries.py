"""The plan change list and a change's page run a fixed number of queries whatever
the number of changes and of lines in one change, measured at two sizes against
the same bound."""

import pytest
from django.test import Client
from django.utils import timezone

from production.models import DispatchSlip, PlanChange, PlanChangeItem
from tests.walk import plan_of, slip_of, walk

pytestmark = pytest.mark.django_db

SIZES = [2, 40]
# Every page: session, user, 2 for the roles' permissions, (the navigation's
# counts come after the page). Then (measured; the same for both sizes):
QUERIES = {
    # + a bounded count and one page of changes in two steps (the ids, then the
    # rows with their plan, order, customer and people)
    "list": 8,
    # + the change with its plan, order, customer and people, and its lines with
    # their slips and workshops; what it does to the promised date (the plan's
    # open slips, the review's committed days, the working calendar)
    "page": 11,
    # the printed form reads the same, + the company's details at its head
    "print": 8,
}


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def grow(order, users, size) -> PlanChange:
    """`size` decided changes of the order's plan, and one raised change with a
    line for each of `size` more slips."""
    plan = plan_of(order)
    cutting = slip_of(order, "cutting")
    today = timezone.localdate()
    PlanChange.objects.bulk_create(
        PlanChange(
            number=f"JG-T-{order.pk}-{n:04d}",
            plan=plan,
            reason="客户调整",
            status="applied" if n % 2 else "rejected",
            raised_by=users["planner"],
        )
        for n in range(size)
    )
    slips = DispatchSlip.objects.bulk_create(
        DispatchSlip(
            number=f"PG-T-{order.pk}-{n:04d}",
            plan=plan,
            workshop=cutting.workshop,
            operation="stamping",
            quantity=10,
            due_date=today,
            committed_due_date=today,
            created_by=users["planner"],
        )
        for n in range(size)
    )
    change = PlanChange.objects.create(
        number=f"JG-T-{order.pk}-open",
        plan=plan,
        reason="设备大修",
        raised_by=users["planner"],
    )
    PlanChangeItem.objects.bulk_create(
        PlanChangeItem(
            change=change,
            slip=slip,
            field="quantity",
            old_value="10",
            new_value="8",
            position=n,
        )
        for n, slip in enumerate(slips)
    )
    return change


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("size", SIZES)
def test_the_plan_change_pages_run_a_fixed_number_of_queries(
    users, size, django_assert_max_num_queries
):
    # given `size` decided changes and one awaiting approval with `size` lines
    order = walk(users, "plan_issued")
    change = grow(order, users, size)
    prodmgr = signed_in(users["prodmgr"])

    with django_assert_max_num_queries(QUERIES["list"]):
        response = prodmgr.get("/production/plan-changes/")
    assert response.content.decode().count("data-change=") == min(size + 1, 25)

    with django_assert_max_num_queries(QUERIES["page"]):
        response = prodmgr.get(change.get_absolute_url())
    body = response.content.decode()
    assert body.count('data-field="quantity"') == size
    assert 'data-test="approve-change"' in body

    with django_assert_max_num_queries(QUERIES["print"]):
        response = prodmgr.get(f"/production/plan-changes/{change.number}/print/")
    assert response.content.decode().count("PG-T-") >= size
