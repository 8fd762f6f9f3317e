"""Shared fixtures. Services: under CI=true a test that needs PostgreSQL, Redis or
Chromium fails when the service is missing; locally it skips with a one-line reason."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; Django would otherwise
# refuse ORM calls made by the browser tests from that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ARTIFACTS_DIR = Path(os.environ.get("ARTIFACTS_DIR", "/tmp/ordermgmt-artifacts"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def service_missing(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def _database_label() -> str:
    db = settings.DATABASES["default"]
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    where = db.get("HOST") or db.get("NAME")
    return f"{engine} ({where})"


def pytest_report_header(config):
    return f"database: {_database_label()}   CI: {IN_CI}"


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"The suite ran on database: {_database_label()}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the product's language: a request in English through the
    test client leaves its language active in this thread otherwise."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _service_markers(request):
    if (
        request.node.get_closest_marker("postgres")
        and connection.vendor != "postgresql"
    ):
        service_missing("needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def roles(db):
    from accounts.services import roles_sync

    roles_sync()


@pytest.fixture
def make_user(db, roles):
    from tests.factories import UserFactory

    def make(*role_codes, **kwargs):
        return UserFactory(roles=role_codes, **kwargs)

    return make


@pytest.fixture
def demo_users(transactional_db):
    """The demo departments and users, for browser tests (transactional: the live
    server thread must see them)."""
    from accounts.demo import seed_users
    from accounts.services import roles_sync

    roles_sync()
    return {user.username: user for user in seed_users()}


# --- browser -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        service_missing(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-dev-shm-usage",
        ],
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS_DIR / f"FAILED-{request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failure: {path}")
    context.close()
