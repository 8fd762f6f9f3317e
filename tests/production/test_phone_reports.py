"""The workshop lead's phone, reporting: a slip with scrap finishes when good and
scrapped pieces reach its quantity (and says who can help with the shortfall); an
anomaly goes through after a refused over-report, without the refused numbers."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Department
from production import services
from production.models import DispatchSlip, SlipReport
from tests.production.forms_in_html import form_posting
from tests.walk import plan_of, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRODUCTION_OVERRUN_PERCENT = 5
    return demo_users


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def small_slip(users, quantity=5) -> DispatchSlip:
    """A started cutting slip of `quantity` pieces (5 × 1.05 rounds down to 5: no
    allowance over it)."""
    order = walk(users, "plan_draft")
    plan = plan_of(order)
    slip = services.slip_add(
        actor=users["planner"],
        plan=plan,
        workshop=Department.objects.get(code="cutting"),
        operation="stamping",
        quantity=quantity,
        due_date=timezone.localdate() + timedelta(days=5),
    )
    services.plan_submit(actor=users["planner"], plan=plan)
    services.plan_issue(actor=users["prodmgr"], plan=plan)
    services.slip_start(actor=users["lead_cutting"], slip=slip)
    slip.refresh_from_db()
    return slip


def post_card(phone, path, data):
    return phone.post(path, data, HTTP_HX_REQUEST="true")


def tap(phone, html, button):
    """Press a button of the card as the phone would: its form, as shown."""
    action, data = form_posting(html, button)
    return post_card(phone, action, data)


def all_done(phone, slip, card):
    """「全部完成」, then 「确认」 on the question the card puts."""
    assert 'data-test="report-rest"' in card
    asked = phone.get(slip.get_absolute_url() + "?confirm=rest", HTTP_HX_REQUEST="true")
    return tap(phone, asked.content.decode(), "confirm-rest")


def test_a_slip_with_scrap_is_finished_by_all_done(users):
    # given a started 5-piece slip on the cutting lead's phone
    slip = small_slip(users)
    phone = signed_in(users["lead_cutting"])
    # when the lead reports 2 good and 1 scrapped
    response = post_card(
        phone,
        f"/production/slips/{slip.number}/report/",
        {"token": str(uuid.uuid4()), "good": "2", "scrap": "1"},
    )
    assert response.status_code == 200
    card = response.content.decode()
    # then 「全部完成」 offers the rest: 5 − 2 − 1 = 2 good
    assert "全部完成：2 件合格" in card
    # and when they tap it (and confirm), the slip is finished
    response = all_done(phone, slip, card)
    assert response.status_code == 200, response.content.decode()[:2000]
    slip.refresh_from_db()
    assert (slip.good_qty, slip.scrap_qty) == (4, 1)
    assert slip.status == DispatchSlip.Status.DONE
    card = response.content.decode()
    assert 'data-status="done"' in card
    # finished one short: the card says so, and who can help (the planner)
    assert 'data-test="shortfall"' in card
    assert "短缺 1 件" in card and "孙磊" in card


def test_good_pieces_reaching_the_quantity_finish_within_the_allowance(users):
    slip = small_slip(users, quantity=100)
    services.slip_report(
        actor=users["lead_cutting"], slip=slip, token=uuid.uuid4(), good=98, scrap=4
    )
    slip.refresh_from_db()
    # good + scrap reached the quantity: finished, 2 short
    assert slip.status == DispatchSlip.Status.DONE
    assert slip.shortfall == 2


def test_an_anomaly_after_a_refused_over_report_goes_through(users):
    # given a started 5-piece slip with 2 good reported
    slip = small_slip(users)
    phone = signed_in(users["lead_cutting"])
    path = f"/production/slips/{slip.number}/report/"
    post_card(phone, path, {"token": str(uuid.uuid4()), "good": "2"})
    # when the lead types 9 good, more than the slip takes, and is refused
    response = post_card(phone, path, {"token": str(uuid.uuid4()), "good": "9"})
    assert response.status_code == 422
    card = response.content.decode()
    assert "最多 5" in card
    # and then reports an anomaly from the same card, choosing its cause
    action, data = form_posting(card, "report-anomaly")
    data.update(cause="equipment", note="冲床离合器打滑")
    response = post_card(phone, action, data)
    # then the anomaly is reported, and the refused 9 are not booked with it
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "已通知计划员和生产分管经理" in response.content.decode()
    anomaly = SlipReport.objects.get(slip=slip, anomaly=True)
    assert (anomaly.good, anomaly.scrap, anomaly.cause) == (0, 0, "equipment")
    slip.refresh_from_db()
    assert (slip.good_qty, slip.scrap_qty) == (2, 0)


def test_all_done_asks_without_script_too(users):
    # given a started 5-piece slip with 2 good, on a phone without htmx
    slip = small_slip(users)
    phone = signed_in(users["lead_cutting"])
    services.slip_report(
        actor=users["lead_cutting"], slip=slip, token=uuid.uuid4(), good=2
    )
    page = phone.get(slip.get_absolute_url()).content.decode()
    assert 'href="?confirm=rest"' in page
    # the link opens the page with the question; asking books nothing
    page = phone.get(slip.get_absolute_url() + "?confirm=rest").content.decode()
    assert "将剩余 3 件记为合格并完成派工单？" in page
    assert SlipReport.objects.filter(slip=slip).count() == 1
    # confirmed, the rest is booked and the page says so
    action, data = form_posting(page, "confirm-rest")
    response = phone.post(action, data, follow=True)
    assert "派工单已完成" in response.content.decode()
    slip.refresh_from_db()
    assert (slip.good_qty, slip.status) == (5, DispatchSlip.Status.DONE)


def test_a_confirmation_made_stale_by_another_report_books_nothing(users):
    # given the question asked on a 5-piece slip with nothing reported: the rest 5
    slip = small_slip(users)
    phone = signed_in(users["lead_cutting"])
    asked = phone.get(
        slip.get_absolute_url() + "?confirm=rest", HTTP_HX_REQUEST="true"
    ).content.decode()
    # when another phone reports 1 good before the answer
    services.slip_report(
        actor=users["lead_cutting"], slip=slip, token=uuid.uuid4(), good=1
    )
    response = tap(phone, asked, "confirm-rest")
    # then the rest of 5 is not booked on top of it
    assert response.status_code == 422
    assert "这张派工单已有变化" in response.content.decode()
    slip.refresh_from_db()
    assert (slip.good_qty, slip.status) == (1, DispatchSlip.Status.STARTED)
