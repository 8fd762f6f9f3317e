"""Scale data for delivery: for every order quality released — in 交付 today, or
gone on to 开票收款 and completion — what the warehouse would have recorded: the
passed pieces taken into stock, shipped in one or two lots on delivery notes, the
customer's receipt of each; an order that went on was received in full, or short
by what the customer agreed to (closed with a reason). Orders in 交付 today are
spread over the warehouse's states: nothing received yet, in stock, a lot on its
way, received in part.

What may go into stock is read in bulk as the first-pass final inspections'
passed pieces (never more than quality accepted: accepted = passed + re-passed +
conceded), through the model registry — delivery imports nothing of quality.
Written in bulk (core.scale.BulkWriter: COPY on PostgreSQL), a batch of orders per
transaction; runs on its own: `manage.py seed_scale --only delivery --append`.
Numbers follow the service's (SH-YYYYMM-nnnnn) and the counter moves past them."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum

from accounts.models import User
from accounts.roles import ROLE_BY_CODE
from core.scale import BulkWriter, ScaleContext
from orders.models import NumberSequence, Order, OrderLine, StageDeadline
from orders.stages import Stage

from .models import (
    CustomerReceipt,
    Shipment,
    ShipmentLine,
    ShortfallClosure,
    StockReceipt,
)

RELEASED = (Stage.DELIVERY, Stage.SETTLEMENT, Stage.COMPLETED)
CARRIERS = ("顺丰物流", "德邦物流", "安能物流", "中通快运", "自提")
SIGNERS = ("张收货", "李仓管", "王库管", "赵主管")


def _users_of(role: str) -> list[int]:
    return list(
        User.objects.filter(is_active=True, groups__name=ROLE_BY_CODE[role].group_name)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def passed_by_line(line_ids) -> dict[int, Decimal]:
    """{line id: pieces that passed the first final inspection} — a floor of what
    quality accepted. Without quality, production's good pieces of the line
    (as delivery.quantities.accepted_by_line reads them)."""
    if apps.is_installed("quality"):
        inspection = apps.get_model("quality", "Inspection")
        corrected = inspection.objects.filter(corrects=OuterRef("pk"))
        rows = (
            inspection.objects.filter(
                line_id__in=line_ids, kind="final", nonconformance__isnull=True
            )
            .exclude(Exists(corrected))
            .values("line_id")
            .annotate(q=Sum("passed"))
            .order_by()
        )
        return {r["line_id"]: Decimal(r["q"] or 0) for r in rows}
    slip = apps.get_model("production", "DispatchSlip")
    rows = (
        slip.objects.filter(
            plan__line_id__in=line_ids,
            operation="forming",
            kind__in=("planned", "make_up"),
        )
        .values("plan__line_id")
        .annotate(q=Sum("good_qty"))
        .order_by()
    )
    return {r["plan__line_id"]: Decimal(r["q"] or 0) for r in rows}


class DeliverySeeder:
    def __init__(self, ctx: ScaleContext, writer: BulkWriter):
        self.ctx = ctx
        self.rng = ctx.rng
        self.writer = writer
        self.now = ctx.now
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.sequences = dict(
            NumberSequence.objects.filter(key__startswith="shipment:").values_list(
                "key", "last"
            )
        )
        self.warehouse = _users_of("warehouse")
        w = writer
        w.declare(
            StockReceipt,
            (
                "order_id",
                "line_id",
                "quantity",
                "received_on",
                "location",
                "notes",
                "received_by_id",
                "created_at",
            ),
        )
        w.declare(
            Shipment,
            (
                "id",
                "number",
                "order_id",
                "status",
                "ship_date",
                "carrier",
                "tracking_number",
                "address",
                "contact",
                "phone",
                "notes",
                "created_by_id",
                "created_at",
                "version",
            ),
        )
        w.declare(
            ShipmentLine, ("shipment_id", "line_id", "quantity", "received_quantity")
        )
        w.declare(
            CustomerReceipt,
            (
                "original_name",
                "content_type",
                "size",
                "file",
                "shipment_id",
                "signed_by",
                "signed_on",
                "note",
                "quality_matter",
                "recorded_by_id",
                "recorded_at",
            ),
        )
        w.declare(
            ShortfallClosure,
            (
                "order_id",
                "line_id",
                "quantity",
                "reason",
                "agreed_by",
                "closed_by_id",
                "closed_at",
            ),
        )

    def _day(self, at: datetime):
        return at.astimezone(self.zone).date()

    def _between(self, start: datetime, end: datetime) -> datetime:
        end = min(end, self.now)
        if end <= start:
            return start
        return start + (end - start) * self.rng.random()

    def _number(self, on: datetime) -> str:
        yyyymm = on.astimezone(self.zone).strftime("%Y%m")
        key = f"shipment:{yyyymm}"
        self.sequences[key] = self.sequences.get(key, 0) + 1
        return f"SH-{yyyymm}-{self.sequences[key]:05d}"

    def order(self, row: dict) -> None:
        """One order's stock, shipments and receipts."""
        rng, w = self.rng, self.writer
        who = rng.choice(self.warehouse)
        start = row["started_at"] or (self.now - timedelta(days=5))
        end = row["completed_at"] or self.now
        settled = row["stage"] != Stage.DELIVERY
        # the warehouse's state for an order still in 交付
        state = "done" if settled else rng.choice(("none", "stock", "transit", "part"))
        if state == "none":
            return
        received_at = self._between(start, start + (end - start) / 4)
        lots = []
        for line in row["lines"]:
            passed = min(line["passed"], line["quantity"])
            if passed <= 0:
                continue
            stock = passed
            if state == "stock":
                stock = (passed * Decimal("0.6")).quantize(Decimal(1)) or passed
            w.add(
                StockReceipt,
                (
                    row["id"],
                    line["id"],
                    stock,
                    self._day(received_at),
                    "成品库A-01",
                    "",
                    who,
                    received_at,
                ),
            )
            lots.append((line, stock))
        if not lots or state == "stock":
            if settled:
                self._close_short(row, {}, who, end)
            return
        # one lot, or two: the first half, then the rest; the last one still on
        # its way when the order is in transit or received in part
        two = state == "part" or (state == "done" and rng.random() < 0.4)
        halves = {line["id"]: (stock / 2).quantize(Decimal(1)) for line, stock in lots}
        shipped_at = received_at
        count = 2 if two else 1
        for n in range(count):
            shipped_at = self._between(shipped_at, shipped_at + (end - shipped_at) / 2)
            pk = w.next_id(Shipment)
            in_transit = state in ("transit", "part") and n == count - 1
            w.add(
                Shipment,
                (
                    pk,
                    self._number(shipped_at),
                    row["id"],
                    "shipped" if in_transit else "received",
                    self._day(shipped_at),
                    rng.choice(CARRIERS),
                    f"SF{pk:010d}",
                    row["address"] or "客户地址",
                    row["contact"],
                    row["phone"],
                    "",
                    who,
                    shipped_at,
                    1 if in_transit else 2,
                ),
            )
            for line, stock in lots:
                if not two:
                    quantity = stock
                elif n == 0:
                    quantity = halves[line["id"]]
                else:
                    quantity = stock - halves[line["id"]]
                if quantity <= 0:
                    continue
                w.add(
                    ShipmentLine,
                    (pk, line["id"], quantity, None if in_transit else quantity),
                )
            if not in_transit:
                signed_at = self._between(shipped_at, shipped_at + timedelta(days=3))
                w.add(
                    CustomerReceipt,
                    (
                        "",
                        "",
                        None,
                        "",
                        pk,
                        rng.choice(SIGNERS),
                        self._day(signed_at),
                        "",
                        False,
                        who,
                        signed_at,
                    ),
                )
        if settled:
            self._close_short(
                row, dict((line["id"], stock) for line, stock in lots), who, end
            )

    def _close_short(self, row, stocked: dict, who, at) -> None:
        """What will not come of an order gone on, closed with the customer's
        agreement (a line the seeded plans never made, the pieces quality did
        not pass)."""
        for line in row["lines"]:
            short = line["quantity"] - stocked.get(line["id"], Decimal(0))
            if short > 0:
                self.writer.add(
                    ShortfallClosure,
                    (
                        row["id"],
                        line["id"],
                        short,
                        "客户同意按实际合格数量交货",
                        "客户采购",
                        who,
                        at,
                    ),
                )

    def finish(self) -> None:
        for key, last in self.sequences.items():
            NumberSequence.objects.update_or_create(key=key, defaults={"last": last})
        self.writer.reset_sequences()


def _order_rows(after: int, batch: int) -> tuple[int | None, list[dict]]:
    """The next batch of released orders with nothing in stock yet, with their
    lines, each line's passed pieces and the customer's address."""
    orders = list(
        Order.objects.filter(stage__in=RELEASED, pk__gt=after)
        .exclude(Exists(StockReceipt.objects.filter(order=OuterRef("pk"))))
        .order_by("pk")
        .values(
            "id",
            "stage",
            "customer__address",
            "customer__contact",
            "customer__phone",
        )[:batch]
    )
    if not orders:
        return None, []
    ids = [o["id"] for o in orders]
    lines = defaultdict(list)
    for line in (
        OrderLine.objects.filter(order_id__in=ids)
        .order_by("order_id", "position")
        .values("id", "order_id", "quantity")
    ):
        lines[line["order_id"]].append(line)
    passed = passed_by_line([line["id"] for rows in lines.values() for line in rows])
    deadlines = {
        d["order_id"]: d
        for d in StageDeadline.objects.filter(
            order_id__in=ids, stage=Stage.DELIVERY
        ).values("order_id", "started_at", "completed_at")
    }
    rows = []
    for o in orders:
        deadline = deadlines.get(o["id"], {})
        rows.append(
            {
                "id": o["id"],
                "stage": o["stage"],
                "address": o["customer__address"],
                "contact": o["customer__contact"],
                "phone": o["customer__phone"],
                "lines": [
                    {**line, "passed": passed.get(line["id"], Decimal(0))}
                    for line in lines[o["id"]]
                ],
                "started_at": deadline.get("started_at"),
                "completed_at": deadline.get("completed_at"),
            }
        )
    return orders[-1]["id"], rows


def seed_scale_delivery(ctx: ScaleContext) -> None:
    writer = BulkWriter()
    seeder = DeliverySeeder(ctx, writer)
    if not seeder.warehouse:
        ctx.out("  no warehouse user: nothing to receive")
        return
    after = 0
    while True:
        with transaction.atomic():
            last, rows = _order_rows(after, ctx.batch)
            if last is None:
                break
            for row in rows:
                seeder.order(row)
            writer.flush()
            seeder.finish()
            after = last
        ctx.out(f"  delivery up to order id {after:,}")
    for label, count in writer.written().items():
        ctx.counts[label] = ctx.counts.get(label, 0) + count
