"""Issue 7 item 1: sales2 holds 业务员 and 报价员. The quoter role sees every order,
but seeing is not acting: on another salesperson's order sales2 may prepare quotes
(and record their acceptance), never edit, attach, submit, request a change or record
the contract — over HTTP (403, nothing changed) and in the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from orders import services
from orders.exceptions import PermissionDenied
from tests.test_action_matrix import ACTIONS, world
from tests.walk import PDF, walk

pytestmark = pytest.mark.django_db

REFUSED = (
    "orders:edit",
    "orders:attach",
    "orders:move:submit",
    "orders:change_create",
    "orders:contract_record",
    "orders:copy",
)


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


@pytest.mark.parametrize("name", REFUSED)
def test_sales2_is_refused_on_sales1s_order_over_http(users, name):
    action = ACTIONS[name]
    order = walk(users, action.situation)
    client = Client()
    client.force_login(users["sales2"])
    # sales2 can see the order (as quoter)…
    assert client.get(order.get_absolute_url()).status_code == 200
    before = world()
    # …but posting the action is refused and changes nothing
    path, data = action.request(order, users)
    assert client.post(path, data).status_code == 403
    assert world() == before


def test_sales2_is_refused_by_the_services_too(users):
    sales2 = users["sales2"]
    draft = walk(users, "draft")
    with pytest.raises(PermissionDenied):
        services.order_update(
            actor=sales2,
            order=draft,
            version=draft.version,
            lines=services.lines_of(draft),
            customer=draft.customer,
            channel="phone",
            requested_date=draft.requested_date,
        )
    with pytest.raises(PermissionDenied):
        services.order_submit(actor=sales2, order=draft)
    with pytest.raises(PermissionDenied):
        services.order_attach(
            actor=sales2, order=draft, uploaded=SimpleUploadedFile("a.pdf", PDF)
        )
    review = walk(users, "review")
    with pytest.raises(PermissionDenied):
        services.change_request_create(
            actor=sales2,
            order=review,
            version=review.version,
            reason="x",
            lines=services.lines_of(review),
        )
    contract = walk(users, "contract")
    with pytest.raises(PermissionDenied):
        services.contract_record(
            actor=sales2,
            order=contract,
            number="HT-1",
            signed_on=timezone.localdate(),
            amount=contract.gross_amount,
            uploaded=SimpleUploadedFile("c.pdf", PDF),
        )


def test_the_order_page_offers_sales2_only_what_sales2_may_do(users):
    order = walk(users, "draft")
    client = Client()
    client.force_login(users["sales2"])
    page = client.get(order.get_absolute_url()).content.decode()
    for marker in ('data-test="edit"', 'data-move="submit"', 'data-test="copy"'):
        assert marker not in page
    client.force_login(users["sales1"])
    page = client.get(order.get_absolute_url()).content.decode()
    for marker in ('data-test="edit"', 'data-move="submit"', 'data-test="copy"'):
        assert marker in page


def test_the_superuser_is_not_a_salesperson_or_a_general_manager(users):
    """admin is a superuser for the admin site; in the walk only its role counts."""
    admin = users["admin"]
    approval = walk(users, "approval")
    with pytest.raises(PermissionDenied):
        services.order_approve(actor=admin, order=approval, approve=True)
    draft = walk(users, "draft")
    with pytest.raises(PermissionDenied):
        services.order_submit(actor=admin, order=draft)
