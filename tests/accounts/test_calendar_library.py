"""Loading China's official calendar from the calendar library: `manage.py
load_calendar` and the admin's button run the same loader, which is idempotent and
never overwrites a day the admin entered or edited by hand."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.calendar_library import library_years
from accounts.models import CalendarDay, CalendarSource, CalendarYear
from accounts.workdays import get_calendar
from tests.factories import UserFactory

D = date.fromisoformat
HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKDAY
LOAD_URL = "admin:accounts_calendarday_load_library"


def load_calendar(*args) -> str:
    out = StringIO()
    call_command("load_calendar", *args, stdout=out)
    return out.getvalue()


def _day(iso):
    day = CalendarDay.objects.get(date=D(iso))
    return day.kind, day.name, day.source


# --- the command ---------------------------------------------------------------------


def test_load_calendar_loads_national_day_2026_and_its_make_up_days(db):
    # when 2026 is loaded from the library
    output = load_calendar("--years", "2026")

    # then 10-01..10-07 are the National Day holiday, from the library
    national_day = CalendarDay.objects.filter(
        date__range=(D("2026-10-01"), D("2026-10-07"))
    )
    assert [(d.kind, d.name, d.source) for d in national_day] == [
        (HOLIDAY, "国庆节", CalendarSource.LIBRARY)
    ] * 7
    # and the Sunday before and the Saturday after are make-up working days
    assert _day("2026-09-20") == (WORKDAY, "国庆节调休", CalendarSource.LIBRARY)
    assert _day("2026-10-10") == (WORKDAY, "国庆节调休", CalendarSource.LIBRARY)
    # and Sunday 09-27 closes the Mid-Autumn holiday (09-25..27): a day off
    assert _day("2026-09-27") == (HOLIDAY, "中秋节", CalendarSource.LIBRARY)
    # and 2026 is recorded as covered by the library
    year = CalendarYear.objects.get()
    assert (year.year, year.source) == (2026, CalendarSource.LIBRARY)
    assert year.note == "chinesecalendar 1.11.0"
    # and due dates follow: Wednesday 09-30 + 3 working days is Saturday 10-10
    calendar = get_calendar()
    assert calendar.covers(D("2026-10-10"))
    assert calendar.add_working_days(D("2026-09-30"), 3) == D("2026-10-10")
    # and the run says what it did
    assert "39" in output
    assert "2026" in output


def test_load_calendar_a_second_time_writes_nothing(db):
    # given 2025 and 2026 loaded once
    load_calendar("--years", "2025", "2026")
    days = list(CalendarDay.objects.values_list("date", "kind", "name", "source"))
    years = list(CalendarYear.objects.values_list("year", "source", "loaded_at"))

    # when the command runs again
    with CaptureQueriesContext(connection) as queries:
        output = load_calendar("--years", "2025", "2026")

    # then it writes nothing and says the calendar already agrees
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert list(CalendarDay.objects.values_list("date", "kind", "name", "source")) == (
        days
    )
    assert list(CalendarYear.objects.values_list("year", "source", "loaded_at")) == (
        years
    )
    assert "日历已与 chinesecalendar 1.11.0 一致" in output


def test_load_calendar_keeps_a_day_the_admin_edited_by_hand(client, make_user):
    # given 2026 from the library, and a factory that works on 10-07: its admin
    # changes that day into a working day in the admin
    load_calendar("--years", "2026")
    client.force_login(make_user("system_admin", is_staff=True))
    day = CalendarDay.objects.get(date=D("2026-10-07"))
    response = client.post(
        reverse("admin:accounts_calendarday_change", args=[day.pk]),
        {"date": "2026-10-07", "kind": "workday", "name": "本厂安排上班"},
    )
    assert response.status_code == 302
    assert _day("2026-10-07") == (WORKDAY, "本厂安排上班", CalendarSource.ADMIN)

    # when the calendar is loaded again
    output = load_calendar("--years", "2026")

    # then the admin's day stays as they left it, and the run names it
    assert _day("2026-10-07") == (WORKDAY, "本厂安排上班", CalendarSource.ADMIN)
    assert get_calendar().is_working_day(D("2026-10-07"))
    assert "2026-10-07" in output


def test_load_calendar_corrects_and_removes_only_the_librarys_own_days(db):
    # given a library day with an old name, a day the library no longer lists, and
    # a company holiday the admin entered
    load_calendar("--years", "2026")
    CalendarDay.objects.filter(date=D("2026-10-01")).update(name="国庆")
    CalendarDay.objects.create(
        date=D("2026-03-02"),
        kind=HOLIDAY,
        name="旧数据",
        source=CalendarSource.LIBRARY,
    )
    CalendarDay.objects.create(date=D("2026-12-31"), kind=HOLIDAY, name="厂休")

    # when the calendar is loaded again
    output = load_calendar("--years", "2026")

    # then the library's days agree with it again, and the admin's day stays
    assert _day("2026-10-01") == (HOLIDAY, "国庆节", CalendarSource.LIBRARY)
    assert not CalendarDay.objects.filter(date=D("2026-03-02")).exists()
    assert _day("2026-12-31") == (HOLIDAY, "厂休", CalendarSource.ADMIN)
    assert "新增 0 天，修改 1 天，删除 1 天" in output


def test_load_calendar_refuses_a_year_neither_the_library_nor_the_rule_knows(db):
    # when 2003 (before the library's first year, before the amended law) is asked
    with pytest.raises(CommandError, match="2003"):
        load_calendar("--years", "2026", "2003")

    # then nothing is written, not even the year it knows
    assert not CalendarDay.objects.exists()
    assert not CalendarYear.objects.exists()


def test_load_calendar_by_default_loads_a_few_years_back_to_two_years_ahead(db):
    # when the command runs without years, as `make run` does
    load_calendar()

    # then every year the library knows from three years ago on is covered by it,
    # and the years after its last up to two after this one by the statutory rule
    this_year = timezone.localdate().year
    known = [y for y in library_years() if y >= this_year - 3]
    ahead = list(range(known[-1] + 1, this_year + 3))
    assert list(CalendarYear.objects.values_list("year", "source")) == [
        (y, CalendarSource.LIBRARY) for y in known
    ] + [(y, CalendarSource.RULE) for y in ahead]
    assert {d.year for d in CalendarDay.objects.values_list("date", flat=True)} == set(
        known + ahead
    )


# --- the admin's button ----------------------------------------------------------------


def test_the_system_admin_updates_the_calendar_with_the_button(client, make_user):
    # given a system administrator on the calendar days page
    client.force_login(make_user("system_admin", is_staff=True))
    changelist = reverse("admin:accounts_calendarday_changelist")
    page = client.get(changelist).content.decode()
    assert "从日历库更新法定节假日" in page

    # when they press the button
    response = client.post(reverse(LOAD_URL), follow=True)

    # then the library's years are loaded and the page reports what changed
    assert response.redirect_chain == [(changelist, 302)]
    assert CalendarYear.objects.filter(source=CalendarSource.LIBRARY).exists()
    body = response.content.decode()
    assert "已从 chinesecalendar 1.11.0 更新" in body

    # and pressing it again changes nothing, and says so
    again = client.post(reverse(LOAD_URL), follow=True).content.decode()
    assert "日历已与 chinesecalendar 1.11.0 一致" in again


def test_the_button_is_refused_without_the_calendar_permission(client, make_user):
    # a salesperson with staff status gets 403 and nothing is loaded
    client.force_login(make_user("sales", is_staff=True))
    assert client.post(reverse(LOAD_URL)).status_code == 403

    # a user who may only look at the days does not see the button and gets 403
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_calendarday"))
    client.force_login(viewer)
    page = client.get(reverse("admin:accounts_calendarday_changelist"))
    assert page.status_code == 200
    assert "从日历库更新法定节假日" not in page.content.decode()
    assert client.post(reverse(LOAD_URL)).status_code == 403

    # and someone signed out is sent to sign in
    client.logout()
    response = client.post(reverse(LOAD_URL))
    assert response.status_code == 302
    assert "login/?next=" in response["Location"]
    assert not CalendarDay.objects.exists()
    assert not CalendarYear.objects.exists()


def test_the_button_only_posts(client, make_user):
    client.force_login(make_user("system_admin", is_staff=True))
    assert client.get(reverse(LOAD_URL)).status_code == 405
    assert not CalendarYear.objects.exists()
