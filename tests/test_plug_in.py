"""A new app plugs into the walk through the registries alone (issue 18): the
test's app (tests/plug_app, never shipped) registers a move, a role, a navigation
entry, a queue, a due item, a line-quantity column, a check on production's reports
and a demo seed part — and the walk table, the navigation, the workbench, the
tracker, the order page's roll-up, the gate and production's services show each,
without a line of orders or production naming it. Plugged out, it is gone."""

import uuid

import pytest
from django.test import Client
from django.utils import translation

from accounts.services import roles_sync
from core import seeds
from core.exceptions import InvalidMove
from orders import registry
from orders import services as orders
from orders.workflow import workflow_markdown
from production import services as production
from tests.factories import UserFactory
from tests.plug_app import plug
from tests.production.test_after_production import _in_inspection
from tests.walk import slip_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def plugged(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plug.plug_in()
    roles_sync()
    yield demo_users
    plug.plug_out()
    roles_sync()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_walk_table_lists_what_the_app_registered(plugged):
    with translation.override("zh-hans"):
        doc = workflow_markdown()
    assert "(`trial_release`)" in doc and f"`{plug.APP}`" in doc
    assert "(`trial_check`)" in doc
    assert "(`trial_passed`)" in doc
    assert "the trial app's hold" in doc


def test_its_role_menu_queue_tracker_and_roll_up_show_on_the_pages(plugged):
    # given an order at inspection and a user holding the app's role
    order = _in_inspection(plugged)
    trial = UserFactory(roles=[plug.ROLE])
    page = signed_in(trial)
    # the navigation holds the app's entry, the workbench its queue with the order
    home = page.get("/").content.decode()
    assert "Trial inspections" in home
    assert "Orders to trial-inspect" in home and order.number in home
    # the order page's tracker its due item, the roll-up its column
    detail = page.get(order.get_absolute_url()).content.decode()
    assert 'data-due-item="trial_check"' in detail
    assert '<td class="num" data-figure="trial_passed">7</td>' in detail
    assert '<td class="num" data-figure="produced">1000</td>' in detail
    # and someone without the role sees none of it
    other = signed_in(plugged["finance"]).get("/").content.decode()
    assert "Trial inspections" not in other and "Orders to trial-inspect" not in other


def test_its_move_goes_through_the_gate(plugged):
    order = _in_inspection(plugged)
    trial = UserFactory(roles=[plug.ROLE])
    moved = orders.order_advance(
        actor=trial, order=order, move="trial_release", app=plug.APP
    )
    assert moved.stage == "delivery"
    event = moved.events.filter(type="moved").latest("id")
    assert event.parameters["move"] == "trial_release" and event.user == trial


def test_its_check_holds_a_production_action_with_its_words(plugged):
    order = walk(plugged, "slip_started")
    cutting = slip_of(order, "cutting")
    # an order the app does not hold: the report goes through
    production.slip_report(
        actor=plugged["lead_cutting"], slip=cutting, token=uuid.uuid4(), good=5
    )
    # one it holds: refused with the app's words, nothing counted
    type(order).objects.filter(pk=order.pk).update(customer_po=plug.HOLD_PO)
    with pytest.raises(InvalidMove, match="The trial app holds"):
        production.slip_report(
            actor=plugged["lead_cutting"], slip=cutting, token=uuid.uuid4(), good=5
        )
    cutting.refresh_from_db()
    assert cutting.good_qty == 5


def test_its_demo_part_runs_with_the_others(plugged):
    from orders.models import Customer

    paths = [s.path for s in seeds.demo_seeders()]
    assert paths.index("tests.plug_app.plug.seed_trial_demo") > paths.index(
        "production.demo.seed_production"
    )
    (mine,) = [s for s in seeds.demo_seeders() if s.app == plug.APP]
    mine()
    assert Customer.objects.filter(name="试用应用客户").exists()


def test_plugged_out_it_is_gone(demo_users):
    plug.plug_in()
    plug.plug_out()
    assert "trial_release" not in registry.MOVES
    assert not [s for s in registry.due_sources() if s.app == plug.APP]
    assert "trial_passed" not in {c.code for c in registry.line_columns()}
    assert not [
        c for c in registry.action_checks_of("production.report") if c.app == plug.APP
    ]
    from accounts.roles import ROLE_BY_CODE

    assert plug.ROLE not in ROLE_BY_CODE
    with translation.override("zh-hans"):
        assert "trial_release" not in workflow_markdown()
