from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.memo import forget

from .calendar_library import LIBRARY, library_days, library_years
from .departments import DEPARTMENTS
from .models import CalendarDay, CalendarSource, CalendarYear, WorkingWeek
from .roles import ROLES
from .signals import departments_synced
from .statutory import RULE_FROM, RULE_UNTIL, statutory_holidays
from .workdays import CALENDAR


def _permission(label: str) -> Permission:
    app_label, codename = label.split(".", 1)
    try:
        return Permission.objects.get(
            content_type__app_label=app_label, codename=codename
        )
    except Permission.DoesNotExist as exc:
        raise ImproperlyConfigured(f"Role permission {label!r} does not exist") from exc


@transaction.atomic
def departments_sync() -> dict:
    """Create every declared department that is missing (by code) and keep its kind
    and place in the list; a name the administrator changed is kept. Idempotent;
    returns {code: Department}."""
    from .models import Department

    existing = {
        d.code: d
        for d in Department.objects.filter(code__in=[d.code for d in DEPARTMENTS])
    }
    result = {}
    for position, spec in enumerate(DEPARTMENTS):
        department = existing.get(spec.code)
        if department is None:
            department = Department.objects.create(
                code=spec.code, name=spec.name, kind=spec.kind, sort_order=position
            )
        elif (department.kind, department.sort_order) != (spec.kind, position):
            department.kind, department.sort_order = spec.kind, position
            department.save(update_fields=["kind", "sort_order"])
        result[spec.code] = department
    departments_synced.send(sender=departments_sync, departments=result)
    return result


@transaction.atomic
def roles_sync() -> list[tuple[str, int]]:
    """Make every declared role a group holding exactly its declared permissions.
    Idempotent; returns (group name, permission count) per role."""
    result = []
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set([_permission(label) for label in role.permissions])
        result.append((group.name, len(role.permissions)))
    return result


# --- the company calendar ------------------------------------------------------------

# "A few years back": lateness is still counted on the orders of the last years, while
# older years would only make every page read more calendar rows.
CALENDAR_YEARS_BACK = 3
# Years ahead of this one filled by the statutory rule when the library does not
# know them yet: a promised date or a plan reaches a year or so ahead.
CALENDAR_RULE_YEARS_AHEAD = 2
# What the loader may overwrite: its own rows, never the admin's.
LOADED = (CalendarSource.LIBRARY, CalendarSource.RULE)
# The note on a year filled by rule.
RULE_NOTE = "法定节假日按《全国年节及纪念日放假办法》生成；调休待国务院公布"


@dataclass
class CalendarLoad:
    """What one run of the loader did, for the command's output and the admin's
    message. Empty lists mean the calendar already agreed with the library."""

    years: list[int]
    rule_years: list[int] = field(default_factory=list)
    added: list[date] = field(default_factory=list)
    changed: list[date] = field(default_factory=list)
    removed: list[date] = field(default_factory=list)
    kept: list[date] = field(default_factory=list)
    years_recorded: list[int] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.years_recorded)

    def summary(self) -> list[str]:
        """One line for what was done, one more if days entered by hand were kept."""
        years = years_display(self.years) or "-"
        if not self.changed_anything:
            lines = [
                _("The calendar already agrees with %(library)s for %(years)s.")
                % {"library": LIBRARY, "years": years}
            ]
        else:
            lines = [
                _(
                    "Updated from %(library)s for %(years)s: %(added)d days added, "
                    "%(changed)d changed, %(removed)d removed; years newly recorded "
                    "as covered: %(recorded)s."
                )
                % {
                    "library": LIBRARY,
                    "years": years,
                    "added": len(self.added),
                    "changed": len(self.changed),
                    "removed": len(self.removed),
                    "recorded": years_display(self.years_recorded) or "-",
                }
            ]
        if self.rule_years:
            lines.append(
                _(
                    "%(library)s does not know %(years)s yet: their statutory public "
                    "holidays are filled by the law's rule; their make-up working days "
                    "(调休) wait for the State Council's announcement and a release of "
                    "the library."
                )
                % {"library": LIBRARY, "years": years_display(self.rule_years)}
            )
        if self.kept:
            lines.append(
                _(
                    "Kept as entered by hand, although the library says otherwise: "
                    "%(dates)s."
                )
                % {"dates": "、".join(f"{d:%Y-%m-%d}" for d in self.kept)}
            )
        return lines


def years_display(years) -> str:
    """2023–2026 for a run of years, 2024、2026 otherwise."""
    years = sorted(set(years))
    if len(years) > 2 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}–{years[-1]}"
    return "、".join(str(year) for year in years)


def calendar_default_years(today: date | None = None) -> list[int]:
    """The library's years from a few years back to the last one it knows, then the
    years up to CALENDAR_RULE_YEARS_AHEAD after this one, which the rule fills."""
    this_year = (today or timezone.localdate()).year
    first = this_year - CALENDAR_YEARS_BACK
    known = [year for year in library_years() if year >= first]
    ahead = range(
        max(known, default=first - 1) + 1, this_year + 1 + CALENDAR_RULE_YEARS_AHEAD
    )
    return known + [year for year in ahead if RULE_FROM <= year <= RULE_UNTIL]


@transaction.atomic
def calendar_load_library(*, actor=None, years=None) -> CalendarLoad:
    """Bring the public holidays and make-up working days of `years` (default: see
    `calendar_default_years`) in line with the calendar library, and record those
    years as covered. A year the library does not know yet (from 2025) gets its
    statutory holidays by the law's rule instead (accounts.statutory), recorded as
    such: a later run, once the library knows it, replaces them with the announced
    days and make-up working days. Idempotent: a second run writes nothing.

    A day or a year the admin entered or edited by hand is never written (a year
    the admin marked is not filled by rule either); a day the loader put in and no
    longer wants is removed. `actor` is the admin pressing the button (None for the
    command). Raises ValueError for a year neither the library nor the rule knows.
    """
    if actor is not None and not actor.has_perm("accounts.load_calendar"):
        raise PermissionDenied(_("You may not update the calendar."))
    known = library_years()
    years = sorted(set(calendar_default_years() if years is None else years))
    by_rule = [y for y in years if y not in known and RULE_FROM <= y <= RULE_UNTIL]
    if unknown := [y for y in years if y not in known and y not in by_rule]:
        raise ValueError(
            _(
                "%(library)s does not know %(unknown)s (it knows %(known)s): enter "
                "those days by hand in the admin."
            )
            % {
                "library": LIBRARY,
                "unknown": years_display(unknown),
                "known": years_display(known),
            }
        )
    # The one working-week row serialises two loads, which would otherwise both
    # insert the same new days.
    WorkingWeek.objects.select_for_update().get_or_create(pk=1)
    marked = {row.year: row for row in CalendarYear.objects.filter(year__in=years)}
    # A year the admin keeps by hand is theirs: no rule fills it.
    by_rule = [
        y
        for y in by_rule
        if y not in marked or marked[y].source != CalendarSource.ADMIN
    ]
    result = CalendarLoad(years=years, rule_years=by_rule)
    wanted = {
        day.date: (day, CalendarSource.LIBRARY)
        for day in library_days([y for y in years if y in known])
    }
    for year in by_rule:
        wanted.update(
            {day.date: (day, CalendarSource.RULE) for day in statutory_holidays(year)}
        )
    loaded_years = {y for y in years if y in known} | set(by_rule)
    present = {
        row.date: row for row in CalendarDay.objects.filter(date__year__in=loaded_years)
    }
    to_add, to_change = [], []
    for day, source in wanted.values():
        kind = CalendarDay.Kind.HOLIDAY if day.is_holiday else CalendarDay.Kind.WORKDAY
        row = present.get(day.date)
        if row is None:
            row = CalendarDay(date=day.date, kind=kind, name=day.name, source=source)
            to_add.append(row)
        elif row.source not in LOADED:
            if row.kind != kind:
                result.kept.append(day.date)
            continue
        elif (row.kind, row.name, row.source) != (kind, day.name, source):
            row.kind, row.name, row.source = kind, day.name, source
            to_change.append(row)
        else:
            continue
        # Uniqueness and the check constraints are the database's to enforce here;
        # validating them per row would cost a query each.
        row.full_clean(validate_unique=False, validate_constraints=False)
    gone = [
        row
        for row in present.values()
        if row.source in LOADED and row.date not in wanted
    ]
    CalendarDay.objects.bulk_create(to_add)
    CalendarDay.objects.bulk_update(to_change, ["kind", "name", "source"])
    CalendarDay.objects.filter(pk__in=[row.pk for row in gone]).delete()
    forget(CALENDAR)  # bulk writes send no signal (accounts.apps)
    result.added = [row.date for row in to_add]
    result.changed = [row.date for row in to_change]
    result.removed = sorted(row.date for row in gone)

    touched = {d.year for d in result.added + result.changed + result.removed}
    now = timezone.now()
    for year in sorted(loaded_years):
        source = CalendarSource.RULE if year in by_rule else CalendarSource.LIBRARY
        note = RULE_NOTE if year in by_rule else LIBRARY
        row = marked.get(year)
        if row is None:
            row = CalendarYear(year=year, source=source, loaded_at=now, note=note)
            row.full_clean()
            row.save()
            result.years_recorded.append(year)
        elif row.source == CalendarSource.ADMIN:
            continue
        elif row.source != source:
            # announced at last: the rule's year becomes the library's
            row.source, row.loaded_at, row.note = source, now, note
            row.save(update_fields=["source", "loaded_at", "note"])
            result.years_recorded.append(year)
        elif year in touched:
            row.loaded_at, row.note = now, note
            row.save(update_fields=["loaded_at", "note"])
    return result


# --- the user's own language ---------------------------------------------------------


def user_language_set(*, user, language: str) -> None:
    """Keep the language the user picked on their profile: every page after sign-in
    is read in it, on any browser. Anyone may set their own; a language the product
    does not offer is refused."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not an offered language: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
