"""Fixed query counts on the shop floor's pages, whatever the number of slips and
reports: a lead's slip list, the report screen (and its htmx answer), the plan page,
the order page and the workbenches, each measured at two data sizes against the
same bound."""

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from production.models import DispatchSlip, SlipReport
from tests.walk import plan_of, slip_of, walk

pytestmark = pytest.mark.django_db

SIZES = [2, 40]
# Every page: session, user, the user's department, 2 for the roles' permissions,
# 2 for the working-day calendar, and each of the user's queues' counts in the
# navigation. Then (measured; the same for both sizes):
QUERIES = {
    # + a page of slips and their count
    "slip_list": 11,
    # + the slip with its plan and order, its previous operations, its newest
    # reports (the anomalies' photos) and the reports taken back, the order's
    # materials and its issued drawing
    "slip_page": 16,
    # the report's locks, checks and writes, then the card alone (an htmx answer:
    # no navigation around it); + 1 for the checks other apps hold the report with
    # (quality's first-article check asks the slip's routing step once)
    "report": 23,
    # + the plan, its slips with their previous operations, its receipts, the
    # materials and the slip form's choices
    "plan_page": 18,
    # the order page as tests/orders/test_queries.py counts it, with production's
    # section (materials with their lines, plans, slips, anomalies), each line's
    # planned and produced pieces (read once for the roll-up and the section) and
    # the planner's queues
    # + quality's section and its due items (inspections, nonconformances)
    "order_page": 36,
    "home_lead": 12,
    # + quality's nonconformances waiting for their rework slip
    "home_planner": 15,
}
# The phone's report screen stays small whatever the slip's history: its newest
# reports only (measured: ~10 KB, the htmx answer ~7 KB with the order and its
# drawing, the anomaly's own form and a 「撤回」 beside each report).
PAGE_BYTES = {"slip_page": 13_000, "report": 8_000}


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def grow(order, users, size):
    """`size` more slips for cutting on the order's plan, each after the first one,
    and `size` reports (every third an anomaly) on the started cutting slip."""
    plan = plan_of(order)
    cutting = slip_of(order, "cutting")
    today = timezone.localdate()
    extra = DispatchSlip.objects.bulk_create(
        DispatchSlip(
            number=f"PG-T-{order.pk}-{n:04d}",
            plan=plan,
            workshop=cutting.workshop,
            operation="stamping",
            quantity=10,
            due_date=today,
            requirements="平面度≤0.1",
            created_by=users["planner"],
        )
        for n in range(size)
    )
    for slip in extra:
        slip.predecessors.add(cutting)
    SlipReport.objects.bulk_create(
        SlipReport(
            slip=cutting,
            token=uuid.uuid4(),
            good=1,
            scrap=n % 2,
            anomaly=n % 3 == 0,
            cause="equipment" if n % 3 == 0 else "",
            note="停机" if n % 3 == 0 else "",
            reported_by=users["lead_cutting"],
        )
        for n in range(size)
    )
    return cutting


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("size", SIZES)
def test_the_shop_floors_pages_run_a_fixed_number_of_queries(
    users, size, django_assert_max_num_queries
):
    # given an issued plan with the cutting slip started, `size` more slips and
    # `size` reports
    order = walk(users, "slip_started")
    cutting = grow(order, users, size)
    lead = signed_in(users["lead_cutting"])
    planner = signed_in(users["planner"])

    with django_assert_max_num_queries(QUERIES["slip_list"]):
        response = lead.get("/production/slips/")
    assert response.content.decode().count("data-slip=") == min(size + 1, 25)

    with django_assert_max_num_queries(QUERIES["slip_page"]):
        response = lead.get(cutting.get_absolute_url())
    assert 'data-test="report-form"' in response.content.decode()
    assert len(response.content) < PAGE_BYTES["slip_page"]

    with django_assert_max_num_queries(QUERIES["report"]):
        response = lead.post(
            f"/production/slips/{cutting.number}/report/",
            {"token": str(uuid.uuid4()), "good": "5"},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    assert len(response.content) < PAGE_BYTES["report"]
    assert "<html" not in response.content.decode()  # the card alone

    with django_assert_max_num_queries(QUERIES["plan_page"]):
        response = planner.get(plan_of(order).get_absolute_url())
    assert response.content.decode().count("data-slip=") == size + 3

    with django_assert_max_num_queries(QUERIES["order_page"]):
        response = planner.get(order.get_absolute_url())
    assert response.content.decode().count("data-slip=") == size + 3

    with django_assert_max_num_queries(QUERIES["home_lead"]):
        lead.get("/")
    with django_assert_max_num_queries(QUERIES["home_planner"]):
        planner.get("/")
