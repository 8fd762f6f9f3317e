"""Demo delivery, through the services as the warehouse and sales would: stock
received for an order quality released, a partial shipment on its way, a full
one signed for by the customer (the order moves on to 开票收款), and an order in
production whose customer agreed a new, earlier date that the plan cannot meet —
its early warning (交期预警) shows. Idempotent (keyed by the customer PO)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from orders.models import Order
from orders.stages import Stage

from . import services
from .models import DateAgreement, StockReceipt

CARRIERS = ("顺丰物流", "德邦物流", "安能物流")


def _receive(users, order, quantity):
    line = order.lines.get()
    services.stock_receive(
        actor=users["warehouse"],
        order=order,
        quantities={line.pk: quantity},
        location="成品库A-01",
    )
    order.refresh_from_db()
    return order


def _ship(users, order, quantity, n=0):
    line = order.lines.get()
    return services.shipment_create(
        actor=users["warehouse"],
        order=order,
        quantities={line.pk: quantity},
        data=services.ShipmentData(
            ship_date=timezone.localdate(),
            carrier=CARRIERS[n % len(CARRIERS)],
            tracking_number=f"SF{order.pk:06d}{n:02d}",
            address=order.customer.address or "浙江省瑞安市塘下镇工业区",
            contact=order.customer.contact,
            phone=order.customer.phone,
        ),
    )


@transaction.atomic
def seed_delivery():
    if StockReceipt.objects.exists() or DateAgreement.objects.exists():
        return
    users = {u.username: u for u in User.objects.all()}
    today = timezone.localdate()
    released = {
        o.customer_po: o
        for o in Order.objects.filter(stage=Stage.DELIVERY).select_related("customer")
    }
    # quality's demo: DEMO-QC-01 passed at once (2000), DEMO-QC-03 reworked
    # (1000), DEMO-QC-04 conceded (1200)
    partial = released.get("DEMO-QC-01")
    if partial is not None:
        partial = _receive(users, partial, Decimal(2000))
        _ship(users, partial, Decimal(1200))
    full = released.get("DEMO-QC-03")
    if full is not None:
        full = _receive(users, full, Decimal(1000))
        shipment = _ship(users, full, Decimal(1000), 1)
        services.receipt_record(
            actor=users["warehouse"],
            shipment=shipment,
            signed_by="万达仓库 张收货",
            signed_on=today,
            received={row.pk: row.quantity for row in shipment.lines.all()},
        )
    stocked = released.get("DEMO-QC-04")
    if stocked is not None:
        _receive(users, stocked, Decimal(800))

    # an order in production: its customer asked for the goods earlier and sales
    # agreed the date; the plan cannot meet it, so the early warning shows
    rushed = (
        Order.objects.filter(stage=Stage.PRODUCTION, promised_date__isnull=False)
        .order_by("id")
        .first()
    )
    if rushed is not None:
        services.date_agree(
            actor=rushed.salesperson,
            order=rushed,
            new_date=today + timedelta(days=3),
            agreed_by="客户采购 王经理",
            agreed_on=today,
            reason="客户主机厂提前排产，要求提前交货；已电话确认，后补书面确认",
        )
