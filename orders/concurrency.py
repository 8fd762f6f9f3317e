"""Two people, one order: core.concurrency's lock and version check for the order's
row, with what changed since (the order's history) on the stale page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import concurrency
from core.concurrency import bump

from .models import Order, OrderLine

CHANGED = _("Someone else changed this order after you opened it.")
UNREADABLE = _(
    "This page did not say which version of the order it showed (it is out of date "
    "or incomplete); nothing was saved."
)

__all__ = [
    "CHANGED",
    "bump",
    "check_version",
    "lock_lines",
    "lock_order",
    "posted_version",
]


def _since(order: Order, version: int) -> list:
    from . import events

    return events.since(order, version)


def posted_version(data) -> int:
    """The version a submitted page was opened at (StaleEdit when it posts none)."""
    return concurrency.posted_version(data, UNREADABLE)


def check_version(order: Order, version, message=CHANGED) -> None:
    concurrency.check_version(
        order, version, message, since=_since, unreadable=UNREADABLE
    )


def lock_order(order: Order | int, version=None, *, message=CHANGED, related=()):
    """The order's row, locked for the rest of the transaction, at `version`."""
    pk = order if isinstance(order, int) else order.pk
    queryset = (
        Order.objects.select_related(*related) if related else Order.objects.all()
    )
    return concurrency.lock_row(queryset, pk, version, message, since=_since)


def lock_lines(lines) -> dict[int, OrderLine]:
    """The order lines a piece of partial work draws on (a plan of part of a line,
    a rework, later a shipment or an inspection), locked for the rest of the
    transaction in one fixed order — by id — so two writers never wait on each
    other in a circle, and re-read: {id: line}. Lock the order first."""
    ids = sorted({getattr(line, "pk", line) for line in lines if line is not None})
    return {
        line.pk: line
        for line in OrderLine.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
    }
