"""`manage.py bench` and the gunicorn it starts: production's settings on this
machine's loopback, over plain HTTP. Needs only DATABASE_URL (a database of scale
data, `manage.py seed_scale`). The secret is made up per run and handed to the
server through the environment, so the sessions the bench signs in with are valid
there; it is never a real installation's settings."""

import os
import secrets

os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(48))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("INTRANET_HTTP", "true")

from .production import *  # noqa: E402, F403

# The bench signs its users in hundreds of times; django-axes logs each at INFO.
LOGGING["loggers"] = {"axes": {"level": "WARNING"}}  # noqa: F405
