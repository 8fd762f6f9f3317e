"""Scale data for the shop floor (issue 12): for every order that has reached
production — those in production today and every one that went on to inspection,
delivery, settlement or completion — the records production would have left: its
materials readiness (备料), one issued plan for its first line, the dispatch slips
(cutting → line forming, and a mould repair beside them for one plan in three) and
the progress reports that finished them.

Orders past production have every slip done, reported in one or two reports (a few
with an anomaly, handled). Orders in production today are spread over the states a
shop floor holds: waiting for materials, cutting under way, the line under way with
an open anomaly, late slips. Dates follow the order's production deadline (its
StageDeadline row). Plans and slips are numbered as the services number them
(JH-YYYYMM-nnnn, PG-YYYYMM-nnnnn) and the counters are moved past them.

The busy order of `orders.scale` (`BUSY_PO`, in production) gets the busy slip: its
line forming slip, started, with `BUSY_REPORTS` reports (notes `BUSY_SLIP`), for the
report screen's figure in `manage.py bench`.

Reads the orders and people from the database, so that it can run on its own over
orders seeded earlier: `manage.py seed_scale --only production --append`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from accounts.models import Department, User
from accounts.roles import ROLE_BY_CODE
from core.scale import BUSY_PO, BulkWriter, ScaleContext
from orders.models import NumberSequence, Order, OrderLine, StageDeadline
from orders.stages import Stage

from .models import (
    DispatchSlip,
    MaterialLine,
    MaterialRequirement,
    ProductionPlan,
    SlipReport,
)

BUSY_SLIP = "BENCH-BUSY-SLIP"
BUSY_REPORTS = 400
PRODUCED = (
    Stage.PRODUCTION,
    Stage.INSPECTION,
    Stage.DELIVERY,
    Stage.SETTLEMENT,
    Stage.COMPLETED,
)
# 备料 lines: (material, specification, quantity, unit, supplier)
MATERIALS = (
    (
        ("Q235 热轧钢板", "6.0mm", 8, "吨", "鞍钢集团"),
        ("磷化液", "", 200, "升", "杭州表面处理材料厂"),
    ),
    (
        ("SPHC 酸洗板", "4.5mm", 6, "吨", "宝钢股份"),
        ("摩擦材料 粉料", "", 500, "千克", "山东摩擦材料厂"),
    ),
    (("45# 钢板", "8.0mm", 10, "吨", "鞍钢集团"), ("防锈油", "", 20, "升", "本地")),
)
CAUSES = ("equipment", "material", "staff", "quality", "upstream")
NOTES = {
    "equipment": "压力机液压系统漏油，停机待修",
    "material": "钢板未到，等料",
    "staff": "夜班缺 2 人",
    "quality": "首件平面度超差，调模",
    "upstream": "下料未完，等上工序",
}
S = DispatchSlip.Status
M = MaterialRequirement.Status


def _users_of(role: str, *, department: str | None = None) -> list[int]:
    users = User.objects.filter(
        is_active=True, groups__name=ROLE_BY_CODE[role].group_name
    )
    if department:
        users = users.filter(department__code=department)
    return list(users.order_by("pk").values_list("pk", flat=True))


class ProductionSeeder:
    def __init__(self, ctx: ScaleContext, writer: BulkWriter):
        self.ctx = ctx
        self.rng = ctx.rng
        self.writer = writer
        self.now = ctx.now
        self.today = ctx.now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.sequences = dict(NumberSequence.objects.values_list("key", "last"))
        self.shops = dict(
            Department.objects.filter(kind="workshop").values_list("code", "pk")
        )
        self.planners = _users_of("production_planner") or _users_of(
            "production_manager"
        )
        self.purchasing = _users_of("purchasing")
        # 审核: the production manager reviews the planner's plans (another
        # planner when there is none — never the one who prepared it)
        self.reviewers = _users_of("production_manager") or self.planners
        self.leads = {
            code: _users_of("workshop_lead", department=code) or self.planners
            for code in self.shops
        }
        self.busy_done = False
        self._declare()

    def _declare(self):
        w = self.writer
        w.declare(
            MaterialRequirement,
            (
                "id",
                "order_id",
                "status",
                "due_date",
                "expected_date",
                "ordered_at",
                "arrived_at",
                "ready_at",
                "updated_by_id",
                "updated_at",
                "version",
            ),
        )
        w.declare(
            MaterialLine,
            (
                "requirement_id",
                "position",
                "material",
                "spec",
                "quantity",
                "unit",
                "supplier",
                "po_number",
                "expected_quantity",
                "expected_date",
                "arrived_quantity",
                "arrived_at",
            ),
        )
        w.declare(
            ProductionPlan,
            (
                "id",
                "number",
                "order_id",
                "line_id",
                "batch_number",
                "model_code",
                "maker",
                "thickness",
                "quantity",
                "planned_start",
                "planned_finish",
                "notes",
                "status",
                "created_by_id",
                "created_at",
                "submitted_by_id",
                "submitted_at",
                "reviewed_by_id",
                "reviewed_at",
                "issued_by_id",
                "issued_at",
                "closed_reason",
                "returned_reason",
                "version",
            ),
        )
        w.declare(
            DispatchSlip,
            (
                "id",
                "number",
                "plan_id",
                "workshop_id",
                "operation",
                "quantity",
                "start_date",
                "due_date",
                "committed_due_date",
                "requirements",
                "notes",
                "status",
                "good_qty",
                "scrap_qty",
                "started_at",
                "started_by_id",
                "done_at",
                "closed_reason",
                "override_reason",
                "created_by_id",
                "created_at",
                "version",
            ),
        )
        self.through = DispatchSlip.predecessors.through
        w.declare(self.through, ("from_dispatchslip_id", "to_dispatchslip_id"))
        w.declare(
            SlipReport,
            (
                "slip_id",
                "token",
                "good",
                "scrap",
                "anomaly",
                "cause",
                "note",
                "reported_by_id",
                "reported_at",
                "handled_by_id",
                "handled_at",
                "handled_note",
            ),
        )

    # -- numbers and time --

    def _number(self, key: str, on: date, prefix: str, digits: int) -> str:
        yyyymm = on.strftime("%Y%m")
        full = f"{key}:{yyyymm}"
        self.sequences[full] = self.sequences.get(full, 0) + 1
        return f"{prefix}-{yyyymm}-{self.sequences[full]:0{digits}d}"

    def _at(self, day: date, hour: float) -> datetime:
        moment = datetime.combine(day, time(0), tzinfo=self.zone) + timedelta(
            hours=hour
        )
        return min(moment, self.now)

    def _between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + (end - start) * self.rng.random()

    def _materials(self, order_id, status, due, expected, *rest) -> None:
        """The order's 备料 and its lines: all arrived when ready, on order (or
        not yet ordered) otherwise."""
        requirement_id = self.writer.next_id(MaterialRequirement)
        self.writer.add(
            MaterialRequirement,
            (requirement_id, order_id, status, due, expected, *rest),
        )
        ordered_at, _arrived, ready_at = rest[0], rest[1], rest[2]
        for position, (material, spec, qty, unit, supplier) in enumerate(
            self.rng.choice(MATERIALS), start=1
        ):
            quantity = Decimal(qty)
            ready = status == M.READY
            self.writer.add(
                MaterialLine,
                (
                    requirement_id,
                    position,
                    material,
                    spec,
                    quantity,
                    unit,
                    supplier,
                    f"CG-{order_id:07d}-{position}" if ordered_at or ready else "",
                    quantity,
                    expected,
                    quantity if ready else Decimal(0),
                    ready_at if ready else None,
                ),
            )

    # -- one order --

    def order(self, row: dict) -> None:
        rng = self.rng
        started = row["started_at"] or row["created_at"]
        start_day = started.astimezone(self.zone).date()
        due = row["due_date"] or start_day + timedelta(days=14)
        due = max(due, start_day)
        in_production = row["stage"] == Stage.PRODUCTION
        finished = row["completed_at"] or self._at(due, 15)
        if not in_production:
            finished = max(finished, started + timedelta(hours=4))
        planner = rng.choice(self.planners)
        # by the order's id, not the random stream: the states drawn stay as they were
        others = [pk for pk in self.reviewers if pk != planner] or self.reviewers
        reviewer = others[row["id"] % len(others)]
        buyer = rng.choice(self.purchasing) if self.purchasing else planner

        # materials: ready before the cutting started, or still on their way
        busy_order = row["busy"] and in_production
        waiting_materials = in_production and not busy_order and rng.random() < 0.15
        if row["has_materials"]:
            # purchasing recorded them already (demo data): keep theirs
            waiting_materials = False
        ready_at = started - timedelta(hours=rng.uniform(2, 72))
        if row["has_materials"]:
            pass
        elif waiting_materials:
            status, expected = rng.choice((M.ORDERED, M.NEEDED)), None
            if status == M.ORDERED:
                expected = self.today + timedelta(days=rng.randint(-3, 20))
            self._materials(
                row["id"],
                status,
                start_day,
                expected,
                ready_at if status == M.ORDERED else None,
                None,
                None,
                buyer,
                ready_at,
                2,
            )
        else:
            self._materials(
                row["id"],
                M.READY,
                start_day,
                None,
                ready_at - timedelta(days=5),
                ready_at - timedelta(hours=3),
                ready_at,
                buyer,
                ready_at,
                4,
            )

        # the plan: the first line, as one batch
        plan_id = self.writer.next_id(ProductionPlan)
        number = self._number("plan", start_day, "JH", 4)
        quantity = row["quantity"]
        self.writer.add(
            ProductionPlan,
            (
                plan_id,
                number,
                row["id"],
                row["line_id"],
                number.removeprefix("JH-"),
                row["model_code"],
                row["customer"][:128],
                Decimal(rng.choice(("4.50", "6.00", "8.00"))),
                quantity,
                start_day,
                due,
                "按图纸关键要求首件送检",
                ProductionPlan.Status.ISSUED,
                planner,
                started - timedelta(hours=2),
                planner,
                started - timedelta(hours=1),
                reviewer,
                started,
                reviewer,
                started,
                "",
                "",
                3,
            ),
        )

        # the slips: cutting → forming, and a mould repair beside them
        pieces = max(int(quantity), 1)
        span = max((due - start_day).days, 1)
        cutting_due = start_day + timedelta(days=max(span * 3 // 10, 0))
        slips = [("cutting", "cutting", pieces, start_day, cutting_due, None)]
        slips.append(("line", "forming", pieces, None, due, 0))
        if rng.random() < 1 / 3:
            slips.append(("maintenance", "mould_repair", 1, None, cutting_due, None))
        if busy_order:
            # the busy line's next operation waits for it: a shop floor at any size
            # and on any day holds a slip waiting for an earlier one
            slips.append(("line", "surface", pieces, None, due, 1))
        ids = []
        cutting_done = False
        for index, (shop, operation, qty, start, slip_due, after) in enumerate(slips):
            slip_id = self.writer.next_id(DispatchSlip)
            ids.append(slip_id)
            lead = rng.choice(self.leads[shop])
            slip_number = self._number("slip", start_day, "PG", 5)
            if not in_production:
                state = "done"
            elif waiting_materials:
                state = "waiting"
            elif index == 0:
                state = "done" if rng.random() < 0.6 else "started"
                if busy_order:
                    state = "done"
                cutting_done = state == "done"
            elif after is not None:
                state = (
                    ("started" if rng.random() < 0.7 else "waiting")
                    if cutting_done
                    else "waiting"
                )
            else:
                state = rng.choice(("done", "waiting", "started"))
            busy = busy_order and operation == "forming"
            if busy:
                state = "started"
            elif busy_order and operation == "surface":
                state = "waiting"
            begun = self._at(start or start_day, 8 + index)
            self._slip(
                slip_id,
                slip_number,
                plan_id,
                shop,
                operation,
                qty,
                start,
                slip_due,
                state,
                lead,
                planner,
                begun,
                finished,
                started - timedelta(minutes=50 - index),
                in_production,
                busy,
            )
            if after is not None:
                self.writer.add(self.through, (slip_id, ids[after]))

    def _slip(
        self,
        slip_id,
        number,
        plan_id,
        shop,
        operation,
        qty,
        start,
        due,
        state,
        lead,
        planner,
        begun,
        finished,
        made,
        in_production,
        busy=False,
    ):
        rng = self.rng
        good = scrap = 0
        started_at = done_at = None
        reports = []
        if busy:
            # the report screen's figure: a long job reported every hour for weeks
            self.busy_done = True
            self.busy_slip = slip_id
            started_at = self.now - timedelta(hours=BUSY_REPORTS + 1)
            each = max(qty * 8 // 10 // BUSY_REPORTS, 1)
            for n in range(BUSY_REPORTS):
                at = self.now - timedelta(hours=BUSY_REPORTS - n)
                reports.append((each, n % 3 == 0, at, n % 50 == 7))
            good = each * BUSY_REPORTS
            scrap = sum(1 for r in reports if r[1])
            reports = [(a, int(w), at, an) for a, w, at, an in reports]
        elif state in ("done", "started"):
            started_at = begun
            end = self._between(begun, finished) if state == "done" else self.now
            target = qty if state == "done" else int(qty * rng.uniform(0.1, 0.8))
            parts = 1 if qty < 10 or rng.random() < 0.5 else 2
            remaining = target
            for part in range(parts):
                amount = remaining if part == parts - 1 else remaining // 2
                remaining -= amount
                waste = int(amount * rng.uniform(0, 0.01))
                if not amount and not waste:
                    continue  # nothing made yet: no report
                at = self._between(begun, end)
                anomaly = rng.random() < (0.08 if in_production else 0.02)
                reports.append((amount, waste, at, anomaly))
                good += amount
                scrap += waste
            if state == "done":
                done_at = max(r[2] for r in reports)
        self.writer.add(
            DispatchSlip,
            (
                slip_id,
                number,
                plan_id,
                self.shops[shop],
                operation,
                qty,
                start,
                due,
                due,
                "平面度≤0.15mm；毛刺高度≤0.1mm" if operation != "mould_repair" else "",
                "",
                S.DONE if state == "done" else S.STARTED if started_at else S.WAITING,
                good,
                scrap,
                started_at,
                lead if started_at else None,
                done_at,
                "",
                "",
                planner,
                made,
                1 + len(reports) + (1 if started_at else 0),
            ),
        )
        for amount, waste, at, anomaly in reports:
            cause = rng.choice(CAUSES) if anomaly else ""
            handled = anomaly and (not in_production or rng.random() < 0.5)
            if busy:  # the anomalies of the last two days still open
                handled = anomaly and at < self.now - timedelta(hours=48)
            self.writer.add(
                SlipReport,
                (
                    slip_id,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    amount,
                    waste,
                    anomaly,
                    cause,
                    NOTES.get(cause, ""),
                    lead,
                    at,
                    planner if handled else None,
                    at + timedelta(hours=2) if handled else None,
                    "已处理，恢复生产" if handled else "",
                ),
            )

    def finish(self) -> None:
        """Run in each batch's transaction, so that a run stopped halfway leaves
        counters and id sequences past what it wrote (and can be run again)."""
        for key, last in self.sequences.items():
            if key.startswith(("plan:", "slip:")):
                NumberSequence.objects.update_or_create(
                    key=key, defaults={"last": last}
                )
        self.writer.reset_sequences()
        if getattr(self, "busy_slip", None):
            DispatchSlip.objects.filter(pk=self.busy_slip).update(notes=BUSY_SLIP)


def _order_rows(after: int, batch: int) -> tuple[int | None, list[dict]]:
    """The next batch of orders to plan, after the id `after`: (the batch's last
    id or None when there is none left, its rows)."""
    orders = list(
        Order.objects.filter(stage__in=PRODUCED, pk__gt=after)
        .exclude(Exists(ProductionPlan.objects.filter(order=OuterRef("pk"))))
        .order_by("pk")
        .values("id", "stage", "created_at", "customer__name", "customer_po")[:batch]
    )
    if not orders:
        return None, []
    ids = [o["id"] for o in orders]
    deadlines = {
        d["order_id"]: d
        for d in StageDeadline.objects.filter(
            order_id__in=ids, stage=Stage.PRODUCTION
        ).values("order_id", "due_date", "started_at", "completed_at")
    }
    busy = [o["id"] for o in orders if o["customer_po"] == BUSY_PO]
    with_materials = set(
        MaterialRequirement.objects.filter(order_id__in=ids).values_list(
            "order_id", flat=True
        )
    )
    first_lines: dict[int, tuple] = {}
    lines = defaultdict(list)
    for line in OrderLine.objects.filter(order_id__in=ids).values_list(
        "order_id", "position", "id", "model_code", "quantity"
    ):
        lines[line[0]].append(line)
    for order_id, rows in lines.items():
        first_lines[order_id] = min(rows, key=lambda r: r[1])
        if busy and order_id == busy[0]:
            # the busy order's plan makes its biggest line: room for many reports
            first_lines[order_id] = max(rows, key=lambda r: (r[4], -r[1]))
    rows = []
    for o in orders:
        line = first_lines.get(o["id"])
        if line is None:
            continue
        deadline = deadlines.get(o["id"], {})
        rows.append(
            {
                "id": o["id"],
                "stage": o["stage"],
                "busy": o["customer_po"] == BUSY_PO,
                "has_materials": o["id"] in with_materials,
                "created_at": o["created_at"],
                "customer": o["customer__name"],
                "line_id": line[2],
                "model_code": line[3][:64],
                "quantity": line[4],
                "due_date": deadline.get("due_date"),
                "started_at": deadline.get("started_at"),
                "completed_at": deadline.get("completed_at"),
            }
        )
    return orders[-1]["id"], rows


def seed_scale_production(ctx: ScaleContext) -> None:
    writer = BulkWriter()
    seeder = ProductionSeeder(ctx, writer)
    if not seeder.planners or not seeder.shops:
        ctx.out("  no planner or no workshop: nothing to plan")
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
        ctx.out(f"  production up to order id {after:,}")
    for label, count in writer.written().items():
        ctx.counts[label] = ctx.counts.get(label, 0) + count
