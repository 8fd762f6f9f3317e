"""The daily job on the real Redis broker and a real Celery worker process, on
PostgreSQL: it writes the expected reminders; run twice, or twice at once, it writes
each exactly once; a worker killed in the middle (of the run, then of the delivery)
and started again leaves no duplicate reminder and no gap, and every outbox row is
sent (at least once)."""

from __future__ import annotations

from datetime import date, timedelta

import psycopg2
import pytest
from django.db import connection

from accounts.models import Department
from notifications.models import Notification
from orders.models import StageDeadline
from reminders import scan, services, tasks
from reminders.enqueue import publish
from reminders.models import Outbox, Reminder, RobotChannel, RunDay, RunLog
from tests.conftest import service_missing
from tests.reminders.stand_in import StandIn
from tests.reminders.worker import Worker, redis_url, wait_for
from tests.walk import walk

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

MONDAY = date(2026, 12, 7)


@pytest.fixture
def broker():
    url = redis_url()
    if url is None:
        service_missing("needs Redis at REDIS_URL (or 127.0.0.1:6379)")
    return url


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


@pytest.fixture
def worker(broker, settings, transactional_db):
    w = Worker(broker)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = broker
    yield w
    w.stop()


@pytest.fixture
def robot_server():
    with StandIn() as server:
        yield server


def _orders(users, n=3):
    """Orders at the review: one due today, one overdue by 3 working days, one by 6."""
    orders = []
    for back in (0, 3, 6)[:n]:
        order = walk(users, "review_open")
        StageDeadline.objects.filter(order=order, stage="review").update(
            due_date=MONDAY - timedelta(days=back + (2 if back >= 1 else 0))
        )
        orders.append(order)
    return orders


def _expected(as_of) -> set:
    return {
        (item.key, kind, uid)
        for item, kind, uid in services.plan(scan.open_items(as_of))
    }


def _written(as_of) -> list:
    return list(
        Reminder.objects.filter(day=as_of).values_list("key", "kind", "recipient_id")
    )


def _send(worker, as_of):
    assert publish(tasks.send_reminders, as_of.isoformat(), queue=worker.queue)


def _finished_runs(as_of, n):
    def check():
        return (
            RunLog.objects.filter(as_of=as_of, finished_at__isnull=False).count() >= n
        )

    return check


def _all_sent():
    pending = Outbox.objects.filter(sent_at__isnull=True)
    return Outbox.objects.exists() and not pending.exists()


def test_the_daily_job_writes_the_expected_reminders(users, worker, robot_server):
    _orders(users)
    RobotChannel.objects.create(
        department=Department.objects.get(code="production"),
        kind="wecom",
        webhook_url=robot_server.url + "/wecom",
    )
    expected = _expected(MONDAY)
    assert expected
    worker.start()
    _send(worker, MONDAY)
    wait_for(_finished_runs(MONDAY, 1), what="the run", worker=worker)
    assert sorted(_written(MONDAY)) == sorted(expected)
    # the delivery is a task of its own, enqueued after the run committed
    wait_for(_all_sent, what="the outbox sent", worker=worker)
    assert [r["path"] for r in robot_server.requests] == ["/wecom"]
    run = RunLog.objects.get(as_of=MONDAY)
    assert run.errors == "" and run.reminders == len(expected)


def test_twice_and_twice_at_once_write_each_exactly_once(users, worker):
    _orders(users)
    expected = _expected(MONDAY)
    worker.start()
    # twice at once: two processes of the worker take one each
    _send(worker, MONDAY)
    _send(worker, MONDAY)
    wait_for(_finished_runs(MONDAY, 2), what="two runs", worker=worker)
    # and once more after
    _send(worker, MONDAY)
    wait_for(_finished_runs(MONDAY, 3), what="a third run", worker=worker)
    written = _written(MONDAY)
    assert len(written) == len(set(written)) == len(expected)
    assert set(written) == expected
    runs = RunLog.objects.filter(as_of=MONDAY)
    assert sorted(r.reminders for r in runs) == [0, 0, len(expected)]
    notices = Notification.objects.filter(kind=services.NOTICE_KIND).count()
    assert notices == sum(
        1 for _k, kind, _u in expected if kind != "escalated_managers"
    ) + len({u for _k, kind, u in expected if kind == "escalated_managers"})
    wait_for(_all_sent, what="the outbox sent", worker=worker)


def _hold_the_day(as_of):
    """Another connection holds the day's row lock, so the run stops in its middle
    (the scan done, nothing written yet) until released."""
    RunDay.objects.get_or_create(day=as_of)
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"],
        user=db.get("USER") or "postgres",
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        password=db.get("PASSWORD") or None,
    )
    cursor = other.cursor()
    cursor.execute("SELECT id FROM reminders_runday WHERE day = %s FOR UPDATE", [as_of])
    return other


def test_a_worker_killed_mid_job_leaves_no_duplicate_and_no_gap(
    users, worker, robot_server
):
    _orders(users)
    RobotChannel.objects.create(
        department=Department.objects.get(code="production"),
        kind="dingtalk",
        webhook_url=robot_server.url + "/ding",
        secret="SECkill",
    )
    expected = _expected(MONDAY)
    # the run starts and waits in the middle, on the day's lock
    lock = _hold_the_day(MONDAY)
    worker.start()
    _send(worker, MONDAY)
    wait_for(
        lambda: RunLog.objects.filter(as_of=MONDAY).exists(),
        what="the run to start",
        worker=worker,
    )
    # the worker dies in the middle of the job
    worker.kill()
    lock.rollback()
    lock.close()
    assert _written(MONDAY) == []
    # a new worker takes the unacknowledged task once the visibility timeout passes
    # (the robot hangs on the first message: the worker is killed while sending)
    robot_server.answers = ["hang"]
    worker.start()
    wait_for(_finished_runs(MONDAY, 1), what="the run again", worker=worker)
    assert sorted(_written(MONDAY)) == sorted(expected)
    wait_for(robot_server.hanging.is_set, what="the robot's send", worker=worker)
    worker.kill()
    robot_server.release.set()
    assert Outbox.objects.filter(channel="dingtalk", sent_at__isnull=True).exists()
    # started again: every outbox row is sent, the one cut off resent once more
    worker.start()
    wait_for(_all_sent, timeout=90, what="the outbox sent", worker=worker)
    written = _written(MONDAY)
    assert len(written) == len(set(written)) == len(expected)
    robot_posts = [r for r in robot_server.requests if r["path"] == "/ding"]
    assert len(robot_posts) == 2  # at least once: the cut-off one, then the sent one
