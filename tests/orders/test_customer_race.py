"""Issue 7 item 8: the same new customer posted twice at once (a double click on
保存客户) gives both requests the one customer the first saved, never a duplicate-key
error; a different customer under a taken name gets a clear message."""

import json

import pytest
from django.test import Client

from accounts.models import User
from orders.models import Customer
from tests.threads import run_together

DIALOG = {
    "customer-name": "宁波恒力制动器有限公司",
    "customer-contact": "周经理",
    "customer-phone": "+86 574 8888 0000",
    "customer-type": "new",
}


def post(user, data):
    client = Client()
    client.force_login(User.objects.get(pk=user.pk))
    return client.post("/orders/customers/new/", data)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_customer_posted_twice_at_once_is_saved_once(demo_users):
    sales = demo_users["sales1"]

    results, errors = run_together(8, lambda i: post(sales, DIALOG))

    assert errors == [None] * 8
    assert [r.status_code for r in results] == [200] * 8
    ids = {json.loads(r.content)["id"] for r in results}
    customer = Customer.objects.get(name=DIALOG["customer-name"])
    assert ids == {customer.pk}


@pytest.mark.django_db
def test_a_second_identical_post_returns_the_first_customer(demo_users):
    first = json.loads(post(demo_users["sales1"], DIALOG).content)
    second = post(demo_users["sales1"], DIALOG)
    assert second.status_code == 200
    assert json.loads(second.content)["id"] == first["id"]
    assert Customer.objects.filter(name=DIALOG["customer-name"]).count() == 1


@pytest.mark.django_db
def test_another_customer_under_a_taken_name_is_refused_on_the_name(demo_users):
    post(demo_users["sales1"], DIALOG)
    response = post(demo_users["sales2"], {**DIALOG, "customer-contact": "吴总"})
    assert response.status_code == 400
    errors = json.loads(response.content)["errors"]
    assert "已有名为" in " ".join(errors["name"])
    assert Customer.objects.get(name=DIALOG["customer-name"]).contact == "周经理"
