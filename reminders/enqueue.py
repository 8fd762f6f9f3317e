"""Putting a task on the broker without ever holding up a page.

`enqueue(task, *args)` publishes after the current transaction commits (never a
task for a rolled-back write), with the broker's short connect and send timeouts
(CELERY_BROKER_CONNECTION_TIMEOUT, CELERY_BROKER_TRANSPORT_OPTIONS) and no retry: a
broker that is down or unreachable is logged and given up on. Without a broker
(`make run`) the task runs in-process (CELERY_TASK_ALWAYS_EAGER)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def publish(task, *args, **options) -> bool:
    """Send now; False (and a log line) when the broker cannot be reached."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            task.apply(args=args)
        except Exception:
            log.exception("task %s failed in-process", task.name)
            return False
        return True
    app = task.app
    transport_options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    try:
        with app.connection_for_write(
            settings.CELERY_BROKER_URL,
            connect_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
            transport_options=transport_options,
        ) as connection:
            task.apply_async(args=args, connection=connection, retry=False, **options)
    except Exception as error:  # noqa: BLE001 — a page never fails for the broker
        log.error("could not enqueue %s%r: %s", task.name, args, error)
        return False
    return True


def enqueue(task, *args, **options) -> None:
    """Publish once the transaction commits (at once outside one)."""
    transaction.on_commit(lambda: publish(task, *args, **options))
