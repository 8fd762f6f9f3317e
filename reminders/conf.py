"""The reminders' settings (config/settings/base.py, README "Configuration")."""

from django.conf import settings


def due_within() -> int:
    return settings.REMINDERS_DUE_WITHIN_WORKING_DAYS


def head_after() -> int:
    return settings.REMINDERS_HEAD_AFTER_WORKING_DAYS


def managers_after() -> int:
    return settings.REMINDERS_MANAGERS_AFTER_WORKING_DAYS
