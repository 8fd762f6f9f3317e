"""Production's actions through the one registry of actions, and its work after its
stage: an order on hold for a change request takes no production action (orders
holds every declared action with its own words); a rework slip (返工) is made and
reported on after the order left production, counts for nothing the line
produced, and never moves the order again."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Department
from core.exceptions import InvalidMove, ValidationError
from orders import registry
from orders import services as orders
from orders.services import LineData
from production import actions, services
from production.models import DispatchSlip
from production.selectors import line_output
from tests.test_action_matrix import world
from tests.walk import slip_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def day(offset: int):
    return timezone.localdate() + timedelta(days=offset)


def test_production_declares_its_actions_and_an_order_on_hold_holds_them(users):
    # every production action is declared, and orders' on-hold check holds it
    declared = {a.code for a in registry.actions()}
    assert {a.code for a in actions.ACTIONS} <= declared
    assert any(c.app == "orders" for c in registry.action_checks_of(actions.REPORT))
    # given an order in production, its cutting slip started
    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    # when sales records a customer's change, the order is on hold
    order.refresh_from_db()
    orders.change_request_create(
        actor=users["sales1"],
        order=order,
        version=order.version,
        reason="客户改型号",
        lines=[
            LineData(
                model_code="GB-D1092",
                quantity=Decimal(1000),
                unit_price=Decimal("3.80"),
            )
        ],
    )
    order.refresh_from_db()
    assert order.stage == "on_hold"
    before = world()
    # then the lead's report is refused with the words of orders' check
    with pytest.raises(InvalidMove, match="暂停"):
        services.slip_report(
            actor=users["lead_cutting"], slip=cutting, token=uuid.uuid4(), good=10
        )
    with pytest.raises(InvalidMove, match="暂停"):
        services.slip_close(actor=users["planner"], slip=cutting, reason="不做了")
    assert world() == before


def _in_inspection(users):
    """An order whose production finished: every slip done in full."""
    order = walk(users, "slip_started")
    for shop, lead in (
        ("cutting", "lead_cutting"),
        ("maintenance", "lead_maint"),
        ("line", "lead_line1"),
    ):
        slip = slip_of(order, shop)
        if slip.status == "waiting":
            services.slip_start(actor=users[lead], slip=slip)
        services.slip_report(
            actor=users[lead], slip=slip, token=uuid.uuid4(), good=slip.quantity
        )
    order.refresh_from_db()
    assert order.stage == "inspection"
    return order


def test_a_rework_slip_is_made_and_reported_after_production(users):
    order = _in_inspection(users)
    line = order.lines.get()
    moves = order.events.filter(type="moved").count()
    # when QC's rework (here asked by the planner) sends 20 pieces back to the line
    rework = services.rework_slip_add(
        actor=users["planner"],
        order=order,
        line=line,
        workshop=Department.objects.get(code="line"),
        operation="forming",
        quantity=20,
        due_date=day(3),
        reason="不合格品评审 NC-0001：返工",
    )
    assert rework.kind == DispatchSlip.Kind.REWORK
    assert order.events.filter(type="slip_rework", reason__contains="NC-0001").exists()
    # then the line's lead starts and finishes it although the order is inspected
    services.slip_start(actor=users["lead_line1"], slip=rework)
    outcome = services.slip_report(
        actor=users["lead_line1"], slip=rework, token=uuid.uuid4(), good=20
    )
    rework.refresh_from_db()
    assert rework.status == "done" and not outcome.order_moved
    # and the order stays where it is: no move again, produced unchanged
    order.refresh_from_db()
    assert order.stage == "inspection"
    assert order.events.filter(type="moved").count() == moves
    (row,) = line_output(order)
    assert row.produced == 1000


@pytest.mark.parametrize(
    "change,message",
    [
        ({"quantity": 1001}, "最多返工"),
        ({"quantity": 0}, "数量至少为 1"),
        ({"reason": "  "}, "返工的原因"),
        ({"due_date": None}, "完成日期"),
        ({"operation": "teleport"}, "列出的工序"),
    ],
)
def test_a_bad_rework_says_why_and_saves_nothing(users, change, message):
    order = _in_inspection(users)
    data = {
        "actor": users["planner"],
        "order": order,
        "line": order.lines.get(),
        "workshop": Department.objects.get(code="line"),
        "operation": "forming",
        "quantity": 5,
        "due_date": day(3),
        "reason": "返工",
        **change,
    }
    before = world()
    with pytest.raises(ValidationError) as refused:
        services.rework_slip_add(**data)
    assert message in " ".join(refused.value.messages)
    assert world() == before


def test_only_the_planner_or_who_is_granted_it_has_pieces_reworked(users):
    from core.exceptions import PermissionDenied

    order = _in_inspection(users)
    for username in ("lead_line1", "sales1", "qc1", "prodmgr"):
        with pytest.raises(PermissionDenied):
            services.rework_slip_add(
                actor=users[username],
                order=order,
                line=order.lines.get(),
                workshop=Department.objects.get(code="line"),
                operation="forming",
                quantity=5,
                due_date=day(3),
                reason="返工",
            )
