from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    """The shop floor's part of the walk (生产). It takes part through the registries
    of orders.registry and core.queues — no line of `orders` knows it exists."""

    name = "production"
    verbose_name = _("Production")

    def ready(self):
        from accounts.signals import departments_synced

        from . import permissions  # noqa: F401 (declares its rules)
        from .capacity import on_departments_synced
        from .walk import register

        departments_synced.connect(on_departments_synced, dispatch_uid="capacity")
        # everything production brings to the walk, in one place
        register()
