"""The beat's schedule is written by the migrations and by an idempotent command:
the daily run at REMINDERS_TIME in Asia/Shanghai, the outbox's delivery every five
minutes; run again it adds nothing."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from reminders.schedule import DAILY, DELIVERY

pytestmark = pytest.mark.django_db


def test_the_migration_wrote_the_schedule():
    daily = PeriodicTask.objects.get(name=DAILY)
    assert daily.task == "reminders.send_reminders" and daily.enabled
    assert (daily.crontab.hour, daily.crontab.minute) == ("8", "30")
    assert str(daily.crontab.timezone) == "Asia/Shanghai"
    assert json.loads(daily.kwargs) == {"trigger": "beat"}
    delivery = PeriodicTask.objects.get(name=DELIVERY)
    assert delivery.task == "reminders.deliver_outbox"
    assert (delivery.interval.every, delivery.interval.period) == (5, "minutes")


def test_the_command_is_idempotent_and_follows_the_setting(settings):
    call_command("reminders_schedule", stdout=StringIO())
    call_command("reminders_schedule", stdout=StringIO())
    assert PeriodicTask.objects.filter(name__startswith="reminders:").count() == 2
    settings.REMINDERS_TIME = "07:45"
    call_command("reminders_schedule", stdout=StringIO())
    daily = PeriodicTask.objects.get(name=DAILY)
    assert (daily.crontab.hour, daily.crontab.minute) == ("7", "45")
    assert PeriodicTask.objects.filter(name__startswith="reminders:").count() == 2
    assert CrontabSchedule.objects.filter(hour="7", minute="45").count() == 1


def test_the_tasks_are_registered_with_time_limits():
    from config.celery_app import app
    from reminders import tasks

    for task in (tasks.send_reminders, tasks.deliver_outbox):
        assert task.name in app.tasks
        assert task.acks_late and task.reject_on_worker_lost
    limit = app.conf.task_time_limit
    assert limit and app.conf.task_soft_time_limit < limit
    assert app.conf.broker_transport_options["visibility_timeout"] > limit
