"""Two people, one order: the row lock and the version check, written once.

A page that can change an order posts back the order's `version` as it was when the
page was opened. The service locks the row and compares: a save by someone else in
between is refused (StaleEdit, listing what changed), and so is a page that posts no
version or a junk one — it cannot prove it saw the order as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .exceptions import StaleEdit
from .models import Order

CHANGED = _("Someone else changed this order after you opened it.")
UNREADABLE = _(
    "This page did not say which version of the order it showed (it is out of date "
    "or incomplete); nothing was saved."
)


def posted_version(data) -> int:
    """The version a submitted page was opened at. Missing or not a whole number:
    StaleEdit, never a guess and never a server error."""
    raw = str(data.get("version") or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        raise StaleEdit(UNREADABLE)
    return int(raw)


def check_version(order: Order, version, message=CHANGED) -> None:
    """Refuse unless `version` is the order's current one. `None` means the caller
    is not a page (a service acting on its own), which has nothing to compare."""
    if version is None:
        return
    if isinstance(version, bool) or not isinstance(version, int):
        version = posted_version({"version": version})
    if version != order.version:
        from . import events

        raise StaleEdit(message, events.since(order, version))


def lock_order(order: Order | int, version=None, *, message=CHANGED, related=()):
    """The order's row, locked for the rest of the transaction, at `version`."""
    pk = order if isinstance(order, int) else order.pk
    queryset = Order.objects.select_for_update()
    if related:
        # Lock the order's row only, not the customer's it is read with.
        queryset = Order.objects.select_for_update(of=("self",)).select_related(
            *related
        )
    locked = queryset.get(pk=pk)
    check_version(locked, version, message)
    return locked


def bump(order: Order, *fields: str) -> None:
    """Save a locked order's changed `fields` as a new version: pages opened before
    this save are stale from now on."""
    order.version += 1
    order.save(update_fields=[*fields, "version", "updated_at"])
