"""The "what needs whom now" queues: one contract for the workbench (我的工作台), the
navigation badge and, later, the reminders.

An app declares each of its queues once (`register(Queue(...))` from its
AppConfig.ready()): who has it, the rows waiting (a queryset, most urgent first), how
one row reads, and the full filtered list it links to. A queue answers three
questions, each a fixed number of queries whatever the data size:

- `count(user)` — how many rows wait (one COUNT);
- `items(user, limit)` — the most urgent `limit` rows, ready to show;
- `url(user)` — the full, filtered, paginated list.

Queues of one user are disjoint by construction (an order needing a person appears
in exactly one of that person's queues, with the next action named), so the badge is
the plain sum of the counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone


@dataclass
class QueueItem:
    """One waiting row as the workbench shows it."""

    order: object  # the order it is about (number, customer, flags)
    what: object  # the next action, in words
    due_date: date | None
    url: str
    days_left: int | None = None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue else 0


@dataclass(frozen=True)
class Queue:
    key: str
    title: object
    # Whether the user has this queue at all (their roles).
    applies: Callable[[object], bool]
    # The rows waiting for the user, most urgent first.
    rows: Callable[[object], QuerySet]
    # (row, calendar) -> QueueItem without days_left (the workbench adds it).
    item: Callable[[object, object], QueueItem]
    # The full list: (user) -> url.
    list_url: Callable[[object], str]
    # Position on the workbench.
    position: int = 100
    # The rows' path to the order they are about ("pk" when the rows are orders).
    order_field: str = "pk"
    # The app that registered it.
    app: str = ""

    def count(self, user) -> int:
        """One COUNT, remembered on the user object for the rest of the request
        (the badge and the workbench ask the same question)."""
        counts = getattr(user, "_queue_counts", None)
        if counts is None:
            counts = user._queue_counts = {}
        if self.key not in counts:
            counts[self.key] = self.rows(user).count()
        return counts[self.key]

    def items(self, user, calendar, limit: int | None = None) -> list[QueueItem]:
        """The most urgent `limit` rows (settings.WORKBENCH_ROWS by default); the
        calendar (accounts.workdays) counts the working days left."""
        limit = settings.WORKBENCH_ROWS if limit is None else limit
        items = [self.item(row, calendar) for row in self.rows(user)[:limit]]
        today = timezone.localdate()
        for item in items:
            item.days_left = _days_left(calendar, today, item.due_date)
        return items

    def order_ids(self, user):
        """The ids of the orders waiting, for the full list's filter."""
        return self.rows(user).order_by().values(self.order_field)

    def url(self, user) -> str:
        return self.list_url(user)


def _days_left(calendar, today: date, due: date | None) -> int | None:
    if due is None:
        return None
    if due < today:
        return -calendar.working_days_between(due, today)
    return calendar.working_days_between(today, due)


_REGISTRY: dict[str, Queue] = {}


def register(queue: Queue, *, override: bool = False) -> Queue:
    """Add a queue to the workbench. A second queue under a key already taken is
    refused unless it says `override` (an app replacing another's queue on purpose)."""
    if queue.key in _REGISTRY and _REGISTRY[queue.key] != queue and not override:
        raise ValueError(f"Queue {queue.key!r} is registered twice")
    _REGISTRY[queue.key] = queue
    return queue


def forget_app(app: str) -> None:
    """The queues `app` registered, gone."""
    for key in [k for k, q in _REGISTRY.items() if q.app == app]:
        del _REGISTRY[key]


def registered() -> list[Queue]:
    return sorted(_REGISTRY.values(), key=lambda q: (q.position, q.key))


def get(key: str) -> Queue | None:
    return _REGISTRY.get(key)


def queues_for(user) -> list[Queue]:
    """The queues the user has, in workbench order; remembered on the user object
    for the request (the badge and the workbench both ask)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_queues", None)
    if cached is None:
        cached = [queue for queue in registered() if queue.applies(user)]
        user._queues = cached
    return cached


@dataclass
class Panel:
    """A queue as the workbench shows it: its total, its most urgent rows, its list."""

    key: str
    title: object
    count: int
    items: list[QueueItem] = field(default_factory=list)
    url: str = ""

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0)


def workbench(user, calendar, limit: int | None = None) -> list[Panel]:
    """Every queue of the user with its count and most urgent rows: a fixed number of
    queries per queue, whatever the data size."""
    panels = []
    for queue in queues_for(user):
        count = queue.count(user)
        items = queue.items(user, calendar, limit) if count else []
        panels.append(Panel(queue.key, queue.title, count, items, queue.url(user)))
    return panels


def waiting_count(user) -> int:
    """The navigation badge: how many rows wait for the user, over all queues."""
    return sum(queue.count(user) for queue in queues_for(user))
