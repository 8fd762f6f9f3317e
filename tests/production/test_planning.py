"""The planner's and the office's part of production: a plan is prepared by the
planner and reviewed by another person before it is issued (GS/G-SC-03 编制 / 审核),
a plan for one line carries that line's model, a draft can be edited or deleted."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from orders.services import LineData
from production.models import ProductionPlan
from tests.walk import plan_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_planner_cannot_issue_their_own_plan(users):
    # given a draft plan with its slips, prepared by the planner
    order = walk(users, "plan_draft")
    plan = plan_of(order)
    # when the planner tries to issue it themselves
    response = signed_in(users["planner"]).post(
        f"/production/plans/{plan.number}/issue/", {}
    )
    # then it is refused and the plan is not issued
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status != ProductionPlan.Status.ISSUED
    assert plan.issued_by is None
    assert not order.events.filter(type="plan_issued").exists()


def two_lines(users, situation="production"):
    return walk(
        users,
        situation,
        lines=[
            LineData(
                model_code="GB-D1060", quantity=Decimal(1000), unit_price=Decimal(3)
            ),
            LineData(
                model_code="GB-D1092", quantity=Decimal(400), unit_price=Decimal(4)
            ),
        ],
    )


def form_values(response) -> dict:
    """What the browser would post: the form's initial values."""
    form = response.context["form"]
    values = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        values[name] = getattr(value, "pk", value)
    return values


def test_a_plan_for_the_second_line_carries_the_second_lines_model(users):
    # given an order of two lines in production; the planner opens a new plan
    order = two_lines(users)
    first, second = order.lines.order_by("position")
    planner = signed_in(users["planner"])
    opened = planner.get(f"/production/orders/{order.number}/plans/new/")
    values = form_values(opened)
    assert values["model_code"] == "GB-D1060"
    # when they choose the second line and save what the form shows
    values["line"] = second.pk
    response = planner.post(f"/production/orders/{order.number}/plans/new/", values)
    # then the plan is for the second line's model and quantity, not the first's
    assert response.status_code == 302, response.context["form"].errors
    plan = ProductionPlan.objects.get(order=order)
    assert plan.line == second
    assert plan.model_code == "GB-D1092"
    assert plan.quantity == 400


def test_the_order_pages_line_link_opens_the_plan_for_that_line(users):
    order = two_lines(users)
    second = order.lines.get(position=2)
    planner = signed_in(users["planner"])
    page = planner.get(order.get_absolute_url()).content.decode()
    link = f"/production/orders/{order.number}/plans/new/?line={second.pk}"
    assert link in page
    values = form_values(planner.get(link))
    assert values["line"] == second.pk
    assert values["model_code"] == "GB-D1092"
    assert values["quantity"] in ("400", 400, Decimal(400))


def queue(client, key):
    found = [q for q in client.get("/").context["queues"] if q.key == key]
    return found[0] if found else None


def test_the_production_manager_reviews_and_issues_the_submitted_plan(
    users, django_capture_on_commit_callbacks
):
    # given a draft plan with its slips
    order = walk(users, "plan_draft")
    plan = plan_of(order)
    planner, prodmgr = signed_in(users["planner"]), signed_in(users["prodmgr"])
    # when the planner submits it
    with django_capture_on_commit_callbacks(execute=True):
        planner.post(f"/production/plans/{plan.number}/submit/", {})
    plan.refresh_from_db()
    assert plan.status == ProductionPlan.Status.SUBMITTED
    assert plan.submitted_by == users["planner"]
    # then it waits in the production manager's queue (and inbox), not issued
    review = queue(prodmgr, "plans_to_review")
    assert [i.url for i in review.items] == [plan.get_absolute_url()]
    assert users["prodmgr"].notifications.filter(kind="plan_review").exists()
    assert queue(planner, "plans_to_review") is None
    # and the planner may no longer add slips to it
    page = planner.get(plan.get_absolute_url()).content.decode()
    assert 'data-test="add-slip"' not in page
    # when the production manager reviews it
    prodmgr.post(f"/production/plans/{plan.number}/issue/", {})
    plan.refresh_from_db()
    # then it is issued, with both boxes of the printed sheet filled
    assert plan.status == ProductionPlan.Status.ISSUED
    assert plan.review_stamp.who == users["prodmgr"]
    assert plan.issued_by == users["prodmgr"]
    sheet = prodmgr.get(f"/production/plans/{plan.number}/print/")
    prepared = str(users["planner"])
    reviewed = str(users["prodmgr"])
    html = sheet.content.decode()
    assert prepared in html.split('data-test="sheet-prepared"')[1].split("</td>")[0]
    assert reviewed in html.split('data-test="sheet-reviewed"')[1].split("</td>")[0]
    # and the history says who submitted and who reviewed
    assert order.events.get(type="plan_submitted").user == users["planner"]
    assert order.events.get(type="plan_issued").user == users["prodmgr"]
    assert not queue(prodmgr, "plans_to_review").items


def test_the_reviewer_sends_the_plan_back_with_the_reason(users):
    order = walk(users, "plan_submitted")
    plan = plan_of(order)
    prodmgr = signed_in(users["prodmgr"])
    # a send-back without a reason does nothing
    prodmgr.post(
        f"/production/plans/{plan.number}/return/",
        {"version": plan.version, "reason": " "},
    )
    plan.refresh_from_db()
    assert plan.status == ProductionPlan.Status.SUBMITTED
    prodmgr.post(
        f"/production/plans/{plan.number}/return/",
        {"version": plan.version, "reason": "成型工期太紧"},
    )
    plan.refresh_from_db()
    assert plan.status == ProductionPlan.Status.DRAFT
    assert plan.returned_reason == "成型工期太紧"
    event = order.events.get(type="plan_returned")
    assert event.user == users["prodmgr"] and event.reason == "成型工期太紧"
    page = signed_in(users["planner"]).get(plan.get_absolute_url()).content.decode()
    assert "成型工期太紧" in page and 'data-test="submit-plan"' in page


def test_a_reviewer_who_prepared_the_plan_cannot_review_it(users, make_user):
    # given someone who plans and reviews (both roles) and prepared this plan
    from orders.exceptions import PermissionDenied
    from production import services

    both = make_user("production_planner", "production_manager", username="both")
    order = walk(users, "plan_draft")
    plan = plan_of(order)
    ProductionPlan.objects.filter(pk=plan.pk).update(created_by=both)
    services.plan_submit(actor=both, plan=plan)
    # when they review it, over HTTP or through the service: refused
    response = signed_in(both).post(f"/production/plans/{plan.number}/issue/", {})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.plan_issue(actor=both, plan=plan)
    plan.refresh_from_db()
    assert plan.status == ProductionPlan.Status.SUBMITTED
    # and it is not in their own review queue
    assert not queue(signed_in(both), "plans_to_review").items


def test_a_draft_plan_is_edited_until_it_is_submitted(users):
    order = walk(users, "plan_draft")
    plan = plan_of(order)
    planner = signed_in(users["planner"])
    opened = planner.get(f"/production/plans/{plan.number}/edit/")
    values = form_values(opened)
    values.update(quantity="1000", notes="首件送检", model_code="GB-D1060A")
    response = planner.post(f"/production/plans/{plan.number}/edit/", values)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.model_code, plan.notes) == ("GB-D1060A", "首件送检")
    event = order.events.get(type="plan_edited")
    assert {"field": "model_code", "old": "GB-D1060", "new": "GB-D1060A"} in (
        event.parameters["edits"]
    )
    # the same form again (a stale page) is refused; nothing changes
    response = planner.post(
        f"/production/plans/{plan.number}/edit/",
        {**values, "notes": "旧页面", "form_token": ""},
    )
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.notes == "首件送检"
    # once submitted it is no longer edited
    planner.post(f"/production/plans/{plan.number}/submit/", {})
    values = {**values, "version": str(ProductionPlan.objects.get().version)}
    planner.post(f"/production/plans/{plan.number}/edit/", {**values, "notes": "x"})
    plan.refresh_from_db()
    assert plan.notes == "首件送检"


def test_a_draft_plan_is_deleted_with_a_history_line_an_issued_one_never(users):
    from production.models import DispatchSlip

    order = walk(users, "plan_draft")
    plan = plan_of(order)
    slips = set(plan.slips.values_list("number", flat=True))
    planner = signed_in(users["planner"])
    response = planner.post(
        f"/production/plans/{plan.number}/delete/",
        {"version": plan.version, "reason": "客户改型"},
    )
    assert response.status_code == 302
    assert not ProductionPlan.objects.filter(pk=plan.pk).exists()
    assert not DispatchSlip.objects.filter(number__in=slips).exists()
    event = order.events.get(type="plan_deleted")
    assert event.user == users["planner"] and event.reason == "客户改型"
    assert set(event.parameters["slips"]) == slips
    # an issued plan is never deleted
    issued = walk(users, "plan_issued")
    plan = plan_of(issued)
    planner.post(f"/production/plans/{plan.number}/delete/", {"version": plan.version})
    assert ProductionPlan.objects.filter(pk=plan.pk).exists()
    assert not issued.events.filter(type="plan_deleted").exists()


def test_a_saved_draft_says_so_also_after_a_double_click(users):
    order = walk(users, "materials_ready")
    planner = signed_in(users["planner"])
    url = f"/production/orders/{order.number}/plans/new/"
    values = form_values(planner.get(url))
    first = planner.post(url, values, follow=True)
    second = planner.post(url, values, follow=True)
    assert ProductionPlan.objects.filter(order=order).count() == 1
    plan = ProductionPlan.objects.get(order=order)
    said = f"计划单 {plan.number} 已存为草稿"
    for response in (first, second):
        assert response.redirect_chain[-1][0] == plan.get_absolute_url()
        assert said in response.content.decode(), response.content.decode()[:3000]


def test_signing_for_a_plan_says_so_and_returns_to_the_workbench(users):
    order = walk(users, "plan_issued")
    plan = plan_of(order)
    response = signed_in(users["qc1"]).post(
        f"/production/plans/{plan.number}/receive/", follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert f"已签收计划单 {plan.number}" in response.content.decode()


def test_the_routing_makes_a_drafts_slips_in_one_step(users):
    from accounts.workdays import get_calendar

    # given a draft plan of GB-D1060, whose routing is cutting → forming → surface
    order = walk(users, "plan_empty")
    plan = plan_of(order)
    planner = signed_in(users["planner"])
    page = planner.get(plan.get_absolute_url()).content.decode()
    assert 'data-test="make-from-routing"' in page
    # when the planner makes the slips from it, back from the plan's completion
    planner.post(
        f"/production/plans/{plan.number}/slips/from-routing/", {"anchor": "finish"}
    )
    slips = list(plan.slips.order_by("due_date", "number"))
    # then each step is a slip after the previous one, its days on the calendar
    assert [(s.workshop.code, s.operation) for s in slips] == [
        ("cutting", "cutting"),
        ("line", "forming"),
        ("line", "surface"),
    ]
    calendar = get_calendar()
    last_day = plan.planned_finish
    if not calendar.is_working_day(last_day):
        last_day = calendar.add_working_days(last_day, -1)
    assert slips[2].due_date == last_day
    assert slips[2].start_date == calendar.add_working_days(last_day, -1)
    assert slips[1].due_date == calendar.add_working_days(slips[2].start_date, -1)
    assert calendar.working_days_between(slips[1].start_date, slips[1].due_date) == 4
    assert list(slips[1].predecessors.all()) == [slips[0]]
    assert list(slips[2].predecessors.all()) == [slips[1]]
    assert all(s.quantity == 1000 for s in slips)
    assert "首件检验" in slips[0].requirements
    assert "过程检验" in slips[1].requirements
    event = order.events.get(type="slips_from_routing")
    assert [s["slip"] for s in event.parameters["slips"]] == [s.number for s in slips]
    # a second time makes nothing more
    planner.post(
        f"/production/plans/{plan.number}/slips/from-routing/", {"anchor": "start"}
    )
    assert plan.slips.count() == 3


def test_the_planner_adjusts_a_slip_made_from_the_routing(users):
    from production import services

    order = walk(users, "plan_empty")
    plan = plan_of(order)
    services.slips_from_routing(actor=users["planner"], plan=plan, anchor="start")
    forming = plan.slips.get(operation="forming")
    planner = signed_in(users["planner"])
    values = form_values(planner.get(f"/production/slips/{forming.number}/edit/"))
    later = forming.due_date + timedelta(days=2)
    values.update(due_date=later.isoformat(), quantity="990")
    values["predecessors"] = list(values["predecessors"])
    response = planner.post(f"/production/slips/{forming.number}/edit/", values)
    assert response.status_code == 302
    forming.refresh_from_db()
    assert (forming.due_date, forming.quantity) == (later, 990)
    edits = order.events.get(type="slip_edited").parameters["edits"]
    assert {e["field"] for e in edits} == {"due_date", "quantity"}
    # a slip cannot come after its own successor
    surface = plan.slips.get(operation="surface")
    values = form_values(planner.get(f"/production/slips/{forming.number}/edit/"))
    values["predecessors"] = [surface.pk]
    response = planner.post(f"/production/slips/{forming.number}/edit/", values)
    assert response.status_code == 400
    # once the plan is submitted its slips are no longer adjusted here
    services.plan_submit(actor=users["planner"], plan=plan)
    response = planner.post(
        f"/production/slips/{forming.number}/edit/", {**values, "predecessors": []}
    )
    assert response.status_code == 302
    forming.refresh_from_db()
    assert forming.due_date == later


def test_a_plan_change_shows_what_it_does_to_the_promised_date(users, settings):
    from production import services

    order = walk(users, "plan_issued")
    plan = plan_of(order)
    line = plan.slips.get(workshop__code="line")
    later = order.promised_date + timedelta(days=20)
    change = services.plan_change_raise(
        actor=users["planner"],
        plan=plan,
        reason="设备大修",
        plan_values={"planned_finish": later},
        slip_values={line.pk: {"due_date": later}},
    )
    page = signed_in(users["prodmgr"]).get(change.get_absolute_url())
    html = page.content.decode()
    assert 'data-test="promise-effect"' in html
    effect = page.context["effect"]
    assert effect.finish_after == later and effect.moves
    # quality's 3 days signed on the review + delivery's (no logistics row)
    assert effect.remaining_days == 3 + settings.ORDER_DELIVERY_WORKING_DAYS
    assert effect.late_days > 0 and 'data-test="promise-late"' in html
    assert order.promised_date.isoformat() in html


def test_the_production_manager_has_the_late_slips_too(users):
    from production.models import DispatchSlip
    from tests.walk import slip_of

    order = walk(users, "plan_issued")
    cutting = slip_of(order, "cutting")
    DispatchSlip.objects.filter(pk=cutting.pk).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    late = queue(signed_in(users["prodmgr"]), "late_slips")
    assert [i.url for i in late.items] == [cutting.get_absolute_url()]


def test_a_plan_for_a_fraction_of_a_piece_is_refused(users):
    order = walk(users, "materials_ready")
    planner = signed_in(users["planner"])
    url = f"/production/orders/{order.number}/plans/new/"
    values = {**form_values(planner.get(url)), "quantity": "1.5"}
    response = planner.post(url, values)
    assert response.status_code == 400
    assert "请填写整数" in response.content.decode()
    assert not ProductionPlan.objects.filter(order=order).exists()
    # the form shows a whole number of pieces, not 1000.00
    assert values["model_code"] == "GB-D1060"
    assert str(form_values(planner.get(url))["quantity"]) == "1000"
