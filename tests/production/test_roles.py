"""Seeing is not acting on the shop floor: a lead sees and reports on their own
workshop's slips only (another workshop's slip is 404 to them); only the planner
makes or closes a plan or slip (403 for everyone else, nothing changed); a slip
starts only after its previous operations and the order's materials, unless the
planner allows an early start with a reason, which is recorded."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from production.models import DispatchSlip, ProductionPlan
from tests.test_action_matrix import DEMO, world
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


def test_a_lead_cannot_see_or_update_another_workshops_slip(users):
    # given an issued plan whose cutting slip is started
    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    line1 = signed_in(users["lead_line1"])
    before = world()

    # when the line's lead opens, prints or acts on the cutting slip
    for path, data in (
        (cutting.get_absolute_url(), None),
        (f"/production/slips/{cutting.number}/print/", None),
        (f"/production/slips/{cutting.number}/start/", {}),
        (
            f"/production/slips/{cutting.number}/report/",
            {"token": str(uuid.uuid4()), "good": "5"},
        ),
    ):
        response = line1.get(path) if data is None else line1.post(path, data)
        # then it does not exist for them, and nothing changed
        assert response.status_code == 404, path
    assert world() == before

    # and their list and workbench hold only their own workshop's slip
    body = line1.get("/production/slips/").content.decode()
    assert slip_of(order, "line").number in body
    assert cutting.number not in body
    assert slip_of(order, "maintenance").number not in body
    home = line1.get("/").content.decode()
    assert cutting.number not in home and slip_of(order, "line").number in home

    # while the cutting lead opens it
    page = signed_in(users["lead_cutting"]).get(cutting.get_absolute_url())
    assert (
        page.status_code == 200 and 'data-test="report-form"' in page.content.decode()
    )


def test_a_lead_sees_no_slip_of_a_plan_that_is_not_issued(users):
    order = walk(users, "plan_draft")
    cutting = slip_of(order, "cutting")
    response = signed_in(users["lead_cutting"]).get(cutting.get_absolute_url())
    assert response.status_code == 404


@pytest.mark.parametrize(
    "situation,action",
    [
        ("materials_ready", "plan_create"),
        ("plan_draft", "slip_create"),
        ("plan_draft", "plan_submit"),
        ("plan_issued", "plan_close"),
        ("plan_issued", "slip_close"),
        ("plan_issued", "slip_early_start"),
    ],
)
def test_nobody_but_the_planner_makes_or_closes_a_plan_or_slip(
    users, situation, action
):
    # given an order at the situation
    order = walk(users, situation)
    line = slip_of(order, "line") if situation != "materials_ready" else None
    plan = plan_of(order) if situation != "materials_ready" else None
    path, data = {
        "plan_create": (
            f"/production/orders/{order.number}/plans/new/",
            {
                "line": order.lines.get().pk if situation == "materials_ready" else "",
                "quantity": "10",
                "planned_start": timezone.localdate().isoformat(),
                "planned_finish": (
                    timezone.localdate() + timedelta(days=1)
                ).isoformat(),
            },
        ),
        "slip_create": (
            f"/production/plans/{plan.number if plan else ''}/slips/new/",
            {"workshop": "1", "operation": "welding", "quantity": "1"},
        ),
        "plan_submit": (
            f"/production/plans/{plan.number if plan else ''}/submit/",
            {},
        ),
        "plan_close": (
            f"/production/plans/{plan.number if plan else ''}/close/",
            {"reason": "不做了"},
        ),
        "slip_close": (
            f"/production/slips/{line.number if line else ''}/close/",
            {"reason": "不做了"},
        ),
        "slip_early_start": (
            f"/production/slips/{line.number if line else ''}/early-start/",
            {"reason": "赶工"},
        ),
    }[action]
    before = world()
    # when anyone but the planner posts it
    for username in sorted(set(DEMO) - {"planner"}):
        response = signed_in(users[username]).post(path, data)
        # then their role does not allow it: 403, and nothing changed
        assert response.status_code == 403, (username, action, response.status_code)
        assert world() == before, (username, action)


def test_a_slip_waits_for_its_previous_operation_and_its_materials(users):
    # given an issued plan: the line's forming slip comes after cutting
    order = walk(users, "plan_issued")
    line_slip = slip_of(order, "line")
    line1 = signed_in(users["lead_line1"])

    # when the line's lead opens it, it says what it waits for, and who answers
    page = line1.get(line_slip.get_absolute_url()).content.decode()
    cutting = slip_of(order, "cutting")
    assert 'data-test="blockers"' in page and cutting.number in page
    assert (
        "马军" in page
    )  # the cutting workshop's lead, who is chased (下工序督办上工序)
    assert 'data-test="start"' not in page
    # and starting anyway is refused with the reason, nothing changed
    response = line1.post(
        f"/production/slips/{line_slip.number}/start/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert f"等待 {cutting.number}" in response.content.decode()
    line_slip.refresh_from_db()
    assert line_slip.status == DispatchSlip.Status.WAITING

    # when cutting finishes, the line can start
    cut = signed_in(users["lead_cutting"])
    cut.post(f"/production/slips/{cutting.number}/start/")
    cut.post(
        f"/production/slips/{cutting.number}/report/",
        {"token": str(uuid.uuid4()), "good": "1000"},
    )
    response = line1.post(f"/production/slips/{line_slip.number}/start/")
    line_slip.refresh_from_db()
    assert line_slip.status == DispatchSlip.Status.STARTED
    assert line_slip.started_by == users["lead_line1"]


def test_without_materials_nothing_starts_unless_the_planner_allows_it_with_a_reason(
    users,
):
    # given an issued plan whose materials are only partly arrived (a line added)
    order = walk(users, "plan_issued")
    from decimal import Decimal

    from production import services
    from production.models import MaterialRequirement

    first = MaterialRequirement.objects.get(order=order).lines.get()
    services.materials_record(
        actor=users["purchasing"],
        order=order,
        lines=[
            services.MaterialLineData(
                id=first.pk, material=first.material, quantity=first.quantity
            ),
            services.MaterialLineData(material="防锈油", quantity=Decimal(20)),
        ],
    )
    maint = slip_of(order, "maintenance")
    lead = signed_in(users["lead_maint"])
    # when the maintenance lead starts the mould repair
    response = lead.post(
        f"/production/slips/{maint.number}/start/", HTTP_HX_REQUEST="true"
    )
    # then it is refused: the materials are not ready
    assert response.status_code == 422
    assert "订单备料尚未完成" in response.content.decode()
    maint.refresh_from_db()
    assert maint.status == DispatchSlip.Status.WAITING

    planner = signed_in(users["planner"])
    # an early start without a reason is refused, nothing recorded
    planner.post(f"/production/slips/{maint.number}/early-start/", {"reason": ""})
    maint.refresh_from_db()
    assert maint.override_at is None
    # when the planner allows it with a reason
    planner.post(
        f"/production/slips/{maint.number}/early-start/",
        {"reason": "模具急修，不需要订单材料"},
    )
    # then it is recorded on the slip and in the order's history, by name
    maint.refresh_from_db()
    assert maint.override_by == users["planner"]
    assert maint.override_reason == "模具急修，不需要订单材料"
    event = order.events.get(type="slip_early_start")
    assert event.user == users["planner"] and "模具急修" in event.reason
    # and the lead can start it
    lead.post(f"/production/slips/{maint.number}/start/")
    maint.refresh_from_db()
    assert maint.status == DispatchSlip.Status.STARTED
    page = signed_in(users["gm"]).get(order.get_absolute_url()).content.decode()
    assert "准许派工单提前开工" in page and "孙磊" in page


def test_readers_see_every_slip_but_may_not_report(users):
    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    for username in ("qcmgr", "techmgr", "prodmgr", "gm"):
        client = signed_in(users[username])
        page = client.get(cutting.get_absolute_url())
        assert page.status_code == 200, username
        assert 'data-test="report-form"' not in page.content.decode()
        response = client.post(
            f"/production/slips/{cutting.number}/report/",
            {"token": str(uuid.uuid4()), "good": "5"},
        )
        assert response.status_code == 403, username
    cutting.refresh_from_db()
    assert cutting.good_qty == 0
    # sales, finance, warehouse and after-sales have no production pages at all
    for username in ("sales1", "finance", "warehouse", "aftersales"):
        response = signed_in(users[username]).get(cutting.get_absolute_url())
        assert response.status_code == 404, username
    assert ProductionPlan.objects.filter(order=order).count() == 1
