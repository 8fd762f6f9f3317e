"""The workshop load (车间负荷): what each workshop or line has planned per working
day against what it can make in a day (WorkshopCapacity) — the promise production
can keep. The plan board, the shop-floor screen, the contract review sheet and the
planner's warnings all read it from here, so the rule below is written once.

How a dispatch slip loads the days — kept simple on purpose:

- Only the open slips (not started, or in progress) of *issued* plans count: a draft
  plan is the planner's sketch until it is issued (its slips are weighed as if
  issued only when the planner is warned, `plan_overloads`).
- The pieces a slip still has to make (quantity − good) are spread evenly over its
  working days (accounts.workdays), from its start date through its due date, both
  included. A slip without a start date, or one whose start has passed, counts from
  today. Whole units: every day gets the same share and the remainder goes one
  unit a day to the earliest days. So a slip with start date = due date = D puts
  all its pieces on D.
- A late slip (due before today) is owed now: its whole remainder lands on the
  first working day from today.
- A slip whose dates hold no working day (due on a Sunday, say) puts its remainder
  on the last working day before its due date — or, if that is in the past, on the
  first working day from today.
- A day is overloaded when its load is more than the workshop's daily capacity.

Reading the load is two queries whatever the number of slips (the workshops with
their capacity and their late remainder summed by the database; the rows of the
slips not late yet), plus the calendar the request already holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from accounts.models import Department
from accounts.workdays import WorkCalendar, get_calendar

from .models import DispatchSlip, ProductionPlan, late_on

OPEN_SLIP = (DispatchSlip.Status.WAITING, DispatchSlip.Status.STARTED)


def horizon(calendar: WorkCalendar, today: date, days: int) -> list[date]:
    """The first `days` working days from today (today included when it is one)."""
    first = calendar.add_working_days(today, 0)
    result = [first]
    while len(result) < days:
        result.append(calendar.next_working_day(result[-1]))
    return result


def spread(pieces: int, days: list[date]) -> dict[date, int]:
    """`pieces` shared evenly over `days` in whole units, the remainder one a day to
    the earliest days."""
    if pieces <= 0 or not days:
        return {}
    share, rest = divmod(pieces, len(days))
    result = {}
    for index, day in enumerate(days):
        amount = share + (1 if index < rest else 0)
        if amount:
            result[day] = amount
    return result


def slip_days(
    *,
    pieces: int,
    start: date | None,
    due: date,
    today: date,
    calendar: WorkCalendar,
    until: date | None = None,
) -> dict[date, int]:
    """How a slip's `pieces` still to make load the working days (the module's
    rule), listed up to `until` (the days a page shows): the shares are counted
    over the slip's whole window, never by walking it, so a slip due years ahead
    costs no more than one due tomorrow."""
    first_open = calendar.add_working_days(today, 0)
    if due < today:
        return spread(pieces, [first_open])
    begin = calendar.add_working_days(max(start or today, today), 0)
    if begin > due:
        before_due = calendar.add_working_days(due, -1)
        return spread(pieces, [before_due if before_due >= today else first_open])
    if pieces <= 0:
        return {}
    # working days in [begin, due]: begin is one, and those in (begin, due]
    count = calendar.working_days_between(begin, due) + 1
    share, rest = divmod(pieces, count)
    last = due if until is None else min(due, until)
    result = {}
    day, index = begin, 0
    while day <= last:
        amount = share + (1 if index < rest else 0)
        if amount:
            result[day] = amount
        index += 1
        if day == last:
            break
        day = calendar.next_working_day(day)
    return result


@dataclass(frozen=True)
class LoadDay:
    day: date
    load: int
    capacity: int | None

    @property
    def overloaded(self) -> bool:
        return self.capacity is not None and self.load > self.capacity

    @property
    def percent(self) -> int | None:
        if not self.capacity:
            return None
        return int(self.load * 100 / self.capacity)


@dataclass
class WorkshopLoad:
    workshop: Department
    capacity: int | None
    unit: str
    days: list[LoadDay] = field(default_factory=list)

    @property
    def overloaded(self) -> list[LoadDay]:
        return [d for d in self.days if d.overloaded]

    def on(self, day: date) -> LoadDay | None:
        return next((d for d in self.days if d.day == day), None)


@dataclass(frozen=True)
class SlipLoad:
    """What the load needs of a slip."""

    workshop_id: int
    pieces: int
    start: date | None
    due: date

    @classmethod
    def of(cls, slip: DispatchSlip) -> SlipLoad:
        return cls(
            slip.workshop_id,
            max(slip.quantity - slip.good_qty, 0),
            slip.start_date,
            slip.due_date,
        )


def _workshops(workshop_ids, today):
    workshops = Department.objects.filter(kind=Department.Kind.WORKSHOP)
    if workshop_ids is not None:
        workshops = workshops.filter(pk__in=list(workshop_ids))
    # the pieces of late slips, summed over the open slips alone (read down the
    # open-slip index, not over every slip the workshop ever had)
    late = (
        DispatchSlip.objects.filter(
            workshop=OuterRef("pk"),
            status__in=OPEN_SLIP,
            plan__status=ProductionPlan.Status.ISSUED,
        )
        .filter(late_on(today))
        .order_by()
        .values("workshop")
        .annotate(pieces=Sum(F("quantity") - F("good_qty")))
        .values("pieces")
    )
    return list(
        workshops.select_related("capacity")
        .annotate(late_pieces=Subquery(late))
        .order_by("sort_order", "code")
    )


def _committed(workshop_ids, today, until) -> list[SlipLoad]:
    rows = DispatchSlip.objects.filter(
        status__in=OPEN_SLIP,
        plan__status=ProductionPlan.Status.ISSUED,
        due_date__gte=today,
    ).filter(Q(start_date__isnull=True) | Q(start_date__lte=until))
    if workshop_ids is not None:
        rows = rows.filter(workshop_id__in=list(workshop_ids))
    return [
        SlipLoad(workshop_id, max(quantity - good, 0), start, due)
        for workshop_id, quantity, good, start, due in rows.order_by().values_list(
            "workshop_id", "quantity", "good_qty", "start_date", "due_date"
        )
    ]


def workshop_loads(
    *,
    workshop_ids=None,
    days: int | None = None,
    extra: tuple[SlipLoad, ...] | list[SlipLoad] = (),
    today: date | None = None,
) -> list[WorkshopLoad]:
    """Each workshop's (or the given ones') planned load per working day for the
    coming `days` working days (PRODUCTION_LOAD_DAYS), with `extra` slips counted
    as if issued. Two queries."""
    calendar = get_calendar()
    today = today or timezone.localdate()
    days = days or settings.PRODUCTION_LOAD_DAYS
    dates = horizon(calendar, today, days)
    until = dates[-1]
    workshops = _workshops(workshop_ids, today)
    ids = [w.pk for w in workshops]
    totals: dict[int, dict[date, int]] = {pk: {} for pk in ids}
    for workshop in workshops:
        if workshop.late_pieces:
            totals[workshop.pk][dates[0]] = workshop.late_pieces
    slips = _committed(ids, today, until) + list(extra)
    for slip in slips:
        if slip.workshop_id not in totals:
            continue
        row = totals[slip.workshop_id]
        loaded = slip_days(
            pieces=slip.pieces,
            start=slip.start,
            due=slip.due,
            today=today,
            calendar=calendar,
            until=until,
        )
        for day, pieces in loaded.items():
            row[day] = row.get(day, 0) + pieces
    result = []
    for workshop in workshops:
        capacity = getattr(workshop, "capacity", None)
        daily = capacity.daily_capacity if capacity else None
        result.append(
            WorkshopLoad(
                workshop=workshop,
                capacity=daily,
                unit=capacity.get_unit_display() if capacity else "",
                days=[
                    LoadDay(day, totals[workshop.pk].get(day, 0), daily)
                    for day in dates
                ],
            )
        )
    return result


@dataclass(frozen=True)
class Overload:
    workshop: Department
    day: LoadDay
    unit: str


def plan_overloads(plan: ProductionPlan, *, only=None) -> list[Overload]:
    """The days the plan's open slips (or `only` these of them) load that would
    be over capacity: the days a warning names when the planner adds a slip or
    issues the plan. A plan not issued yet has its open slips counted as if it
    were."""
    slips = list(
        DispatchSlip.objects.filter(plan=plan, status__in=OPEN_SLIP).select_related(
            "plan"
        )
    )
    if not slips:
        return []
    extra = []
    # The plan as stored now (the caller's copy may predate its issue).
    if slips[0].plan.status != ProductionPlan.Status.ISSUED:
        extra = [SlipLoad.of(slip) for slip in slips]
    wanted = {s.pk for s in only} if only is not None else {s.pk for s in slips}
    touched = [s for s in slips if s.pk in wanted]
    loads = workshop_loads(workshop_ids={s.workshop_id for s in touched}, extra=extra)
    calendar = get_calendar()
    today = timezone.localdate()
    by_workshop = {w.workshop.pk: w for w in loads}
    found: dict[tuple[int, date], Overload] = {}
    for slip in touched:
        row = by_workshop.get(slip.workshop_id)
        if row is None:
            continue
        loaded = slip_days(
            pieces=max(slip.quantity - slip.good_qty, 0),
            start=slip.start_date,
            due=slip.due_date,
            today=today,
            calendar=calendar,
            until=row.days[-1].day if row.days else today,
        )
        for day in loaded:
            load_day = row.on(day)
            if load_day is not None and load_day.overloaded:
                found[(slip.workshop_id, day)] = Overload(
                    row.workshop, load_day, row.unit
                )
    return sorted(found.values(), key=lambda o: (o.day.day, o.workshop.sort_order))
