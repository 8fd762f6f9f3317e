"""The project as its operators see it: deploy checks, migrations, translations, demo."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(settings.BASE_DIR)


def _manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "INTRANET", "SECRET"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 20 + "-production-check-Q8z!x7Vw2#rT5yU1pL0mN3bC6",
    "ALLOWED_HOSTS": "orders.example.com",
    "DATABASE_URL": "postgres://orders@127.0.0.1:5432/orders",
}


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_intranet_http_switch_names_exactly_the_https_settings():
    result = _manage("check", "--deploy", **PRODUCTION_ENV, INTRANET_HTTP="true")

    output = result.stdout + result.stderr
    found = set(__import__("re").findall(r"security\.W\d{3}", output))
    assert found == {
        "security.W004",  # HSTS
        "security.W008",  # SSL redirect
        "security.W012",  # session cookie secure
        "security.W016",  # CSRF cookie secure
    }


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV, SECRET_KEY="")
    result = _manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_no_missing_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("language", ["zh_Hans"])
def test_catalogue_is_complete_and_compiled(language):
    po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    po = polib.pofile(str(po_path))

    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
            f"{mo_path.name} is stale for {entry.msgid!r}: run `make messages`"
        )


def test_seed_demo_refuses_where_demo_data_is_not_allowed(db, settings):
    # production's settings (and the tests') leave DEMO_DATA off, DEBUG or not
    settings.DEMO_DATA = False
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DEMO_DATA is off"):
        call_command("seed_demo")


def test_seed_demo_runs_twice(db, settings):
    from accounts.models import User

    call_command("seed_demo", "--force", stdout=StringIO())
    count = User.objects.count()
    call_command("seed_demo", "--force", stdout=StringIO())

    assert User.objects.count() == count == 17
    sales1 = User.objects.get(username="sales1")
    assert sales1.check_password("demo1234")
    assert sales1.department.head == sales1
