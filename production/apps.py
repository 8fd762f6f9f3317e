from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    """The shop floor's part of the walk (生产). It takes part through the registries
    of orders.registry and core.queues — no line of `orders` knows it exists."""

    name = "production"
    verbose_name = _("Production")

    def ready(self):
        from accounts.navigation import register as register_nav
        from accounts.roles import grant
        from accounts.signals import departments_synced
        from core import seeds

        from . import navigation, roles

        grant(roles.APP, roles.GRANTS)
        for item in navigation.ITEMS:
            register_nav(item)
        from . import permissions  # noqa: F401 (declares its rules)
        from .capacity import on_departments_synced
        from .walk import register

        departments_synced.connect(on_departments_synced, dispatch_uid="capacity")

        register()
        seeds.demo("production", "production.demo.seed_production", position=40)
        seeds.scale("production", "production.scale.seed_scale_production", position=40)
