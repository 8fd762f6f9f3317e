from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Building blocks every app uses (exports, request hygiene); no models."""

    name = "core"
    verbose_name = _("Common")
