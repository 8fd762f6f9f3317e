"""Issue 9: the production app takes part in the walk through the registries alone
— its move's precondition and effect, its queue, an order-page panel, a review-sheet
panel, an event type and a due item — each shown working on an order."""

import pytest
from django.test import Client

from notifications.models import Notification
from orders import registry, services
from orders.exceptions import InvalidMove
from orders.stages import Stage
from tests.walk import walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_production_complete_needs_its_report_and_then_moves_the_order(
    users, django_capture_on_commit_callbacks
):
    order = walk(users, "production")
    planner = users["planner"]
    # the precondition production registered: no report, no move
    with pytest.raises(InvalidMove, match="尚未报告完工"):
        services.order_advance(
            actor=planner, order=order, move="production_done", app="production"
        )
    # the move belongs to production: orders' own callers cannot borrow it
    with pytest.raises(InvalidMove):
        services.order_advance(
            actor=planner, order=order, move="production_done", app="orders"
        )

    # the planner reports from the order page's production panel
    client = signed_in(planner)
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'data-test="production-panel"' in page
    assert 'data-test="report-complete"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/production/orders/{order.number}/complete/", {"note": "全部入库待检"}
        )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.stage == Stage.INSPECTION

    # its event type reads in the history, next to the move it allowed
    page = signed_in(users["gm"]).get(order.get_absolute_url()).content.decode()
    assert "报告了生产完工" in page and "全部入库待检" in page
    moved = order.events.get(type="moved", to_stage="inspection")
    assert moved.user == planner and not moved.automatic
    # its effect: the QC inspectors were told
    told = set(
        Notification.objects.filter(kind="ready_for_inspection").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"qcmgr", "qc1"}


def test_its_queue_and_due_item_show_the_order_to_the_planner(users):
    order = walk(users, "production")
    home = signed_in(users["planner"]).get("/")
    queues = {q.key: q for q in home.context["queues"]}
    assert [i.order.number for i in queues["production"].items] == [order.number]
    assert "报告完工" in home.content.decode()
    items = [
        i for i in registry.due_items_for(order) if i.source == "production_report"
    ]
    assert len(items) == 1 and items[0].due_date == order.due_date
    page = signed_in(users["planner"]).get(order.get_absolute_url()).content.decode()
    assert 'data-due-item="production_report"' in page
    # a workshop lead has no such queue and cannot report
    lead = signed_in(users["lead_line1"])
    assert "production" not in {q.key for q in lead.get("/").context["queues"]}
    response = lead.post(f"/production/orders/{order.number}/complete/")
    assert response.status_code in (403, 404)
    order.refresh_from_db()
    assert order.stage == Stage.PRODUCTION
    assert not order.events.filter(type="production_reported").exists()


def test_its_review_sheet_panel_shows_the_production_load(users):
    in_production = walk(users, "production")
    reviewing = walk(users, "review_open")
    page = signed_in(users["prodmgr"]).get(f"/orders/{reviewing.number}/review/")
    body = page.content.decode()
    assert 'data-test="production-load"' in body
    row = body.split('data-test="production-load"')[1]
    assert ">1<" in row  # the order in production, in its week
    assert in_production.due_date is not None


def test_nothing_in_orders_names_production():
    """The plug-in is declared by production alone."""
    from pathlib import Path

    from django.conf import settings

    for path in (Path(settings.BASE_DIR) / "orders").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from production" not in text and "import production" not in text, path
