from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The in-app inbox: one `notify()` for every app, a bell on every page."""

    name = "notifications"
    verbose_name = _("Notifications")
