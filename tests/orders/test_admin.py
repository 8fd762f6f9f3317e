"""Issue 7 item 7: the admin's order page opens for every order (it used to fail on
the event inline's created_at), read-only."""

import pytest
from django.test import Client

from tests.walk import walk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("situation", ["draft", "review_signed", "production"])
def test_the_admin_order_page_opens_read_only_with_its_history(
    demo_users, situation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    order = walk(demo_users, situation)
    client = Client()
    client.force_login(demo_users["admin"])

    response = client.get(f"/admin/orders/order/{order.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert order.number in page
    assert "张伟" in page  # the events' people are listed
    assert 'name="_save"' not in page  # nothing to save: read-only
    # and the order cannot be changed through the admin
    before = (order.stage, order.version)
    client.post(f"/admin/orders/order/{order.pk}/change/", {"stage": "completed"})
    order.refresh_from_db()
    assert (order.stage, order.version) == before
