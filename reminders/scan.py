"""The reminder scan: every open due item due within N working days of a day, or
overdue — read from the stage deadlines (orders' `StageDeadline`) and the due sources
every app registers (orders.registry), never from a list of its own.

A handful of SQL queries: one over the open stage deadlines and one per registered
source (`DueSource.open_rows(until)`, a `.values()` query over its open rows); a
source that offers no such query is read through its `open_items()`. The working
days overdue are counted once per distinct due date."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.db.models import Case, F, IntegerField, When
from django.db.models.query import ValuesIterable

from accounts.workdays import get_calendar
from orders.models import StageDeadline
from orders.registry import DUE_ROW, due_sources
from orders.stages import Stage

from . import conf

STAGE_SOURCE = "stage"


class OpenItem(NamedTuple):
    source: str
    object_id: int
    order_id: int
    order_number: str
    due_date: date
    committed_date: date | None
    user_id: int | None
    department_id: int | None
    label: str
    # working days past the due date as of the scan's day (0 or less: not yet)
    overdue: int

    @property
    def key(self) -> str:
        return f"{self.source}:{self.object_id}"


def horizon(as_of: date, within: int | None = None, calendar=None) -> date:
    """The last due date reminded on `as_of`: `within` working days after it."""
    within = conf.due_within() if within is None else within
    return (calendar or get_calendar()).add_working_days(as_of, within)


def stage_rows(until: date):
    """The stages orders are in now, due on or before `until`: one query."""
    return (
        StageDeadline.objects.filter(
            completed_at__isnull=True,
            due_date__lte=until,
            order__stage=F("stage"),
        )
        .values(
            "order_id",
            "due_date",
            "department_id",
            object_id=F("pk"),
            order_number=F("order__number"),
            committed_date=F("due_date"),
            # the salesperson answers for the sales department's stages of their
            # own orders (the quote, the contract); elsewhere the department's head
            user_id=Case(
                When(department__code="sales", then=F("order__salesperson_id")),
                default=None,
                output_field=IntegerField(),
            ),
            label=F("stage"),
        )
        .order_by()
    )


def _rows_in_python(source, until: date) -> list[dict]:
    """A source without `open_rows`: its open items, filtered here."""
    from orders.models import Order

    items = [
        i
        for i in source.open_items()
        if i.due_date is not None and i.due_date <= until and i.done_at is None
    ]
    numbers = dict(
        Order.objects.filter(pk__in={i.order_id for i in items}).values_list(
            "pk", "number"
        )
    )
    return [
        {
            "object_id": i.object_id,
            "order_id": i.order_id,
            "order_number": numbers.get(i.order_id, ""),
            "due_date": i.due_date,
            "committed_date": i.committed_date,
            "user_id": i.user_id,
            "department_id": i.department_id,
            "label": str(i.what),
        }
        for i in items
    ]


def _tuples(rows):
    """A source's rows as tuples in the order of DUE_ROW: a `.values()` query names
    its columns, a `.values_list()` one gives them in that order (for a model whose
    own field would clash with a column's name); a list passes as it is."""
    if not hasattr(rows, "order_by"):
        return [
            tuple(r[c] for c in DUE_ROW) if isinstance(r, dict) else r for r in rows
        ]
    rows = rows.order_by()
    if issubclass(rows._iterable_class, ValuesIterable):
        return rows.values_list(*DUE_ROW)
    return rows


def open_items(as_of: date, *, within: int | None = None) -> list[OpenItem]:
    """Every open item due by `horizon(as_of)` or overdue, most overdue first."""
    calendar = get_calendar()
    until = horizon(as_of, within, calendar)
    sources = [(STAGE_SOURCE, stage_rows(until).values_list(*DUE_ROW))]
    for source in due_sources():
        if source.open_rows is not None:
            rows = _tuples(source.open_rows(until))
        else:
            rows = [
                tuple(r[c] for c in DUE_ROW) for r in _rows_in_python(source, until)
            ]
        sources.append((source.key, rows))
    overdue: dict[date, int] = {}
    items = []
    stage_labels = {code: str(label) for code, label in Stage.choices}
    for key, rows in sources:
        is_stage = key == STAGE_SOURCE
        for object_id, order_id, number, due, committed, user, dept, label in rows:
            if due is None:
                continue
            late = overdue.get(due)
            if late is None:
                late = overdue[due] = calendar.working_days_between(due, as_of)
            if is_stage:
                label = stage_labels.get(label, label)
            items.append(
                OpenItem(
                    key,
                    object_id,
                    order_id,
                    number or "",
                    due,
                    committed,
                    user,
                    dept,
                    str(label or "")[:200],
                    late,
                )
            )
    items.sort(key=lambda i: (-i.overdue, i.order_number, i.source, i.object_id))
    return items
