"""A report taken back (报工撤回): by its own lead within the correction window, by the
planner at any time, as a reversing record — the report stays, a new record says it
no longer counts and why, the slip's totals drop (a finished slip is in progress
again) — and never twice, never for another slip's report, never once the order
has left production."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from notifications.models import Notification
from orders.stages import Stage
from production import services
from production.models import DispatchSlip, ReportReversal, SlipReport
from tests.production.forms_in_html import form_posting
from tests.test_action_matrix import world
from tests.walk import slip_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRODUCTION_REPORT_CORRECTION_MINUTES = 30
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reported(users):
    """The cutting slip (1000 pieces) with two reports by its lead: 600 good + 3
    scrapped, then 400 good, which finished it."""
    order = walk(users, "slip_started")
    slip = slip_of(order, "cutting")
    lead = users["lead_cutting"]
    first = services.slip_report(
        actor=lead, slip=slip, token=uuid.uuid4(), good=600, scrap=3
    ).report
    last = services.slip_report(actor=lead, slip=slip, token=uuid.uuid4(), good=400)
    assert last.slip.status == DispatchSlip.Status.DONE
    return order, slip, first, last.report


def take_back(client, slip, **data):
    return client.post(
        f"/production/slips/{slip.number}/reverse/", data, HTTP_HX_REQUEST="true"
    )


def test_the_lead_takes_a_report_back_within_the_window(users, reported):
    order, slip, first, last = reported
    phone = signed_in(users["lead_cutting"])
    # given the card on the lead's phone: each of their reports can be taken back
    card = phone.get(slip.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert card.content.decode().count('data-test="take-back"') == 2
    # when they tap 「撤回」 on the last report, the card asks why
    asked = phone.get(
        f"{slip.get_absolute_url()}?reverse={last.pk}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-test="reverse-form"' in asked
    action, data = form_posting(asked, "confirm-take-back")
    data["why"] = "wrong_count"
    response = phone.post(action, data, HTTP_HX_REQUEST="true")
    # then the report stays, a reversing record says why, and the totals drop:
    # the slip is in progress again
    assert response.status_code == 200, response.content.decode()[:2000]
    body = response.content.decode()
    assert "报工已撤回" in body
    assert 'data-test="reversal-row"' in body and "数量报错" in body
    assert 'data-test="reversed"' in body  # the report, marked taken back
    assert SlipReport.objects.filter(slip=slip).count() == 2
    reversal = ReportReversal.objects.get(report=last)
    assert (reversal.good, reversal.scrap, reversal.why) == (400, 0, "wrong_count")
    assert reversal.reversed_by == users["lead_cutting"]
    slip.refresh_from_db()
    assert (slip.good_qty, slip.scrap_qty) == (600, 3)
    assert slip.status == DispatchSlip.Status.STARTED and slip.done_at is None
    # and the order's history says so, for the planner
    event = order.events.get(type="slip_report_reversed")
    assert event.user == users["lead_cutting"]
    assert event.parameters["old_good"] == 1000 and event.parameters["new_good"] == 600
    assert event.parameters["reopened"] is True
    history = signed_in(users["planner"]).get(order.get_absolute_url())
    assert "撤回了报工" in history.content.decode()
    assert "合格 1000 → 600" in history.content.decode()


def test_after_the_window_the_lead_is_refused_and_the_planner_takes_it_back(
    users, reported
):
    order, slip, first, last = reported
    SlipReport.objects.filter(pk=first.pk).update(
        reported_at=timezone.now() - timedelta(minutes=31)
    )
    phone = signed_in(users["lead_cutting"])
    card = phone.get(slip.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert card.count('data-test="take-back"') == 1  # the last report only
    before = world()
    response = take_back(phone, slip, report=first.pk, why="wrong_count")
    assert response.status_code == 422
    assert "30 分钟内" in response.content.decode()
    assert world() == before
    # the planner may at any time, and the lead is told
    planner = signed_in(users["planner"])
    response = take_back(
        planner, slip, report=first.pk, why="other", note="下料尺寸错，实为 580"
    )
    assert response.status_code == 200
    slip.refresh_from_db()
    assert (slip.good_qty, slip.scrap_qty) == (400, 0)
    told = Notification.objects.get(user=users["lead_cutting"])
    assert "孙磊" in told.message and "下料尺寸错" in told.message


@pytest.mark.parametrize(
    "data,message",
    [
        ({"why": ""}, "请选择撤回原因"),
        ({"why": "sabotage"}, "请选择撤回原因"),
        ({"why": "other", "note": ""}, "请说明这条报工哪里有误"),
        ({"why": "wrong_count", "report": "abc"}, "请选择要撤回的报工"),
        ({"why": "wrong_count", "report": ""}, "请选择要撤回的报工"),
        ({"why": "wrong_count", "report": "99999999"}, "不属于这张派工单"),
        ({"why": "wrong_count", "note": "x" * 501}, "500"),
    ],
)
def test_a_bad_take_back_says_why_and_saves_nothing(users, reported, data, message):
    order, slip, first, last = reported
    data = {"report": str(last.pk), **data}
    before = world()
    response = take_back(signed_in(users["lead_cutting"]), slip, **data)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body, body[:2000]
    assert 'data-test="error"' in body
    assert world() == before
    assert not ReportReversal.objects.exists()


def test_nul_bytes_are_refused_before_any_view(users, reported):
    order, slip, first, last = reported
    before = world()
    response = take_back(
        signed_in(users["lead_cutting"]),
        slip,
        report=last.pk,
        why="other",
        note="错\x00了",
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert world() == before


def test_another_slips_report_is_refused(users, reported):
    order, slip, first, last = reported
    # the line's slip, started early, with a report of its own lead
    line = slip_of(order, "line")
    services.slip_start(actor=users["lead_line1"], slip=line)
    other = services.slip_report(
        actor=users["lead_line1"], slip=line, token=uuid.uuid4(), good=5
    ).report
    before = world()
    # posted on the cutting slip by the planner (who sees both)
    response = take_back(
        signed_in(users["planner"]), slip, report=other.pk, why="wrong_slip"
    )
    assert response.status_code == 422
    assert "不属于这张派工单" in response.content.decode()
    assert world() == before


def test_a_report_is_taken_back_once(users, reported):
    order, slip, first, last = reported
    phone = signed_in(users["lead_cutting"])
    first_answer = take_back(phone, slip, report=last.pk, why="twice")
    assert first_answer.status_code == 200
    before = world()
    # the same form again (a double tap, or the back button)
    response = take_back(phone, slip, report=last.pk, why="twice")
    assert response.status_code == 422
    assert "已经撤回过了" in response.content.decode()
    assert world() == before
    slip.refresh_from_db()
    assert slip.good_qty == 600


def test_no_take_back_once_the_order_has_left_production(users):
    # given the order's three slips finished: it moved to inspection
    order = walk(users, "slip_started")
    reports = {}
    for workshop, lead in (
        ("cutting", "lead_cutting"),
        ("line", "lead_line1"),
        ("maintenance", "lead_maint"),
    ):
        slip = slip_of(order, workshop)
        if slip.status == "waiting":
            services.slip_start(actor=users[lead], slip=slip)
        reports[workshop] = services.slip_report(
            actor=users[lead], slip=slip, token=uuid.uuid4(), good=slip.quantity
        ).report
    order.refresh_from_db()
    assert order.stage == Stage.INSPECTION
    cutting = slip_of(order, "cutting")
    before = world()
    for username in ("lead_cutting", "planner"):
        response = take_back(
            signed_in(users[username]),
            cutting,
            report=reports["cutting"].pk,
            why="wrong_count",
        )
        assert response.status_code == 422
        assert "订单已离开生产环节" in response.content.decode()
    assert world() == before


def test_who_may_not_take_a_report_back(users, reported):
    order, slip, first, last = reported
    before = world()
    # the production manager sees the slip but does not correct reports
    assert (
        take_back(signed_in(users["prodmgr"]), slip, report=last.pk, why="twice")
    ).status_code == 403
    # another workshop's lead does not even see the slip
    assert (
        take_back(signed_in(users["lead_line1"]), slip, report=last.pk, why="twice")
    ).status_code == 404
    assert world() == before


def test_a_taken_back_anomaly_leaves_the_planners_queue(users):
    order = walk(users, "slip_anomaly")
    slip = slip_of(order, "cutting")
    anomaly = SlipReport.objects.get(slip=slip, anomaly=True)
    response = take_back(
        signed_in(users["lead_cutting"]),
        slip,
        report=anomaly.pk,
        why="other",
        note="报错了，设备正常",
    )
    assert response.status_code == 200
    anomaly.refresh_from_db()
    assert anomaly.handled_at is not None
    slip.refresh_from_db()
    assert slip.good_qty == 0
    queue = [
        q
        for q in signed_in(users["planner"]).get("/").context["queues"]
        if q.key == "production_anomalies"
    ][0]
    assert queue.count == 0
