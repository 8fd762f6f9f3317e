"""The shop floor's lists filter through django-filter beside their tabs: by order
number, by date, by materials status; the tab survives the filter and the pages;
bad filter input is a message on the form, never a server error."""

import pytest
from django.test import Client

from tests.walk import slip_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orders(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = walk(demo_users, "plan_issued")
    second = walk(demo_users, "plan_issued")
    return demo_users, first, second


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_planner_finds_a_slip_by_its_order(two_orders):
    users, first, second = two_orders
    client = client_for(users["planner"])
    everything = client.get("/production/slips/?show=open").content.decode()
    assert slip_of(first, "cutting").number in everything
    assert slip_of(second, "cutting").number in everything
    page = client.get(f"/production/slips/?show=open&order={second.number}")
    html = page.content.decode()
    assert page.status_code == 200
    assert slip_of(second, "cutting").number in html
    assert slip_of(first, "cutting").number not in html
    # the tab is kept as a hidden field of the filter form
    assert 'name="show" value="open"' in html


def test_plans_and_materials_filter_by_order(two_orders):
    users, first, second = two_orders
    plans = client_for(users["planner"]).get(
        f"/production/plans/?show=all&order={first.number}"
    )
    assert first.number in plans.content.decode()
    assert second.number not in plans.content.decode()
    materials = client_for(users["purchasing"]).get(
        f"/production/materials/?show=all&order={second.number}&status=ready"
    )
    html = materials.content.decode()
    assert materials.status_code == 200
    assert second.number in html and first.number not in html


@pytest.mark.parametrize(
    "query",
    [
        "due_date_after=2026-13-45",
        "order=%00abc",
        "status=<script>",
        "order=" + "9" * 5000,
    ],
)
def test_bad_filter_input_is_a_message_not_an_error(two_orders, query):
    users, _first, _second = two_orders
    for url, user in (
        ("/production/slips/", "planner"),
        ("/production/plans/", "planner"),
        ("/production/materials/", "purchasing"),
    ):
        response = client_for(users[user]).get(f"{url}?{query}")
        assert response.status_code in (200, 400), (url, query)
        assert b"<script>" not in response.content
