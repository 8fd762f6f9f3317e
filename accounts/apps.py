from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _calendar_changed(sender, **kwargs):
    from core.memo import forget

    from .workdays import CALENDAR

    forget(CALENDAR)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from core import seeds

        # Its part of the demo and of the scale data: the people and the calendar,
        # before everything else.
        seeds.demo("accounts", "accounts.demo.seed_users", position=10)
        seeds.demo("accounts", "accounts.demo.seed_company", position=15)
        seeds.demo("accounts", "accounts.demo.seed_calendar", position=20)
        seeds.scale("accounts", "accounts.scale.seed_scale_users", position=10)
        # A calendar row written in this request: the request's remembered calendar
        # (core.memo) is read again.
        for name in ("CalendarDay", "CalendarYear", "WorkingWeek"):
            model = self.get_model(name)
            for signal in (post_save, post_delete):
                signal.connect(
                    _calendar_changed, sender=model, dispatch_uid=f"calendar-{name}"
                )
