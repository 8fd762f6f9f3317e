"""`make run` on a developer's or evaluator's laptop: SQLite, eager tasks, the demo
data, and the product's own Chinese 403/404/500 pages — DEBUG is off unless a
developer turns it on (DEBUG=true in the environment or in .env) for Django's
debug pages."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
# `manage.py seed_demo` loads its made-up company here without --force.
DEMO_DATA = env.bool("DEMO_DATA", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)

# Static files come straight from the apps and static/ through whitenoise, DEBUG or
# not (no collectstatic on a laptop).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
