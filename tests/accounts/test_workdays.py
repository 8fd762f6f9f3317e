"""The working-day calendar (工作日历): real 2026 dates, as China announced them."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from accounts import workdays
from accounts.demo import seed_calendar
from accounts.models import CalendarDay, CalendarYear, WorkingWeek
from accounts.services import calendar_default_years, calendar_load_library
from accounts.workdays import (
    WorkCalendar,
    add_working_days,
    get_calendar,
    is_working_day,
    working_days_between,
)

D = date.fromisoformat


def load_2026():
    """The State Council's 2026 holidays and make-up days, from the library."""
    calendar_load_library(years=[2026])


@pytest.fixture
def calendar_2026(db):
    """The State Council's 2026 holidays, Monday to Friday."""
    load_2026()
    return get_calendar()


def _saturdays_worked():
    week = WorkingWeek.current()
    week.saturday_is_working = True
    week.save()


# --- the working week ----------------------------------------------------------------


def test_a_monday_to_friday_week_skips_the_weekend(db):
    # given the default working week and no calendar days
    calendar = get_calendar()

    # then Friday + 1 working day is Monday, and Saturday and Sunday are off
    assert calendar.saturday_is_working is False
    assert calendar.add_working_days(D("2026-03-06"), 1) == D("2026-03-09")
    assert calendar.add_working_days(D("2026-03-02"), 5) == D("2026-03-09")
    assert not calendar.is_working_day(D("2026-03-07"))
    assert not calendar.is_working_day(D("2026-03-08"))
    assert calendar.next_working_day(D("2026-03-06")) == D("2026-03-09")


def test_a_monday_to_saturday_week_counts_saturday(db):
    # given a factory that works Saturdays
    _saturdays_worked()

    # when the calendar is loaded
    calendar = get_calendar()

    # then Friday + 1 is Saturday, Sunday stays off
    assert calendar.is_working_day(D("2026-03-07"))
    assert not calendar.is_working_day(D("2026-03-08"))
    assert calendar.add_working_days(D("2026-03-06"), 1) == D("2026-03-07")
    assert calendar.add_working_days(D("2026-03-06"), 2) == D("2026-03-09")
    assert calendar.working_days_between(D("2026-03-02"), D("2026-03-09")) == 6


def test_a_missing_working_week_row_reads_as_monday_to_friday(db):
    # given the settings row is gone (reading must not recreate it)
    WorkingWeek.objects.all().delete()

    # when the calendar is loaded
    calendar = get_calendar()

    # then the default week applies and nothing was written
    assert calendar.saturday_is_working is False
    assert not WorkingWeek.objects.exists()


# --- holidays and make-up working days ------------------------------------------------


def test_national_day_2026_is_skipped_and_its_make_up_saturday_counts(calendar_2026):
    # given a stage due 3 working days after Wednesday 2026-09-30
    start = D("2026-09-30")

    # then 10-01..10-07 are skipped: Thu 10-08, Fri 10-09, Sat 10-10 (调休上班)
    assert calendar_2026.add_working_days(start, 1) == D("2026-10-08")
    assert calendar_2026.add_working_days(start, 3) == D("2026-10-10")
    assert calendar_2026.add_working_days(start, 4) == D("2026-10-12")
    assert not calendar_2026.is_working_day(D("2026-10-01"))
    assert not calendar_2026.is_working_day(D("2026-10-05"))  # a Monday


def test_spring_festival_2026_takes_nine_days_and_two_saturdays_are_worked(
    calendar_2026,
):
    # given the review concludes on Friday 2026-02-13
    start = D("2026-02-13")

    # then Sat 02-14 is worked, 02-15..02-23 are off, work resumes Tue 02-24
    assert calendar_2026.add_working_days(start, 1) == D("2026-02-14")
    assert calendar_2026.add_working_days(start, 2) == D("2026-02-24")
    assert calendar_2026.is_working_day(D("2026-02-28"))
    assert not calendar_2026.is_working_day(D("2026-02-23"))  # a Monday


def test_a_make_up_working_day_on_a_sunday_counts(calendar_2026):
    # then the Sundays 2026-09-20 and 2026-01-04 are working days
    assert calendar_2026.is_working_day(D("2026-09-20"))
    assert calendar_2026.is_working_day(D("2026-01-04"))
    # and Friday 09-18 + 1 is that Sunday; New Year's Eve 2025 + 1 is 2026-01-04
    assert calendar_2026.add_working_days(D("2026-09-18"), 1) == D("2026-09-20")
    assert calendar_2026.add_working_days(D("2025-12-31"), 1) == D("2026-01-04")


def test_a_holiday_on_a_saturday_stays_off_in_a_monday_to_saturday_week(db):
    # given a factory that works Saturdays, and Qingming on Saturday 2026-04-04
    load_2026()
    _saturdays_worked()

    # when the calendar is loaded
    calendar = get_calendar()

    # then 04-04..04-06 are off and Friday 04-03 + 1 is Tuesday 04-07
    assert not calendar.is_working_day(D("2026-04-04"))
    assert calendar.add_working_days(D("2026-04-03"), 1) == D("2026-04-07")


# --- zero, negative and absurd steps --------------------------------------------------


def test_zero_days_on_a_weekend_or_holiday_gives_the_next_working_day(calendar_2026):
    # a Saturday → Monday; a working day → itself; inside 国庆 → 10-08
    assert calendar_2026.add_working_days(D("2026-03-07"), 0) == D("2026-03-09")
    assert calendar_2026.add_working_days(D("2026-03-04"), 0) == D("2026-03-04")
    assert calendar_2026.add_working_days(D("2026-10-03"), 0) == D("2026-10-08")
    # a make-up Saturday is itself a working day
    assert calendar_2026.add_working_days(D("2026-02-14"), 0) == D("2026-02-14")


def test_negative_days_count_backwards(calendar_2026):
    assert calendar_2026.add_working_days(D("2026-10-08"), -1) == D("2026-09-30")
    assert calendar_2026.add_working_days(D("2026-03-09"), -1) == D("2026-03-06")
    assert calendar_2026.add_working_days(D("2026-01-05"), -1) == D("2026-01-04")


@pytest.mark.parametrize("days", [3661, -3661, 100_000])
def test_absurd_day_counts_are_refused(days):
    with pytest.raises(ValueError):
        WorkCalendar().add_working_days(D("2026-03-02"), days)


def test_datetimes_are_refused_because_they_would_miss_the_holidays():
    with pytest.raises(TypeError):
        WorkCalendar().is_working_day(datetime(2026, 10, 1, 9, 0))


def test_a_date_cannot_be_both_holiday_and_make_up_day():
    with pytest.raises(ValueError):
        WorkCalendar(holidays=frozenset({D("2026-10-01")}), workdays={D("2026-10-01")})


# --- lateness: working days between ---------------------------------------------------


def test_working_days_between_counts_lateness_in_both_directions(calendar_2026):
    # given a stage due on Wednesday 2026-09-30
    due = D("2026-09-30")

    # then done on Sat 10-10 (调休) is 3 working days late: 10-08, 10-09, 10-10
    assert calendar_2026.working_days_between(due, D("2026-10-10")) == 3
    # and done during the holiday is not late at all
    assert calendar_2026.working_days_between(due, D("2026-10-07")) == 0
    # and on time is 0
    assert calendar_2026.working_days_between(due, due) == 0
    # and early is negative: Mon 09-28, Tue 09-29, Wed 09-30 lie in (09-25, 09-30]
    assert calendar_2026.working_days_between(due, D("2026-09-25")) == -3
    assert calendar_2026.working_days_between(D("2026-10-10"), due) == -3


def test_working_days_between_over_a_whole_year(calendar_2026):
    # 2026 has 261 weekdays; 19 holiday days fall on weekdays (元旦 2, 春节 6, 清明 1,
    # 劳动节 3, 端午 1, 中秋 1, 国庆 5) and 6 weekend days are worked
    assert (
        calendar_2026.working_days_between(D("2025-12-31"), D("2026-12-31"))
        == 261 - 19 + 6
        == 248
    )


def test_counting_and_adding_agree_day_by_day_through_2026(calendar_2026):
    # the arithmetic count equals a plain day-by-day walk, and adding n working days
    # to a working day lands n working days later, for every start in 2026
    days = [D("2026-01-01") + timedelta(days=i) for i in range(365)]
    for start in days:
        for n in (1, 2, 7, 23):
            end = calendar_2026.add_working_days(start, n)
            assert calendar_2026.working_days_between(start, end) == n, (start, n)
            assert calendar_2026.is_working_day(end)
        end = start + timedelta(days=40)
        walked = sum(
            calendar_2026.is_working_day(start + timedelta(days=i))
            for i in range(1, 41)
        )
        assert calendar_2026.working_days_between(start, end) == walked, start
        assert calendar_2026.working_days_between(end, start) == -walked, start


# --- queries --------------------------------------------------------------------------


def test_get_calendar_runs_exactly_two_queries(db, django_assert_num_queries):
    # given a full year of calendar days
    load_2026()

    # when the calendar is loaded, then it takes the working week with the covered
    # years, and the days
    with django_assert_num_queries(2):
        calendar = get_calendar()

    assert len(calendar.holidays) == 33
    assert len(calendar.workdays) == 6
    assert calendar.covered_years == {2026}


def test_module_functions_reuse_a_preloaded_calendar(
    calendar_2026, django_assert_num_queries
):
    # given a calendar loaded once for a page, then every call is free
    with django_assert_num_queries(0):
        assert add_working_days(D("2026-09-30"), 1, calendar=calendar_2026) == D(
            "2026-10-08"
        )
        assert (
            working_days_between(
                D("2026-09-30"), D("2026-10-10"), calendar=calendar_2026
            )
            == 3
        )
        assert is_working_day(D("2026-09-20"), calendar=calendar_2026)
        assert workdays.next_working_day(D("2026-09-30"), calendar_2026) == D(
            "2026-10-08"
        )


def test_module_functions_load_the_calendar_when_none_is_given(
    calendar_2026, django_assert_num_queries
):
    with django_assert_num_queries(2):
        assert add_working_days(D("2026-09-30"), 1) == D("2026-10-08")


# --- demo data ------------------------------------------------------------------------


def test_the_2026_calendar_from_the_library_matches_the_announcement(db):
    # when 2026 is loaded from the library twice
    load_2026()
    load_2026()

    # then 2026 holds 33 holiday days and 6 make-up working days, once each
    in_2026 = CalendarDay.objects.filter(date__year=2026)
    assert in_2026.count() == 39
    assert in_2026.filter(kind=CalendarDay.Kind.HOLIDAY).count() == 33
    made_up = in_2026.filter(kind=CalendarDay.Kind.WORKDAY)
    assert list(made_up.values_list("date", "name")) == [
        (D("2026-01-04"), "元旦调休"),
        (D("2026-02-14"), "春节调休"),
        (D("2026-02-28"), "春节调休"),
        (D("2026-05-09"), "劳动节调休"),
        (D("2026-09-20"), "国庆节调休"),
        (D("2026-10-10"), "国庆节调休"),
    ]
    assert all(day.weekday() >= 5 for day, _name in made_up.values_list("date", "name"))
    assert CalendarDay.objects.get(date=D("2026-02-23")).name == "春节"
    assert in_2026.filter(name="国庆节").count() == 7
    assert in_2026.filter(name="中秋节").count() == 3


def test_seed_calendar_loads_what_load_calendar_loads(db):
    # when the demo calendar is seeded twice
    seed_calendar()
    seed_calendar()

    # then the library's years from a few years back are covered, once each
    years = calendar_default_years()
    assert list(CalendarYear.objects.values_list("year", flat=True)) == years
    assert {d.year for d in CalendarDay.objects.values_list("date", flat=True)} == set(
        years
    )
    # and the working week stays Monday to Friday
    assert WorkingWeek.objects.get().saturday_is_working is False


# --- admin ----------------------------------------------------------------------------


def test_the_system_admin_opens_the_calendar_days_in_the_admin(client, make_user):
    # given the 2026 calendar and a system administrator
    load_2026()
    client.force_login(make_user("system_admin", is_staff=True))

    # when they open the calendar days list
    response = client.get(reverse("admin:accounts_calendarday_changelist"))

    # then the days show with their weekday
    assert response.status_code == 200
    body = response.content.decode()
    assert "国庆节调休" in body
    assert "星期日" in body


def test_the_system_admin_may_change_the_working_week_but_not_add_or_delete_it(
    client, make_user
):
    client.force_login(make_user("system_admin", is_staff=True))
    week = WorkingWeek.current()
    changelist = reverse("admin:accounts_workingweek_changelist")
    assert client.get(changelist).status_code == 200

    response = client.post(
        reverse("admin:accounts_workingweek_change", args=[week.pk]),
        {"saturday_is_working": "on"},
    )

    assert response.status_code == 302
    assert get_calendar().saturday_is_working is True
    assert client.get(reverse("admin:accounts_workingweek_add")).status_code == 403
    delete_url = reverse("admin:accounts_workingweek_delete", args=[week.pk])
    assert client.get(delete_url).status_code == 403


def test_a_sales_user_cannot_open_the_calendar_days(client, make_user):
    url = reverse("admin:accounts_calendarday_changelist")

    # a salesperson is sent away from the admin
    client.force_login(make_user("sales"))
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]

    # and even with staff status, lacks the permission
    client.force_login(make_user("sales", is_staff=True))
    assert client.get(url).status_code == 403
