"""The group robots against a local stand-in of their webhooks: one markdown digest a
day per department's robot, WeCom's and DingTalk's formats, DingTalk's timestamp and
HMAC-SHA256 signature checked, a 500 retried with backoff and recorded."""

import base64
import hashlib
import hmac
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Department
from orders.models import StageDeadline
from reminders import services
from reminders.models import Outbox, RobotChannel
from reminders.senders import dingtalk_sign
from tests.reminders.stand_in import StandIn
from tests.walk import walk

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)
SECRET = "SECtest0123456789"


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


@pytest.fixture
def robot_server():
    with StandIn() as server:
        yield server


def _overdue_review(users):
    order = walk(users, "review_open")
    StageDeadline.objects.filter(order=order, stage="review").update(
        due_date=MONDAY - timedelta(3)
    )
    return order


def test_wecom_and_dingtalk_each_get_one_markdown_digest(users, robot_server):
    order = _overdue_review(users)
    production = Department.objects.get(code="production")
    technical = Department.objects.get(code="technical")
    RobotChannel.objects.create(
        department=production,
        kind="wecom",
        webhook_url=robot_server.url + "/wecom?key=k",
    )
    RobotChannel.objects.create(
        department=technical,
        kind="dingtalk",
        webhook_url=robot_server.url + "/dingtalk?access_token=t",
        secret=SECRET,
    )
    services.send_reminders(MONDAY)
    services.send_reminders(MONDAY)  # a second run: no second digest
    services.deliver_outbox()
    services.deliver_outbox()
    by_path = {r["path"]: r for r in robot_server.requests}
    assert sorted(r["path"] for r in robot_server.requests) == ["/dingtalk", "/wecom"]

    wecom = by_path["/wecom"]
    assert wecom["query"] == {"key": "k"}
    assert wecom["body"]["msgtype"] == "markdown"
    content = wecom["body"]["markdown"]["content"]
    assert content.startswith("### ") and order.number in content
    assert production.name in content and content.count(order.number) == 2

    ding = by_path["/dingtalk"]
    assert ding["body"]["msgtype"] == "markdown"
    assert set(ding["body"]["markdown"]) == {"title", "text"}
    assert order.number in ding["body"]["markdown"]["text"]
    # the signature: base64(HMAC-SHA256(secret, "<timestamp>\n<secret>"))
    timestamp = ding["query"]["timestamp"]
    expected = base64.b64encode(
        hmac.new(
            SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256
        ).digest()
    ).decode()
    assert ding["query"]["sign"] == expected
    assert abs(int(timestamp) / 1000 - timezone.now().timestamp()) < 60
    assert Outbox.objects.filter(sent_at__isnull=True).count() == 0


def test_the_signature_is_url_encoded():
    sign = dingtalk_sign(SECRET, 1700000000000)
    assert "+" not in sign and "/" not in sign and "=" not in sign.replace("%3D", "")


def test_a_500_is_retried_with_backoff_and_recorded(users, robot_server, settings):
    settings.REMINDERS_RETRY_SECONDS = 60
    _overdue_review(users)
    RobotChannel.objects.create(
        department=Department.objects.get(code="production"),
        kind="wecom",
        webhook_url=robot_server.url + "/wecom",
    )
    robot_server.answers = [500, 500]
    services.send_reminders(MONDAY)
    # the first attempt fails: recorded, the next one a minute later; e-mails go on
    counts = services.deliver_outbox()
    assert counts["failed"] == 1 and counts["sent"] >= 1
    row = Outbox.objects.get(channel="wecom")
    assert row.sent_at is None and row.attempts == 1 and "500" in row.last_error
    wait = row.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
    # not due yet: left alone
    assert services.deliver_outbox() == {"sent": 0, "failed": 0}
    # due again: fails again, waits twice as long
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    services.deliver_outbox()
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at - timezone.now() > timedelta(seconds=110)
    # the robot is back: sent
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert services.deliver_outbox() == {"sent": 1, "failed": 0}
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 3
    assert [r["answer"] for r in robot_server.requests] == [500, 500, 200]


def test_given_up_after_the_last_attempt(users, robot_server, settings):
    settings.REMINDERS_SEND_ATTEMPTS = 2
    _overdue_review(users)
    RobotChannel.objects.create(
        department=Department.objects.get(code="production"),
        kind="dingtalk",
        webhook_url=robot_server.url + "/d",
    )
    robot_server.answers = [500, 500]
    services.send_reminders(MONDAY)
    services.deliver_outbox()
    Outbox.objects.filter(channel="dingtalk").update(next_attempt_at=timezone.now())
    services.deliver_outbox()
    row = Outbox.objects.get(channel="dingtalk")
    assert row.failed and row.sent_at is None and row.attempts == 2


def test_a_long_digest_stays_within_what_the_robot_takes(users):
    from reminders import digests
    from reminders.scan import OpenItem

    robot = RobotChannel(
        department=Department.objects.get(code="production"), kind="wecom"
    )
    items = [
        OpenItem(
            "stage", n, n, f"SO-202612-{n:05d}", MONDAY, MONDAY, None, None, "生产", 3
        )
        for n in range(500)
    ]
    text = digests.robot(robot, MONDAY, items, {"stage": "环节"})["text"]
    assert len(text.encode()) <= 4096
    assert "SO-202612-00000" in text and "SO-202612-00499" not in text
