"""Taking a report back at the same moment twice, on PostgreSQL (real threads, each
with its own connection): a double tap on 「确认撤回」, or the lead and the planner
at once — the report is taken back once and the totals drop once."""

import uuid

import pytest
from django.test import Client

from production import services
from production.models import ReportReversal
from tests.threads import run_together
from tests.walk import slip_of, walk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


@pytest.mark.parametrize(
    "who", [("lead_cutting", "lead_cutting"), ("lead_cutting", "planner")]
)
def test_two_take_backs_at_once_take_it_back_once(users, who):
    # given the cutting slip with 300 + 200 good reported by its lead
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    lead = users["lead_cutting"]
    services.slip_report(actor=lead, slip=slip, token=uuid.uuid4(), good=300)
    report = services.slip_report(
        actor=lead, slip=slip, token=uuid.uuid4(), good=200
    ).report
    clients = []
    for username in who:
        client = Client()
        client.force_login(users[username])
        clients.append(client)
    url = f"/production/slips/{slip.number}/reverse/"

    # when both take the 200 back at the same instant
    def post(i):
        response = clients[i].post(
            url,
            {"report": str(report.pk), "why": "twice", "note": ""},
            HTTP_HX_REQUEST="true",
        )
        return response.status_code, response.content.decode()

    results, errors = run_together(2, post)

    # then both are answered, one took it back, the other was told it was
    assert errors == [None, None]
    assert sorted(status for status, _body in results) == [200, 422]
    assert any("已经撤回过了" in body for _status, body in results)
    assert ReportReversal.objects.filter(report=report).count() == 1
    slip.refresh_from_db()
    assert slip.good_qty == 300
    assert order.events.filter(type="slip_report_reversed").count() == 1
