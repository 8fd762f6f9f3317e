"""The production app takes part in the walk through the registries alone — its
move's precondition and effect, an effect on the review's conclusion, its queues,
an order-page panel, a review-sheet panel, its event types and the move's history
line, and its due items — each shown working on an order."""

import uuid

import pytest
from django.test import Client

from notifications.models import Notification
from orders import registry, services
from orders.exceptions import InvalidMove
from orders.stages import Stage
from production import services as production
from production.models import MaterialRequirement
from tests.walk import slip_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def finish(users, order, workshop, lead):
    slip = slip_of(order, workshop)
    production.slip_start(actor=users[lead], slip=slip)
    return production.slip_report(
        actor=users[lead], slip=slip, token=uuid.uuid4(), good=slip.quantity
    )


def test_production_done_needs_every_slip_and_is_made_by_the_last_report(
    users, django_capture_on_commit_callbacks
):
    order = walk(users, "production")
    planner = users["planner"]
    # the precondition production registered: no issued plan, no move
    with pytest.raises(InvalidMove, match="尚无已下发的生产计划单"):
        services.order_advance(
            actor=planner, order=order, move="production_done", app="production"
        )
    # the move belongs to production: orders' own callers cannot borrow it
    with pytest.raises(InvalidMove):
        services.order_advance(
            actor=planner, order=order, move="production_done", app="orders"
        )

    order = walk(users, "plan_issued")
    with pytest.raises(InvalidMove, match="尚未完成的派工单"):
        services.order_advance(
            actor=planner, order=order, move="production_done", app="production"
        )
    finish(users, order, "cutting", "lead_cutting")
    finish(users, order, "line", "lead_line1")
    order.refresh_from_db()
    assert order.stage == Stage.PRODUCTION  # the mould repair is still open
    with django_capture_on_commit_callbacks(execute=True):
        outcome = finish(users, order, "maintenance", "lead_maint")
    assert outcome.order_moved
    order.refresh_from_db()
    assert order.stage == Stage.INSPECTION

    # the move's event: automatic, made for the lead whose report finished it, and
    # its history line names the slip (the registered move detail)
    moved = order.events.get(type="moved", to_stage="inspection")
    assert moved.user == users["lead_maint"] and moved.automatic
    page = signed_in(users["gm"]).get(order.get_absolute_url()).content.decode()
    assert "最后一张派工单完成" in page and slip_of(order, "maintenance").number in page
    # its effect: the QC inspectors were told
    told = set(
        Notification.objects.filter(kind="ready_for_inspection").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"qcmgr", "qc1"}


def test_the_reviews_conclusion_opens_the_materials_with_purchasings_date(users):
    order = walk(users, "quote")  # concluded: purchasing committed 3 working days
    materials = MaterialRequirement.objects.get(order=order)
    assert materials.status == "needed"
    assert materials.due_date == production.materials_due(order)
    assert materials.due_date is not None
    # the due item is production's: it closes when purchasing records readiness
    source = next(s for s in registry.due_sources() if s.key == "materials")
    assert source.app == "production"
    (item,) = [i for i in registry.due_items_for(order) if i.source == "materials"]
    assert item.due_date == materials.due_date and item.done_at is None
    assert order.pk in {i.order_id for i in source.open_items()}

    order = walk(users, "materials_ready")
    (item,) = [i for i in registry.due_items_for(order) if i.source == "materials"]
    assert item.done_at is not None
    assert order.pk not in {i.order_id for i in source.open_items()}


def test_its_queues_and_due_items_show_the_work_to_each_person(users):
    order = walk(users, "production")
    home = signed_in(users["planner"]).get("/")
    queues = {q.key: q for q in home.context["queues"]}
    assert [i.order.number for i in queues["production_plans"].items] == [order.number]
    assert "编制生产计划单" in home.content.decode()
    # a workshop lead has no such queue and cannot plan
    lead = signed_in(users["lead_line1"])
    assert "production_plans" not in {q.key for q in lead.get("/").context["queues"]}
    response = lead.post(
        f"/production/orders/{order.number}/plans/new/", {"quantity": "10"}
    )
    assert response.status_code == 403
    assert not order.production_plans.exists()

    issued = walk(users, "plan_issued")
    items = [i for i in registry.due_items_for(issued) if i.source == "dispatch_slip"]
    assert len(items) == 3
    cutting = slip_of(issued, "cutting")
    (cut_item,) = [i for i in items if cutting.number in str(i.what)]
    assert cut_item.due_date == cutting.due_date
    assert cut_item.department_id == cutting.workshop_id
    page = signed_in(users["planner"]).get(issued.get_absolute_url()).content.decode()
    assert page.count('data-due-item="dispatch_slip"') == 3
    mine = signed_in(users["lead_cutting"]).get("/").context["queues"]
    (slips,) = [q for q in mine if q.key == "my_slips"]
    assert [i.url for i in slips.items] == [cutting.get_absolute_url()]


def test_its_review_sheet_panel_shows_the_production_load(users):
    in_production = walk(users, "plan_issued")
    reviewing = walk(users, "review_open")
    page = signed_in(users["prodmgr"]).get(f"/orders/{reviewing.number}/review/")
    body = page.content.decode()
    assert 'data-test="production-load"' in body
    orders_row = body.split('data-test="production-load"')[1]
    assert ">1<" in orders_row  # the order in production, in its week
    workshops = body.split('data-test="workshop-load"')[1].split("</table>")[0]
    assert "下料车间" in workshops and "1000" in workshops
    assert in_production.due_date is not None


def test_nothing_in_orders_names_production():
    """The plug-in is declared by production alone."""
    from pathlib import Path

    from django.conf import settings

    for path in (Path(settings.BASE_DIR) / "orders").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from production" not in text and "import production" not in text, path
