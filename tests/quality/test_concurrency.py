"""Two inspectors on one line at once, on PostgreSQL (real threads, each with its
own connection): both opened the inspection page showing the same figures; one
inspection is saved, the other inspector is told another one recorded since,
and nothing of theirs is saved — the line is never inspected past what was
produced."""

import pytest
from django.test import Client

from quality.models import Inspection
from tests.quality.helpers import in_inspection
from tests.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_inspectors_on_one_line_at_once(users):
    order = in_inspection(users)
    line = order.lines.get()
    clients = []
    for username in ("qc1", "qcmgr"):
        client = Client()
        client.force_login(users[username])
        clients.append(client)
    url = f"/quality/orders/{order.number}/inspect/"

    # when both record 800 passed pieces of the 1,000 at the same instant, from
    # pages that showed no inspection yet
    def post(i):
        response = clients[i].post(
            url,
            {
                "line": line.pk,
                "seen": "0",
                "inspected": "800",
                "passed": "800",
                "failed": "0",
            },
        )
        page = clients[i].get(response.url).content.decode()
        return response.status_code, page

    results, errors = run_together(2, post)

    # then one is saved, the other is told and saves nothing
    assert errors == [None, None]
    assert Inspection.objects.filter(line=line).count() == 1
    assert sum("另一位质检员" in page for _status, page in results) == 1
