"""China's official calendar as a maintained library knows it: the only module that
imports `chinese_calendar` (PyPI `chinesecalendar`).

The library lists, per year, the public holidays (法定节假日, the days off of each
holiday block, weekend days included) and the make-up working days (调休上班日), as
the General Office of the State Council announced them. A new release follows each
announcement (usually in November); bump the pin in requirements.txt, then run
`manage.py load_calendar`.

The `holidays` package was considered and is not used: for China it lists only the
days off that fall on weekdays, names the make-up working days only inside the names
of substituted days, and its years beyond the last announcement are projections by
rule — a year it would fill would still lack its 调休 days.
"""

from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

import chinese_calendar

LIBRARY = f"chinesecalendar {version('chinesecalendar')}"

# The library's own Chinese names are short forms (清明, 端午, 中秋); the calendar
# shows the names the announcements use.
_NAMES = {
    chinese_calendar.Holiday.tomb_sweeping_day.value: "清明节",
    chinese_calendar.Holiday.dragon_boat_festival.value: "端午节",
    chinese_calendar.Holiday.mid_autumn_festival.value: "中秋节",
}


@dataclass(frozen=True)
class LibraryDay:
    date: date
    is_holiday: bool  # False: a make-up working day
    name: str


def _chinese_name(english: str) -> str:
    return _NAMES.get(english) or chinese_calendar.Holiday(english).chinese


def library_years() -> list[int]:
    """The years the library knows, ascending (a year counts when it lists any
    holiday in it)."""
    return sorted({day.year for day in chinese_calendar.holidays})


def qingming(year: int) -> date:
    """清明 of `year`: the solar term (the library computes the 24 solar terms for
    1900–2100, not only for the years it has holidays of)."""
    start = date(year, 4, 1)
    terms = chinese_calendar.get_solar_terms(start, date(year, 4, 30))
    return next(day for day, name in terms if name == "清明")


def library_days(years) -> list[LibraryDay]:
    """The holidays and make-up working days of `years`, by date. A make-up working
    day is named after the holiday it makes up for: 国庆节调休."""
    years = set(years)
    days = [
        LibraryDay(day, True, _chinese_name(english))
        for day, english in chinese_calendar.holidays.items()
        if day.year in years
    ]
    days += [
        LibraryDay(day, False, f"{_chinese_name(english)}调休")
        for day, english in chinese_calendar.workdays.items()
        if day.year in years
    ]
    return sorted(days, key=lambda day: day.date)
