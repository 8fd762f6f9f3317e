from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from accounts.navigation import register as register_nav
        from accounts.roles import grant
        from core import seeds

        from . import navigation, roles

        grant(roles.APP, roles.GRANTS)
        for item in navigation.ITEMS:
            register_nav(item)
        seeds.demo("orders", "orders.demo.seed_orders", position=30)
        seeds.scale(
            "orders", "orders.scale.seed_scale_orders", position=30, writes_orders=True
        )
        # The declared rules of who may see and act on an order.
        from . import checks, moves, permissions  # noqa: F401 (they register)
        from .due import register_due_sources
        from .history import register_event_types
        from .panels import register_panels
        from .queues import register_all

        register_event_types()
        register_due_sources()
        register_all()
        register_panels()
