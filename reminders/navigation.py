from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

ITEMS = (
    NavItem(
        "escalations",
        _("Escalations"),
        "reminders:escalations",
        "fa-triangle-exclamation",
        "reminders.view_escalations",
        position=900,
        app="reminders",
    ),
)
