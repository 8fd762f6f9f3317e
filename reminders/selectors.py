"""Reads for the reminders' pages."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Kind, Preference, Reminder


def last_escalation_day(user):
    return (
        Reminder.objects.filter(recipient=user, kind=Kind.MANAGERS)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )


def escalations(user, day) -> QuerySet[Reminder]:
    """The items escalated to `user` on `day`, most overdue first."""
    return (
        Reminder.objects.filter(recipient=user, kind=Kind.MANAGERS, day=day)
        .select_related("department")
        .order_by("-overdue_days", "order_number", "id")
    )


def email_muted(user) -> bool:
    return Preference.objects.filter(user=user, email_muted=True).exists()
