"""The review sheet and the order page say so when a date they show reaches into a
year whose holidays and make-up working days are not in the calendar (issue 8, item
7: a promised date in January 2027 counted 元旦 as a working day, silently)."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.calendar_library import library_years
from accounts.models import CalendarYear
from accounts.services import calendar_load_library
from accounts.workdays import get_calendar
from orders import services
from tests.orders.conftest import open_and_sign

WARNING = "年的法定节假日和调休尚未录入日历，该日期按普通工作周计算"


@pytest.fixture
def library_calendar(db):
    """Every year the calendar library knows, as `load_calendar` loads them."""
    calendar_load_library(years=library_years())
    return get_calendar()


def days_into_the_first_unknown_year(calendar) -> dict[str, int]:
    """Review days that put the promised date into January of the first year the
    library does not know (200-odd working days at most while the library is
    current)."""
    target = date(library_years()[-1] + 1, 1, 15)
    production = max(calendar.working_days_between(timezone.localdate(), target), 1)
    assert production <= 365, "the library is years behind: bump chinesecalendar"
    return {"technical": 1, "purchasing": 1, "production": production, "quality": 1}


def test_a_promised_date_in_an_unknown_year_is_flagged_on_the_sheet_and_the_order(
    client, make_order, people, library_calendar
):
    # given a signed review whose days reach past the library's last year
    unknown_year = library_years()[-1] + 1
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(
        order, people, days=days_into_the_first_unknown_year(library_calendar)
    )
    client.force_login(people["prodmgr"])

    # then the sheet warns before the conclusion computes the dates
    sheet = client.get(f"/orders/{order.number}/review/").content.decode()
    assert f"{unknown_year} {WARNING}" in sheet

    # when the production manager concludes
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    order.refresh_from_db()

    # then the promised date lies in that year, and both pages say so
    assert order.promised_date.year == unknown_year
    sheet = client.get(f"/orders/{order.number}/review/").content.decode()
    assert f"{unknown_year} {WARNING}" in sheet
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'data-test="calendar-warning"' in page
    assert f"{unknown_year} {WARNING}" in page

    # and the salesperson sees it on the order page too
    client.force_login(people["sales"])
    assert WARNING in client.get(order.get_absolute_url()).content.decode()


def test_dates_in_covered_years_show_no_warning(client, make_order, people):
    # given this year and the next both covered (entered by hand)
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        CalendarYear.objects.create(year=year)
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    order.refresh_from_db()

    # when the production manager opens the sheet and the order
    client.force_login(people["prodmgr"])
    sheet = client.get(f"/orders/{order.number}/review/").content.decode()
    page = client.get(order.get_absolute_url()).content.decode()

    # then neither warns
    assert order.promised_date.year in (this_year, this_year + 1)
    assert 'data-test="calendar-warning"' not in sheet
    assert 'data-test="calendar-warning"' not in page


def test_a_year_filled_by_the_statutory_rule_warns_nobody_and_skips_its_holidays(
    client, make_order, people, db
):
    # given the calendar loaded as make run loads it: the year after the library's
    # last is filled by the statutory rule (its 调休 not announced yet)
    calendar_load_library()
    calendar = get_calendar()
    unknown_year = library_years()[-1] + 1
    assert unknown_year in calendar.provisional_years
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(
        order, people, days=days_into_the_first_unknown_year(calendar)
    )
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    order.refresh_from_db()

    # then the promised date lies in that year and is not one of its holidays
    assert order.promised_date.year == unknown_year
    assert order.promised_date != date(unknown_year, 1, 1)
    assert calendar.is_working_day(order.promised_date)
    # and neither the sheet nor the order page troubles its readers with it
    for name in ("prodmgr", "sales"):
        client.force_login(people[name])
        for url in (f"/orders/{order.number}/review/", order.get_absolute_url()):
            body = client.get(url).content.decode()
            assert 'data-test="calendar-warning"' not in body, (name, url)
