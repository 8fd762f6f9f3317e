"""The daily run on any database: what it reads (the stage deadlines and the
registered due items, within N working days or overdue), whom it tells (the
responsible person, else the department's head; the head too after M working days;
the managers after K), and that it writes each reminder once however often it runs."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import CalendarDay, Department
from notifications.models import Notification
from orders.models import StageDeadline
from reminders import scan, services
from reminders.models import Kind, Outbox, Preference, Reminder, RunLog
from tests.walk import walk

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def _review_order(users, due: date):
    order = walk(users, "review_open")
    StageDeadline.objects.filter(order=order, stage="review").update(due_date=due)
    return order


def _keys(**filters):
    return sorted(
        Reminder.objects.filter(**filters).values_list(
            "key", "kind", "recipient__username"
        )
    )


def test_the_scan_reads_stage_deadlines_and_registered_sources(users):
    # given an order at the review due on Tuesday (its four rows unsigned)
    order = _review_order(users, MONDAY + timedelta(days=1))
    # when the scan runs on Monday (due within one working day)
    items = scan.open_items(MONDAY)
    # then the review stage itself and each unsigned row are there, from SQL rows
    sources = sorted({i.source for i in items if i.order_id == order.pk})
    assert sources == ["review_signoff", "stage"]
    assert all(i.overdue == -1 for i in items)
    # and two working days ahead nothing is due yet
    StageDeadline.objects.filter(order=order).update(due_date=MONDAY + timedelta(2))
    assert [i for i in scan.open_items(MONDAY) if i.order_id == order.pk] == []


def test_the_scan_is_a_handful_of_queries(users, django_assert_max_num_queries):
    for _ in range(3):
        _review_order(users, MONDAY)
    from orders.registry import due_sources

    with django_assert_max_num_queries(4 + 2 * len(due_sources())):
        items = scan.open_items(MONDAY)
    assert len(items) >= 3


def test_one_reminder_per_item_per_recipient_per_day(users):
    # given an order at the review due today
    order = _review_order(users, MONDAY)
    # when the run happens twice on the same day
    first = services.send_reminders(MONDAY)
    second = services.send_reminders(MONDAY)
    # then the first wrote the reminders, the second none
    assert first.reminders > 0 and second.reminders == 0
    keys = _keys(order=order)
    assert len(keys) == len(set(keys))
    # the production department's head answers for the review stage
    head = Department.objects.get(code="production").head
    assert (
        f"stage:{order.deadlines.get(stage='review').pk}",
        Kind.DUE,
        head.username,
    ) in keys
    notices = Notification.objects.filter(user=head, kind=services.NOTICE_KIND)
    assert notices.count() == Reminder.objects.filter(recipient=head).count()
    assert order.number in notices.first().message


def test_digests_one_mail_a_day_muted_people_get_none(users):
    _review_order(users, MONDAY)
    tech = Department.objects.get(code="technical").head
    Preference.objects.create(user=tech, email_muted=True)
    services.send_reminders(MONDAY)
    services.send_reminders(MONDAY)
    told = set(Reminder.objects.values_list("recipient_id", flat=True))
    mails = Outbox.objects.filter(channel="email")
    # one mail for each person told, once, but none for the muted head
    assert sorted(m.recipient_id for m in mails) == sorted(told - {tech.pk})
    counts = services.deliver_outbox()
    assert counts == {"sent": len(told) - 1, "failed": 0}
    assert len(mail.outbox) == len(told) - 1
    message = mail.outbox[0]
    assert "订单提醒" in message.subject
    assert message.alternatives[0][1] == "text/html"
    assert "您好" in message.body and "/orders/" in message.body
    assert "<table" in message.alternatives[0][0]
    # delivered once: a second delivery sends nothing
    assert services.deliver_outbox() == {"sent": 0, "failed": 0}


def test_escalation_to_the_head_and_the_managers(users, settings):
    settings.REMINDERS_HEAD_AFTER_WORKING_DAYS = 2
    settings.REMINDERS_MANAGERS_AFTER_WORKING_DAYS = 5
    order = _review_order(users, MONDAY)
    # a review row a person answers for: technical's row, signed by nobody, but
    # the stage is production's, whose head gets the stage's reminders
    for day, kinds in (
        (MONDAY + timedelta(1), {Kind.OVERDUE}),
        (MONDAY + timedelta(2), {Kind.OVERDUE}),
        (MONDAY + timedelta(7), {Kind.OVERDUE, Kind.MANAGERS}),
    ):
        services.send_reminders(day)
        got = set(
            Reminder.objects.filter(order=order, day=day).values_list("kind", flat=True)
        )
        assert got == kinds, day
    managers = set(
        Reminder.objects.filter(kind=Kind.MANAGERS).values_list(
            "recipient__username", flat=True
        )
    )
    assert managers == {"prodmgr", "gm"}


def test_a_rest_day_is_skipped(users):
    _review_order(users, MONDAY)
    run = services.send_reminders(MONDAY - timedelta(1))  # Sunday
    assert run.skipped and Reminder.objects.count() == 0
    CalendarDay.objects.create(date=MONDAY, kind="holiday", name="test")
    assert services.send_reminders(MONDAY).skipped


def test_the_command_runs_synchronously(users, capsys):
    _review_order(users, MONDAY)
    call_command("send_reminders", "--as-of", MONDAY.isoformat())
    out = capsys.readouterr().out
    assert "reminders" in out
    assert RunLog.objects.get().finished_at is not None
    assert Reminder.objects.exists()
