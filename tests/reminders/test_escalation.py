"""Escalation across a simulated fortnight with a weekend, a public holiday and a
make-up working day: the salesperson is reminded of their quote every working day,
the sales department's head is told too from the M-th working day overdue (not the
M-th calendar day), the managers see it from the K-th; no run on a rest day, a run
on the make-up Saturday."""

from datetime import date, timedelta

import pytest

from accounts.models import CalendarDay, Department
from orders.models import StageDeadline
from reminders import services
from reminders.models import Kind, Reminder
from tests.walk import walk

pytestmark = pytest.mark.django_db

DUE = date(2026, 12, 7)  # a Monday
HOLIDAY = date(2026, 12, 9)  # Wednesday
MAKE_UP = date(2026, 12, 12)  # Saturday, worked


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REMINDERS_HEAD_AFTER_WORKING_DAYS = 2
    settings.REMINDERS_MANAGERS_AFTER_WORKING_DAYS = 5
    return demo_users


def test_escalation_over_a_fortnight(users):
    CalendarDay.objects.create(date=HOLIDAY, kind="holiday", name="测试假日")
    CalendarDay.objects.create(date=MAKE_UP, kind="workday", name="测试调休")
    order = walk(users, "quote")
    StageDeadline.objects.filter(order=order, stage="quote").update(due_date=DUE)
    # the sales department's head is another salesperson than the order's
    Department.objects.filter(code="sales").update(head=users["sales2"])
    sales_head = users["sales2"]
    assert sales_head is not None and sales_head != order.salesperson

    ran = {}
    for offset in range(-3, 14):
        day = DUE + timedelta(days=offset)
        run = services.send_reminders(day)
        ran[day] = not run.skipped

    # no run on the weekend's Sundays nor the holiday; a run on the make-up Saturday
    assert not ran[HOLIDAY] and not ran[date(2026, 12, 13)]
    assert ran[MAKE_UP] and not ran[date(2026, 12, 19)]

    def kinds(day, user):
        return set(
            Reminder.objects.filter(
                order=order, day=day, recipient=user, key__startswith="stage:"
            ).values_list("kind", flat=True)
        )

    salesperson = order.salesperson
    # the working day before and the day itself: due; from Tuesday on: overdue, every run
    assert kinds(DUE - timedelta(3), salesperson) == {Kind.DUE}  # the Friday
    assert kinds(DUE, salesperson) == {Kind.DUE}
    assert kinds(date(2026, 12, 8), salesperson) == {Kind.OVERDUE}
    # the head: 1 working day overdue on Tuesday, the holiday does not count,
    # 2 on Thursday — told from Thursday on
    assert kinds(date(2026, 12, 8), sales_head) == set()
    assert kinds(date(2026, 12, 10), sales_head) == {Kind.HEAD}
    first_head = (
        Reminder.objects.filter(order=order, kind=Kind.HEAD)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )
    assert first_head == date(2026, 12, 10)
    # the managers: 5 working days overdue — Tue 1, Thu 2, Fri 3, Sat (make-up) 4,
    # Mon 5
    first_managers = (
        Reminder.objects.filter(order=order, kind=Kind.MANAGERS)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )
    assert first_managers == date(2026, 12, 14)
    on_list = Reminder.objects.filter(kind=Kind.MANAGERS, day=date(2026, 12, 14))
    assert set(on_list.values_list("recipient__username", flat=True)) == {
        "prodmgr",
        "gm",
    }
    # one reminder a working day, each exactly once
    overdue_days = list(
        Reminder.objects.filter(
            order=order, recipient=salesperson, kind=Kind.OVERDUE
        ).values_list("day", flat=True)
    )
    assert len(overdue_days) == len(set(overdue_days)) == 9
    assert (
        Reminder.objects.get(
            order=order, kind=Kind.HEAD, day=date(2026, 12, 18)
        ).overdue_days
        == 9
    )  # Tue, Thu, Fri, Sat (make-up), Mon … Fri


def test_the_escalation_list_shows_the_managers_items(users, client):
    order = walk(users, "quote")
    StageDeadline.objects.filter(order=order, stage="quote").update(due_date=DUE)
    services.send_reminders(date(2026, 12, 14))
    client.force_login(users["gm"])
    response = client.get("/reminders/escalations/")
    assert response.status_code == 200
    assert order.number in response.content.decode()
    client.force_login(users["sales1"])
    assert client.get("/reminders/escalations/").status_code == 403


def test_the_escalation_list_runs_a_fixed_number_of_queries(
    users, client, django_assert_max_num_queries
):
    for _ in range(3):
        order = walk(users, "quote")
        StageDeadline.objects.filter(order=order, stage="quote").update(due_date=DUE)
    services.send_reminders(date(2026, 12, 14))
    client.force_login(users["prodmgr"])
    client.get("/reminders/escalations/")
    with django_assert_max_num_queries(12):
        response = client.get("/reminders/escalations/")
    assert response.content.decode().count('data-key="stage:') == 3
