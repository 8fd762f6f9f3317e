from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """The warehouse's part of the walk (交付): stock, shipments, the customer's
    receipt, and the early warning when a promised date will slip. It takes part
    through the registries of orders.registry and core.queues — no line of
    `orders`, `production` or `quality` knows it exists."""

    name = "delivery"
    verbose_name = _("Delivery")

    def ready(self):
        from . import permissions  # noqa: F401 (declares its rules)
        from .walk import register

        register()
