"""The plan board (计划看板) and the shop-floor screen (车间看板), issue 13: who sees
them (production's readers every workshop, a lead their own, anyone else 403 — and
another workshop's screen is 404 to a lead), what they show (progress, late slips in
red, open anomalies, the filters), and that both run a fixed number of queries and
a bounded number of rows whatever the number of slips."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from production.models import DispatchSlip, SlipReport
from tests.walk import plan_of, slip_of, walk

pytestmark = pytest.mark.django_db

# Production's readers see the board and every workshop's screen.
READERS = ("planner", "prodmgr", "gm", "chairman", "qcmgr", "qc1", "techmgr")
# Neither the board nor a screen.
OUTSIDERS = ("sales1", "sales2", "purchasing", "finance", "warehouse", "aftersales")


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_who_sees_the_board_and_which_workshops(users):
    # given an issued plan with an anomaly on the started cutting slip
    order = walk(users, "slip_anomaly")
    cutting, line = slip_of(order, "cutting"), slip_of(order, "line")

    for name in READERS:
        body = signed_in(users[name]).get("/production/board/").content.decode()
        assert cutting.number in body and line.number in body, name
        assert plan_of(order).number in body, name

    # a lead: their own workshop only, no plans
    body = signed_in(users["lead_line1"]).get("/production/board/").content.decode()
    assert line.number in body
    assert cutting.number not in body
    assert 'data-workshop="cutting"' not in body
    assert 'data-test="board-plans"' not in body
    # asking for another workshop shows their own all the same
    body = (
        signed_in(users["lead_line1"])
        .get("/production/board/", {"workshop": cutting.workshop_id})
        .content.decode()
    )
    assert cutting.number not in body and line.number in body

    for name in OUTSIDERS:
        response = signed_in(users[name]).get("/production/board/")
        assert response.status_code == 403, name


def test_the_board_shows_progress_lateness_and_anomalies_and_filters(users):
    order = walk(users, "slip_anomaly")
    cutting = slip_of(order, "cutting")
    # the cutting slip is late
    DispatchSlip.objects.filter(pk=cutting.pk).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    planner = signed_in(users["planner"])
    body = planner.get("/production/board/").content.decode()
    row = body.split(f'data-slip="{cutting.number}"')[1].split("</tr>")[0]
    assert 'class="late"' in row
    assert "10%" in row  # 100 good of 1000
    assert "逾期" in row
    assert 'data-test="anomaly-count"' in body

    # filtered by workshop: one workshop, paged
    body = planner.get(
        "/production/board/", {"workshop": cutting.workshop_id}
    ).content.decode()
    assert cutting.number in body
    assert slip_of(order, "line").number not in body
    # by order, by due date, late only
    other = walk(users, "plan_issued")
    body = planner.get("/production/board/", {"order": order.number}).content.decode()
    assert cutting.number in body and slip_of(other, "cutting").number not in body
    body = planner.get("/production/board/", {"late": "true"}).content.decode()
    assert cutting.number in body and slip_of(other, "cutting").number not in body
    later = (timezone.localdate() + timedelta(days=10)).isoformat()
    body = planner.get("/production/board/", {"due_date_after": later}).content.decode()
    assert slip_of(order, "line").number in body and cutting.number not in body


def test_who_opens_a_workshops_screen(users):
    order = walk(users, "slip_anomaly")
    cutting = slip_of(order, "cutting")
    for name in READERS:
        response = signed_in(users[name]).get("/production/workshops/cutting/screen/")
        assert response.status_code == 200, name
    # the workshop's own lead, on the page and its polled partial
    lead = signed_in(users["lead_cutting"])
    assert lead.get("/production/workshops/cutting/screen/").status_code == 200
    live = lead.get("/production/workshops/cutting/screen/live/")
    assert live.status_code == 200 and cutting.number in live.content.decode()
    # another workshop's lead: it does not exist for them
    for path in (
        "/production/workshops/cutting/screen/",
        "/production/workshops/cutting/screen/live/",
    ):
        assert signed_in(users["lead_line1"]).get(path).status_code == 404
    # no such workshop, or an office
    planner = signed_in(users["planner"])
    assert planner.get("/production/workshops/nope/screen/").status_code == 404
    assert planner.get("/production/workshops/sales/screen/").status_code == 404
    for name in OUTSIDERS:
        response = signed_in(users[name]).get("/production/workshops/cutting/screen/")
        assert response.status_code == 403, name


def test_the_screen_shows_its_workshop_only_without_navigation(users):
    order = walk(users, "slip_anomaly")
    cutting, line = slip_of(order, "cutting"), slip_of(order, "line")
    body = (
        signed_in(users["lead_cutting"])
        .get("/production/workshops/cutting/screen/")
        .content.decode()
    )
    assert cutting.number in body and line.number not in body
    assert "剪板机故障" in body  # the open anomaly
    assert 'class="topbar"' not in body and "mainnav" not in body
    assert 'hx-trigger="every 30s"' in body
    assert "/production/workshops/cutting/screen/live/" in body


SIZES = [2, 40]
# Every page: session, user, 2 for the roles' permissions, 2 for the calendar.
QUERIES = {
    # + the workshops with their capacity and late pieces, the load's slips, the
    # counts per workshop, the anomalies per workshop, each workshop's first rows
    # (ranked, then read), the open plans (picked, then counted), and the filter's
    # workshop choices
    "board": 16,
    # + one workshop chosen: its bounded count and a page in two steps
    "board_workshop": 16,
    # + the workshop, its slips' counts, its first slips, the factory's open
    # anomalies and today's reports, which of them are the workshop's, its open
    # anomalies, the load (workshop and slips)
    "screen": 15,
    "screen_live": 15,
    # the review sheet (measured 16 before issue 13) with production's load panel,
    # + 2 for its strip: the workshops with capacity and late pieces, the slips,
    # + 1 for the company's details at the head of the form (accounts.CompanyProfile)
    "review": 19,
}


def grow(order, users, size):
    """`size` more open slips for cutting on the order's issued plan, every third
    late, each with an open anomaly."""
    plan = plan_of(order)
    cutting = slip_of(order, "cutting")
    today = timezone.localdate()
    extra = DispatchSlip.objects.bulk_create(
        DispatchSlip(
            number=f"PG-B-{order.pk}-{n:04d}",
            plan=plan,
            workshop=cutting.workshop,
            operation="stamping",
            quantity=10,
            start_date=today if n % 2 else None,
            due_date=today + timedelta(days=(n % 9) - 3),
            created_by=users["planner"],
            status="started" if n % 2 else "waiting",
        )
        for n in range(size)
    )
    SlipReport.objects.bulk_create(
        SlipReport(
            slip=slip,
            token=uuid.uuid4(),
            good=1,
            anomaly=True,
            cause="equipment",
            note="停机",
            reported_by=users["lead_cutting"],
        )
        for slip in extra
    )


@pytest.mark.parametrize("size", SIZES)
def test_board_and_screen_run_a_fixed_number_of_queries(
    users, size, settings, django_assert_max_num_queries
):
    order = walk(users, "slip_anomaly")
    cutting = slip_of(order, "cutting").workshop_id
    grow(order, users, size)
    planner = signed_in(users["planner"])
    lead = signed_in(users["lead_cutting"])

    with django_assert_max_num_queries(QUERIES["board"]):
        body = planner.get("/production/board/").content.decode()
    # bounded: each workshop its first rows, then "more"
    rows = min(size + 1, settings.PRODUCTION_BOARD_ROWS) + 2
    assert body.count("data-slip=") == rows
    if size + 1 > settings.PRODUCTION_BOARD_ROWS:
        assert 'data-test="more"' in body

    with django_assert_max_num_queries(QUERIES["board_workshop"]):
        body = planner.get("/production/board/", {"workshop": cutting}).content.decode()
    assert body.count("data-slip=") == min(size + 1, 25)

    with django_assert_max_num_queries(QUERIES["board"]):
        lead.get("/production/board/")

    with django_assert_max_num_queries(QUERIES["screen"]):
        body = lead.get("/production/workshops/cutting/screen/").content.decode()
    assert body.count("data-slip=") <= 8
    with django_assert_max_num_queries(QUERIES["screen_live"]):
        lead.get("/production/workshops/cutting/screen/live/")

    new = walk(users, "review_open")
    reviewer = signed_in(users["prodmgr"])
    with django_assert_max_num_queries(QUERIES["review"]):
        body = reviewer.get(f"/orders/{new.number}/review/").content.decode()
    assert 'data-test="load-strip"' in body


def test_the_screen_shows_a_slip_started_early_on_the_planners_leave(users):
    # given the line's slip planned to start next week, after the cutting slip
    order = walk(users, "slip_started")
    line = slip_of(order, "line")
    DispatchSlip.objects.filter(pk=line.pk).update(
        start_date=timezone.localdate() + timedelta(days=7)
    )
    line.refresh_from_db()
    # when the planner lets it start early and the line's lead starts it today
    from production import services

    services.slip_allow_early_start(
        actor=users["planner"], slip=line, reason="先用库存料试产"
    )
    services.slip_start(actor=users["lead_line1"], slip=slip_of(order, "line"))

    # then the line's wall screen shows it, being worked on, although its planned
    # start is still ahead
    screen = signed_in(users["lead_line1"]).get("/production/workshops/line/screen/")
    assert line.number in screen.content.decode()
    # and a slip of the same workshop still waiting for its start next week is not
    # on today's screen
    DispatchSlip.objects.filter(pk=line.pk).update(status="waiting")
    screen = signed_in(users["lead_line1"]).get("/production/workshops/line/screen/")
    assert line.number not in screen.content.decode()


def test_the_screens_good_pieces_today_leave_out_a_report_taken_back(users):
    """A report taken back (报工撤回) no longer counts on the wall TV either."""
    import uuid

    from production import board, services

    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    lead = users["lead_cutting"]
    kept = services.slip_report(actor=lead, slip=cutting, token=uuid.uuid4(), good=30)
    wrong = services.slip_report(actor=lead, slip=cutting, token=uuid.uuid4(), good=70)
    assert board.screen(workshop=cutting.workshop).good_today == 100
    services.report_reverse(
        actor=lead, slip=cutting, report_id=wrong.report.pk, why="wrong_count"
    )
    assert kept.report.pk != wrong.report.pk
    assert board.screen(workshop=cutting.workshop).good_today == 30
