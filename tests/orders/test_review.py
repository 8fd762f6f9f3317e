"""The contract review sheet, the GM's approval (and stand-in), and quotes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.workdays import get_calendar
from orders import services
from orders.exceptions import PermissionDenied, ValidationError
from orders.models import ApprovalDelegation, OrderEvent, Quote
from orders.services import QuoteLineData
from tests.orders.conftest import CODES, open_and_sign


def test_promised_date_is_the_formula_in_working_days(make_order, people, departments):
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(order, people)

    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )

    order.refresh_from_db()
    calendar = get_calendar()
    today = timezone.localdate()
    # max(drawing 3, materials 5) + production 10 + inspection 2 + delivery (setting 2)
    assert order.promised_date == calendar.add_working_days(today, 5 + 10 + 2 + 2)
    due = {d.stage: d.due_date for d in order.deadlines.all()}
    assert due["drawing"] == calendar.add_working_days(today, 3)
    assert due["production"] == calendar.add_working_days(today, 15)
    assert due["inspection"] == calendar.add_working_days(today, 17)
    assert due["delivery"] == order.promised_date
    assert order.stage == "quote"  # small and not important: no GM approval


def test_conclusion_before_every_sign_off_is_refused(make_order, people, departments):
    order = make_order(people["sales"], submit=True)
    review = services.review_open(
        actor=people["prodmgr"], order=order, department_codes=list(CODES)
    )

    with pytest.raises(ValidationError, match="技术部"):
        services.review_conclude(
            actor=people["prodmgr"], review=review, conclusion="accept"
        )
    order.refresh_from_db()
    assert order.stage == "review"


@pytest.mark.parametrize("days", [0, -3, "", None])
def test_days_must_be_positive(make_order, people, departments, days):
    order = make_order(people["sales"], submit=True)
    review = services.review_open(
        actor=people["prodmgr"], order=order, department_codes=["technical"]
    )

    with pytest.raises(ValidationError):
        services.review_sign(
            actor=people["techmgr"],
            signoff=review.signoffs.get(),
            content="",
            days_needed=days,
            resources_ok=True,
            risks="",
            opinion="agree",
        )
    assert not review.signoffs.get().is_signed


def test_only_the_departments_reviewer_signs_its_row(make_order, people, departments):
    order = make_order(people["sales"], submit=True)
    review = services.review_open(
        actor=people["prodmgr"], order=order, department_codes=["technical"]
    )
    row = review.signoffs.get()

    for intruder in ("purchasing", "sales", "gm"):
        with pytest.raises(PermissionDenied):
            services.review_sign(
                actor=people[intruder],
                signoff=row,
                content="",
                days_needed=2,
                resources_ok=True,
                risks="",
                opinion="agree",
            )
    assert not OrderEvent.objects.filter(type="review_signed").exists()


def test_important_order_needs_gm_and_a_stand_in_approves_on_their_behalf(
    make_order, people, departments, make_user
):
    order = make_order(people["sales"], submit=True, is_important=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    order.refresh_from_db()
    assert order.stage == "approval"

    deputy = make_user("production_manager", display_name="副总")
    with pytest.raises(PermissionDenied):
        services.order_approve(actor=deputy, order=order, approve=True)
    ApprovalDelegation.objects.create(
        principal=people["gm"],
        delegate=deputy,
        starts_on=timezone.localdate() - timedelta(days=1),
        ends_on=timezone.localdate() + timedelta(days=1),
    )

    order = services.order_approve(
        actor=deputy, order=order, approve=True, comment="同意"
    )

    assert order.stage == "quote"
    event = order.events.filter(type="moved", to_stage="quote").get()
    assert event.user == deputy and event.on_behalf_of == people["gm"]


def test_stand_in_outside_their_period_is_refused(
    make_order, people, make_user, departments
):
    order = make_order(people["sales"], submit=True, is_important=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    deputy = make_user("production_manager")
    ApprovalDelegation.objects.create(
        principal=people["gm"],
        delegate=deputy,
        starts_on=date(2020, 1, 1),
        ends_on=date(2020, 1, 31),
    )

    with pytest.raises(PermissionDenied):
        services.order_approve(actor=deputy, order=order, approve=True)
    order.refresh_from_db()
    assert order.stage == "approval"


def test_decline_closes_the_order_with_the_reason(make_order, people, departments):
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(order, people)

    with pytest.raises(ValidationError):
        services.review_conclude(
            actor=people["prodmgr"], review=review, conclusion="decline"
        )
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="decline", note="产能不足"
    )

    order.refresh_from_db()
    assert order.stage == "declined"
    assert order.events.get(to_stage="declined").reason == "产能不足"


def test_small_order_of_a_non_key_customer_suggests_conditions(make_order, people):
    order = make_order(people["sales"])
    assert services.suggests_conditions(order)
    order.customer.type = "key"
    assert not services.suggests_conditions(order)


def _to_quote_stage(make_order, people):
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    order.refresh_from_db()
    return order


def _quote(order, people, valid_until=None, **kwargs):
    return services.quote_save(
        actor=people["quoter"],
        order=order,
        lines=[
            QuoteLineData(
                model_code="GB-D1060",
                quantity=Decimal(1000),
                unit_price=Decimal("4.00"),
            )
        ],
        prices_include_tax=True,
        vat_rate=Decimal("0.13"),
        discount_percent=kwargs.get("discount", Decimal(5)),
        lead_time_days=30,
        payment_terms="预付30%，月结60天",
        valid_until=valid_until or timezone.localdate() + timedelta(days=15),
    )


def test_quote_versions_approval_lock_and_acceptance(make_order, people, departments):
    order = _to_quote_stage(make_order, people)
    first = _quote(order, people)
    assert first.gross_amount == Decimal("3800.00")  # 1000 × 4.00 × 95 %
    second = _quote(order, people, discount=Decimal(0))
    first.refresh_from_db()
    assert (first.status, second.version) == ("superseded", 2)

    services.quote_submit(actor=people["quoter"], quote=second)
    with pytest.raises(PermissionDenied):
        services.quote_decide(actor=people["quoter"], quote=second, approve=True)
    second = services.quote_decide(actor=people["gm"], quote=second, approve=True)
    assert second.is_locked and second.approved_by == people["gm"]

    order = services.quote_accept(
        actor=people["sales"],
        quote=second,
        accepted_on=timezone.localdate(),
        how="signed",
    )

    assert order.stage == "contract"
    types = list(order.events.values_list("type", flat=True))
    assert types[-4:] == [
        "quote_submitted",
        "quote_approved",
        "quote_accepted",
        "moved",
    ]


def test_an_expired_quote_cannot_be_accepted(
    make_order, people, departments, monkeypatch
):
    order = _to_quote_stage(make_order, people)
    quote = _quote(order, people, valid_until=timezone.localdate())
    services.quote_submit(actor=people["quoter"], quote=quote)
    services.quote_decide(actor=people["gm"], quote=quote, approve=True)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a: tomorrow)

    with pytest.raises(ValidationError, match="过期|expired"):
        services.quote_accept(
            actor=people["sales"], quote=quote, accepted_on=tomorrow, how="email"
        )
    quote.refresh_from_db()
    order.refresh_from_db()
    assert quote.status == Quote.Status.APPROVED and order.stage == "quote"
