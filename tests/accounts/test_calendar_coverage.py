"""Which years the calendar covers, and the screens saying so: a date in a year whose
holidays and make-up working days are not loaded is counted on the plain working
week, which a page must not pass off as exact."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from accounts.calendar_library import library_years
from accounts.models import CalendarSource, CalendarYear
from accounts.services import calendar_load_library
from accounts.workdays import WorkCalendar, get_calendar, uncovered_years_warning

D = date.fromisoformat


def test_the_year_after_the_librarys_last_is_not_covered(db):
    # given every year the library knows, loaded through the loader
    calendar_load_library(years=library_years())
    calendar = get_calendar()

    # then 2026 is covered and 2027 is not: 元旦 2027 is counted as a plain Friday,
    # and the calendar says it does not know better
    assert calendar.covers(D("2026-10-01"))
    assert not calendar.is_working_day(D("2026-01-01"))
    assert calendar.covers(D("2027-01-01")) is False
    assert calendar.is_working_day(D("2027-01-01"))
    assert calendar.uncovered_years(D("2026-12-28"), D("2027-01-04")) == [2027]


def test_uncovered_years_counts_every_year_in_the_span():
    calendar = WorkCalendar(covered_years=frozenset({2026, 2028}))

    # a count from 2026 into 2028 crosses 2027
    assert calendar.uncovered_years(D("2026-12-01"), D("2028-01-10")) == [2027]
    # dates missing (a stage without a due date) are skipped
    assert calendar.uncovered_years(None, D("2026-05-01"), None) == []
    assert calendar.uncovered_years() == []
    assert calendar.uncovered_years(D("2029-01-02"), D("2030-06-01")) == [2029, 2030]


def test_the_warning_names_the_missing_years_in_chinese():
    calendar = WorkCalendar(covered_years=frozenset({2026}))

    assert uncovered_years_warning(calendar, D("2026-03-02")) == ""
    assert uncovered_years_warning(calendar, D("2026-12-01"), D("2027-03-01")) == (
        "2027 年的法定节假日和调休尚未录入日历，该日期按普通工作周计算，"
        "请系统管理员更新日历。"
    )


# --- the admin's home page --------------------------------------------------------------


def _cover(*years, source=CalendarSource.LIBRARY):
    for year in years:
        CalendarYear.objects.create(year=year, source=source)


def test_the_admin_home_warns_when_next_year_is_not_covered(client, make_user):
    # given this year covered and next year not
    this_year = timezone.localdate().year
    _cover(this_year)
    client.force_login(make_user("system_admin", is_staff=True))

    # when the admin opens the admin's home page
    body = client.get(reverse("admin:index")).content.decode()

    # then it warns about next year only
    assert 'data-test="calendar-warning"' in body
    assert f"日历尚未录入 {this_year + 1} 年" in body
    assert f"{this_year}、" not in body


def test_the_admin_marks_a_year_entered_by_hand_and_the_warning_goes(client, make_user):
    # given this year covered by the library, next year's days entered by hand
    this_year = timezone.localdate().year
    _cover(this_year)
    client.force_login(make_user("system_admin", is_staff=True))

    # when the admin marks next year as covered
    response = client.post(
        reverse("admin:accounts_calendaryear_add"),
        {"year": this_year + 1, "note": "国办发明电〔2026〕号通知"},
    )

    # then it is recorded as theirs and the home page no longer warns
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=this_year + 1)
    assert year.source == CalendarSource.ADMIN
    assert get_calendar().covers(date(this_year + 1, 6, 1))
    body = client.get(reverse("admin:index")).content.decode()
    assert 'data-test="calendar-warning"' not in body
