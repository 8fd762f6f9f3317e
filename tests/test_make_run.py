"""What `make run` serves (config.settings.local): the product's own Chinese 403, 404
and 500 pages, not Django's debug pages — DEBUG is off unless a developer turns it
on — with the static files still served (whitenoise), and `seed_demo` still seeding.
The server is `manage.py runserver` itself, on a free port of this machine."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

BASE = Path(settings.BASE_DIR)


def _local_env(tmp_path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DATABASE_URL", "DEMO_DATA"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        **extra,
    )
    return env


def _settings(tmp_path, *names, **extra) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(*(getattr(settings, n) for n in {names!r}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE,
        env=_local_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


@pytest.fixture
def no_dotenv():
    if (BASE / ".env").exists():
        pytest.skip("a .env here may turn DEBUG on: this checks the defaults")


def test_make_runs_settings_have_debug_off_unless_a_developer_turns_it_on(
    tmp_path, no_dotenv
):
    # DEBUG off; seed_demo still seeds; the static files come through whitenoise
    debug, demo, finders = _settings(
        tmp_path, "DEBUG", "DEMO_DATA", "WHITENOISE_USE_FINDERS"
    )
    assert (debug, demo, finders) == ("False", "True", "True")
    assert _settings(tmp_path, "DEBUG", DEBUG="true") == ["True"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_make_run_serves_the_products_own_error_pages_and_its_static_files(
    tmp_path, no_dotenv
):
    # given `manage.py runserver` with make run's settings (a database not yet
    # migrated: the sign-in page's read of the company then fails on the server)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE,
        env=_local_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = _get(f"{root}/healthz/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)

        # a page that does not exist: the product's Chinese 404, no debug page
        status, body = _get(f"{root}/no-such-page/")
        assert status == 404
        assert "404 · 页面不存在" in body and '<html lang="zh-hans">' in body
        assert "Django" not in body and "URLconf" not in body

        # a server error: the product's Chinese 500, no traceback
        status, body = _get(f"{root}/login/")
        assert status == 500
        assert "500 · 系统错误" in body
        assert "Traceback" not in body and "OperationalError" not in body

        # the stylesheets are served all the same
        status, css = _get(f"{root}/static/css/app.css")
        assert status == 200 and "Ant Design" in css
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.django_db
def test_the_403_page_is_the_products_own(make_user):
    client = Client()
    client.force_login(make_user("sales"))
    response = client.get("/production/board/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "403 · 无权访问" in body and "Forbidden" not in body
