"""Two production managers' pages approve the same plan change at the same instant
(PostgreSQL, real threads, each with its own connection): it applies once — one
history line, one notice, the slip changed once — and the other is told it was
already decided, without an error."""

import pytest
from django.test import Client

from notifications.models import Notification
from production.models import PlanChange
from tests.threads import run_together
from tests.walk import slip_of, walk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def test_two_approvals_at_once_apply_the_change_once(users):
    # given a change moving the line's slip (1000 → 900, three days later)
    order = walk(users, "plan_change_raised")
    change = PlanChange.objects.get(plan__order=order)
    line = slip_of(order, "line")
    first_due = line.due_date
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(users["prodmgr"])
        clients.append(client)
    url = f"/production/plan-changes/{change.number}/approve/"

    # when two pages opened at the same version approve it at the same instant,
    # each with its own form
    def approve(i):
        response = clients[i].post(
            url, {"version": str(change.version), "form_token": ""}
        )
        return response.status_code

    results, errors = run_together(2, approve)

    # then both are answered without an error, and the change applied once
    assert errors == [None, None]
    assert results == [302, 302]
    change.refresh_from_db()
    assert change.status == PlanChange.Status.APPLIED
    line.refresh_from_db()
    assert line.quantity == 900
    assert line.committed_due_date == first_due
    assert (line.due_date - first_due).days == 3
    assert line.version == 2
    assert order.events.filter(type="plan_changed").count() == 1
    assert (
        Notification.objects.filter(user=users["sales1"], kind="plan_change").count()
        == 1
    )
