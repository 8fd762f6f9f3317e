"""`manage.py seed_scale`: the bulk-written data is data the services could have
written — valid records, each order's stage backed by its records, totals that add
up, numbers unique and the counters moved past them."""

import re
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from orders import services
from orders.models import (
    Contract,
    ContractReview,
    Customer,
    Drawing,
    NumberSequence,
    Order,
    OrderEvent,
    OrderLine,
    Quote,
    QuoteLine,
    ReviewSignoff,
    StageDeadline,
)
from orders.money import cny
from orders.scale import BUSY_EVENTS, BUSY_LINES, BUSY_PO
from orders.stages import WALK, Stage

ORDERS = 200
PAST = {stage: WALK.index(stage) for stage in WALK}


def reached(order: Order) -> int:
    """How far along the walk the order got (its stage before a hold)."""
    return PAST.get(order.held_stage or order.stage, -1)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module, in a transaction rolled back at its end."""
    from io import StringIO

    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", orders=ORDERS, force=True, seed=3, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def scale(seeded, db):
    return seeded


def test_refuses_without_demo_data_or_force(db, settings):
    settings.DEBUG = True  # DEBUG alone does not allow it
    with pytest.raises(CommandError, match="DEMO_DATA is off"):
        call_command("seed_scale", orders=10)


def test_refuses_a_database_that_holds_orders_unless_appending(scale):
    with pytest.raises(CommandError, match="already holds orders"):
        call_command("seed_scale", orders=10, force=True)
    before = Order.objects.count()
    call_command("seed_scale", orders=10, force=True, append=True, seed=4)
    assert Order.objects.count() == before + 10 + 1  # and another busy order
    numbers = list(Order.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))


def test_every_record_is_valid(scale):
    assert "Seeded 200 orders" in scale
    assert User.objects.count() == 300
    assert Order.objects.count() == ORDERS + 1
    for order in Order.objects.all():
        order.full_clean()
    # The other records by sample: each full_clean asks for every foreign key.
    for model in (
        OrderLine,
        Customer,
        ContractReview,
        ReviewSignoff,
        Quote,
        QuoteLine,
        Contract,
        Drawing,
        StageDeadline,
    ):
        for record in model.objects.order_by("?")[:40]:
            record.full_clean()


def test_each_stage_is_backed_by_the_records_of_the_walk(scale):
    reviews = {r.order_id: r for r in ContractReview.objects.all()}
    accepted = set(
        Quote.objects.filter(status=Quote.Status.ACCEPTED).values_list(
            "order_id", flat=True
        )
    )
    contracts = set(Contract.objects.values_list("order_id", flat=True))
    issued = set(
        Drawing.objects.filter(issued_at__isnull=False).values_list(
            "order_id", flat=True
        )
    )
    unsigned = set(
        ReviewSignoff.objects.filter(signed_at__isnull=True).values_list(
            "review__order_id", flat=True
        )
    )
    stages = defaultdict(int)
    for order in Order.objects.all():
        stages[order.stage] += 1
        far = reached(order)
        review = reviews.get(order.pk)
        if far > PAST[Stage.REVIEW]:
            assert review and review.conclusion in ("accept", "conditional"), order
            assert order.pk not in unsigned, order
            assert order.promised_date == review.promised_date, order
        if far > PAST[Stage.APPROVAL] and review.needs_gm:
            assert review.gm_decision == "approved", order
        if far > PAST[Stage.QUOTE]:
            assert order.pk in accepted, order
        if far > PAST[Stage.CONTRACT]:
            assert order.pk in contracts, order
        if far > PAST[Stage.DRAWING]:
            assert order.pk in issued, order
        if order.stage == Stage.DECLINED:
            assert review.conclusion == "decline", order
        if order.stage == Stage.APPROVAL:
            assert review.needs_gm and not review.gm_decision, order
        if order.stage == Stage.ON_HOLD:
            assert order.change_requests.filter(status="pending").exists(), order
        if order.stage == Stage.CANCELLED:
            assert order.cancel_reason and order.loss_measures, order
        if order.stage == Stage.DRAFT:
            assert order.submitted_at is None, order
    # Ten years of orders: most are done, and the walk's open stages are not empty.
    assert stages[Stage.COMPLETED] > ORDERS * 0.7
    assert stages[Stage.CANCELLED] + stages[Stage.DECLINED] > 0


def test_events_replay_the_walk_to_the_current_stage(scale):
    events = defaultdict(list)
    for event in OrderEvent.objects.order_by("created_at", "id"):
        events[event.order_id].append(event)
    for order in Order.objects.all():
        history = events[order.pk]
        assert history[0].type == OrderEvent.Type.CREATED
        assert history[0].created_at == order.created_at
        stage = Stage.DRAFT
        for event in history:
            if event.type == OrderEvent.Type.MOVED:
                assert event.from_stage == stage, (order, event.parameters)
                stage = event.to_stage
        assert stage == order.stage, order
        versions = [e.parameters["version"] for e in history]
        assert versions == sorted(versions), order
        assert versions[-1] == order.version, order
        assert order.updated_at >= history[-1].created_at - timedelta(seconds=1)


def test_deadlines_and_the_current_due_date(scale):
    for order in Order.objects.prefetch_related("deadlines"):
        rows = {d.stage: d for d in order.deadlines.all()}
        current = rows.get(order.stage)
        if order.stage in (Stage.REVIEW, Stage.PRODUCTION, Stage.DRAWING):
            assert current.started_at and current.completed_at is None, order
            assert order.due_date == current.due_date, order
        if order.stage in (Stage.COMPLETED, Stage.CANCELLED, Stage.DRAFT):
            assert order.due_date is None, order
            assert all(d.completed_at for d in rows.values() if d.started_at), order


def test_lines_add_up_to_the_order_and_quote_totals(scale):
    for order in Order.objects.prefetch_related("lines"):
        lines = list(order.lines.all())
        assert 1 <= len(lines) <= (BUSY_LINES if order.customer_po == BUSY_PO else 5)
        assert [x.position for x in lines] == list(range(1, len(lines) + 1))
        assert order.net_amount == cny(sum((x.net_amount for x in lines), Decimal(0)))
        assert order.tax_amount == cny(sum((x.tax_amount for x in lines), Decimal(0)))
        assert order.gross_amount == cny(
            sum((x.gross_amount for x in lines), Decimal(0))
        )
    for quote in Quote.objects.prefetch_related("lines"):
        assert quote.gross_amount == sum(x.gross_amount for x in quote.lines.all())
    for contract in Contract.objects.select_related("order"):
        assert contract.amount == contract.order.gross_amount


def test_numbers_are_unique_and_a_real_entry_gets_a_fresh_one(scale):
    numbers = list(Order.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert all(re.fullmatch(r"SO-\d{6}-\d{5}", n) for n in numbers)
    last = defaultdict(int)
    for number in numbers:
        _so, month, seq = number.split("-")
        last[month] = max(last[month], int(seq))
    counters = dict(NumberSequence.objects.values_list("key", "last"))
    for month, seq in last.items():
        assert counters[f"order:{month}"] >= seq
    salesperson = User.objects.get(username="sales001")
    order = services.order_create(
        actor=salesperson,
        customer=Customer.objects.first(),
        channel=Order.Channel.PHONE,
        requested_date=timezone.localdate() + timedelta(days=30),
        lines=[
            services.LineData(
                model_code="GB-D1060", quantity=Decimal(100), unit_price=Decimal(3)
            )
        ],
    )
    assert order.number not in numbers
    review_numbers = list(ContractReview.objects.values_list("number", flat=True))
    assert len(review_numbers) == len(set(review_numbers))


def test_one_busy_order_for_the_order_page_figure(scale):
    busy = Order.objects.get(customer_po=BUSY_PO)
    assert busy.lines.count() == BUSY_LINES
    assert busy.events.count() == BUSY_EVENTS
    assert busy.stage == Stage.PRODUCTION
