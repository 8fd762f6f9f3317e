"""Settings shared by every environment. Everything that differs between machines is
read from the environment (django-environ); see README "Configuration"."""

from pathlib import Path

import environ
from django.utils.translation import pgettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# Whether `manage.py seed_demo` may load its made-up company and orders without
# --force: on for `make run` (config.settings.local), never on a real database.
DEMO_DATA = env.bool("DEMO_DATA", default=False)
SECRET_KEY = env(
    "SECRET_KEY", default="insecure-local-only-key-do-not-use-in-production"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.admin_site.AdminConfig",  # django.contrib.admin with our home page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "import_export",
    "django_celery_beat",
    "django_htmx",
    "axes",
    "rules",
    "fontawesomefree",
    "core",
    "accounts",
    "orders",
    "notifications",
    "production",
    "quality",
    "delivery",
    # above the walk apps: reads their due items, imported by none
    "reminders",
    "imports",
    # the measuring tools (seed_scale, bench), above every app
    "measure",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.memo.RequestMemoMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Chinese for everyone, English only for who picks it (not Accept-Language):
    # after the authentication, so the user's profile decides.
    "accounts.middleware.LanguageMiddleware",
    "core.middleware.RequestHygieneMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    # AxesMiddleware should be the last middleware in the list.
    "axes.middleware.AxesMiddleware",
]

# django-csp: scripts, styles, fonts and images from this server only; no inline
# script or style anywhere (htmx is told not to insert its indicator styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "config.urls"
# Widgets may use the project's templates/ (widgets/autocomplete.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# The embedded default is an SQLite file so that `make run` needs nothing installed;
# CI and production point DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A restarted database must not need an app restart.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # No JIT compiling: a page's queries take milliseconds, and a planner estimate
    # over a few aggregates over ten years' rows made PostgreSQL spend 160 ms
    # compiling a 1 ms query (the plan board). The usual setting for OLTP.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A list filter's select with nothing chosen reads "any", never "---------".
FILTERS_EMPTY_CHOICE_LABEL = pgettext_lazy("filter choice", "any")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend should be the first backend.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock a user *from one IP* after 5 failures; cool off after an hour or
# when an admin unlocks (admin "Access attempts", or `manage.py axes_reset`).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Celery. Without a broker (a laptop running `make run`) tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = TIME_ZONE
# Acknowledged late only by the tasks that are safe to run twice (they say so).
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Its own queue name (a test's worker listens on one of its own).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# A page never waits for the broker: publishing gives up after these seconds (and is
# logged, reminders.enqueue). The visibility timeout — how long an unacknowledged
# task waits before another worker takes it — stays above the longest task's limit.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_CONNECT_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": env.float("CELERY_SEND_TIMEOUT", default=3.0),
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # How often a worker looks for messages a dead worker took and never
    # acknowledged (kombu's defaults: every 10th sweep of 10 s, about 100 s).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_SECONDS", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
# Every task's time limits (seconds); the visibility timeout above stays longer.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1800)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="订单管理 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The company's own details (name, address, taxpayer ID, bank) are kept by the
# administrator in the admin (accounts.CompanyProfile), not here.

# URLs an anonymous visitor may open. Everything else requires sign-in; a new public URL
# is added here on purpose (tests/test_urls_require_login.py checks every URL).
# The wall TV's screen opens from its own secret link, revocable, with no session to
# expire on the wall (production.models.ScreenLink).
PUBLIC_URL_NAMES = {
    "login",
    "set_language",
    "healthz",
    "production:wall",
    "production:wall_live",
}
PUBLIC_URL_PREFIXES = ("/static/",)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- orders (each a business rule's threshold; see README "Configuration") ---------
# Order numbers: {yyyymm} and {seq}; the sequence widens rather than overflow.
ORDER_NUMBER_FORMAT = env("ORDER_NUMBER_FORMAT", default="SO-{yyyymm}-{seq:05d}")
ORDER_REVIEW_DUE_WORKING_DAYS = env.int("ORDER_REVIEW_DUE_WORKING_DAYS", default=2)
# Orders at or above this amount (CNY, tax incl.) need the general manager's approval.
ORDER_GM_APPROVAL_AMOUNT = env.int("ORDER_GM_APPROVAL_AMOUNT", default=500_000)
# A change request moving the amount by more than this (CNY) needs the GM too.
ORDER_CHANGE_GM_APPROVAL_AMOUNT = env.int(
    "ORDER_CHANGE_GM_APPROVAL_AMOUNT", default=50_000
)
# Due dates of the stages the review sheet does not commit (working days after entry).
ORDER_APPROVAL_DUE_WORKING_DAYS = env.int("ORDER_APPROVAL_DUE_WORKING_DAYS", default=1)
ORDER_QUOTE_DUE_WORKING_DAYS = env.int("ORDER_QUOTE_DUE_WORKING_DAYS", default=2)
ORDER_CONTRACT_DUE_WORKING_DAYS = env.int("ORDER_CONTRACT_DUE_WORKING_DAYS", default=5)
# Logistics days in the promised date when no logistics reviewer signs the sheet.
ORDER_DELIVERY_WORKING_DAYS = env.int("ORDER_DELIVERY_WORKING_DAYS", default=2)
# The technical department issues drawings within this many working days (技术部 1 天).
ORDER_DRAWING_CLOCK_WORKING_DAYS = env.int(
    "ORDER_DRAWING_CLOCK_WORKING_DAYS", default=1
)
# Small orders (below this, CNY) of non-key customers: the sheet suggests accepting
# with a higher price or a longer lead time.
ORDER_SMALL_AMOUNT = env.int("ORDER_SMALL_AMOUNT", default=20_000)
# Salespeople also see the orders of their own department (not only their own).
SALES_SEE_DEPARTMENT_ORDERS = env.bool("SALES_SEE_DEPARTMENT_ORDERS", default=False)
ORDER_ATTACHMENT_MAX_MB = env.int("ORDER_ATTACHMENT_MAX_MB", default=20)
ORDER_LIST_PAGE_SIZE = env.int("ORDER_LIST_PAGE_SIZE", default=25)
# The order page shows the latest events and the first lines; the rest on demand (htmx).
ORDER_PAGE_EVENTS = env.int("ORDER_PAGE_EVENTS", default=50)
ORDER_PAGE_LINES = env.int("ORDER_PAGE_LINES", default=50)
# Lists count their rows up to this many; past it they say "more than" (core.pagination).
LIST_COUNT_BOUND = env.int("LIST_COUNT_BOUND", default=10000)
# The workbench shows this many of each queue's most urgent rows, with the count and
# a link to the full list.
WORKBENCH_ROWS = env.int("WORKBENCH_ROWS", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An order form carries ~10 fields per line; orders.forms reads back up to 300 lines
# (200 allowed) so that an order a little over the limit is refused with its message
# and the input kept. Past this cap the request is refused with a Chinese 400 page.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 3500

# --- imports ---------------------------------------------------------------------------
# The most rows one import takes (a file over it is refused whole).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
IMPORT_MAX_MB = env.int("IMPORT_MAX_MB", default=20)
# A file larger than this is checked and imported in the background (Celery), its
# page showing the progress; a smaller one at once.
IMPORT_INLINE_BYTES = env.int("IMPORT_INLINE_BYTES", default=256 * 1024)

# --- production ------------------------------------------------------------------------
# A dispatch slip takes good + scrapped pieces up to its quantity plus this percentage
# (over-production tolerance, 超产允差).
PRODUCTION_OVERRUN_PERCENT = env.int("PRODUCTION_OVERRUN_PERCENT", default=5)
# A workshop lead may take their own report back for this many minutes after making
# it (a reversing record, 报工撤回); the planner may at any time.
PRODUCTION_REPORT_CORRECTION_MINUTES = env.int(
    "PRODUCTION_REPORT_CORRECTION_MINUTES", default=30
)
# Photos with an anomaly, taken on the phone: at most this many per report, each at
# most this many MB (a phone's camera makes 2-6 MB).
PRODUCTION_REPORT_PHOTOS = env.int("PRODUCTION_REPORT_PHOTOS", default=4)
PRODUCTION_PHOTO_MAX_MB = env.int("PRODUCTION_PHOTO_MAX_MB", default=10)
# The units counted in whole pieces: a plan of an order line in one of them is a
# whole number (1.5 件 is refused); other units (吨, 米, kg) take decimals.
PRODUCTION_PIECE_UNITS = env.list(
    "PRODUCTION_PIECE_UNITS",
    default=["件", "片", "个", "只", "套", "台", "块", "支", "pcs", "pc", "PCS"],
)
# A materials line may arrive over its expected quantity by this percentage
# (suppliers deliver by the sheet or the coil); beyond it the arrival is refused.
MATERIALS_OVER_ARRIVAL_PERCENT = env.int("MATERIALS_OVER_ARRIVAL_PERCENT", default=10)
# The dates a record of an order may carry (core.dates): from this many days before
# the order's earliest date (or today) to this many after its latest (or today); a
# date outside is refused as a slip of the finger.
DATE_SLACK_BEFORE_DAYS = env.int("DATE_SLACK_BEFORE_DAYS", default=90)
DATE_SLACK_AFTER_DAYS = env.int("DATE_SLACK_AFTER_DAYS", default=366)
# The workshop load (production.load): how many working days ahead the plan board and
# the review sheet show; how many slips per workshop the plan board lists before its
# "more" link; how often the shop-floor screen (车间看板) refreshes itself.
PRODUCTION_LOAD_DAYS = env.int("PRODUCTION_LOAD_DAYS", default=15)
PRODUCTION_BOARD_ROWS = env.int("PRODUCTION_BOARD_ROWS", default=10)
PRODUCTION_SCREEN_POLL_SECONDS = env.int("PRODUCTION_SCREEN_POLL_SECONDS", default=30)

# --- delivery --------------------------------------------------------------------------
# The early warning (交期预警) weighs the orders promised within this many calendar
# days (further out, the working days still committed fit) on the workbench.
DELIVERY_WARNING_HORIZON_DAYS = env.int("DELIVERY_WARNING_HORIZON_DAYS", default=45)
# --- reminders (系统自动提醒) ---------------------------------------------------------
# The daily run: at this time (Asia/Shanghai), on the company calendar's working days.
REMINDERS_TIME = env("REMINDERS_TIME", default="08:30")
# Reminded this many working days before the due date (and every day once overdue).
REMINDERS_DUE_WITHIN_WORKING_DAYS = env.int("REMINDERS_DUE_WITHIN", default=1)
# The department head is told too after this many working days overdue …
REMINDERS_HEAD_AFTER_WORKING_DAYS = env.int("REMINDERS_HEAD_AFTER", default=2)
# … and the production manager and the general manager see it after this many.
REMINDERS_MANAGERS_AFTER_WORKING_DAYS = env.int("REMINDERS_MANAGERS_AFTER", default=5)
# A robot's or a mail's send: seconds to wait, and attempts before giving up.
REMINDERS_SEND_TIMEOUT = env.float("REMINDERS_SEND_TIMEOUT", default=10.0)
REMINDERS_SEND_ATTEMPTS = env.int("REMINDERS_SEND_ATTEMPTS", default=6)
# The first retry waits this many seconds; each next one twice as long.
REMINDERS_RETRY_SECONDS = env.int("REMINDERS_RETRY_SECONDS", default=60)
# The site's address as people reach it, for the links in the reminder e-mails.
REMINDERS_SITE_URL = env("REMINDERS_SITE_URL", default="http://127.0.0.1:8000")
