"""Orders with their lines from a customer's spreadsheet: previewed, all or nothing,
recognised by customer + PO number, through orders' own rules and history line."""

from decimal import Decimal

import pytest

from imports import services
from imports.models import ImportLog
from orders.models import Order, OrderEvent, OrderLine

from .conftest import HEADERS, csv_bytes, order_rows, upload, xlsx

pytestmark = pytest.mark.django_db


def _import(actor, name, data, kind="orders"):
    log = services.import_upload(actor=actor, kind=kind, uploaded=upload(name, data))
    return log


def _confirm(actor, log):
    return services.import_confirm(actor=actor, log=log, version=log.version)


def test_a_spreadsheet_of_orders_is_previewed_then_imported_as_drafts(sales, huadong):
    data = xlsx(HEADERS, order_rows(n_orders=2, lines=3))
    log = _import(sales, "华东周订单.xlsx", data)
    # the preview: six new rows, nothing written yet
    assert log.status == ImportLog.Status.PREVIEWED, log.problems
    assert (log.rows, log.new, log.updated, log.unchanged, log.invalid) == (
        6,
        6,
        0,
        0,
        0,
    )
    assert not Order.objects.exists()
    log = _confirm(sales, log)
    assert log.status == ImportLog.Status.DONE, log.message
    assert log.records_new == 2
    orders = Order.objects.order_by("customer_po")
    assert [o.customer_po for o in orders] == ["PO-00001", "PO-00002"]
    order = orders[0]
    assert order.stage == "draft" and order.salesperson == sales
    assert order.lines.count() == 3
    assert order.monthly_settlement_days == 30
    assert order.gross_amount == sum(line.gross_amount for line in order.lines.all())
    assert order.gross_amount == Decimal("3.20") * (100 + 101 + 102)
    event = OrderEvent.objects.get(order=order)
    assert event.type == "created" and event.user == sales
    assert event.parameters["imported_from"] == "华东周订单.xlsx"


def test_the_same_file_again_creates_nothing(sales, huadong):
    data = xlsx(HEADERS, order_rows())
    _confirm(sales, _import(sales, "a.xlsx", data))
    counts = (
        Order.objects.count(),
        OrderLine.objects.count(),
        OrderEvent.objects.count(),
    )
    again = _import(sales, "a.xlsx", data)
    assert again.status == ImportLog.Status.NOTHING
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    assert (
        Order.objects.count(),
        OrderLine.objects.count(),
        OrderEvent.objects.count(),
    ) == counts


def test_a_changed_draft_is_updated_a_submitted_order_refused(sales, huadong):
    from orders import services as order_services

    _confirm(sales, _import(sales, "a.xlsx", xlsx(HEADERS, order_rows())))
    rows = order_rows()
    rows[0][4] = 999  # PO-00001's first line
    log = _import(sales, "b.xlsx", xlsx(HEADERS, rows))
    assert (log.updated, log.unchanged) == (2, 2), log.problems
    _confirm(sales, log)
    first = Order.objects.get(customer_po="PO-00001")
    assert first.lines.get(position=1).quantity == 999
    assert (
        first.events.filter(type="edited").get().parameters["imported_from"] == "b.xlsx"
    )
    # once submitted, the same change is refused: a change request
    order_services.order_submit(actor=sales, order=first)
    rows[0][4] = 998
    log = _import(sales, "c.xlsx", xlsx(HEADERS, rows))
    assert log.status == ImportLog.Status.REFUSED
    assert {p["row"] for p in log.problems} == {2, 3}
    assert (
        "变更" in log.problems[0]["message"]
        or "change request" in log.problems[0]["message"]
    )
    # and the unchanged rows of a submitted order stay unchanged
    rows[0][4] = 999
    log = _import(sales, "d.xlsx", xlsx(HEADERS, rows))
    assert log.status == ImportLog.Status.NOTHING


def test_csv_in_gbk_is_read(sales, huadong):
    data = csv_bytes(HEADERS, order_rows(), encoding="gbk")
    log = _import(sales, "wps.csv", data)
    assert log.status == ImportLog.Status.PREVIEWED, log.problems
    assert log.encoding == "GBK/GB18030"
    _confirm(sales, log)
    assert Order.objects.get(customer_po="PO-00001").lines.first().unit == "片"


def test_english_headers(sales, huadong):
    headers = [
        "Customer",
        "Customer PO",
        "Model",
        "Spec",
        "Qty",
        "Unit",
        "Unit price",
        "Delivery date",
        "Payment terms",
        "Special requirements",
    ]
    log = _import(sales, "en.csv", csv_bytes(headers, order_rows(), encoding="utf-8"))
    assert log.status == ImportLog.Status.PREVIEWED, log.problems


def test_a_customer_s_po_number_names_one_order(sales, huadong):
    """order_customer_po_unique: the form refuses a second order under the same PO
    number of the same customer with a message (another customer may use it)."""
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from orders import services as order_services
    from tests.factories import CustomerFactory
    from tests.orders.conftest import line

    header = {
        "channel": "phone",
        "customer_po": "PO-9",
        "requested_date": timezone.localdate() + timedelta(days=20),
    }
    order_services.order_create(actor=sales, customer=huadong, lines=[line()], **header)
    with pytest.raises(ValidationError) as refused:
        order_services.order_create(
            actor=sales, customer=huadong, lines=[line()], **header
        )
    assert "客户订单号" in " ".join(refused.value.messages)
    other = CustomerFactory(name="另一个客户")
    order_services.order_create(actor=sales, customer=other, lines=[line()], **header)
    # without a PO number, as many as wanted
    header["customer_po"] = ""
    for _ in range(2):
        order_services.order_create(
            actor=sales, customer=huadong, lines=[line()], **header
        )
    assert Order.objects.count() == 4
