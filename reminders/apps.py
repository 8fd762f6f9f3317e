from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """系统自动提醒: the daily reminders of due and overdue items, their escalation,
    and their e-mail and group-robot digests."""

    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from . import permissions  # noqa: F401 (declares its rules)
        from .walk import register

        register()
