"""The reminders' part of `seed_demo`: open items due today, tomorrow, and overdue
by 1, 3 and 6 working days, so `send_reminders` right after `make run` fills the
inboxes and the production manager's and the GM's escalation list. The dates are
set on the stage deadlines of demo orders already in a stage (orders' and
production's demo ran first) — the items are theirs, only their dates move."""

from __future__ import annotations

from django.utils import timezone

from accounts.workdays import get_calendar
from orders.models import StageDeadline

# working days from today: due today, tomorrow, overdue by 1, 3 and 6
OFFSETS = (0, 1, -1, -3, -6)


def seed_reminders() -> list[StageDeadline]:
    calendar = get_calendar()
    today = timezone.localdate()
    if not calendar.is_working_day(today):
        today = calendar.next_working_day(today)
    from django.db.models import F

    open_rows = list(
        StageDeadline.objects.filter(
            completed_at__isnull=True, order__stage=F("stage")
        ).order_by("order__number", "stage")[: len(OFFSETS)]
    )
    for row, offset in zip(open_rows, OFFSETS, strict=False):
        row.due_date = calendar.add_working_days(today, offset)
        row.save(update_fields=["due_date"])
    return open_rows
