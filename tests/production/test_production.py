"""What the shop floor's people see and do: reports add up, anomalies reach the
planner and the production manager at once, the planner closes a slip short, the
issued plan reaches its distribution list, late work and late materials show, and
each person's workbench holds their part."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from notifications.models import Notification
from orders.stages import Stage
from production import services
from production.models import DispatchSlip, MaterialRequirement
from tests.walk import materials_post, plan_of, slip_of, steel, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queue(client, key):
    found = [q for q in client.get("/").context["queues"] if q.key == key]
    return found[0] if found else None


def test_reports_add_up_and_the_slip_is_done_when_the_good_reach_its_quantity(users):
    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    phone = signed_in(users["lead_cutting"])
    url = f"/production/slips/{cutting.number}/report/"
    for good, scrap in ((300, 2), (450, 0), (0, 5)):
        phone.post(url, {"token": str(uuid.uuid4()), "good": good, "scrap": scrap})
    cutting.refresh_from_db()
    assert (cutting.good_qty, cutting.scrap_qty) == (750, 7)
    assert cutting.status == DispatchSlip.Status.STARTED
    page = phone.get(cutting.get_absolute_url()).content.decode()
    assert "+450" in page and "+300" in page
    phone.post(url, {"token": str(uuid.uuid4()), "good": 250})
    cutting.refresh_from_db()
    assert cutting.status == DispatchSlip.Status.DONE and cutting.done_at
    event = order.events.get(type="slip_done")
    assert event.user == users["lead_cutting"]
    assert event.parameters["good"] == 1000 and event.parameters["scrap"] == 7


def test_an_anomaly_reaches_the_planner_and_the_production_manager_at_once(
    users, django_capture_on_commit_callbacks
):
    # given the cutting slip started
    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    # when the lead reports an anomaly from the phone, in one tap after the cause
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(users["lead_cutting"]).post(
            f"/production/slips/{cutting.number}/report/",
            {
                "token": str(uuid.uuid4()),
                "anomaly": "on",
                "cause": "equipment",
                "note": "剪板机液压故障",
            },
            HTTP_HX_REQUEST="true",
        )
    assert "已通知计划员和生产分管经理" in response.content.decode()
    # then the planner and the production manager have it in their inbox
    told = Notification.objects.filter(kind="production_anomaly")
    assert set(told.values_list("user__username", flat=True)) == {"planner", "prodmgr"}
    assert "剪板机液压故障" in told.first().message
    assert told.first().link == cutting.get_absolute_url()
    # and in their queue, with the cause
    for username in ("planner", "prodmgr"):
        anomalies = queue(signed_in(users[username]), "production_anomalies")
        assert [i.url for i in anomalies.items] == [
            cutting.get_absolute_url() + "#anomalies"
        ]
        assert "设备故障" in str(anomalies.items[0].what)
    # nobody else hears of it
    assert queue(signed_in(users["lead_cutting"]), "production_anomalies") is None

    # when the planner records how it was handled, it leaves both queues
    report = cutting.reports.get(anomaly=True)
    planner = signed_in(users["planner"])
    planner.post(f"/production/anomalies/{report.pk}/handle/", {"note": "设备科已修复"})
    assert queue(planner, "production_anomalies").count == 0
    assert queue(signed_in(users["prodmgr"]), "production_anomalies").count == 0
    page = planner.get(order.get_absolute_url()).content.decode()
    assert "报告了异常" in page and "处理了异常" in page and "设备科已修复" in page


def test_the_planner_closes_the_last_slip_short_and_the_order_moves_on(users):
    order = walk(users, "slip_started")
    for workshop, lead in (("cutting", "lead_cutting"), ("line", "lead_line1")):
        slip = slip_of(order, workshop)
        services.slip_start(actor=users[lead], slip=slip)
        services.slip_report(
            actor=users[lead], slip=slip, token=uuid.uuid4(), good=slip.quantity
        )
    mould = slip_of(order, "maintenance")
    planner = signed_in(users["planner"])
    # without a reason nothing closes
    planner.post(f"/production/slips/{mould.number}/close/", {"reason": ""})
    mould.refresh_from_db()
    assert mould.status == DispatchSlip.Status.WAITING
    planner.post(
        f"/production/slips/{mould.number}/close/", {"reason": "模具改由外协维修"}
    )
    mould.refresh_from_db()
    assert mould.status == DispatchSlip.Status.CLOSED
    assert mould.closed_by == users["planner"]
    order.refresh_from_db()
    assert order.stage == Stage.INSPECTION
    moved = order.events.get(type="moved", to_stage=Stage.INSPECTION)
    assert moved.user == users["planner"] and moved.automatic


def test_the_issued_plan_reaches_its_distribution_list(users):
    # given a plan for an order with only a cutting slip
    order = walk(users, "materials_ready")
    today = timezone.localdate()
    plan = services.plan_create(
        actor=users["planner"],
        order=order,
        data=services.PlanData(
            line=order.lines.get(),
            quantity=1000,
            planned_start=today,
            planned_finish=today + timedelta(days=9),
        ),
    )
    from accounts.models import Department

    services.slip_add(
        actor=users["planner"],
        plan=plan,
        workshop=Department.objects.get(code="cutting"),
        operation="cutting",
        quantity=1000,
        due_date=today + timedelta(days=3),
    )
    # before it is issued nobody on the list has it
    assert queue(signed_in(users["qc1"]), "plans_to_receive").count == 0
    services.plan_submit(actor=users["planner"], plan=plan)
    services.plan_issue(actor=users["prodmgr"], plan=plan)
    # then QC, technical, maintenance and the line sign for their copies; cutting
    # has it on its slip
    expected = {"qcmgr", "qc1", "techmgr", "lead_maint", "lead_line1"}
    for username in ("qcmgr", "qc1", "techmgr", "lead_maint", "lead_line1"):
        rows = queue(signed_in(users[username]), "plans_to_receive")
        assert rows is not None and rows.count == 1, username
    for username in ("lead_cutting", "planner", "purchasing", "sales1", "prodmgr"):
        rows = queue(signed_in(users[username]), "plans_to_receive")
        assert rows is None or rows.count == 0, username
    # the maintenance lead opens the printed copy from the queue and signs for it
    lead = signed_in(users["lead_maint"])
    page = lead.get(f"/production/plans/{plan.number}/print/").content.decode()
    assert "GS/G-SC-03" in page and 'data-test="receive-plan"' in page
    lead.post(f"/production/plans/{plan.number}/receive/")
    assert queue(lead, "plans_to_receive").count == 0
    assert plan.receipts.get().received_by == users["lead_maint"]
    # one signature per department: qcmgr's covers qc1
    signed_in(users["qcmgr"]).post(f"/production/plans/{plan.number}/receive/")
    assert queue(signed_in(users["qc1"]), "plans_to_receive").count == 0
    assert expected  # every one on the list had it once


def test_a_completion_after_the_production_due_date_is_a_warning(users):
    order = walk(users, "materials_ready")
    due = order.due_date
    response = signed_in(users["planner"]).post(
        f"/production/orders/{order.number}/plans/new/",
        {
            "line": order.lines.get().pk,
            "quantity": "1000",
            "planned_start": timezone.localdate().isoformat(),
            "planned_finish": (due + timedelta(days=7)).isoformat(),
        },
        follow=True,
    )
    body = response.content.decode()
    assert "晚于订单的生产到期日" in body and due.isoformat() in body
    assert 'data-test="late-finish"' in body
    assert order.production_plans.count() == 1  # saved, with the warning


def test_late_slips_and_late_materials_show_to_the_planner(users):
    order = walk(users, "plan_issued")
    cutting = slip_of(order, "cutting")
    DispatchSlip.objects.filter(pk=cutting.pk).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    planner = signed_in(users["planner"])
    late = queue(planner, "late_slips")
    assert [i.url for i in late.items] == [cutting.get_absolute_url()]
    assert late.items[0].overdue
    # materials back to "ordered" (a second line still to come) and past their
    # date: the plan page says so
    materials = MaterialRequirement.objects.get(order=order)
    first = materials.lines.get()
    services.materials_record(
        actor=users["purchasing"],
        order=order,
        lines=[
            services.MaterialLineData(
                id=first.pk,
                material=first.material,
                quantity=first.quantity,
                unit=first.unit,
                po_number=first.po_number,
            ),
            services.MaterialLineData(
                material="防锈油", quantity=Decimal(20), unit="升", po_number="CG-2"
            ),
        ],
    )
    MaterialRequirement.objects.filter(order=order).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    page = planner.get(plan_of(order).get_absolute_url()).content.decode()
    assert 'data-test="materials-late"' in page and "备料逾期" in page
    listing = planner.get("/production/materials/").content.decode()
    assert order.number in listing and "逾期" in listing


def test_each_person_finds_their_part_on_the_workbench(users):
    awaiting = walk(users, "production")
    issued = walk(users, "plan_issued")
    # purchasing: the materials of the order still needing them
    rows = queue(signed_in(users["purchasing"]), "materials_due")
    assert awaiting.number in [i.order.number for i in rows.items]
    assert issued.number not in [i.order.number for i in rows.items]  # ready
    # the planner: the order awaiting a plan
    rows = queue(signed_in(users["planner"]), "production_plans")
    assert [i.order.number for i in rows.items] == [awaiting.number]
    # each lead: their slips, the ones that may start before the waiting ones
    cut = queue(signed_in(users["lead_cutting"]), "my_slips")
    assert [i.url for i in cut.items] == [slip_of(issued, "cutting").get_absolute_url()]
    assert "开工" in str(cut.items[0].what)
    line = queue(signed_in(users["lead_line1"]), "my_slips")
    assert "等待前道工序" in str(line.items[0].what)
    body = signed_in(users["lead_line1"]).get("/").content.decode()
    assert slip_of(issued, "line").number in body


def test_purchasing_records_materials_as_lines_and_arrivals_as_they_come(users):
    from orders.models import Product

    Product.objects.create(model_code="MJ-CB-01", name="冲裁模", kind="mould")
    order = walk(users, "production")
    client = signed_in(users["purchasing"])
    url = f"/production/orders/{order.number}/materials/"
    # given what the order needs, ordered from two suppliers
    oil = {"material": "防锈油", "quantity": "20", "unit": "升", "po_number": "CG-2"}
    response = client.post(
        url,
        materials_post(
            order,
            steel(expected_quantity="2", expected_date=order.requested_date),
            oil,
            product="mj-cb-01",
        ),
    )
    assert response.status_code == 302
    materials = MaterialRequirement.objects.get(order=order)
    assert materials.item_lines == ["Q235 钢板 6.0mm 2吨", "防锈油 20升"]
    assert materials.status == "ordered" and materials.product.model_code == "MJ-CB-01"
    assert materials.expected_date == order.requested_date
    steel_line, oil_line = materials.lines.all()
    # when 1.2 t of the steel arrives: partly arrived
    rows = (
        steel(id=steel_line.pk, arrived_now="1.2"),
        {**oil, "id": oil_line.pk},
    )
    client.post(url, materials_post(order, *rows, product="MJ-CB-01"))
    materials.refresh_from_db()
    assert materials.status == "arrived" and not materials.is_ready
    steel_line.refresh_from_db()
    assert steel_line.arrived_quantity == Decimal("1.2") and not steel_line.has_arrived
    # and when the rest and the oil arrive: ready for production
    rows = (
        steel(id=steel_line.pk, arrived_now="0.8"),
        {**oil, "id": oil_line.pk, "arrived_now": "20"},
    )
    client.post(url, materials_post(order, *rows, product="MJ-CB-01"))
    materials.refresh_from_db()
    assert materials.is_ready and materials.ready_at
    assert steel_line.arrivals.count() == 2
    # the history says old → new and what arrived
    last = order.events.filter(type="materials_recorded").latest("id")
    assert last.user == users["purchasing"]
    assert last.parameters["status_old"] == "arrived"
    assert last.parameters["status"] == "ready"
    assert last.parameters["arrivals"] == ["Q235 钢板 6.0mm +0.8吨", "防锈油 +20升"]
    page = client.get(url).content.decode()
    assert 'value="MJ-CB-01"' in page
    # a line with arrivals is not deleted
    rows = (steel(id=steel_line.pk, DELETE="on"), {**oil, "id": oil_line.pk})
    response = client.post(url, materials_post(order, *rows))
    assert response.status_code == 400
    assert materials.lines.count() == 2
