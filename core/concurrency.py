"""Two people, one record: the row lock and the version check, written once for every
app.

A page that can change a record posts back the record's `version` as it was when
the page was opened. The service locks the row and compares: a save by someone else
in between is refused (StaleEdit, with what changed when the record keeps a
history), and so is a page that posts no version or a junk one — it cannot prove it
saw the record as it is. Writers lock the order's row first, then the app's own
rows, always in that order, so two of them never wait on each other in a circle.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _

from .exceptions import StaleEdit

CHANGED = _("Someone else changed this after you opened it.")
UNREADABLE = _(
    "This page did not say which version it showed (it is out of date or "
    "incomplete); nothing was saved."
)


def posted_version(data, message=UNREADABLE) -> int:
    """The version a submitted page was opened at. Missing or not a whole number:
    StaleEdit, never a guess and never a server error."""
    raw = str(data.get("version") or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        raise StaleEdit(message)
    return int(raw)


def check_version(
    obj,
    version,
    message=CHANGED,
    *,
    since: Callable[[object, int], list] | None = None,
    unreadable=UNREADABLE,
) -> None:
    """Refuse unless `version` is the record's current one. `None` means the caller
    is not a page (a service acting on its own), which has nothing to compare.
    `since(obj, version)` lists what happened since, for the stale page."""
    if version is None:
        return
    if isinstance(version, bool) or not isinstance(version, int):
        version = posted_version({"version": version}, unreadable)
    if version != obj.version:
        raise StaleEdit(message, since(obj, version) if since else ())


def lock_row(
    queryset: models.QuerySet | type[models.Model],
    pk,
    version=None,
    message=CHANGED,
    *,
    since=None,
):
    """The row, locked for the rest of the transaction, at `version`. A queryset
    with select_related locks its own rows only (`of=("self",)`)."""
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    if queryset.query.select_related:
        queryset = queryset.select_for_update(of=("self",))
    else:
        queryset = queryset.select_for_update()
    locked = queryset.get(pk=pk)
    check_version(locked, version, message, since=since)
    return locked


def bump(obj, *fields: str) -> None:
    """Save a locked record's changed `fields` as a new version: pages opened before
    this save are stale from now on."""
    obj.version += 1
    extra = (
        ["updated_at"] if any(f.name == "updated_at" for f in obj._meta.fields) else []
    )
    obj.save(update_fields=[*fields, "version", *extra])
