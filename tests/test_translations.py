"""Chinese first: every user-facing string is translated, and a short label that
means different things in different places carries a context (pgettext).

A fresh extraction of the source (GNU gettext, as `make messages` runs it) is
compared with the committed catalogue: a string added without a translation, one
left behind after its source changed (fuzzy, obsolete), or an ambiguous word used
without a context fails here. CI installs gettext; elsewhere the test says what it
needs and skips."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# English words that mean different things in different places ("from" a stage or
# "from" a date; "contract" the stage or the document): never without a context.
AMBIGUOUS = {
    "from",
    "to",
    "until",
    "at",
    "by",
    "on",
    "open",
    "closed",
    "cancel",
    "draft",
    "contract",
    "quote",
    "drawings",
    "approved",
    "sent back",
    "all",
    "yes",
    "no",
    "reason",
    "comment",
    "done",
}


def entries(po) -> dict:
    return {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}


@pytest.fixture
def fresh(tmp_path):
    """The catalogue as a fresh extraction of today's source would make it: the
    source and catalogue are copied aside and `makemessages` runs there (it writes
    into the catalogue it finds, never into the committed one)."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        service_missing("needs GNU gettext (apt-get install gettext)")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "__pycache__", "media", "staticfiles", "*.sqlite3", "tests"
        ),
    )
    # the settings every environment shares (the test settings add the test's app,
    # which is not copied)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    env.pop("DATABASE_URL", None)  # extraction needs no database
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def test_a_fresh_extraction_matches_the_committed_catalogue(fresh):
    committed = entries(polib.pofile(str(CATALOGUE)))
    extracted = entries(fresh)

    added = sorted(key for key in extracted if key not in committed)
    gone = sorted(key for key in committed if key not in extracted)
    assert not added, f"strings in the source but not in the catalogue: {added[:10]}"
    assert not gone, f"strings in the catalogue no longer in the source: {gone[:10]}"
    untranslated = [e.msgid for e in fresh.untranslated_entries()]
    fuzzy = [e.msgid for e in fresh.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"changed in the source, translation to check: {fuzzy[:10]}"


def test_ambiguous_short_labels_carry_a_context():
    loose = sorted(
        e.msgid
        for e in polib.pofile(str(CATALOGUE))
        if not e.msgctxt and e.msgid.lower() in AMBIGUOUS
    )
    assert not loose, f"give these a context with pgettext: {loose}"
