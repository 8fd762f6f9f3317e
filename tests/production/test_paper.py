"""The printed 派工单 and 生产计划单 (issue 17, paper): a plan's slips printed
together, two to a sheet, each with the order, the customer, the drawing and its
version, the key requirements, blank rows for reports written by hand, QC's
signature box and its QR code; the plan with the drawings' key quality and process
requirements; both headed by the company as the administrator keeps it. Who may
print what, and a fixed number of queries whatever the number of slips."""

import pytest
from django.test import Client

from accounts.demo import seed_company
from production.models import DispatchSlip
from tests.walk import plan_of, slip_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_company()
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_plans_slips_print_together_two_to_a_sheet(users):
    # given an issued plan of three slips, one of them closed by the planner
    order = walk(users, "plan_issued")
    plan = plan_of(order)
    maintenance = slip_of(order, "maintenance")
    DispatchSlip.objects.filter(pk=maintenance.pk).update(status="closed")
    DispatchSlip.objects.bulk_create(
        DispatchSlip(
            number=f"{plan.number}-X{n}",
            plan=plan,
            workshop=slip_of(order, "line").workshop,
            operation="welding",
            quantity=5,
            due_date=slip_of(order, "line").due_date,
            created_by=users["planner"],
        )
        for n in range(2)
    )

    # when the planner prints the plan's slips
    body = (
        signed_in(users["planner"])
        .get(f"/production/plans/{plan.number}/slips/print/")
        .content.decode()
    )

    # then the four open slips are there, two to a sheet, the closed one is not
    assert body.count('data-test="slip-sheet"') == 4
    assert body.count('data-test="slip-page"') == 2
    assert maintenance.number not in body
    # each with its QR code, the order, the customer and the drawing's version
    assert body.count("<svg viewBox=") == 4
    assert body.count(order.number) >= 4
    assert body.count(order.customer.name) >= 4
    assert "钢背总图 · 第 1 版" in body
    assert "平面度≤0.1" in body and "冲压后去毛刺" in body
    assert body.count('data-test="slip-qc-sign"') == 4
    assert "报工人签字" in body and "质检员签字/日期" in body
    # headed by the company as kept by the administrator
    assert "示例机械制造有限公司" in body and "0571-82000000" in body


def test_who_prints_a_plans_slips(users):
    order = walk(users, "plan_issued")
    url = f"/production/plans/{plan_of(order).number}/slips/print/"
    for name in ("planner", "prodmgr", "qcmgr", "techmgr", "gm"):
        assert signed_in(users[name]).get(url).status_code == 200, name
    # a lead prints their own slips one by one; the plan is not theirs to read
    for name in ("lead_cutting", "sales1", "finance", "purchasing"):
        assert signed_in(users[name]).get(url).status_code == 403, name
    assert (
        signed_in(users["planner"])
        .get("/production/plans/JH-NOPE/slips/print/")
        .status_code
        == 404
    )


def test_a_lead_prints_their_own_slip_only(users):
    order = walk(users, "plan_issued")
    cutting = slip_of(order, "cutting")
    lead = signed_in(users["lead_cutting"])
    body = lead.get(f"/production/slips/{cutting.number}/print/").content.decode()
    assert body.count('data-test="slip-sheet"') == 1
    assert order.customer.name in body and "钢背总图 · 第 1 版" in body
    other = slip_of(order, "line")
    assert lead.get(f"/production/slips/{other.number}/print/").status_code == 404


def test_the_printed_plan_carries_the_key_requirements(users):
    order = walk(users, "plan_issued")
    body = (
        signed_in(users["planner"])
        .get(f"/production/plans/{plan_of(order).number}/print/")
        .content.decode()
    )
    requirements = body.split('data-test="plan-requirements">')[1].split("</td>")[0]
    assert "关键质量要求" in requirements and "平面度≤0.1" in requirements
    assert "关键工艺要求" in requirements and "冲压后去毛刺" in requirements
    assert "GS/G-SC-03" in body and "示例机械制造有限公司" in body


@pytest.mark.parametrize("size", [0, 20])
def test_printing_a_plans_slips_runs_a_fixed_number_of_queries(
    users, size, django_assert_max_num_queries
):
    order = walk(users, "plan_issued")
    plan = plan_of(order)
    line = slip_of(order, "line")
    DispatchSlip.objects.bulk_create(
        DispatchSlip(
            number=f"{plan.number}-Y{n:02d}",
            plan=plan,
            workshop=line.workshop,
            operation="welding",
            quantity=5,
            due_date=line.due_date,
            created_by=users["planner"],
        )
        for n in range(size)
    )
    planner = signed_in(users["planner"])
    # session, user, 2 for permissions, 1 for the roles; the plan; the slips, their
    # previous operations, the drawings; the company
    with django_assert_max_num_queries(10):
        body = planner.get(f"/production/plans/{plan.number}/slips/print/")
    assert body.content.decode().count('data-test="slip-sheet"') == 3 + size
