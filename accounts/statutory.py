"""The public holidays the law fixes for every year (《全国年节及纪念日放假办法》, as
amended by the State Council in November 2024, in force from 2025): the days off of
a year that the calendar library does not know yet, so that a date computed into
next year skips 元旦 and 春节 before the State Council's yearly announcement.

The law fixes 13 days: 元旦 1 (1 January), 春节 4 (除夕 to 正月初三), 清明节 1 (its
solar term), 劳动节 2 (1–2 May), 端午节 1 (lunar 5/5), 中秋节 1 (lunar 8/15), 国庆节
3 (1–3 October). What only the announcement says — the make-up working days (调休),
the weekends bridged into a longer break, and the weekday given back for a holiday
that falls on a weekend — waits for it: `manage.py load_calendar` replaces these
rule-filled days (source "rule") with the library's once a release knows the year.

The lunar dates come from `lunardate` (1900–2099), the solar term from the calendar
library (`accounts.calendar_library.qingming`)."""

from __future__ import annotations

from datetime import date, timedelta

from lunardate import LunarDate

from .calendar_library import LibraryDay, qingming

# The first year of the amended law (春节 4 days, 劳动节 2): the rule is not applied
# to earlier years, which the library knows anyway.
RULE_FROM = 2025
# lunardate's last year.
RULE_UNTIL = 2099


def _lunar(year: int, month: int, day: int) -> date:
    return LunarDate(year, month, day).to_solar_date()


def statutory_holidays(year: int) -> list[LibraryDay]:
    """The 13 statutory days off of `year`, by date, named as the announcements name
    them. Raises ValueError for a year outside RULE_FROM..RULE_UNTIL."""
    if not RULE_FROM <= year <= RULE_UNTIL:
        raise ValueError(f"no statutory rule for {year}")
    eve = _lunar(year, 1, 1) - timedelta(days=1)  # 除夕: the last day of the year
    days = [
        (date(year, 1, 1), "元旦"),
        *((eve + timedelta(days=n), "春节") for n in range(4)),
        (qingming(year), "清明节"),
        (date(year, 5, 1), "劳动节"),
        (date(year, 5, 2), "劳动节"),
        (_lunar(year, 5, 5), "端午节"),
        (_lunar(year, 8, 15), "中秋节"),
        *((date(year, 10, n), "国庆节") for n in (1, 2, 3)),
    ]
    # 中秋 may fall in 国庆 (2028-10-03): one day, both names.
    names: dict[date, list[str]] = {}
    for day, name in days:
        names.setdefault(day, []).append(name)
    return [LibraryDay(day, True, "、".join(names[day])) for day in sorted(names)]
