"""The beat's schedule, kept in django-celery-beat's tables (its admin shows it):
the daily run at REMINDERS_TIME every day (the task itself skips the company
calendar's rest days, so a make-up Saturday runs), and the outbox's delivery every
five minutes (the retries). Written by a migration and by `manage.py
reminders_schedule`, both idempotent: run again they change nothing but the time."""

from __future__ import annotations

import json

from django.conf import settings

DAILY = "reminders: daily run"
DELIVERY = "reminders: deliver outbox"


def ensure_schedule(crontab_model=None, task_model=None, interval_model=None) -> None:
    if crontab_model is None:
        from django_celery_beat.models import (
            CrontabSchedule as crontab_model,
        )
        from django_celery_beat.models import (
            IntervalSchedule as interval_model,
        )
        from django_celery_beat.models import (
            PeriodicTask as task_model,
        )
    hour, minute = (int(part) for part in settings.REMINDERS_TIME.split(":"))
    crontab, _created = crontab_model.objects.get_or_create(
        minute=str(minute),
        hour=str(hour),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task_model.objects.update_or_create(
        name=DAILY,
        defaults={
            "task": "reminders.send_reminders",
            "crontab": crontab,
            "interval": None,
            "kwargs": json.dumps({"trigger": "beat"}),
            "enabled": True,
        },
    )
    every, _created = interval_model.objects.get_or_create(every=5, period="minutes")
    task_model.objects.update_or_create(
        name=DELIVERY,
        defaults={
            "task": "reminders.deliver_outbox",
            "interval": every,
            "crontab": None,
            "enabled": True,
        },
    )
