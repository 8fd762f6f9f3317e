"""pytest: `--ds=config.settings.test`. DATABASE_URL/REDIS_URL come from the environment
(.ci/run points them at the machine's PostgreSQL and Redis)."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

# A test's app that plugs into the walk through the registries alone; it registers
# nothing until tests/test_plug_in.py plugs it in.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.plug_app"]

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# Tests opt in to the real broker explicitly (tests marked `celery`); others run eagerly.
# (A test's own worker process sets CELERY_TASK_ALWAYS_EAGER=false: tests/reminders.)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
REDIS_URL = env("REDIS_URL", default="")
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/ordermgmt-test-media")
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# django-axes logs every sign-in at INFO; the tests sign in thousands of times.
LOGGING["loggers"] = {"axes": {"level": "WARNING"}}  # noqa: F405
