"""The review sheet, approvals and quotes over HTTP: who may, who gets 403, what the
pages show, bad input refused with nothing saved, fixed query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders import services
from orders.models import ContractReview, OrderEvent, Quote, ReviewSignoff
from orders.services import QuoteLineData
from tests.orders.conftest import CODES, open_and_sign


@pytest.fixture
def submitted(make_order, people):
    return make_order(people["sales"], submit=True, lines=3)


def review_url(order, suffix=""):
    return f"/orders/{order.number}/review/{suffix}"


def test_only_the_production_manager_opens_the_sheet(client, submitted, people):
    for name in ("sales", "techmgr", "gm", "quoter"):
        client.force_login(people[name])
        response = client.post(
            review_url(submitted, "open/"), {"departments": list(CODES)}
        )
        assert response.status_code == 403, name
    assert not ContractReview.objects.exists()

    client.force_login(people["prodmgr"])
    client.post(review_url(submitted, "open/"), {"departments": list(CODES)})

    review = ContractReview.objects.get(order=submitted)
    assert [
        s.department.code for s in review.signoffs.select_related("department")
    ] == ["technical", "purchasing", "production", "quality"]
    assert submitted.events.filter(
        type="review_opened", user=people["prodmgr"]
    ).exists()


def test_reviewer_signs_own_row_and_others_get_403(client, submitted, people):
    review = services.review_open(
        actor=people["prodmgr"], order=submitted, department_codes=list(CODES)
    )
    tech_row = review.signoffs.get(department__code="technical")
    url = review_url(submitted, f"sign/{tech_row.pk}/")
    data = {
        "content": "图纸可行",
        "days_needed": 3,
        "resources_ok": "yes",
        "risks": "",
        "opinion": "agree",
    }

    for name in ("purchasing", "sales", "gm"):
        client.force_login(people[name])
        assert client.post(url, data).status_code == 403, name
    client.force_login(people["techmgr"])
    bad = client.post(url, dict(data, days_needed=0))
    assert bad.status_code == 400
    assert (
        "1" in bad.content.decode()
        and not ReviewSignoff.objects.get(pk=tech_row.pk).is_signed
    )

    assert client.post(url, data).status_code == 302
    row = ReviewSignoff.objects.get(pk=tech_row.pk)
    assert (row.days_needed, row.signed_by) == (3, people["techmgr"])
    assert client.get("/").content.decode().count(submitted.number) == 0  # queue done


def test_reviewer_sees_the_sign_off_in_their_queue(client, submitted, people):
    services.review_open(
        actor=people["prodmgr"], order=submitted, department_codes=list(CODES)
    )
    client.force_login(people["qcmgr"])

    body = client.get("/").content.decode()

    assert "待我签署" in body and submitted.number in body


def test_conclusion_before_every_sign_off_is_refused_over_http(
    client, submitted, people
):
    services.review_open(
        actor=people["prodmgr"], order=submitted, department_codes=list(CODES)
    )
    client.force_login(people["techmgr"])
    assert (
        client.post(
            review_url(submitted, "conclude/"), {"conclusion": "accept"}
        ).status_code
        == 403
    )
    client.force_login(people["prodmgr"])
    submitted.refresh_from_db()

    response = client.post(
        review_url(submitted, "conclude/"),
        {"conclusion": "accept", "version": submitted.version},
    )

    assert response.status_code == 400
    assert "技术部" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.stage == "review"


def test_gm_approves_on_a_phone_page_and_others_get_403(client, make_order, people):
    order = make_order(people["sales"], submit=True, is_important=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    url = f"/orders/{order.number}/approve/"

    for name in ("prodmgr", "sales", "quoter"):
        client.force_login(people[name])
        assert client.post(url, {"decision": "approve"}).status_code in (403, 404)
    order.refresh_from_db()
    assert order.stage == "approval"

    client.force_login(people["gm"])
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'data-test="gm-approve"' in page
    version = order.version  # the page posts the version it showed
    client.post(url, {"decision": "send_back", "version": version})  # no comment
    order.refresh_from_db()
    assert order.stage == "approval"
    client.post(url, {"decision": "approve", "comment": "同意", "version": version})
    order.refresh_from_db()
    assert order.stage == "quote"
    assert order.events.get(to_stage="quote").user == people["gm"]


def _at_quote(make_order, people):
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    order.refresh_from_db()
    return order


def quote_post(**overrides):
    data = {
        "prices_include_tax": "on",
        "vat_percent": "13",
        "discount_percent": "0",
        "lead_time_days": "30",
        "payment_terms": "月结60天",
        "valid_until": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "note": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-model_code": "GB-D1060",
        "lines-0-spec": "料厚6.0",
        "lines-0-quantity": "1000",
        "lines-0-unit": "片",
        "lines-0-unit_price": "4.2",
    }
    data.update(overrides)
    return data


def test_quote_recorded_by_the_quoter_approved_by_the_gm_printed(
    client, make_order, people
):
    order = _at_quote(make_order, people)
    url = f"/orders/{order.number}/quotes/new/"
    client.force_login(people["sales"])
    assert client.post(url, quote_post()).status_code == 403

    client.force_login(people["quoter"])
    bad = client.post(url, quote_post(**{"lines-0-quantity": "0"}))
    assert bad.status_code == 400 and not Quote.objects.exists()
    assert client.post(url, quote_post()).status_code == 302
    quote = Quote.objects.get()
    assert quote.gross_amount == Decimal("4200.00")
    client.post(f"/orders/{order.number}/quotes/1/submit/")
    assert (
        client.post(
            f"/orders/{order.number}/quotes/1/decide/", {"decision": "approve"}
        ).status_code
        == 403
    )

    client.force_login(people["gm"])
    client.post(f"/orders/{order.number}/quotes/1/decide/", {"decision": "approve"})
    quote.refresh_from_db()
    assert quote.status == "approved"

    printed = client.get(f"/orders/{order.number}/quotes/1/print/").content.decode()
    assert "报价单" in printed and quote.number in printed
    assert "¥4,200.00" in printed and "周建国" in printed


def test_expired_quote_acceptance_is_refused_over_http(client, make_order, people):
    order = _at_quote(make_order, people)
    quote = services.quote_save(
        actor=people["quoter"],
        order=order,
        lines=[
            QuoteLineData(model_code="M", quantity=Decimal(1), unit_price=Decimal(10))
        ],
        prices_include_tax=True,
        vat_rate=Decimal("0.13"),
        discount_percent=0,
        lead_time_days=10,
        payment_terms="款到发货",
        valid_until=timezone.localdate(),
    )
    services.quote_submit(actor=people["quoter"], quote=quote)
    services.quote_decide(actor=people["gm"], quote=quote, approve=True)
    Quote.objects.filter(pk=quote.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(people["sales"])

    response = client.post(
        f"/orders/{order.number}/quotes/1/accept/",
        {"accepted_on": timezone.localdate().isoformat(), "how": "email"},
        follow=True,
    )

    assert "过期" in response.content.decode()
    order.refresh_from_db()
    assert order.stage == "quote"


def test_review_sheet_prints_like_the_paper_form(client, make_order, people):
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    client.force_login(people["prodmgr"])

    body = client.get(review_url(order, "print/")).content.decode()

    assert "GS/G-SC-01" in body and review.number in body
    for name in ("刘洋", "陈静", "王强", "杨帆"):
        assert name in body
    assert "合同评审表" in body


@pytest.mark.parametrize("size", [2, 12])
def test_order_page_with_full_review_quotes_and_history_has_fixed_queries(
    client, make_order, people, django_assert_max_num_queries, size
):
    order = _at_quote(make_order, people)
    for _ in range(size):
        services.quote_save(
            actor=people["quoter"],
            order=order,
            lines=[
                QuoteLineData(
                    model_code=f"GB-{i}", quantity=Decimal(10), unit_price=Decimal(2)
                )
                for i in range(size)
            ],
            prices_include_tax=True,
            vat_rate=Decimal("0.13"),
            discount_percent=0,
            lead_time_days=10,
            payment_terms="月结",
            valid_until=timezone.localdate() + timedelta(days=5),
        )
    client.force_login(people["gm"])

    # (33: production's materials record, opened by the review's conclusion, is
    # read once for the production section and its due item)
    with django_assert_max_num_queries(33):
        response = client.get(order.get_absolute_url())
    assert response.content.decode().count("data-quote=") == size


@pytest.mark.parametrize("size", [1, 8])
def test_review_queues_have_fixed_queries(
    client, make_order, people, django_assert_max_num_queries, size
):
    for _ in range(size):
        order = make_order(people["sales"], submit=True)
        services.review_open(
            actor=people["prodmgr"], order=order, department_codes=list(CODES)
        )
    for name in ("prodmgr", "techmgr", "gm"):
        client.force_login(people[name])
        with django_assert_max_num_queries(20):
            body = client.get("/").content.decode()
        if name != "gm":
            assert body.count("SO-") >= size


def test_stand_in_page_names_and_revokes(client, people, make_user):
    deputy = make_user("production_manager", display_name="副总经理")
    client.force_login(people["sales"])
    assert client.get("/orders/approvals/stand-ins/").status_code == 403
    client.force_login(people["gm"])
    today = timezone.localdate()

    bad = client.post(
        "/orders/approvals/stand-ins/",
        {
            "delegate": deputy.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert bad.status_code == 400
    client.post(
        "/orders/approvals/stand-ins/",
        {
            "delegate": deputy.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=7)).isoformat(),
            "reason": "出差",
        },
    )

    assert "副总经理" in client.get("/orders/approvals/stand-ins/").content.decode()
    assert OrderEvent.objects.count() == 0
