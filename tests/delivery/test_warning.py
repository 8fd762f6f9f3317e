"""交期预警 on the company calendar: working days left (after the latest date now
due in the current stage) fewer than the working days still committed to the
stages after it — counted over a weekend, a holiday and a make-up working day.
The agreed new date becomes the promised date shown to all; lateness keeps
counting against the first committed one."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.workdays import WorkCalendar
from delivery import services
from delivery.warning import date_risk
from orders import registry
from orders.models import Order
from orders.stages import Stage
from tests.walk import walk

D = date.fromisoformat
# 国庆: Thursday 1 and Friday 2 October are holidays; Saturday 10 October is a
# make-up working day (调休).
CALENDAR = WorkCalendar(
    holidays=frozenset({D("2026-10-01"), D("2026-10-02")}),
    workdays=frozenset({D("2026-10-10")}),
    covered_years=frozenset({2026}),
)
# inspection and delivery committed 3 + 2 working days after production
DAYS = {Stage.INSPECTION: 3, Stage.DELIVERY: 2, Stage.PRODUCTION: 5}
TODAY = D("2026-09-24")


def _order(due, promised, stage=Stage.PRODUCTION):
    return Order(stage=stage, due_date=D(due), promised_date=D(promised))


@pytest.mark.parametrize(
    ("due", "promised", "at_risk"),
    [
        # Tue 29, Wed 30, (holidays, weekend) Mon 5, Tue 6, Wed 7: five days fit
        ("2026-09-28", "2026-10-07", False),
        # ... but not by Tuesday the 6th: four
        ("2026-09-28", "2026-10-06", True),
        # Fri 9, Sat 10 (make-up), Mon 12, Tue 13, Wed 14: five with the make-up day
        ("2026-10-08", "2026-10-14", False),
        ("2026-10-08", "2026-10-13", True),
    ],
)
def test_the_rule_counts_working_days_on_the_company_calendar(due, promised, at_risk):
    risk = date_risk(_order(due, promised), CALENDAR, days=DAYS, today=TODAY)
    assert (risk is not None) == at_risk
    if risk:
        assert risk.needed == 5 and risk.left == 4


def test_a_slip_due_later_than_the_stage_pushes_the_anchor():
    order = _order("2026-09-28", "2026-10-07")
    slip = registry.DueItem(
        order_id=1,
        source="dispatch_slip",
        what="slip",
        due_date=D("2026-09-30"),
        stage=Stage.PRODUCTION,
    )
    done = registry.DueItem(
        order_id=1,
        source="dispatch_slip",
        what="slip",
        due_date=D("2026-10-09"),
        stage=Stage.PRODUCTION,
        done_at=timezone.now(),
    )
    risk = date_risk(order, CALENDAR, days=DAYS, today=TODAY, items=[slip, done])
    assert risk is not None and risk.anchor == D("2026-09-30") and risk.left == 3


def test_delivery_warns_only_once_the_promised_date_is_passed():
    assert (
        date_risk(
            _order("2026-10-12", "2026-10-13", Stage.DELIVERY),
            CALENDAR,
            days=DAYS,
            today=TODAY,
        )
        is None
    )
    assert date_risk(
        _order("2026-10-14", "2026-10-13", Stage.DELIVERY),
        CALENDAR,
        days=DAYS,
        today=TODAY,
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_warning_shows_on_the_order_and_the_workbenches_until_a_date_is_agreed(
    users,
):
    # given sales1's order in production whose promised date is two days away
    order = walk(users, "plan_issued")
    first = order.promised_date
    Order.objects.filter(pk=order.pk).update(
        promised_date=timezone.localdate() + timedelta(days=2)
    )
    order.refresh_from_db()
    # then its page, sales1's and the production manager's workbenches warn
    page = _client(users["sales1"]).get(order.get_absolute_url()).content.decode()
    assert 'data-test="date-warning"' in page
    for name in ("sales1", "prodmgr"):
        home = _client(users[name]).get("/").content.decode()
        assert order.number in home, name
    assert order.number not in _client(users["sales2"]).get("/").content.decode()
    # when sales1 records the customer's agreement to a date two months out
    agreed = timezone.localdate() + timedelta(days=60)
    services.date_agree(
        actor=users["sales1"],
        order=order,
        new_date=agreed,
        agreed_by="王经理",
        agreed_on=timezone.localdate(),
        reason="钢材到货延迟，客户同意顺延",
    )
    order.refresh_from_db()
    # then the agreed date is the promised date shown, the review keeps the first,
    # and the warning is gone
    assert order.promised_date == agreed
    assert order.review.promised_date == first
    page = _client(users["prodmgr"]).get(order.get_absolute_url()).content.decode()
    assert 'data-test="date-warning"' not in page
    assert agreed.isoformat() in page and first.isoformat() in page
    assert order.number not in _client(users["sales1"]).get("/").content.decode()


@pytest.mark.django_db
def test_the_agreed_date_moves_what_is_due_never_what_was_first_committed(users):
    from tests.delivery.walk import delivery_walk, ship

    order = delivery_walk(users, "in_stock")
    first = order.promised_date
    shipment = ship(users, order)
    agreed = max(first, timezone.localdate()) + timedelta(days=20)
    services.date_agree(
        actor=users["sales1"],
        order=order,
        new_date=agreed,
        agreed_by="王经理",
        agreed_on=timezone.localdate(),
        reason="客户仓库搬迁",
    )
    order.refresh_from_db()
    items = {i.key: i for i in registry.due_items_for(order)}
    for key in (
        f"shipment:{shipment.pk}",
        f"customer_receipt:{shipment.pk}",
        f"stock_receipt:{order.pk}",
    ):
        assert items[key].due_date == agreed, key
        assert items[key].committed_date == first, key
    # and the order's tracker shows delivery's items
    page = _client(users["sales1"]).get(order.get_absolute_url()).content.decode()
    assert shipment.number in page
