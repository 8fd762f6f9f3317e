"""Many people pressing the same button at the same moment: real threads, each with its
own database connection, released together by a barrier. Only PostgreSQL locks rows
(select_for_update); on SQLite these tests skip locally and fail under CI=true."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from core.models import FormSubmission
from orders import services, workflow
from orders.exceptions import DuplicateSubmission, InvalidMove
from orders.models import ChangeRequest, Order, OrderEvent
from orders.services import LineData
from orders.stages import Stage
from tests.factories import CustomerFactory
from tests.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def lines(*quantities):
    return [
        LineData(
            model_code=f"GB-D{1060 + i}",
            quantity=Decimal(q),
            unit_price=Decimal("3.80"),
        )
        for i, q in enumerate(quantities)
    ]


def header(customer):
    return {
        "customer": customer,
        "channel": "phone",
        "requested_date": timezone.localdate() + timedelta(days=30),
    }


def fresh(user):
    """Each request has its own user object (and permission cache)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def sales(make_user):
    return make_user("sales", username="sales_a", display_name="张伟")


@pytest.fixture
def manager(make_user):
    return make_user("production_manager", username="prodmgr", display_name="李强")


@pytest.fixture
def customer():
    return CustomerFactory(name="浙江万达汽车制动系统有限公司")


def test_fifty_orders_entered_at_once_get_fifty_consecutive_numbers(sales, customer):
    # given fifty sales entries submitted in the same instant
    def enter(_index):
        return services.order_create(
            actor=fresh(sales), lines=lines("1000"), **header(customer)
        )

    # when they all run together
    results, errors = run_together(50, enter)

    # then every one is saved, with its own number, and the numbers leave no gap
    assert errors == [None] * 50
    numbers = sorted(order.number for order in results)
    assert len(set(numbers)) == 50
    assert Order.objects.count() == 50
    today = timezone.localdate()
    prefix = settings.ORDER_NUMBER_FORMAT.format(
        yyyymm=today.strftime("%Y%m"), seq=0, date=today
    ).rsplit("-", 1)[0]
    assert all(number.startswith(f"{prefix}-") for number in numbers)
    sequence = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert sequence == list(range(sequence[0], sequence[0] + 50))
    assert sequence[0] == 1  # the month's first order is 00001
    assert set(Order.objects.values_list("number", flat=True)) == set(numbers)
    assert OrderEvent.objects.filter(type=OrderEvent.Type.CREATED).count() == 50


def test_twenty_submits_of_the_same_draft_move_it_once(sales, customer):
    # given one draft and twenty clicks on "submit for review" at once
    draft = services.order_create(
        actor=sales, lines=lines("1000", "500"), **header(customer)
    )

    def submit(_index):
        return workflow.order_move(order=draft, actor=fresh(sales), move="submit")

    # when they all run together
    results, errors = run_together(20, submit)

    # then one moved it and the nineteen others were told it is no longer a draft
    moved = [r for r in results if r is not None]
    assert len(moved) == 1
    refused = [e for e in errors if e is not None]
    assert len(refused) == 19
    assert all(isinstance(e, InvalidMove) for e in refused), refused
    draft.refresh_from_db()
    assert draft.stage == Stage.REVIEW
    assert draft.version == moved[0].version == 2
    assert draft.deadlines.filter(stage=Stage.REVIEW).count() == 1
    history = OrderEvent.objects.filter(order=draft, type=OrderEvent.Type.MOVED)
    assert list(history.values_list("from_stage", "to_stage")) == [
        (Stage.DRAFT, Stage.REVIEW)
    ]


def test_twenty_approvals_of_the_same_change_apply_it_once(sales, manager, customer):
    # given a submitted order held by the customer's change request
    order = services.order_create(
        actor=sales, lines=lines("1000", "500"), **header(customer)
    )
    order = services.order_submit(actor=sales, order=order)
    change = services.change_request_create(
        actor=sales,
        order=order,
        version=order.version,
        reason="客户追加数量",
        lines=lines("1200", "500"),
    )
    order.refresh_from_db()
    assert order.stage == Stage.ON_HOLD

    def approve(_index):
        return services.change_request_approve(
            actor=fresh(manager), change=change, comment="同意"
        )

    # when the production manager's approval arrives twenty times at once
    results, errors = run_together(20, approve)

    # then it is applied once, the others are told it was already decided
    assert len([r for r in results if r is not None]) == 1
    refused = [e for e in errors if e is not None]
    assert len(refused) == 19
    assert all(isinstance(e, InvalidMove) for e in refused), refused
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPLIED
    assert change.manager_approved_by == manager
    order.refresh_from_db()
    assert order.stage == Stage.REVIEW
    assert order.held_stage == ""
    assert [line.quantity for line in order.lines.all()] == [
        Decimal("1200"),
        Decimal("500"),
    ]
    assert order.gross_amount == Decimal("6460.00")  # (1200 + 500) × 3.80, once
    events = OrderEvent.objects.filter(order=order)
    assert events.filter(type=OrderEvent.Type.CHANGE_APPROVED).count() == 1
    assert events.filter(type=OrderEvent.Type.CHANGE_APPLIED).count() == 1
    resumed = events.filter(type=OrderEvent.Type.MOVED, from_stage=Stage.ON_HOLD)
    assert list(resumed.values_list("to_stage", flat=True)) == [Stage.REVIEW]


def test_the_same_form_submitted_twice_at_once_saves_one_order(sales, customer):
    # given one order form whose submit button was pressed twice
    token = str(uuid.uuid4())

    def enter(_index):
        return services.order_create(
            actor=fresh(sales),
            lines=lines("1000"),
            form_token=token,
            **header(customer),
        )

    # when both posts arrive together
    results, errors = run_together(2, enter)

    # then one order is saved and the second post is sent to it
    saved = [r for r in results if r is not None]
    assert len(saved) == 1
    duplicates = [e for e in errors if e is not None]
    assert len(duplicates) == 1
    assert isinstance(duplicates[0], DuplicateSubmission), duplicates
    assert duplicates[0].result_url == saved[0].get_absolute_url()
    assert Order.objects.count() == 1
    assert FormSubmission.objects.filter(token=token).count() == 1
