from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasureConfig(AppConfig):
    """The measuring tools: `manage.py seed_scale` and `manage.py bench`, with the
    report they write and the load they run. They sit above every app and read
    them all — each app's seed part and figures, registered in core.seeds and
    core.bench — and no app imports them; they run beside the site, never inside
    a request."""

    name = "measure"
    verbose_name = _("Measuring")

    def ready(self):
        from . import throughput  # noqa: F401 (declares its figure)
