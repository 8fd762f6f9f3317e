from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Bulk import (导入): customers, the catalogue and orders with their lines from
    customers' spreadsheets, previewed and all-or-nothing. Above orders and
    production in the apps' stack; the lists' exports are each app's own, through
    core.exports."""

    name = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from accounts.navigation import register as register_nav

        from . import permissions  # noqa: F401 (declares its rules)
        from .navigation import ITEMS

        for item in ITEMS:
            register_nav(item)
