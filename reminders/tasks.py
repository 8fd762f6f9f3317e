"""Celery tasks: thin wrappers around reminders.services, taking a day (ISO) and
ids, so a test moves time without reaching into a worker.

Both are safe to run twice or at once — a day's reminders are written once (a
unique constraint and the day's row lock), an outbox row is marked sent under its
own lock — so both acknowledge late: a worker killed in the middle leaves the task
on the broker for the next worker (after the visibility timeout). Their time limits
are every task's (CELERY_TASK_TIME_LIMIT, CELERY_TASK_SOFT_TIME_LIMIT)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import services
from .enqueue import enqueue
from .models import RunLog


@shared_task(
    name="reminders.send_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
)
def send_reminders(as_of: str | None = None, trigger: str = RunLog.Trigger.TASK):
    """The daily run (the beat calls it without a day: today, skipped on a rest day),
    then the outbox's delivery as its own task."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    run = services.send_reminders(day, trigger=trigger)
    if not run.skipped:
        enqueue(deliver_outbox)
    return run.pk


@shared_task(
    name="reminders.deliver_outbox",
    acks_late=True,
    reject_on_worker_lost=True,
)
def deliver_outbox(ids: list[int] | None = None):
    """Send what is due in the outbox (the beat calls it every few minutes for the
    retries)."""
    return services.deliver_outbox(ids=ids)
