from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import CalendarDay
from orders import services
from orders.exceptions import InvalidMove, ValidationError
from orders.models import NumberSequence, Order, OrderEvent
from orders.money import line_amounts
from orders.workflow import order_move
from tests.factories import CustomerFactory, DepartmentFactory
from tests.orders.conftest import line


def test_amounts_tax_inclusive_and_exclusive():
    # 含税: 1000 × 3.80 = 3800.00 gross; net = 3800 / 1.13
    assert line_amounts(1000, Decimal("3.80"), True, Decimal("0.13")) == (
        Decimal("3362.83"),
        Decimal("437.17"),
        Decimal("3800.00"),
    )
    # 不含税: net 3800.00, tax 494.00
    assert line_amounts(1000, Decimal("3.80"), False, Decimal("0.13")) == (
        Decimal("3800.00"),
        Decimal("494.00"),
        Decimal("4294.00"),
    )


def test_order_gets_a_readable_number_and_totals(sales, customer):
    order = services.order_create(
        actor=sales,
        customer=customer,
        channel="phone",
        requested_date=timezone.localdate() + timedelta(days=20),
        lines=[
            line(qty="1000", price="3.80"),
            line(model="MJ-1", qty="1", price="1000", price_includes_tax=False),
        ],
    )

    month = timezone.localdate().strftime("%Y%m")
    assert order.number == f"SO-{month}-00001"
    assert order.stage == "draft"
    assert order.gross_amount == Decimal("4930.00")  # 3800 + 1130
    assert order.net_amount == Decimal("4362.83")
    assert order.tax_amount == Decimal("567.17")
    event = OrderEvent.objects.get(order=order)
    assert (event.type, event.user) == ("created", sales)


def test_the_sequence_widens_rather_than_overflow(sales, customer, make_order):
    month = timezone.localdate().strftime("%Y%m")
    NumberSequence.objects.create(key=f"order:{month}", last=99_999)

    order = make_order(sales)

    assert order.number == f"SO-{month}-100000"


def test_review_is_due_two_working_days_after_submission_by_the_calendar(
    sales, make_order, monkeypatch
):
    # Submitted on Wednesday 2026-09-30: 10-01..07 is the National Day holiday, so two
    # working days later is Friday 10-09 (10-10, a Saturday, is a make-up working day).
    for day in range(1, 8):
        CalendarDay.objects.create(
            date=date(2026, 10, day), kind="holiday", name="国庆节"
        )
    production = DepartmentFactory(code="production", name="生产部")
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 9, 30))
    order = make_order(sales, requested_date=date(2026, 12, 1))

    order = services.order_submit(actor=sales, order=order)

    assert order.stage == "review"
    assert order.due_date == date(2026, 10, 9)
    deadline = order.deadlines.get(stage="review")
    assert deadline.department == production


def test_over_the_credit_limit_needs_finance_before_it_can_go_further(
    sales, make_user, make_order
):
    finance = make_user("finance")
    customer = CustomerFactory(credit_limit=Decimal("1000"))
    order = make_order(sales, customer=customer)  # 10 × 3.80 = 38 — within
    assert order.credit == "within"
    big = make_order(sales, customer=customer, lines=1)
    services.order_update(
        actor=sales,
        order=big,
        version=big.version,
        lines=[line(qty="1000")],
        **{k: getattr(big, k) for k in services.HEADER_FIELDS},
    )
    big.refresh_from_db()
    assert big.credit == "pending"
    assert big.events.filter(type="credit_flagged").exists()

    with pytest.raises(InvalidMove, match="信用额度"):
        order_move(order=big, actor=sales, move="submit")

    services.order_credit_approve(actor=finance, order=big, reason="老客户，回款及时")
    big = services.order_submit(actor=sales, order=big)
    assert big.stage == "review"
    assert big.events.filter(type="credit_approved", user=finance).exists()


def test_copy_as_new_order_keeps_customer_lines_and_terms(sales, make_order):
    original = make_order(
        sales, lines=3, special_requirements="打标识", deposit_percent=Decimal(30)
    )

    copy = services.order_copy(actor=sales, order=original)

    assert copy.number != original.number and copy.stage == "draft"
    assert copy.customer == original.customer
    assert copy.special_requirements == "打标识"
    assert copy.deposit_percent == Decimal(30)
    assert [x.model_code for x in copy.lines.all()] == [
        x.model_code for x in original.lines.all()
    ]
    event = copy.events.get()
    assert event.type == "copied" and event.parameters["copied_from"] == original.number


def test_cancel_records_reason_and_loss_measures(sales, make_user, make_order):
    manager = make_user("production_manager")
    order = make_order(sales, submit=True)

    order = services.order_cancel(
        actor=manager,
        order=order,
        reason="客户项目取消",
        loss_measures="已通知采购停止备料",
    )

    assert order.stage == "cancelled"
    event = order.events.get(type="moved", to_stage="cancelled")
    assert event.user == manager and event.reason == "客户项目取消"
    assert order.loss_measures == "已通知采购停止备料"


def test_change_request_holds_the_order_and_big_changes_need_the_gm(
    sales, make_user, make_order, settings
):
    settings.ORDER_CHANGE_GM_APPROVAL_AMOUNT = 1000
    manager, gm = make_user("production_manager"), make_user("general_manager")
    order = make_order(sales, submit=True)
    new_date = order.requested_date + timedelta(days=7)

    change = services.change_request_create(
        actor=sales,
        order=order,
        version=order.version,
        reason="客户加量",
        requested_date=new_date,
        lines=[line(qty="1000")],
    )
    order.refresh_from_db()
    assert order.stage == "on_hold" and order.held_stage == "review"
    assert change.needs_gm
    fields = {(c["field"], c.get("line")) for c in change.changes}
    assert ("requested_date", None) in fields and ("quantity", 1) in fields

    change = services.change_request_approve(actor=manager, change=change)
    assert change.status == "awaiting_gm"
    order.refresh_from_db()
    assert order.stage == "on_hold"

    change = services.change_request_approve(actor=gm, change=change, comment="同意")
    order.refresh_from_db()
    assert change.status == "applied"
    assert order.stage == "review" and order.requested_date == new_date
    assert order.lines.get().quantity == Decimal(1000)
    resumed = order.events.filter(type="moved").last()
    assert resumed.automatic and resumed.user == gm and resumed.to_stage == "review"


def test_rejected_change_resumes_the_order_unchanged(sales, make_user, make_order):
    manager = make_user("production_manager")
    order = make_order(sales, submit=True)
    change = services.change_request_create(
        actor=sales,
        order=order,
        version=order.version,
        reason="客户减量",
        requested_date=order.requested_date,
        lines=[line(qty="5")],
    )

    with pytest.raises(ValidationError):
        services.change_request_reject(actor=manager, change=change, comment="")
    services.change_request_reject(actor=manager, change=change, comment="已投料")

    order.refresh_from_db()
    assert order.stage == "review"
    assert order.lines.get().quantity == Decimal(10)
    assert order.events.filter(type="change_rejected", reason="已投料").exists()


def test_send_back_returns_the_draft_with_the_reason(sales, make_user, make_order):
    manager = make_user("production_manager")
    order = make_order(sales, submit=True)

    order = order_move(
        order=order, actor=manager, move="send_back", reason="缺少客户图纸"
    )

    assert order.stage == "draft" and order.returned_reason == "缺少客户图纸"
    assert Order.objects.get(pk=order.pk).events.last().reason == "缺少客户图纸"


def test_acceptance_refuses_until_the_review_sheet_is_concluded(
    sales, make_user, make_order
):
    manager = make_user("production_manager")
    order = make_order(sales, submit=True)

    with pytest.raises(InvalidMove, match="合同评审表"):
        order_move(order=order, actor=manager, move="accept")
