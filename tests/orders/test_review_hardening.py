"""What a fresh-eyes review found: each a refusal a user would notice."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders import services
from orders.exceptions import InvalidMove, PermissionDenied, ValidationError
from orders.models import ApprovalDelegation, Quote
from orders.services import QuoteLineData
from tests.orders.conftest import CODES, open_and_sign


def _at_quote(make_order, people):
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    order.refresh_from_db()
    return order


def _submitted_quote(order, people, qty="1000", price="3.8"):
    quote = services.quote_save(
        actor=people["quoter"],
        order=order,
        lines=[
            QuoteLineData(
                model_code="GB", quantity=Decimal(qty), unit_price=Decimal(price)
            )
        ],
        prices_include_tax=True,
        vat_rate=Decimal("0.13"),
        discount_percent=0,
        lead_time_days=10,
        payment_terms="月结",
        valid_until=timezone.localdate() + timedelta(days=5),
    )
    return services.quote_submit(actor=people["quoter"], quote=quote)


def test_a_salesperson_cannot_be_named_stand_in(people):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.delegation_create(
            actor=people["gm"], delegate=people["sales"], starts_on=today, ends_on=today
        )
    assert not ApprovalDelegation.objects.exists()


def test_send_back_voids_the_signatures_and_says_so(make_order, people, client):
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(order, people)
    client.force_login(people["prodmgr"])
    order.refresh_from_db()

    stale = client.post(
        f"/orders/{order.number}/move/send_back/",
        {"reason": "客户图纸不全", "version": order.version - 1},
    )
    assert stale.status_code == 409
    order.refresh_from_db()
    assert order.stage == "review"  # stale version: refused
    order.refresh_from_db()
    client.post(
        f"/orders/{order.number}/move/send_back/",
        {"reason": "客户图纸不全", "version": order.version},
    )

    order.refresh_from_db()
    assert order.stage == "draft"
    assert not any(s.is_signed for s in review.signoffs.all())
    event = order.events.get(type="moved", to_stage="draft")
    assert len(event.parameters["voided_signoffs"]) == len(CODES)
    # resubmitted: every department signs again before a conclusion
    services.order_submit(actor=people["sales"], order=order)
    with pytest.raises(ValidationError):
        services.review_conclude(
            actor=people["prodmgr"], review=review, conclusion="accept"
        )


def test_quotes_of_a_cancelled_order_cannot_be_approved(make_order, people):
    order = _at_quote(make_order, people)
    quote = _submitted_quote(order, people)
    services.order_cancel(
        actor=people["gm"], order=order, reason="客户取消", loss_measures="未投料"
    )

    with pytest.raises(InvalidMove):
        services.quote_decide(actor=people["gm"], quote=quote, approve=True)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SUBMITTED


def test_a_decision_must_be_chosen_and_a_too_long_comment_approves_nothing(
    client, make_order, people
):
    order = _at_quote(make_order, people)
    quote = _submitted_quote(order, people)
    client.force_login(people["gm"])
    url = f"/orders/{order.number}/quotes/1/decide/"

    assert client.post(url, {"comment": "退回"}).status_code == 400
    client.post(url, {"decision": "approve", "comment": "长" * 2001})

    quote.refresh_from_db()
    assert quote.status == Quote.Status.SUBMITTED


def test_an_overflowing_quote_amount_is_refused(make_order, people):
    order = _at_quote(make_order, people)
    with pytest.raises(ValidationError, match="过大"):
        _submitted_quote(order, people, qty="9999999999", price="99999999")
    assert not Quote.objects.exists()


def test_a_disagreeing_department_needs_a_note_and_the_gm(make_order, people):
    order = make_order(people["sales"], submit=True)
    review = services.review_open(
        actor=people["prodmgr"], order=order, department_codes=["technical"]
    )
    services.review_sign(
        actor=people["techmgr"],
        signoff=review.signoffs.get(),
        content="",
        days_needed=5,
        resources_ok=False,
        risks="缺少精冲设备",
        opinion="disagree",
    )

    with pytest.raises(ValidationError, match="技术部"):
        services.review_conclude(
            actor=people["prodmgr"], review=review, conclusion="accept"
        )
    services.review_conclude(
        actor=people["prodmgr"],
        review=review,
        conclusion="conditional",
        extend_lead_time=True,
        note="外协精冲，工期延长",
    )

    order.refresh_from_db()
    assert order.stage == "approval"  # escalated to the general manager


def test_another_reviewer_cannot_overwrite_a_signed_row(
    make_order, people, make_user, departments
):
    order = make_order(people["sales"], submit=True)
    review = services.review_open(
        actor=people["prodmgr"], order=order, department_codes=["technical"]
    )
    row = review.signoffs.get()
    services.review_sign(
        actor=people["techmgr"],
        signoff=row,
        content="",
        days_needed=3,
        resources_ok=True,
        risks="",
        opinion="agree",
    )
    colleague = make_user("dept_reviewer", department=departments["technical"])

    with pytest.raises(InvalidMove):
        services.review_sign(
            actor=colleague,
            signoff=row,
            content="",
            days_needed=9,
            resources_ok=True,
            risks="",
            opinion="agree",
        )
    row.refresh_from_db()
    assert (row.days_needed, row.signed_by) == (3, people["techmgr"])


def test_revoking_with_a_bad_id_is_a_404(client, people):
    client.force_login(people["gm"])
    response = client.post("/orders/approvals/stand-ins/", {"revoke": "abc"})
    assert response.status_code == 404


def test_a_stand_in_may_not_approve_their_own_quote(make_order, people, make_user):
    order = _at_quote(make_order, people)
    quote = _submitted_quote(order, people)
    ApprovalDelegation.objects.create(
        principal=people["gm"],
        delegate=people["quoter"],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    with pytest.raises(PermissionDenied):
        services.quote_decide(actor=people["quoter"], quote=quote, approve=True)


def test_a_double_submitted_stand_in_form_names_one(client, people, make_user):
    deputy = make_user("production_manager")
    client.force_login(people["gm"])
    today = timezone.localdate()
    data = {
        "delegate": deputy.pk,
        "starts_on": today.isoformat(),
        "ends_on": today.isoformat(),
        "form_token": str(uuid.uuid4()),
    }

    client.post("/orders/approvals/stand-ins/", data)
    client.post("/orders/approvals/stand-ins/", data)

    assert ApprovalDelegation.objects.count() == 1


def test_the_admin_shows_part_two_records_read_only(admin_client, make_order, people):
    order = make_order(people["sales"], submit=True)
    open_and_sign(order, people)
    for url in (
        "/admin/orders/contractreview/",
        "/admin/orders/quote/",
        "/admin/orders/contract/",
        "/admin/orders/drawing/",
        "/admin/orders/approvaldelegation/",
    ):
        assert admin_client.get(url).status_code == 200, url
    review = order.review
    page = admin_client.get(f"/admin/orders/contractreview/{review.pk}/change/")
    assert page.status_code == 200 and review.number in page.content.decode()
    assert admin_client.get("/admin/orders/quote/add/").status_code == 403


def test_an_approval_made_on_a_stale_page_is_refused(client, make_order, people):
    from orders.models import Order

    order = make_order(people["sales"], submit=True, is_important=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    order.refresh_from_db()
    seen = order.version  # the GM opens the page at this version
    Order.objects.filter(pk=order.pk).update(version=seen + 1)  # someone saves
    client.force_login(people["gm"])

    response = client.post(
        f"/orders/{order.number}/approve/", {"decision": "approve", "version": seen}
    )

    assert response.status_code == 409
    order.refresh_from_db()
    assert order.stage == "approval"
