"""Issue 9: the walk takes apps — one gate behind the services, the stage written by
nothing else (enforced when it happens), one source of stage truth, and the
departments it depends on declared in code."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.departments import DEPARTMENTS
from accounts.workdays import get_calendar
from orders import registry, services
from orders.exceptions import ValidationError
from orders.models import Order, StageDeadline
from orders.stage_guard import StageWriteRefused
from orders.stages import STAGE_SPECS, Stage
from orders.workflow import MOVES, order_move, workflow_markdown
from tests.walk import SIGNERS, walk

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


# --- nothing but the gate writes the stage --------------------------------------------


def test_a_changed_stage_is_refused_however_it_is_saved(users):
    order = walk(users, "draft")
    order.stage = Stage.COMPLETED
    with pytest.raises(StageWriteRefused):
        order.save()
    with pytest.raises(StageWriteRefused):
        Order.objects.filter(pk=order.pk).update(stage=Stage.COMPLETED)
    with pytest.raises(StageWriteRefused):
        Order.objects.bulk_update([order], ["stage"])
    with pytest.raises(StageWriteRefused):
        Order.objects.filter(pk=order.pk).update(held_stage=Stage.REVIEW)
    copy = Order(
        number="SO-FORGED",
        customer=order.customer,
        salesperson=order.salesperson,
        channel="phone",
        order_date=order.order_date,
        requested_date=order.requested_date,
        created_by=order.created_by,
        stage=Stage.PRODUCTION,
    )
    with pytest.raises(StageWriteRefused):
        copy.save()
    with pytest.raises(StageWriteRefused):
        Order.objects.bulk_create([copy])
    # and nothing changed; other fields still save as before
    order.refresh_from_db()
    assert order.stage == Stage.DRAFT
    order.notes = "客户来电确认"
    order.save()
    assert not Order.objects.filter(number="SO-FORGED").exists()


def test_the_admin_cannot_change_a_stage(users):
    order = walk(users, "review")
    client = Client()
    client.force_login(users["admin"])
    client.post(f"/admin/orders/order/{order.pk}/change/", {"stage": "completed"})
    order.refresh_from_db()
    assert order.stage == Stage.REVIEW


# --- the send-back defect ----------------------------------------------------------------


@pytest.mark.parametrize("caller", ["service", "gate"])
def test_a_resubmitted_order_cannot_be_concluded_on_the_old_signatures(users, caller):
    order = walk(users, "review_signed")
    prodmgr, sales1 = users["prodmgr"], users["sales1"]
    if caller == "service":
        services.order_send_back(actor=prodmgr, order=order, reason="数量有误")
    else:  # whoever calls the gate, the move voids the sheet
        order_move(order=order, actor=prodmgr, move="send_back", reason="数量有误")
    order.refresh_from_db()
    services.order_submit(actor=sales1, order=order)
    review = order.review
    assert not any(row.is_signed for row in review.signoffs.all())
    with pytest.raises(ValidationError, match="尚未会签"):
        services.review_conclude(actor=prodmgr, review=review, conclusion="accept")
    moved = order.events.filter(type="moved", to_stage="draft").get()
    assert len(moved.parameters["voided_signoffs"]) == len(SIGNERS)


def test_send_back_tells_the_salesperson(users, django_capture_on_commit_callbacks):
    from notifications.models import Notification

    order = walk(users, "review")
    with django_capture_on_commit_callbacks(execute=True):
        services.order_send_back(actor=users["prodmgr"], order=order, reason="缺图纸")
    notice = Notification.objects.get(user=users["sales1"])
    assert order.number in notice.message and "缺图纸" in notice.message
    assert notice.link == order.get_absolute_url()


def test_cancel_closes_waiting_change_requests_whoever_calls_the_gate(users):
    order = walk(users, "change_pending")
    order_move(
        order=order,
        actor=users["prodmgr"],
        move="cancel",
        reason="客户取消",
        fields={"loss_measures": "停止备料"},
    )
    assert order.change_requests.get().status == "withdrawn"
    order.refresh_from_db()
    assert (order.stage, order.held_stage) == (Stage.CANCELLED, "")


# --- one date for the drawings -------------------------------------------------------------


def test_the_drawings_due_date_is_one_date_everywhere(users):
    order = walk(users, "drawing")
    arrived = timezone.localdate(order.stage_entered_at)
    due = get_calendar().add_working_days(
        arrived, settings.ORDER_DRAWING_CLOCK_WORKING_DAYS
    )
    deadline = StageDeadline.objects.get(order=order, stage=Stage.DRAWING)
    assert (deadline.due_date, order.due_date) == (due, due)

    client = Client()
    client.force_login(users["techmgr"])
    page = client.get(order.get_absolute_url()).content.decode()
    tracker_row = page.split('data-stage-row="drawing"')[1].split("</tr>")[0]
    assert due.isoformat() in tracker_row
    home = client.get("/").content.decode()
    queue_row = home.split(f'data-order="{order.number}"')[1].split("</tr>")[0]
    assert due.isoformat() in queue_row
    queue = client.get("/").context["queues"]
    assert [i.due_date for q in queue for i in q.items] == [due]


def test_the_stage_specs_are_the_only_source_of_stage_departments():
    from orders.workflow import STAGE_DEPARTMENTS

    for stage, spec in STAGE_SPECS.items():
        assert STAGE_DEPARTMENTS[stage] == spec.department
    declared = {d.code for d in DEPARTMENTS}
    assert {s.department for s in STAGE_SPECS.values()} <= declared


# --- moves belong to apps, documented -------------------------------------------------------


def test_every_move_names_its_app_and_the_doc_lists_apps_and_due_items():
    from django.utils import translation

    assert {m.app for m in MOVES.values()} >= {"orders", "production"}
    with translation.override("zh-hans"):
        doc = workflow_markdown()
    assert "所属应用 app" in doc
    for move in MOVES.values():
        assert f"(`{move.code}`)" in doc and f"`{move.app}`" in doc
    for source in registry.due_sources():
        assert f"(`{source.key}`)" in doc


def test_a_move_of_an_app_that_is_not_installed_is_refused_with_words(users):
    order = walk(users, "draft")
    settled = registry.Move(
        "settled",
        "Invoiced and paid",
        frozenset({Stage.SETTLEMENT}),
        Stage.COMPLETED,
        "orders.settle_order",
        rule="orders.settle_order",
        app="settlement",
    )
    refusal = settled.refusal(order)
    assert refusal and "尚未" in str(refusal)


def test_the_stages_are_one_spine_and_the_moves_past_production_are_the_apps(users):
    """orders declares the stages and its own moves; a move into a later stage is
    declared by the app that owns the stage (production's `production_done`), and
    none is declared for an app that does not exist."""
    from orders.workflow import OWN_MOVES

    assert {m.app for m in OWN_MOVES} == {"orders"}
    assert MOVES["production_done"].app == "production"
    from django.apps import apps

    assert all(apps.is_installed(m.app) for m in MOVES.values()), (
        "a move names an app that is not installed"
    )
    with pytest.raises(ValueError):
        registry.move(
            registry.Move(
                "submit",
                "again",
                frozenset({Stage.DRAFT}),
                Stage.REVIEW,
                "orders.submit_order",
                rule="orders.submit_order",
            )
        )


def test_due_items_come_from_the_registry_and_show_in_the_tracker(users):
    order = walk(users, "review_open")
    items = registry.due_items_for(order)
    assert {i.source for i in items} == {"review_signoff"}
    assert len(items) == len(SIGNERS)
    review_due = StageDeadline.objects.get(order=order, stage=Stage.REVIEW).due_date
    assert {i.due_date for i in items} == {review_due}
    client = Client()
    client.force_login(users["prodmgr"])
    page = client.get(order.get_absolute_url()).content.decode()
    assert page.count('data-due-item="review_signoff"') == len(SIGNERS)
    concluded = walk(users, "quote")
    assert "materials" in {i.source for i in registry.due_items_for(concluded)}


# --- departments declared in code ---------------------------------------------------------


def test_setup_roles_builds_the_declared_departments_and_keeps_a_new_name(db):
    from django.core.management import call_command

    from accounts.models import Department

    call_command("setup_roles", verbosity=0)
    assert set(Department.objects.values_list("code", flat=True)) == {
        d.code for d in DEPARTMENTS
    }
    Department.objects.filter(code="line").update(name="一号生产线")
    call_command("setup_roles", verbosity=0)
    assert Department.objects.get(code="line").name == "一号生产线"
    assert Department.objects.count() == len(DEPARTMENTS)


def _manage(*args, database_url):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "INTRANET", "SECRET"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 20 + "-fresh-setup-check-Q8z!x7Vw2#rT5yU1pL0mN3bC6",
        ALLOWED_HOSTS="orders.example.com",
        DATABASE_URL=database_url,
        INTRANET_HTTP="true",
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.postgres
def test_a_fresh_production_setup_gives_every_stage_its_department():
    """The README's production steps on an empty PostgreSQL database, no demo data:
    every stage's department exists; the system check fails when one is removed."""
    name = f"fresh_setup_{uuid.uuid4().hex[:8]}"
    base = settings.DATABASES["default"]
    url = (
        f"postgres://{base['USER']}@{base['HOST'] or '127.0.0.1'}:"
        f"{base['PORT'] or 5432}/{name}"
    )
    admin = psycopg2.connect(
        host=base["HOST"] or "127.0.0.1",
        port=base["PORT"] or 5432,
        user=base["USER"],
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        for step in (("migrate", "--noinput"), ("setup_roles",)):
            result = _manage(*step, database_url=url)
            assert result.returncode == 0, result.stderr
        result = _manage("check", "--database", "default", database_url=url)
        assert result.returncode == 0, result.stderr + result.stdout
        script = (
            "from accounts.models import Department; from orders.stages import "
            "STAGE_SPECS; codes=set(Department.objects.values_list('code', flat=True));"
            "print(sorted({s.department for s in STAGE_SPECS.values()} - codes))"
        )
        result = _manage("shell", "-c", script, database_url=url)
        assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
        _manage(
            "shell",
            "-c",
            "from accounts.models import Department;"
            "Department.objects.filter(code='logistics').delete()",
            database_url=url,
        )
        result = _manage("check", "--database", "default", database_url=url)
        assert result.returncode != 0
        assert "orders.E002" in result.stderr + result.stdout
        assert "logistics" in result.stderr + result.stdout
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
