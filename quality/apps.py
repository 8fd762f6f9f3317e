from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    """QC's part of the walk (质检): inspections, nonconformance and its
    disposition. It takes part through the registries of orders.registry and
    core.queues — no line of `orders` or `production` knows it exists."""

    name = "quality"
    verbose_name = _("Quality")

    def ready(self):
        from . import permissions  # noqa: F401 (declares its rules)
        from .walk import register

        # everything quality brings to the walk, in one place
        register()
