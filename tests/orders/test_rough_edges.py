"""Issue 8: what a person met walking the first half, each as the page shows it."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.demo import seed_company
from orders import services
from orders.models import Order, Quote
from orders.services import LineData, QuoteLineData
from tests.walk import SIGNERS, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return demo_users


def page_of(user, path) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def priced_order(users, price="38000"):
    """sales1's order of 10 pieces at a five-figure unit price, at the quote stage."""
    order = walk(users, "review")
    services.order_send_back(actor=users["prodmgr"], order=order, reason="改价")
    order.refresh_from_db()
    services.order_update(
        actor=users["sales1"],
        order=order,
        version=order.version,
        lines=[
            LineData(model_code="MJ-1", quantity=Decimal(10), unit_price=Decimal(price))
        ],
        customer=order.customer,
        channel="phone",
        requested_date=order.requested_date,
        deposit_percent=Decimal(30),
        monthly_settlement_days=60,
    )
    order.refresh_from_db()
    return order


# --- 1. plain decimals; money with separators where it is read ----------------------


def test_prices_show_as_typed_in_the_forms_and_with_separators_where_read(users):
    order = priced_order(users)
    edit = page_of(users["sales1"], f"/orders/{order.number}/edit/")
    assert 'value="38000"' in edit
    assert "E+" not in edit
    services.order_submit(actor=users["sales1"], order=order)
    review = services.review_open(
        actor=users["prodmgr"], order=order, department_codes=["technical"]
    )
    services.review_sign(
        actor=users["techmgr"],
        signoff=review.signoffs.get(),
        content="",
        days_needed=2,
        resources_ok=True,
        risks="",
        opinion="agree",
    )
    services.review_conclude(actor=users["prodmgr"], review=review, conclusion="accept")
    quote_form = page_of(users["sales2"], f"/orders/{order.number}/quotes/new/")
    assert 'value="38000"' in quote_form
    assert "E+" not in quote_form

    quote = services.quote_save(
        actor=users["sales2"],
        order=order,
        lines=[
            QuoteLineData(
                model_code="MJ-1", quantity=Decimal(10), unit_price=Decimal(38000)
            )
        ],
        prices_include_tax=True,
        vat_rate=Decimal("0.13"),
        discount_percent=Decimal(0),
        lead_time_days=20,
        payment_terms="月结",
        valid_until=timezone.localdate() + timedelta(days=5),
    )
    detail = page_of(users["sales1"], order.get_absolute_url())
    assert "¥38,000.00" in detail  # 单价 on the order page
    assert f"{quote.number} v1 ¥380,000.00" in detail  # the history line
    printed = page_of(users["sales1"], f"/orders/{order.number}/quotes/1/print/")
    assert "¥38,000.00" in printed and "¥380,000.00" in printed


# --- 5. no English left; filters start at "all" ----------------------------------------


def test_the_contract_register_sorts_in_chinese_and_the_overdue_filter_starts_at_all(
    users,
):
    register = page_of(users["gm"], "/orders/contracts/")
    assert "（降序）" in register
    assert "(descending)" not in register
    orders = page_of(users["gm"], "/orders/")
    overdue = re.search(
        r'<select name="overdue"[^>]*>\s*<option value="([^"]*)"[^>]*>([^<]*)<', orders
    )
    assert overdue and overdue.groups() == ("", "全部")
    assert "未知" not in orders


# --- 6. a short label in its own meaning ------------------------------------------------


def test_the_stand_in_form_labels_its_dates_as_a_period(users):
    page = page_of(users["gm"], "/orders/approvals/stand-ins/")
    assert "起始日期" in page and "截止日期" in page
    assert "原环节" not in page


def test_a_closed_change_request_stores_a_code_not_a_sentence(users):
    order = walk(users, "change_pending")
    services.order_cancel(
        actor=users["prodmgr"], order=order, reason="客户取消", loss_measures="停止备料"
    )
    change = order.change_requests.get()
    assert (change.status, change.decided_comment) == ("withdrawn", "")
    client = Client()
    client.force_login(users["sales1"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        "closed: the order was cancelled"
        in client.get(order.get_absolute_url()).content.decode()
    )


def test_the_customers_acceptance_is_stored_as_a_code_and_read_in_each_language(users):
    order = walk(users, "contract")
    event = order.events.get(type="quote_accepted")
    assert event.parameters["how"] == "email"
    assert "电子邮件" in page_of(users["sales1"], order.get_absolute_url())


# --- 9. smaller things seen on screen -----------------------------------------------------


def test_a_reviewer_is_offered_a_button_to_their_row(users):
    order = walk(users, "review_open")
    page = page_of(users["techmgr"], order.get_absolute_url())
    review_url = f"/orders/{order.number}/review/#sign"
    assert f'href="{review_url}" data-test="go-sign"' in page
    home = page_of(users["techmgr"], "/")
    row = home.split(f'data-order="{order.number}"')[1].split("</tr>")[0]
    assert review_url in row
    # once signed, the button is gone
    for row in order.review.signoffs.select_related("department"):
        if row.department.code == "technical":
            services.review_sign(
                actor=users["techmgr"],
                signoff=row,
                content="",
                days_needed=2,
                resources_ok=True,
                risks="",
                opinion="agree",
            )
    assert 'data-test="go-sign"' not in page_of(
        users["techmgr"], order.get_absolute_url()
    )


def test_the_gm_sees_the_amount_and_why_approval_is_needed_with_a_labelled_comment(
    users,
):
    order = walk(users, "approval", amount="600")  # ¥600,000.00, and important
    page = page_of(users["gm"], order.get_absolute_url())
    box = page.split('data-test="gm-approval"')[1].split("</section>")[0]
    assert "¥600,000.00" in box
    assert "金额达到 ¥500,000.00 审批线" in box and "标记为重要订单" in box
    assert re.search(r'<label for="id_comment">审批意见', box)
    home = page_of(users["gm"], "/")
    assert (
        "审批订单：¥600,000.00（金额达到 ¥500,000.00 审批线；标记为重要订单）" in home
    )


def test_the_quote_acceptance_and_decision_fields_have_labels(users):
    order = walk(users, "quote_approved")
    page = page_of(users["sales1"], order.get_absolute_url())
    assert '<label for="accepted-on-1">客户确认日期</label>' in page
    assert '<label for="accepted-how-1">确认方式</label>' in page
    order = walk(users, "quote_submitted")
    page = page_of(users["gm"], order.get_absolute_url())
    assert '<label for="quote-comment-1">审批意见（退回时必填）</label>' in page


def test_the_history_names_risks_and_comments_for_what_they_are(users):
    order = walk(users, "review")
    review = services.review_open(
        actor=users["prodmgr"], order=order, department_codes=list(SIGNERS)
    )
    for row in review.signoffs.select_related("department"):
        services.review_sign(
            actor=users[SIGNERS[row.department.code]],
            signoff=row,
            content="",
            days_needed=2,
            resources_ok=True,
            risks="钢材涨价" if row.department.code == "purchasing" else "",
            opinion="conditional" if row.department.code == "purchasing" else "agree",
        )
    Order.objects.filter(pk=order.pk).update(is_important=True)
    services.review_conclude(actor=users["prodmgr"], review=review, conclusion="accept")
    order.refresh_from_db()
    services.order_approve(
        actor=users["gm"],
        order=order,
        approve=True,
        comment="注意回款",
        version=order.version,
    )
    page = page_of(users["sales1"], order.get_absolute_url())
    assert "风险及防范措施：钢材涨价" in page
    assert "意见：注意回款" in page
    assert "原因：钢材涨价" not in page and "原因：注意回款" not in page


def test_payment_terms_read_with_chinese_separators_only(users):
    order = priced_order(users)
    page = page_of(users["sales1"], order.get_absolute_url())
    terms = page.split('data-test="payment-terms">')[1].split("</dd>")[0]
    assert terms == "预付款 30%；月结 60 天"
    assert ";" not in terms


def test_the_printed_quote_has_one_font_no_empty_check_box_and_the_seller(users):
    company = seed_company()
    order = walk(users, "quote_approved")
    printed = page_of(users["sales1"], f"/orders/{order.number}/quotes/1/print/")
    assert "审核" not in printed
    seller = printed.split('data-test="quote-parties"')[1].split("</table>")[0]
    assert company.name in seller and company.address in seller
    assert company.phone in seller
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert "font-family" not in css  # one face: the page's own
    assert Quote.objects.filter(order=order).count() == 1


def test_sort_labels_follow_the_readers_language_not_the_one_at_import():
    """django-filter formats "(descending)" once, when a filter class is built; ours
    reads in the language of the page that shows it."""
    from django.utils import translation

    from core.filters import OrderingFilter

    with translation.override("en"):
        sort = OrderingFilter(fields=(("number", "number"),), field_labels={})
    with translation.override("zh-hans"):
        labels = [str(label) for _value, label in sort.field.choices]
    assert any("（降序）" in x for x in labels)
    assert not any("(descending)" in x for x in labels)


# --- 4. the same button posted twice is one request --------------------------------------


def _button_form(page: str, action: str) -> dict:
    form = page.split(f'action="{action}"')[1].split("</form>")[0]
    return dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    )


@pytest.mark.parametrize("situation", ["draft", "drawing_ready"])
def test_a_button_posted_twice_reports_only_its_success(users, situation):
    order = walk(users, situation)
    username, action, done = {
        "draft": ("sales1", f"/orders/{order.number}/move/submit/", "提交评审"),
        "drawing_ready": (
            "techmgr",
            f"/orders/{order.number}/drawings/issue/",
            "图纸已下发",
        ),
    }[situation]
    client = Client()
    client.force_login(users[username])
    data = _button_form(client.get(order.get_absolute_url()).content.decode(), action)
    # a double click: the same form, posted twice before the page changes
    client.post(action, data)
    response = client.post(action, data, follow=True)
    page = response.content.decode()
    assert done in page
    assert "msg-error" not in page
    moved = order.events.filter(type="moved").order_by("-id").first()
    assert moved.to_stage == ("review" if situation == "draft" else "production")
    assert order.events.filter(type="moved", to_stage=moved.to_stage).count() == 1
