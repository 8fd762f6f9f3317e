"""seed_demo leaves items due today, tomorrow and overdue by 1, 3 and 6 working
days, so `send_reminders` right after it fills the inboxes and the escalation list."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.workdays import get_calendar
from reminders.models import Kind, Reminder

pytestmark = pytest.mark.django_db


def test_seed_demo_then_send_reminders_fills_the_inboxes(settings):
    settings.DEMO_DATA = True
    call_command("seed_demo", stdout=StringIO())
    calendar = get_calendar()
    today = timezone.localdate()
    if not calendar.is_working_day(today):
        today = calendar.next_working_day(today)
    out = StringIO()
    call_command("send_reminders", "--as-of", today.isoformat(), stdout=out)
    assert "reminders" in out.getvalue()
    late = set(Reminder.objects.values_list("overdue_days", flat=True))
    assert {-1, 0, 1, 3, 6} <= late
    escalated = Reminder.objects.filter(kind=Kind.MANAGERS)
    assert set(escalated.values_list("recipient__username", flat=True)) == {
        "prodmgr",
        "gm",
    }
    assert Reminder.objects.filter(kind=Kind.DUE).exists()
