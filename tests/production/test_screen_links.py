"""The wall TV from its own link (issue 17, screens): no one signed in, so no session
expires on the wall. The planner (or the system administrator) makes a link for a
workshop; the address is shown once and only its hash is kept; anyone with it sees
that one workshop's screen — slips with their state and customer, no prices — and
the screen polls itself; revoked, the address opens a plain Chinese page at once,
the TV's next poll included. The two URLs pass the sign-in middleware by name and
are never cached."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Department
from orders.submissions import new_form_token
from production import services
from production.models import ScreenLink
from tests.walk import slip_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_link(client, workshop="cutting", label="东墙", token=None) -> str:
    """The planner's form, as posted; returns the address shown."""
    response = client.post(
        "/production/screen-links/new/",
        {
            "form_token": token or new_form_token(),
            "workshop": Department.objects.get(code=workshop).pk,
            "label": label,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    field = re.search(r'<input[^>]*data-test="new-link-url"[^>]*>', body).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


def test_the_planner_makes_a_link_shown_once_and_kept_only_as_its_hash(users):
    planner = signed_in(users["planner"])
    url = make_link(planner)

    # the address is shown once, on the answer to the form
    assert re.fullmatch(r"http://testserver/production/wall/[\w-]{27}/", url)
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = ScreenLink.objects.get()
    assert (link.workshop.code, link.label, link.created_by) == (
        "cutting",
        "东墙",
        users["planner"],
    )
    # only its hash is kept, and the page never shows it again
    assert link.token_hash == ScreenLink.hash_token(token) != token
    assert token not in str(ScreenLink.objects.values().get())
    page = planner.get("/production/screen-links/").content.decode()
    assert token not in page and "东墙" in page


def test_the_same_form_twice_makes_one_link(users):
    planner = signed_in(users["planner"])
    token = new_form_token()
    make_link(planner, token=token)
    response = planner.post(
        "/production/screen-links/new/",
        {
            "form_token": token,
            "workshop": Department.objects.get(code="cutting").pk,
            "label": "东墙",
        },
    )
    assert response.status_code == 302
    assert ScreenLink.objects.count() == 1


def test_a_link_needs_a_workshop_not_an_office(users):
    planner = signed_in(users["planner"])
    for workshop in ("", Department.objects.get(code="sales").pk, "x\u0000"):
        response = planner.post(
            "/production/screen-links/new/",
            {"form_token": new_form_token(), "workshop": workshop},
        )
        assert response.status_code == 400, workshop
    assert ScreenLink.objects.count() == 0


def test_the_wall_opens_from_its_link_with_no_one_signed_in(users):
    # given started slips in cutting and a waiting one on the line
    order = walk(users, "slip_anomaly")
    cutting, line = slip_of(order, "cutting"), slip_of(order, "line")
    url = make_link(signed_in(users["planner"]))
    path = url.removeprefix("http://testserver")

    # when the TV opens the address, no one signed in
    tv = Client()
    response = tv.get(path)

    # then it shows that workshop's screen: its slip with state and customer
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-test="tv"' in body and "下料车间" in body
    assert cutting.number in body and line.number not in body
    row = body.split(f'data-slip="{cutting.number}"')[1].split("</tr>")[0]
    assert order.customer.name in row and "进行中" in row
    assert "今日负荷 / 产能" in body
    # and nothing else: no prices, no navigation, nothing to click
    assert "¥" not in body and "mainnav" not in body and "<form" not in body
    # and it polls its own live address, which answers without a session too
    assert f'hx-get="{path}live/"' in body
    live = tv.get(f"{path}live/", headers={"HX-Request": "true"})
    assert live.status_code == 200 and cutting.number in live.content.decode()
    assert "sessionid" not in tv.cookies
    # and no cache keeps it, no Referer carries the address away
    for answer in (response, live):
        assert "no-store" in answer["Cache-Control"]
        assert answer["Referrer-Policy"] == "no-referrer"
        assert "script-src 'self'" in answer["Content-Security-Policy"]
    # and the planner sees that the link is in use
    assert ScreenLink.objects.get().last_seen_at is not None


def test_a_revoked_link_stops_at_once(users):
    order = walk(users, "slip_started")
    planner = signed_in(users["planner"])
    path = make_link(planner).removeprefix("http://testserver")
    tv = Client()
    assert tv.get(path).status_code == 200

    # when the planner revokes it, saying why
    link = ScreenLink.objects.get()
    response = planner.post(
        f"/production/screen-links/{link.pk}/revoke/", {"reason": "地址发到了外部群"}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_by == users["planner"] and link.revoked_reason

    # then the address opens the plain page, and the TV's next poll reloads into it
    gone = tv.get(path)
    assert gone.status_code == 404
    body = gone.content.decode()
    assert "此看板链接已失效" in body
    assert slip_of(order, "cutting").number not in body
    poll = tv.get(f"{path}live/", headers={"HX-Request": "true"})
    assert poll.status_code == 404 and poll["HX-Refresh"] == "true"
    # and revoking twice says so, changing nothing
    again = planner.post(f"/production/screen-links/{link.pk}/revoke/", follow=True)
    assert "该链接已经收回" in again.content.decode()


def test_an_address_that_is_not_a_link_opens_the_same_plain_page(users):
    tv = Client()
    for token in ("x", "A" * 27, "A" * 200):
        response = tv.get(f"/production/wall/{token}/")
        assert response.status_code == 404
        assert "此看板链接已失效" in response.content.decode()


def test_who_keeps_the_links(users):
    for name in ("planner", "admin"):
        assert (
            signed_in(users[name]).get("/production/screen-links/").status_code == 200
        )
    for name in ("prodmgr", "lead_cutting", "sales1", "qc1", "gm"):
        response = signed_in(users[name]).get("/production/screen-links/")
        assert response.status_code == 403, name
    # the board offers the page to the planner, the admin's home to the admin
    board = signed_in(users["planner"]).get("/production/board/").content.decode()
    assert 'data-test="screen-links"' in board
    admin = signed_in(users["admin"]).get("/admin/").content.decode()
    assert 'data-test="admin-screen-links"' in admin


@pytest.mark.parametrize("size", [1, 12])
def test_the_wall_runs_a_fixed_number_of_queries(
    users, size, django_assert_max_num_queries
):
    order = walk(users, "slip_anomaly")
    cutting = slip_of(order, "cutting")
    for n in range(size):  # more slips of the workshop, written directly
        cutting.pk = None
        cutting.number = f"PG-W-{n:03d}"
        cutting.save()
    link = services.screen_link_create(
        actor=users["planner"], workshop=Department.objects.get(code="cutting")
    )
    ScreenLink.objects.update(last_seen_at=timezone.now())
    tv = Client()
    # the link with its workshop, then the screen's reads (as signed in: 15 less
    # the session, the user and the permissions)
    with django_assert_max_num_queries(11):
        assert tv.get(link.path).status_code == 200
    with django_assert_max_num_queries(11):
        assert tv.get(f"{link.path}live/").status_code == 200
