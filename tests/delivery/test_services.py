"""Delivery's services: the gate on quantities (received ≤ shipped ≤ in stock ≤
accepted), the holds other apps declare on a shipment, the customer's receipt that
delivers the order and tells finance, a shortfall closed with the customer."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.exceptions import InvalidMove, PermissionDenied, ValidationError
from delivery import services
from delivery.models import Shipment, ShipmentLine, StockReceipt
from delivery.quantities import line_figures
from notifications.models import Notification
from orders import registry
from orders.stages import Stage
from tests.delivery.walk import delivery_walk, receive_all, ship

pytestmark = pytest.mark.django_db


def _receipt(users, shipment, **extra):
    rows = {row.pk: extra.pop("got", row.quantity) for row in shipment.lines.all()}
    return services.receipt_record(
        actor=users["warehouse"],
        shipment=shipment,
        signed_by=extra.pop("signed_by", "李收货"),
        signed_on=extra.pop("signed_on", timezone.localdate()),
        received=rows,
        **extra,
    )


def test_receiving_more_than_accepted_is_refused(users):
    # given an order in 交付 whose 1000 pieces passed
    order = delivery_walk(users, "in_delivery")
    line = order.lines.get()
    # when the warehouse takes 1001 into stock
    with pytest.raises(ValidationError) as refused:
        services.stock_receive(
            actor=users["warehouse"], order=order, quantities={line.pk: "1001"}
        )
    # then it is refused in words and nothing is written
    assert "1000" in " ".join(refused.value.messages)
    assert not StockReceipt.objects.exists()
    # and 600 then 400 go in, but no more
    services.stock_receive(
        actor=users["warehouse"], order=order, quantities={line.pk: "600"}
    )
    services.stock_receive(
        actor=users["warehouse"], order=order, quantities={line.pk: "400"}
    )
    with pytest.raises(ValidationError):
        services.stock_receive(
            actor=users["warehouse"], order=order, quantities={line.pk: "1"}
        )
    assert line_figures(order)[0].in_stock == 1000


def test_shipping_more_than_in_stock_is_refused(users):
    order = delivery_walk(users, "in_delivery")
    receive_all(users, order, Decimal(300))
    with pytest.raises(ValidationError) as refused:
        ship(users, order, Decimal(301))
    assert "300" in " ".join(refused.value.messages)
    assert not Shipment.objects.exists()
    ship(users, order, Decimal(300))
    with pytest.raises(ValidationError):
        ship(users, order, Decimal(1))
    assert Shipment.objects.count() == 1


def test_a_check_another_app_registers_holds_a_shipment_until_it_is_removed(users):
    # given an order with stock, and a test's app holding its shipments (as
    # finance's 款到发货 gate would) without delivery knowing it
    order = delivery_walk(users, "in_stock")
    app = "tests.plug_app"

    def unpaid(order, **context):
        return "款到发货：货款未到，暂不发货。"

    registry.action_check("delivery.ship", app=app, doc="payment first")(unpaid)
    try:
        # when the warehouse ships, then it is held with that app's words
        with pytest.raises(InvalidMove, match="款到发货"):
            ship(users, order)
        assert not Shipment.objects.exists()
    finally:
        registry.forget_app(app)
    # and once the check is gone, the shipment goes
    shipment = ship(users, order)
    assert shipment.lines.get().quantity == 1000


def test_an_order_on_hold_holds_its_shipments(users):
    from orders.services import change_request_create

    order = delivery_walk(users, "in_stock")
    line = order.lines.get()
    change_request_create(
        actor=users["sales1"],
        order=order,
        version=order.version,
        reason="客户减量",
        lines=[services_line(line, Decimal(900))],
    )
    order.refresh_from_db()
    assert order.stage == Stage.ON_HOLD
    with pytest.raises(InvalidMove):
        ship(users, order)


def services_line(line, quantity):
    from orders.services import LineData

    return LineData(
        model_code=line.model_code,
        quantity=quantity,
        unit_price=line.unit_price,
    )


def test_shipping_needs_an_address_and_the_warehouse(users):
    order = delivery_walk(users, "in_stock")
    with pytest.raises(InvalidMove, match="地址|address"):
        ship(users, order, address="  ")
    with pytest.raises(PermissionDenied):
        services.shipment_create(
            actor=users["sales1"],
            order=order,
            quantities={order.lines.get().pk: 1},
            data=services.ShipmentData(
                ship_date=timezone.localdate(), carrier="x", address="y"
            ),
        )
    assert not Shipment.objects.exists()


def test_two_lots_and_their_receipts_deliver_the_order_and_tell_finance(users):
    # given an order in 交付 whose 1000 pieces are in stock
    order = delivery_walk(users, "in_stock")
    # when the warehouse ships 600, then 400, and records both receipts
    first = ship(users, order, Decimal(600))
    second = ship(users, order, Decimal(400))
    assert first.number != second.number
    _receipt(users, first)
    order.refresh_from_db()
    assert order.stage == Stage.DELIVERY
    _receipt(users, second)
    # then the order is delivered (开票收款) and finance is told
    order.refresh_from_db()
    assert order.stage == Stage.SETTLEMENT
    assert Notification.objects.filter(user=users["finance"], kind="delivered").exists()
    # and every step names its person in the history
    events = list(order.events.order_by("id").values_list("type", "user__username"))
    assert ("stock_received", "warehouse") in events
    assert events.count(("shipped", "warehouse")) == 2
    assert events.count(("customer_received", "warehouse")) == 2
    assert events[-1] == ("moved", "warehouse")


def test_a_short_receipt_tells_sales_and_qc_and_is_closed_with_the_customer(users):
    order = delivery_walk(users, "in_stock")
    shipment = ship(users, order)
    # a receipt of 990 with no word of why is refused
    with pytest.raises(ValidationError):
        _receipt(users, shipment, got=Decimal(990))
    # with the note, it is recorded; sales and QC are told
    _receipt(
        users,
        shipment,
        got=Decimal(990),
        note="10片包装破损拒收",
        quality_matter=True,
    )
    order.refresh_from_db()
    assert order.stage == Stage.DELIVERY
    assert "990" in services.delivery_refusal(
        order
    ) or "10" in services.delivery_refusal(order)
    assert Notification.objects.filter(
        user=users["sales1"], kind="delivery_shortfall"
    ).exists()
    assert Notification.objects.filter(kind="customer_nonconformance").exists()
    # the 10 are closed short with the customer's agreement: delivered
    services.shortfall_close(
        actor=users["warehouse"],
        order=order,
        line_id=order.lines.get().pk,
        reason="客户同意少交10片，不再补发",
        agreed_by="王经理",
    )
    order.refresh_from_db()
    assert order.stage == Stage.SETTLEMENT


def test_quantities_add_up_for_every_line(users):
    """received by customer ≤ shipped ≤ in stock ≤ accepted, by sums of the rows
    written (independent of delivery's own figures)."""
    order = delivery_walk(users, "in_stock")
    shipment = ship(users, order, Decimal(700))
    _receipt(users, shipment, got=Decimal(690), note="少10片")
    assert_adds_up()


def assert_adds_up():
    from collections import defaultdict

    from delivery.quantities import accepted_by_line
    from orders.models import Order

    stock = defaultdict(Decimal)
    for line_id, q in StockReceipt.objects.values_list("line_id", "quantity"):
        stock[line_id] += q
    shipped = defaultdict(Decimal)
    received = defaultdict(Decimal)
    for line_id, q, got in ShipmentLine.objects.values_list(
        "line_id", "quantity", "received_quantity"
    ):
        shipped[line_id] += q
        received[line_id] += got or 0
    orders = Order.objects.filter(stock_receipts__isnull=False).distinct()
    checked = 0
    for order in orders:
        accepted = accepted_by_line(order)
        for line in order.lines.all():
            assert received[line.pk] <= shipped[line.pk] <= stock[line.pk], line
            assert stock[line.pk] <= accepted.get(line.pk, 0), line
            checked += 1
    return checked
