"""A select never opens with 「---------」: a required one says what to choose, a list
filter's empty choice reads 不限 and a sort's 默认排序 (issue 17)."""

import pytest
from django.test import Client

from tests.walk import plan_of, walk

pytestmark = pytest.mark.django_db


def test_no_page_offers_a_select_of_dashes(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    order = walk(demo_users, "plan_draft")
    pages = {
        "sales1": ["/orders/new/", "/orders/", "/orders/contracts/"],
        "planner": [
            "/production/slips/",
            "/production/plans/",
            "/production/plan-changes/",
            "/production/routings/",
            plan_of(order).get_absolute_url(),
            f"/production/orders/{order.number}/plans/new/",
        ],
        "purchasing": ["/production/materials/"],
        "prodmgr": [order.get_absolute_url()],
    }
    for username, urls in pages.items():
        client = Client()
        client.force_login(demo_users[username])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            assert "---------" not in response.content.decode(), (username, url)
    new_order = Client()
    new_order.force_login(demo_users["sales1"])
    html = new_order.get("/orders/new/").content.decode()
    assert "— 请选择接单渠道 —" in html
    listing = new_order.get("/orders/").content.decode()
    assert "不限" in listing and "默认排序" in listing
