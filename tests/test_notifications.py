"""The in-app inbox: notify() after commit, the bell's count, reading one's own."""

import pytest
from django.db import transaction
from django.test import Client

from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_notice_is_written_only_when_its_action_commits(
    demo_users, django_capture_on_commit_callbacks
):
    sales1 = demo_users["sales1"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[sales1, sales1.pk, None], message="订单已退回", link="/orders/")
    assert Notification.objects.filter(user=sales1).count() == 1  # once, not thrice

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users=[sales1], message="不会发出")
        raise RuntimeError("the action failed")
    assert not Notification.objects.filter(message="不会发出").exists()


def test_the_bell_counts_unread_and_reading_takes_one_to_its_page(demo_users):
    sales1, sales2 = demo_users["sales1"], demo_users["sales2"]
    mine = Notification.objects.create(
        user=sales1, message="请补充图纸", link="/orders/"
    )
    Notification.objects.create(user=sales1, message="变更单已批准", link="/")
    theirs = Notification.objects.create(user=sales2, message="别人的", link="/")
    client = signed_in(sales1)

    bell = client.get("/inbox/bell/").content.decode()
    assert 'data-test="unread">2<' in bell
    page = client.get("/inbox/").content.decode()
    assert "请补充图纸" in page and "别人的" not in page

    response = client.post(f"/inbox/{mine.pk}/open/")
    assert response.status_code == 302 and response.url == "/orders/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'data-test="unread">1<' in client.get("/inbox/bell/").content.decode()

    # someone else's notice: not theirs to read
    client.post(f"/inbox/{theirs.pk}/open/")
    theirs.refresh_from_db()
    assert theirs.read_at is None

    client.post("/inbox/read-all/")
    assert 'data-test="unread"' not in client.get("/inbox/bell/").content.decode()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_a_link_off_the_site_is_not_followed(demo_users):
    sales1 = demo_users["sales1"]
    notice = Notification.objects.create(
        user=sales1, message="x", link="https://evil.example/"
    )
    response = signed_in(sales1).post(f"/inbox/{notice.pk}/open/")
    assert response.url == "/inbox/"


def test_every_page_has_the_bell(demo_users):
    page = signed_in(demo_users["gm"]).get("/").content.decode()
    assert 'data-test="bell"' in page and 'hx-get="/inbox/bell/"' in page
