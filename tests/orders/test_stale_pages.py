"""Issue 7 item 5: a page that posts a junk version, or none, is refused as stale —
never a server error, never a silent overwrite of a newer save."""

import pytest
from django.test import Client

from tests.test_action_matrix import _order_form, world
from tests.walk import walk

pytestmark = pytest.mark.django_db

JUNK = ("abc", "1.5", "-1", "１", "9" * 40, "")


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def refused_as_stale(response):
    return response.status_code == 409 and "未保存任何内容" in response.content.decode()


@pytest.mark.parametrize("version", JUNK)
def test_a_junk_version_on_the_review_conclusion_is_stale(users, version):
    order = walk(users, "review_signed")
    before = world()
    response = signed_in(users["prodmgr"]).post(
        f"/orders/{order.number}/review/conclude/",
        {"version": version, "conclusion": "accept"},
    )
    assert refused_as_stale(response), response.status_code
    assert world() == before


@pytest.mark.parametrize("version", JUNK)
def test_a_junk_version_on_the_gm_approval_is_stale(users, version):
    order = walk(users, "approval")
    before = world()
    response = signed_in(users["gm"]).post(
        f"/orders/{order.number}/approve/",
        {"version": version, "decision": "approve", "comment": "同意"},
    )
    assert refused_as_stale(response), response.status_code
    assert world() == before


@pytest.mark.parametrize("version", JUNK)
def test_a_junk_version_on_a_move_is_stale_not_skipped(users, version):
    order = walk(users, "review")
    before = world()
    response = signed_in(users["prodmgr"]).post(
        f"/orders/{order.number}/move/send_back/",
        {"version": version, "reason": "资料不全"},
    )
    assert refused_as_stale(response), response.status_code
    assert world() == before


def test_an_edit_posted_without_a_version_does_not_overwrite(users):
    order = walk(users, "draft")
    data = _order_form(order, customer_po="PO-NEW")
    del data["version"]
    before = world()
    response = signed_in(users["sales1"]).post(f"/orders/{order.number}/edit/", data)
    assert refused_as_stale(response), response.status_code
    assert world() == before
    order.refresh_from_db()
    assert order.customer_po == ""


def test_a_change_request_without_a_version_is_stale(users):
    order = walk(users, "review")
    data = {**_order_form(order), "reason": "加量"}
    data["requested_date"] = order.requested_date.isoformat()
    del data["version"]
    before = world()
    response = signed_in(users["sales1"]).post(
        f"/orders/{order.number}/changes/new/", data
    )
    assert refused_as_stale(response), response.status_code
    assert world() == before
