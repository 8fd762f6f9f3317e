"""The company working-day calendar (工作日历): the one place that says whether a date
is a working day and how many working days lie between two dates.

Every due date (review sheet days → promised date) and every lateness count (1 point
per working day late) goes through this module, so that the working week, the public
holidays (法定节假日) and the make-up working days (调休上班日) kept by the admin are
applied the same way everywhere.

Load the calendar once per request or task with `get_calendar()` (two queries) and
pass it to every call; the module-level functions load it themselves only when no
calendar is given. The calendar is not cached between requests on purpose: an admin
who adds next year's holidays expects the next page to use them.

The calendar knows which years it covers (`CalendarYear`: loaded from the calendar
library by `manage.py load_calendar`, filled by the statutory rule for a year the
library does not know yet — its holidays known, its make-up working days not yet
announced: `provisional_years` — or marked by the admin). A date in any other year is
counted on the plain working week; `covers()` and `uncovered_years()` let a page say
so rather than pass such a date off as exact.

Dates only: pass `timezone.localdate()` or `dt.date()` of a local datetime, never a
datetime, which would silently miss the holidays.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from core.memo import memo

from .models import CalendarDay, CalendarSource, CalendarYear, WorkingWeek

CALENDAR = "accounts.calendar"

# A due date is a few weeks away, a lateness count a few months; ten years of working
# days in one step is a bug in the caller, not a plan.
MAX_WORKING_DAYS = 3660

MONDAY_TO_FRIDAY = frozenset(range(5))
MONDAY_TO_SATURDAY = frozenset(range(6))

_ONE_DAY = timedelta(days=1)


def _check_date(value: object, argument: str) -> None:
    # datetime is a subclass of date but never equals one, so a datetime would be
    # looked up in the holiday sets and not found.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{argument} must be a date, not {type(value).__name__}")


@dataclass(frozen=True)
class WorkCalendar:
    """An immutable snapshot of the working week and the calendar days.

    A date is a working day when it is a make-up working day, or when it falls in the
    working week and is not a public holiday. Build it with `get_calendar()`; tests
    may build it directly.
    """

    saturday_is_working: bool = False
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    covered_years: frozenset[int] = field(default_factory=frozenset)
    # Covered years whose holidays come from the statutory rule: their make-up
    # working days (调休) are not announced yet.
    provisional_years: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self):
        # The table has one row per date; a hand-built calendar must agree.
        if both := self.holidays & self.workdays:
            raise ValueError(f"Dates both holiday and make-up working day: {both}")

    @property
    def working_weekdays(self) -> frozenset[int]:
        """The weekdays (Monday = 0) of the regular working week."""
        return MONDAY_TO_SATURDAY if self.saturday_is_working else MONDAY_TO_FRIDAY

    def covers(self, d: date) -> bool:
        """True when `d`'s year has its holidays and make-up working days loaded."""
        _check_date(d, "d")
        return d.year in self.covered_years

    def uncovered_years(self, *dates: date | None) -> list[int]:
        """The years from the earliest to the latest of `dates` (None is skipped)
        that the calendar does not cover, ascending. The whole span counts: working
        days added across an uncovered year are off even when the end lands in a
        covered one."""
        given = [d for d in dates if d is not None]
        for d in given:
            _check_date(d, "dates")
        if not given:
            return []
        first, last = min(given).year, max(given).year
        return [y for y in range(first, last + 1) if y not in self.covered_years]

    def is_working_day(self, d: date) -> bool:
        """True if staff work on `d`: holidays never, make-up days always, otherwise
        the working week decides."""
        _check_date(d, "d")
        if d in self.holidays:
            return False
        if d in self.workdays:
            return True
        return d.weekday() in self.working_weekdays

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        return self.add_working_days(d, 1)

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start`, `start` itself not counted.

        This is how a due date follows from the days committed on the review sheet:
        concluded on Wednesday + 1 working day = Thursday. `days == 0` gives `start`
        when it is a working day, else the next working day (nothing can be due on a
        holiday). Negative `days` count backwards: Thursday - 1 = Wednesday.

        Raises ValueError when abs(days) > MAX_WORKING_DAYS.
        """
        _check_date(start, "start")
        if isinstance(days, bool) or not isinstance(days, int):
            raise TypeError(f"days must be an int, not {type(days).__name__}")
        if abs(days) > MAX_WORKING_DAYS:
            raise ValueError(
                f"{days} working days is out of range (at most {MAX_WORKING_DAYS})"
            )
        if days == 0:
            return start if self.is_working_day(start) else self.next_working_day(start)
        step = _ONE_DAY if days > 0 else -_ONE_DAY
        remaining = abs(days)
        current = start
        # Terminates: outside the few listed holidays the working week has working
        # days every week.
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days `end` lies after `start`, signed.

        With `start` the due date and `end` the day the work was done, this is how
        many working days late it was (one penalty point each):

        - end > start: the number of working days in (start, end] — done on the next
          working day after the due date is 1 day late; done on a Saturday or a
          holiday after a Friday due date is 0 days late.
        - end == start: 0.
        - end < start: minus the number of working days in (end, start] — how many
          working days early. Thus between(a, b) == -between(b, a).

        For any start and n > 0: between(start, add_working_days(start, n)) == n.
        """
        _check_date(start, "start")
        _check_date(end, "end")
        if end < start:
            return -self._count(end, start)
        return self._count(start, end)

    def _count(self, after: date, through: date) -> int:
        """Working days in (after, through], after <= through. Counts whole weeks
        arithmetically and then corrects for the listed days, so a span of years
        costs no more than a span of days."""
        weekdays = self.working_weekdays
        weeks, rest = divmod((through - after).days, 7)
        first = after.weekday()
        count = weeks * len(weekdays)
        count += sum(1 for i in range(1, rest + 1) if (first + i) % 7 in weekdays)
        for d in self.holidays:
            if after < d <= through and d.weekday() in weekdays:
                count -= 1
        for d in self.workdays:
            if after < d <= through and d.weekday() not in weekdays:
                count += 1
        return count


def get_calendar() -> WorkCalendar:
    """The company calendar, read once per request (core.memo): the tracker, the due
    items and the workbench of one page share it."""
    return memo(CALENDAR, _load_calendar)


def _load_calendar() -> WorkCalendar:
    """Load the working week with the covered years, and every calendar day: exactly
    two queries.

    The calendar table holds a few dozen rows a year, so reading all of it is cheaper
    than asking per date. Reading never writes: a missing working-week row counts as
    the model's default (Monday to Friday).
    """
    # Every page loads the calendar (the navigation's queues count lateness), so the
    # covered years ride along with the one working-week row in a UNION rather than
    # cost a third query: rows ("week", 0 or 1), ("year", 2026) and ("rule", 2027)
    # for a year filled by the statutory rule.
    week = (
        WorkingWeek.objects.filter(pk=1)
        .order_by()
        .annotate(row=Value("week"), value=Cast("saturday_is_working", IntegerField()))
        .values_list("row", "value")
    )
    years = (
        CalendarYear.objects.order_by()
        .annotate(
            row=Case(
                When(source=CalendarSource.RULE, then=Value("rule")),
                default=Value("year"),
            ),
            value=F("year"),
        )
        .values_list("row", "value")
    )
    saturday_is_working = None
    covered_years, provisional_years = set(), set()
    for row, value in week.union(years, all=True):
        if row == "week":
            saturday_is_working = bool(value)
        else:
            covered_years.add(value)
            if row == "rule":
                provisional_years.add(value)
    if saturday_is_working is None:
        saturday_is_working = WorkingWeek._meta.get_field("saturday_is_working").default
    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.order_by().values_list("date", "kind"):
        (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
    return WorkCalendar(
        saturday_is_working=saturday_is_working,
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        covered_years=frozenset(covered_years),
        provisional_years=frozenset(provisional_years),
    )


def uncovered_years_warning(calendar: WorkCalendar, *dates: date | None) -> str:
    """What a page says above dates it computed when they reach into a year the
    calendar does not cover (see `WorkCalendar.uncovered_years`); "" when they do
    not. A year filled by the statutory rule is covered: its holidays are known,
    and its make-up working days are the administrator's to load
    (`coming_years_warning`), not every reader's worry."""
    years = calendar.uncovered_years(*dates)
    if not years:
        return ""
    return _(
        "The public holidays and make-up working days of %(years)s are not in the "
        "calendar yet, so the date is counted on the plain working week. Please ask "
        "the system administrator to update the calendar."
    ) % {"years": "、".join(str(year) for year in years)}


def coming_years_warning(calendar: WorkCalendar, today: date) -> str:
    """What the system administrator is told (the admin's home page, their
    workbench) when this year or the next is not announced in the calendar: not
    covered at all, or its holidays filled by the statutory rule while its make-up
    working days (调休) wait for the State Council — and how to load them. Nobody
    else is told: their dates already skip the statutory holidays."""
    coming = (today.year, today.year + 1)
    missing = [y for y in coming if y not in calendar.covered_years]
    provisional = [y for y in coming if y in calendar.provisional_years]
    how = _(
        "Once the State Council has announced the holidays (usually in November) and "
        "a release of chinesecalendar has them, raise its version in requirements.txt, "
        "install it and run “manage.py load_calendar” (or press “Update the public "
        "holidays from the calendar library” on the calendar days page); or enter the "
        "days by hand and mark the year in the calendar years."
    )
    parts = []
    if missing:
        parts.append(
            _(
                "The calendar does not cover %(years)s yet: dates in it are counted on "
                "the plain working week."
            )
            % {"years": "、".join(str(year) for year in missing)}
        )
    if provisional:
        parts.append(
            _(
                "The statutory public holidays of %(years)s are in the calendar by the "
                "law's rule; the make-up working days (调休) are not announced yet."
            )
            % {"years": "、".join(str(year) for year in provisional)}
        )
    if not parts:
        return ""
    return " ".join([*(str(p) for p in parts), str(how)])


def _loaded(calendar: WorkCalendar | None) -> WorkCalendar:
    return get_calendar() if calendar is None else calendar


def is_working_day(d: date, calendar: WorkCalendar | None = None) -> bool:
    """`WorkCalendar.is_working_day`, loading the calendar if none is given."""
    return _loaded(calendar).is_working_day(d)


def next_working_day(d: date, calendar: WorkCalendar | None = None) -> date:
    """`WorkCalendar.next_working_day`, loading the calendar if none is given."""
    return _loaded(calendar).next_working_day(d)


def add_working_days(
    start: date, days: int, calendar: WorkCalendar | None = None
) -> date:
    """`WorkCalendar.add_working_days`, loading the calendar if none is given."""
    return _loaded(calendar).add_working_days(start, days)


def working_days_between(
    start: date, end: date, calendar: WorkCalendar | None = None
) -> int:
    """`WorkCalendar.working_days_between`, loading the calendar if none is given."""
    return _loaded(calendar).working_days_between(start, end)
