from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        # The declared rules of who may see and act on an order.
        from . import permissions  # noqa: F401
        from .queues import register_all

        register_all()
