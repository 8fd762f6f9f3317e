"""The drawings (图纸设计 / 技术交底): versions kept, key quality and process requirements,
issuing moves the order to production, a recall is recorded with its reason, a
corrected version is re-issued; only the technical department may; its queue shows the
1-working-day clock."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from accounts.workdays import get_calendar
from orders import services
from orders.exceptions import InvalidMove, PermissionDenied, ValidationError
from orders.models import Drawing, KeyRequirement, Order, OrderEvent, StageDeadline
from orders.stage_guard import stage_writes
from tests.orders.test_contract import EXE, PDF, walk

DWG = b"AC1032" + b"\x00" * 128


@pytest.fixture
def order_at(make_order, people):
    def make(stage, **kwargs):
        return walk(make_order(people["sales"], submit=True), people, stage, **kwargs)

    return make


@pytest.fixture
def at_drawing(order_at):
    return order_at("drawing")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def pdf(name="总图.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def url(order, tail):
    return f"/orders/{order.number}/drawings/{tail}"


def prepared(order, tech, *, versions=1):
    for n in range(versions):
        services.drawing_upload(
            actor=tech, order=order, title="钢背总图", uploaded=pdf(f"总图{n}.pdf")
        )
    services.requirements_write(
        actor=tech, order=order, quality=["平面度≤0.15mm"], process=["去应力退火"]
    )


def issued(order, tech):
    prepared(order, tech)
    return services.drawings_issue(actor=tech, order=order)


# --- preparing and issuing -------------------------------------------------------------


def test_technical_uploads_versions_writes_requirements_and_issues(
    english, at_drawing, people
):
    # given an order whose contract is signed, and a technical engineer
    tech = people["techmgr"]
    english.force_login(tech)

    # when two versions are uploaded, the requirements written and the drawings issued
    english.post(url(at_drawing, "upload/"), {"title": "钢背总图", "file": pdf()})
    english.post(
        url(at_drawing, "upload/"),
        {
            "title": "钢背总图",
            "file": SimpleUploadedFile("总图B.dwg", DWG),
            "note": "改孔位",
        },
    )
    english.post(
        url(at_drawing, "requirements/"),
        {
            "quality": "平面度≤0.15mm\n\n  毛刺高度≤0.1mm  \n",
            "process": "冲压后去应力退火\r\n磷化膜厚 3–5 μm",
        },
    )
    page = english.get(at_drawing.get_absolute_url()).content.decode()
    assert page.count("data-drawing=") == 2
    assert 'data-test="issue-drawings"' in page
    response = english.post(url(at_drawing, "issue/"), follow=True)

    # then both versions are kept, the newest issued, and the order is in production
    order = Order.objects.get(pk=at_drawing.pk)
    assert order.stage == "production"
    assert list(order.drawings.values_list("version", "issued_by")) == [
        (2, tech.pk),
        (1, None),
    ]
    assert order.drawings.get(version=2).content_type == "image/vnd.dwg"
    assert list(order.key_requirements.values_list("kind", "position", "text")) == [
        ("process", 1, "冲压后去应力退火"),
        ("process", 2, "磷化膜厚 3–5 μm"),
        ("quality", 1, "平面度≤0.15mm"),
        ("quality", 2, "毛刺高度≤0.1mm"),
    ]
    moved = order.events.get(type="moved", to_stage="production")
    assert (moved.user, moved.from_stage, moved.parameters["drawing_version"]) == (
        tech,
        "drawing",
        2,
    )
    written = order.events.get(type="requirements_written")
    assert written.parameters["changes"][0] == {
        "field": "quality",
        "old": None,
        "new": "平面度≤0.15mm；毛刺高度≤0.1mm",
    }
    assert order.events.filter(type="drawing_uploaded").count() == 2
    page = response.content.decode()
    assert "Drawings issued." in page
    assert "<li>毛刺高度≤0.1mm</li>" in page
    assert "key quality requirements: - → 平面度≤0.15mm；毛刺高度≤0.1mm" in page
    assert 'data-test="issue-drawings"' not in page
    assert 'data-test="upload-drawing"' not in page  # issued: recall first
    # and each version downloads through the checked view
    download = english.get(url(order, "1/"))
    assert b"".join(download.streaming_content) == PDF


def test_a_drawing_of_the_wrong_type_is_refused(english, at_drawing, people):
    english.force_login(people["techmgr"])
    events = OrderEvent.objects.count()

    for name in ("总图.pdf", "总图.dwg"):
        response = english.post(
            url(at_drawing, "upload/"),
            {"title": "总图", "file": SimpleUploadedFile(name, EXE)},
            follow=True,
        )
        assert f"“{name}” is not really a" in response.content.decode()
    response = english.post(
        url(at_drawing, "upload/"),
        {"title": "总图", "file": SimpleUploadedFile("总图.exe", EXE)},
        follow=True,
    )
    assert "are not accepted" in response.content.decode()

    assert not Drawing.objects.exists()
    assert OrderEvent.objects.count() == events


def test_issuing_needs_a_drawing_and_the_key_requirements(at_drawing, people):
    tech = people["techmgr"]
    translation.activate("en")

    with pytest.raises(ValidationError, match="Upload the drawing"):
        services.drawings_issue(actor=tech, order=at_drawing)
    services.drawing_upload(actor=tech, order=at_drawing, title="总图", uploaded=pdf())
    with pytest.raises(ValidationError, match="key quality and process"):
        services.drawings_issue(actor=tech, order=at_drawing)

    at_drawing.refresh_from_db()
    assert at_drawing.stage == "drawing"
    assert not Drawing.objects.filter(issued_at__isnull=False).exists()


def test_requirements_are_checked_and_an_unchanged_list_writes_nothing(
    at_drawing, people
):
    tech = people["techmgr"]
    with pytest.raises(ValidationError) as refused:
        services.requirements_write(
            actor=tech, order=at_drawing, quality=["x" * 501], process=[]
        )
    assert "quality" in refused.value.message_dict
    assert not KeyRequirement.objects.exists()

    services.requirements_write(
        actor=tech, order=at_drawing, quality=["A", "B"], process=["C"]
    )
    services.requirements_write(
        actor=tech, order=at_drawing, quality=["A", "B", " "], process=["C"]
    )
    services.requirements_write(
        actor=tech, order=at_drawing, quality=["B"], process=["C"]
    )

    written = at_drawing.events.filter(type="requirements_written")
    assert written.count() == 2
    assert written.last().parameters["changes"] == [
        {"field": "quality", "old": "A；B", "new": "B"}
    ]


# --- recall and re-issue ---------------------------------------------------------------


def test_a_recall_is_recorded_with_its_reason_and_shown(english, at_drawing, people):
    tech = people["techmgr"]
    order = issued(at_drawing, tech)
    english.force_login(tech)

    refused = english.post(url(order, "recall/"), {"reason": " "}, follow=True)
    assert "Please give the reason for the recall." in refused.content.decode()
    response = english.post(
        url(order, "recall/"), {"reason": "客户修改孔位，旧图作废"}, follow=True
    )

    order.refresh_from_db()
    assert order.stage == "production"  # a recall does not move the order
    drawing = order.drawings.get()
    assert (drawing.recalled_by, drawing.recall_reason) == (
        tech,
        "客户修改孔位，旧图作废",
    )
    assert not drawing.is_issued
    event = order.events.get(type="drawings_recalled")
    assert (event.user, event.reason, event.parameters["count"]) == (
        tech,
        "客户修改孔位，旧图作废",
        1,
    )
    page = response.content.decode()
    assert '<div class="why">客户修改孔位，旧图作废</div>' in page  # in the table
    assert "reason: 客户修改孔位，旧图作废" in page  # in the history
    with pytest.raises(InvalidMove):
        services.drawings_recall(actor=tech, order=order, reason="again")


def test_a_corrected_version_is_re_issued_after_a_recall(at_drawing, people):
    tech = people["techmgr"]
    translation.activate("en")
    order = issued(at_drawing, tech)

    # while issued, nothing changes under the workshops
    with pytest.raises(InvalidMove, match="recall"):
        services.drawing_upload(actor=tech, order=order, title="总图", uploaded=pdf())
    with pytest.raises(InvalidMove, match="recall"):
        services.requirements_write(actor=tech, order=order, quality=["X"], process=[])

    services.drawings_recall(actor=tech, order=order, reason="改图")
    # the recalled version itself is not issued again
    with pytest.raises(InvalidMove, match="new version"):
        services.drawings_issue(actor=tech, order=order)
    services.drawing_upload(actor=tech, order=order, title="总图", uploaded=pdf())
    order = services.drawings_issue(actor=tech, order=order)

    order.refresh_from_db()
    assert order.stage == "production"
    assert [(d.version, d.is_issued) for d in order.drawings.all()] == [
        (2, True),
        (1, False),
    ]
    reissued = order.events.get(type="drawings_reissued")
    assert (reissued.user, reissued.parameters["drawing_version"]) == (tech, 2)
    assert order.events.filter(type="moved", to_stage="production").count() == 1


def test_drawings_are_recalled_when_the_order_is_done(at_drawing, people):
    tech = people["techmgr"]
    order = issued(at_drawing, tech)
    with stage_writes():  # the later stages' pages are not built yet
        Order.objects.filter(pk=order.pk).update(stage="completed")

    assert services.drawings_recall(actor=tech, order=order, reason="订单完成收回") == 1
    with pytest.raises(InvalidMove):
        services.drawing_upload(actor=tech, order=order, title="总图", uploaded=pdf())


# --- who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sales", "prodmgr", "gm"])
def test_only_the_technical_department_handles_drawings(
    client, at_drawing, people, who
):
    user = people[who]
    client.force_login(user)

    page = client.get(at_drawing.get_absolute_url()).content.decode()
    assert 'data-test="upload-drawing"' not in page
    for tail, data in (
        ("upload/", {"title": "x", "file": pdf()}),
        ("requirements/", {"quality": "x", "process": "y"}),
        ("issue/", {}),
        ("recall/", {"reason": "x"}),
    ):
        assert client.post(url(at_drawing, tail), data).status_code == 403
    for call, kwargs in (
        (services.drawing_upload, {"title": "x", "uploaded": pdf()}),
        (services.requirements_write, {"quality": ["x"], "process": []}),
        (services.drawings_issue, {}),
        (services.drawings_recall, {"reason": "x"}),
    ):
        with pytest.raises(PermissionDenied):
            call(actor=user, order=at_drawing, **kwargs)

    assert not Drawing.objects.exists()
    assert not KeyRequirement.objects.exists()
    at_drawing.refresh_from_db()
    assert at_drawing.stage == "drawing"


def test_drawings_download_only_for_those_who_see_the_order(
    client, at_drawing, people, make_user
):
    issued(at_drawing, people["techmgr"])
    for user, status in (
        (make_user("sales"), 404),
        (make_user("workshop_lead"), 404),
        (people["sales"], 200),
        (people["qcmgr"], 200),
    ):
        client.force_login(user)
        assert client.get(url(at_drawing, "1/")).status_code == status


# --- the technical department's queue --------------------------------------------------


def test_the_technical_home_page_shows_drawings_due_red_when_late(
    english, order_at, people
):
    fresh = order_at("drawing")
    late = order_at("drawing")
    entered = timezone.now() - timedelta(days=10)
    # as if the drawings had arrived ten days ago: the gate set the clock then
    clock = get_calendar().add_working_days(
        timezone.localdate(entered), settings.ORDER_DRAWING_CLOCK_WORKING_DAYS
    )
    Order.objects.filter(pk=late.pk).update(stage_entered_at=entered, due_date=clock)
    StageDeadline.objects.filter(order=late, stage="drawing").update(due_date=clock)
    english.force_login(people["techmgr"])

    body = english.get("/").content.decode()

    queue = body.split('data-queue="drawings"')[1].split("</section>")[0]
    assert "Drawings due" in body.split('data-queue="drawings"')[1][:200]
    calendar = get_calendar()
    days = settings.ORDER_DRAWING_CLOCK_WORKING_DAYS
    rows = {
        order.number: next(row for row in queue.split("<tr") if order.number in row)
        for order in (fresh, late)
    }
    late_due = calendar.add_working_days(timezone.localdate(entered), days)
    fresh_due = calendar.add_working_days(timezone.localdate(), days)
    assert 'class="late"' in rows[late.number]
    assert late_due.isoformat() in rows[late.number]
    assert "overdue" in rows[late.number]
    assert "Review and issue the drawings" in rows[late.number]
    assert 'class="late"' not in rows[fresh.number]
    assert fresh_due.isoformat() in rows[fresh.number]
    assert queue.index(late.number) < queue.index(fresh.number)  # most urgent first


def test_the_queue_is_only_for_the_technical_department(client, at_drawing, people):
    client.force_login(people["sales"])

    assert 'data-queue="drawings"' not in client.get("/").content.decode()


# --- a fixed number of queries ---------------------------------------------------------


@pytest.mark.parametrize("versions", [2, 12])
def test_the_order_page_runs_a_fixed_number_of_queries(
    client, at_drawing, people, versions, django_assert_max_num_queries
):
    prepared(at_drawing, people["techmgr"], versions=versions)
    client.force_login(people["techmgr"])

    # the order page as tests/orders/test_queries.py counts it (27), plus the
    # technical engineer's drawings queue in the navigation; the contract and drawings
    # sections add the same four queries whatever the number of versions, and
    # production's section its materials, plans and slips
    with django_assert_max_num_queries(30):
        response = client.get(at_drawing.get_absolute_url())

    assert response.content.decode().count("data-drawing=") == versions


# --- at the same moment (PostgreSQL locks rows; skipped on SQLite) ---------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_drawings_uploaded_at_once_get_consecutive_versions(order_at, people):
    from accounts.models import User
    from tests.threads import run_together

    order = order_at("drawing")

    def work(index):
        tech = User.objects.get(pk=people["techmgr"].pk)
        return services.drawing_upload(
            actor=tech, order=order, title=f"图{index}", uploaded=pdf()
        )

    results, errors = run_together(8, work)

    assert errors == [None] * 8
    assert sorted(d.version for d in results) == list(range(1, 9))
    assert order.events.filter(type="drawing_uploaded").count() == 8
