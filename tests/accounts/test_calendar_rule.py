"""The calendar knows next year before it is announced (issue 17): the statutory
public holidays are fixed by law for every year (as amended from 2025), so a year the
calendar library does not know yet gets them by rule — 元旦, 春节 from 除夕, 清明 by its
solar term, 劳动节, 端午 and 中秋 by the lunar calendar, 国庆 — marked as such, and a
promised date in January 2027 skips 元旦. Only the make-up working days wait for the
State Council; once the library knows the year, loading replaces the rule's days.
Who is told that a year is not announced: the administrator, with how to load it."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts import calendar_library, services
from accounts.calendar_library import LibraryDay, library_days, library_years
from accounts.models import CalendarDay, CalendarSource, CalendarYear
from accounts.statutory import statutory_holidays
from accounts.workdays import coming_years_warning, get_calendar

D = date.fromisoformat


def test_the_statutory_holidays_of_2027_by_rule():
    days = {d.date.isoformat(): d.name for d in statutory_holidays(2027)}
    assert days == {
        "2027-01-01": "元旦",
        # 除夕 2027-02-05 (the lunar new year is 02-06) and three days after
        "2027-02-05": "春节",
        "2027-02-06": "春节",
        "2027-02-07": "春节",
        "2027-02-08": "春节",
        "2027-04-05": "清明节",  # the solar term
        "2027-05-01": "劳动节",
        "2027-05-02": "劳动节",
        "2027-06-09": "端午节",  # lunar 5/5
        "2027-09-15": "中秋节",  # lunar 8/15
        "2027-10-01": "国庆节",
        "2027-10-02": "国庆节",
        "2027-10-03": "国庆节",
    }


def test_the_rule_agrees_with_the_announced_years():
    # every statutory day the rule gives 2025 and 2026 is a day off the State
    # Council announced (the announcement adds bridged weekends and days given back)
    for year in (2025, 2026):
        announced = {d.date for d in library_days([year]) if d.is_holiday}
        rule = {d.date for d in statutory_holidays(year)}
        assert len(rule) == 13
        assert rule <= announced, (year, sorted(rule - announced))


def test_mid_autumn_on_national_day_is_one_day_with_both_names():
    days = {d.date: d.name for d in statutory_holidays(2028)}
    assert days[D("2028-10-03")] == "中秋节、国庆节"
    assert len(days) == 12


@pytest.mark.django_db
def test_loading_fills_next_year_by_rule_and_a_promised_date_skips_new_year():
    # when the calendar is loaded for 2026 (announced) and 2027 (not yet)
    out = StringIO()
    call_command("load_calendar", "--years", "2026", "2027", stdout=out)

    # then 2027's statutory days are in, marked as filled by rule
    new_year = CalendarDay.objects.get(date=D("2027-01-01"))
    assert (new_year.kind, new_year.name, new_year.source) == (
        CalendarDay.Kind.HOLIDAY,
        "元旦",
        CalendarSource.RULE,
    )
    assert CalendarDay.objects.filter(date__year=2027).count() == 13
    assert not CalendarDay.objects.filter(date__year=2027, kind="workday").exists()
    year = CalendarYear.objects.get(year=2027)
    assert year.source == CalendarSource.RULE and "调休待国务院公布" in year.note
    assert "调休" in out.getvalue()
    # and a date counted into January 2027 skips 元旦: Thursday 2026-12-31 + 1
    # working day is Monday 2027-01-04, not Friday the 1st
    calendar = get_calendar()
    assert calendar.covers(D("2027-01-04"))
    assert calendar.provisional_years == {2027}
    assert calendar.add_working_days(D("2026-12-31"), 1) == D("2027-01-04")
    # and 春节 2027 is four days off from 除夕
    assert calendar.working_days_between(D("2027-02-04"), D("2027-02-09")) == 1

    # and loading again writes nothing
    again = services.calendar_load_library(years=[2026, 2027])
    assert not again.changed_anything


@pytest.mark.django_db
def test_the_announcement_replaces_the_rules_days(monkeypatch):
    # given 2027 filled by rule, and a day the admin entered by hand
    services.calendar_load_library(years=[2027])
    CalendarDay.objects.create(date=D("2027-12-31"), kind="holiday", name="厂休")

    # when a release of the library knows 2027 (a made-up announcement: 元旦 with
    # the weekend, 春节 nine days, a Sunday worked)
    announced = [
        LibraryDay(D("2027-01-01"), True, "元旦"),
        LibraryDay(D("2027-01-02"), True, "元旦"),
        LibraryDay(D("2027-01-03"), True, "元旦"),
        *(LibraryDay(D(f"2027-02-{n:02d}"), True, "春节") for n in range(5, 14)),
        LibraryDay(D("2027-02-14"), False, "春节调休"),
    ]
    monkeypatch.setattr(services, "library_years", lambda: [*library_years(), 2027])
    real = calendar_library.library_days
    monkeypatch.setattr(
        services,
        "library_days",
        lambda years: real(years) + (announced if 2027 in years else []),
    )
    result = services.calendar_load_library(years=[2027])

    # then 2027 is the library's: its days replace the rule's, the admin's stays
    assert result.years_recorded == [2027]
    assert CalendarYear.objects.get(year=2027).source == CalendarSource.LIBRARY
    rows = CalendarDay.objects.filter(date__year=2027)
    assert set(rows.values_list("source", flat=True)) == {
        CalendarSource.LIBRARY,
        CalendarSource.ADMIN,
    }
    assert not rows.filter(date=D("2027-10-01")).exists()  # not in this release
    assert rows.get(date=D("2027-02-14")).kind == CalendarDay.Kind.WORKDAY
    assert rows.get(date=D("2027-12-31")).source == CalendarSource.ADMIN
    assert get_calendar().provisional_years == frozenset()


@pytest.mark.django_db
def test_a_year_the_admin_keeps_by_hand_is_not_filled_by_rule():
    CalendarYear.objects.create(year=2027, source=CalendarSource.ADMIN)
    services.calendar_load_library(years=[2027])
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert CalendarYear.objects.get(year=2027).source == CalendarSource.ADMIN


def test_the_warning_speaks_to_the_administrator_with_the_way_to_load_it():
    from accounts.workdays import WorkCalendar

    calendar = WorkCalendar(
        covered_years=frozenset({2026, 2027}), provisional_years=frozenset({2027})
    )
    text = coming_years_warning(calendar, D("2026-12-03"))
    assert "2027 年的法定节假日已按法定规则录入日历；调休安排尚未公布" in text
    assert "requirements.txt" in text and "manage.py load_calendar" in text
    assert (
        coming_years_warning(WorkCalendar(covered_years={2026, 2027}), D("2026-12-03"))
        == ""
    )


@pytest.mark.django_db
def test_only_the_administrator_is_told_on_their_workbench(make_user):
    # given the calendar loaded as make run loads it (next year by rule)
    services.calendar_load_library()
    next_year = timezone.localdate().year + 1
    admin, sales = Client(), Client()
    admin.force_login(make_user("system_admin"))
    sales.force_login(make_user("sales"))

    # then the system administrator's workbench says what to do
    body = admin.get("/").content.decode()
    assert 'data-test="calendar-warning"' in body
    assert f"{next_year} 年的法定节假日已按法定规则录入日历" in body
    assert "manage.py load_calendar" in body
    # and a salesperson's does not
    assert 'data-test="calendar-warning"' not in sales.get("/").content.decode()
