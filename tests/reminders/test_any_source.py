"""The scan picks up any app's registered due source, generically: one offering a
query (`open_rows`) is read as SQL; one offering only `open_items()` is read through
it. A named responsible person is reminded, and their department's head is told
too after M working days."""

from datetime import date, timedelta

import pytest
from django.db.models import IntegerField, Value

from accounts.models import Department
from orders import registry
from orders.models import Order
from orders.stages import Stage
from reminders import scan, services
from reminders.models import Kind, Reminder
from tests.walk import walk

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)
APP = "reminders_test_app"


@pytest.fixture
def users(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REMINDERS_HEAD_AFTER_WORKING_DAYS = 2
    return demo_users


@pytest.fixture
def sources():
    """Two sources of a test's app over the orders themselves: the customer's
    requested date, the salesperson answering for it."""

    def rows(until):
        # a model whose own field clashes with a column's name gives the columns
        # in DUE_ROW's order (values_list)
        return Order.objects.filter(
            requested_date__lte=until, stage=Stage.DRAFT
        ).values_list(
            "pk",
            "pk",
            "number",
            "requested_date",
            "requested_date",
            "salesperson_id",
            Value(None, output_field=IntegerField()),
            Value("交期确认"),
        )

    def items():
        for order in Order.objects.filter(stage=Stage.DRAFT):
            yield registry.DueItem(
                order_id=order.pk,
                source="test_python",
                what="客户确认",
                due_date=order.requested_date,
                user_id=order.salesperson_id,
                department_id=order.salesperson.department_id,
                object_id=order.pk,
            )

    registry.due_source(
        registry.DueSource(
            "test_sql",
            "SQL",
            Stage.DRAFT,
            APP,
            lambda o: [],
            lambda: iter(()),
            open_rows=rows,
        )
    )
    registry.due_source(
        registry.DueSource(
            "test_python", "Python", Stage.DRAFT, APP, lambda o: [], items
        )
    )
    yield
    registry.forget_app(APP)


def test_any_registered_source_is_read(users, sources):
    order = walk(users, "draft")
    Order.objects.filter(pk=order.pk).update(requested_date=MONDAY - timedelta(4))
    items = [i for i in scan.open_items(MONDAY) if i.order_id == order.pk]
    assert {i.source for i in items} >= {"test_sql", "test_python"}
    assert {i.overdue for i in items if i.source.startswith("test_")} == {2}
    # the salesperson is reminded; their department's head (not them) too, after
    # two working days
    Department.objects.filter(code="sales").update(head=users["sales2"])
    services.send_reminders(MONDAY)
    got = set(
        Reminder.objects.filter(key=f"test_python:{order.pk}").values_list(
            "kind", "recipient__username"
        )
    )
    assert got == {(Kind.OVERDUE, "sales1"), (Kind.HEAD, "sales2")}
    assert Reminder.objects.filter(
        key=f"test_sql:{order.pk}", recipient=users["sales1"]
    ).exists()
