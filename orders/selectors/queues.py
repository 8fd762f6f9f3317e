"""The "what needs me now" queues: one row per order with what is due, its due date and
working days left, most urgent first. Each part of the walk adds its queue functions;
`queue_functions()` lists them all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from accounts.workdays import get_calendar

from ..models import Order


@dataclass
class QueueItem:
    order: Order
    what: object
    due_date: date | None
    days_left: int | None
    url: str

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue else 0


@dataclass
class Queue:
    key: str
    title: object
    items: list[QueueItem]


def queue_items(orders, what, calendar, today, due=lambda o: o.due_date):
    items = []
    for order in orders:
        due_date = due(order)
        days_left = None
        if due_date is not None:
            days_left = (
                -calendar.working_days_between(due_date, today)
                if due_date < today
                else calendar.working_days_between(today, due_date)
            )
        items.append(
            QueueItem(
                order,
                what(order) if callable(what) else what,
                due_date,
                days_left,
                order.get_absolute_url(),
            )
        )
    return items


def by_urgency(items: list[QueueItem]) -> list[QueueItem]:
    return sorted(
        items,
        key=lambda i: (
            i.days_left is None,
            i.days_left if i.days_left is not None else 0,
            i.order.number,
        ),
    )


def queue_functions():
    from . import contract, order, review

    return (
        order.sales_queue,
        order.finance_queue,
        order.change_queue,
        order.review_intake_queue,
        *review.QUEUES,
        *contract.QUEUES,
    )


def queues_for(user) -> list[Queue]:
    """Cached on the user object for the request: the navigation count and the home
    page read the same queues."""
    cached = getattr(user, "_order_queues", None)
    if cached is None:
        calendar, today = get_calendar(), timezone.localdate()
        cached = [
            q for q in (make(user, calendar, today) for make in queue_functions()) if q
        ]
        user._order_queues = cached
    return cached


def waiting_count(user) -> int:
    return sum(len(q.items) for q in queues_for(user))
