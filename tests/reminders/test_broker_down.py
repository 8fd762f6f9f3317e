"""With the broker unreachable (the app pointed at a closed port — the machine's
Redis keeps serving other tests): every page and every order action still succeeds,
an enqueue gives up within its connect timeout and is logged, and the administrator's
"run now" runs the reminders here instead."""

import logging
import socket
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client

from orders.models import Order, StageDeadline
from reminders import tasks
from reminders.enqueue import enqueue, publish
from reminders.models import Reminder, RunLog
from tests.walk import walk

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def broker_down(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
    return settings


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_enqueue_gives_up_within_its_timeout_and_is_logged(broker_down, caplog):
    caplog.set_level(logging.ERROR, logger="reminders.enqueue")
    started = time.monotonic()
    assert publish(tasks.send_reminders, "2026-12-07") is False
    assert time.monotonic() - started < broker_down.CELERY_BROKER_CONNECTION_TIMEOUT + 2
    assert "could not enqueue reminders.send_reminders" in caplog.text


def test_an_enqueue_after_commit_never_raises(broker_down, caplog, db):
    caplog.set_level(logging.ERROR, logger="reminders.enqueue")
    with transaction.atomic():
        enqueue(tasks.deliver_outbox)
    # (pytest-django's transaction never commits: run the callbacks by hand)
    started = time.monotonic()
    for _sp, callback, _robust in transaction.get_connection().run_on_commit:
        callback()
    assert time.monotonic() - started < 3


def test_pages_and_order_actions_succeed_without_the_broker(users, broker_down):
    sales = _client(users["sales1"])
    order = walk(users, "draft")
    for url in (
        "/",
        "/orders/",
        order.get_absolute_url(),
        "/inbox/",
        "/reminders/preferences/",
    ):
        assert sales.get(url).status_code == 200, url
    assert _client(users["prodmgr"]).get("/reminders/escalations/").status_code == 200
    # an order action: the salesperson submits the order for review
    response = sales.post(
        f"/orders/{order.number}/move/submit/", {"version": order.version}
    )
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).stage == "review"


def test_run_now_runs_here_when_the_broker_is_down(users, broker_down, caplog):
    order = walk(users, "review_open")
    StageDeadline.objects.filter(order=order, stage="review").update(
        due_date=order.created_at.date() - timedelta(days=10)
    )
    admin = _client(users["admin"])
    response = admin.post("/admin/reminders/runlog/run/")
    assert response.status_code == 302
    run = RunLog.objects.get()
    assert run.trigger == "button" and run.finished_at is not None
    assert "could not enqueue" in caplog.text
    if not run.skipped:
        assert Reminder.objects.filter(order=order).exists()


def test_run_now_is_the_administrators(users):
    for name in ("sales1", "prodmgr", "gm"):
        response = _client(users[name]).post("/admin/reminders/runlog/run/")
        assert response.status_code in (302, 403)
    assert not RunLog.objects.exists()


def test_the_admin_shows_the_run_log_the_robots_and_the_schedule(users):
    admin = _client(users["admin"])
    page = admin.get("/admin/reminders/runlog/")
    assert page.status_code == 200 and 'data-test="run-now"' in page.content.decode()
    for url in (
        "/admin/reminders/robotchannel/add/",
        "/admin/reminders/outbox/",
        "/admin/reminders/reminder/",
        "/admin/django_celery_beat/periodictask/",
    ):
        assert admin.get(url).status_code == 200, url
