"""The beat's schedule (reminders.schedule): the daily run and the outbox's
delivery, in django-celery-beat's tables. Idempotent, like `manage.py
reminders_schedule`."""

from django.db import migrations


def schedule(apps, schema_editor):
    from reminders.schedule import ensure_schedule

    ensure_schedule(
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "IntervalSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
