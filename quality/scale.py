"""Scale data for quality: for every order past production — in inspection today
or gone on to delivery, settlement or completion — the records QC would have
left on its planned line: the first-pass final inspection of what production
produced (the planned and make-up forming slips' good pieces), and for some a
nonconformance — reworked on a rework slip and re-inspected, scrapped, or
conceded on the customer's consent, closed and signed by two reviewers. Orders in
inspection today are spread over the states QC holds: not inspected yet,
inspected and passed (awaiting release), failed in part with a nonconformance
under review.

Written in bulk (core.scale.BulkWriter: COPY on PostgreSQL), a batch of orders per
transaction; reads the orders and people from the database, so that it runs on
its own: `manage.py seed_scale --only quality --append`. Numbers follow the
services' (JY-YYYYMM-nnnnn, BHG-YYYYMM-nnnnn, PG-… for rework slips) and the
counters are moved past them."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum

from accounts.models import Department, User
from accounts.roles import ROLE_BY_CODE
from core.scale import BulkWriter, ScaleContext
from orders.models import NumberSequence, Order, StageDeadline
from orders.stages import Stage
from production.models import DispatchSlip, ProductionPlan, SlipReport

from .defects import DEFECTS, ensure
from .models import (
    Inspection,
    Nonconformance,
    NonconformanceReview,
)

PAST = (Stage.INSPECTION, Stage.DELIVERY, Stage.SETTLEMENT, Stage.COMPLETED)
K = Inspection.Kind
NC = Nonconformance.Status
DESCRIPTIONS = {
    "dimension": "尺寸超差",
    "burr": "毛刺高度超标",
    "scratch": "表面划伤",
    "flatness": "平面度超差",
    "hole": "孔位偏移",
}


def _users_of(role: str) -> list[int]:
    return list(
        User.objects.filter(is_active=True, groups__name=ROLE_BY_CODE[role].group_name)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


class QualitySeeder:
    def __init__(self, ctx: ScaleContext, writer: BulkWriter):
        self.ctx = ctx
        self.rng = ctx.rng
        self.writer = writer
        self.now = ctx.now
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.sequences = dict(NumberSequence.objects.values_list("key", "last"))
        # the counters this batch moved: only they are written back
        self.touched: set[str] = set()
        self.inspectors = _users_of("qc_inspector")
        head = (
            Department.objects.filter(code="quality")
            .values_list("head_id", flat=True)
            .first()
        )
        self.manager = head or (self.inspectors[0] if self.inspectors else None)
        self.production = _users_of("production_manager") or self.inspectors
        self.planners = _users_of("production_planner") or self.production
        self.line_shop = (
            Department.objects.filter(code="line").values_list("pk", flat=True).first()
            or Department.objects.filter(kind="workshop")
            .values_list("pk", flat=True)
            .first()
        )
        self.leads = (
            list(
                User.objects.filter(department_id=self.line_shop).values_list(
                    "pk", flat=True
                )
            )
            or self.planners
        )
        ensure()
        from .models import DefectType

        self.defects = dict(DefectType.objects.values_list("code", "pk"))
        self.defect_codes = [c for c, _n in DEFECTS if c in DESCRIPTIONS]
        self._declare()

    def _declare(self):
        w = self.writer
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
                "created_by_id",
                "created_at",
                "version",
                "kind",
                "shortfall_closed_qty",
                "shortfall_reason",
                "override_reason",
                "closed_reason",
            ),
        )
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
                "handled_note",
            ),
        )
        w.declare(
            Inspection,
            (
                "id",
                "number",
                "kind",
                "order_id",
                "line_id",
                "slip_id",
                "nonconformance_id",
                "inspected",
                "passed",
                "failed",
                "note",
                "inspector_id",
                "inspected_at",
                "corrects_id",
                "correction_reason",
            ),
        )
        w.declare(Inspection.defects.through, ("inspection_id", "defecttype_id"))
        w.declare(
            Nonconformance,
            (
                "id",
                "number",
                "order_id",
                "line_id",
                "inspection_id",
                "status",
                "quantity",
                "description",
                "cause",
                "responsible_department_id",
                "rework_qty",
                "scrap_qty",
                "concession_qty",
                "make_up_asked",
                "rework_slip_id",
                "consent_note",
                "consent_by_id",
                "consent_at",
                "opened_by_id",
                "opened_at",
                "decided_at",
                "closed_at",
                "withdrawn_reason",
                "version",
            ),
        )
        w.declare(
            NonconformanceReview,
            ("nonconformance_id", "reviewer_id", "opinion", "signed_at"),
        )

    def _number(self, key: str, on: datetime, prefix: str) -> str:
        yyyymm = on.astimezone(self.zone).strftime("%Y%m")
        full = f"{key}:{yyyymm}"
        self.sequences[full] = self.sequences.get(full, 0) + 1
        self.touched.add(full)
        return f"{prefix}-{yyyymm}-{self.sequences[full]:05d}"

    def _between(self, start: datetime, end: datetime) -> datetime:
        end = min(end, self.now)
        if end <= start:
            return start
        return start + (end - start) * self.rng.random()

    def _inspection(self, row, at, inspected, passed, *, nc_id=None, note=""):
        w = self.writer
        pk = w.next_id(Inspection)
        failed = inspected - passed
        w.add(
            Inspection,
            (
                pk,
                self._number("inspection", at, "JY"),
                K.FINAL,
                row["id"],
                row["line_id"],
                None,
                nc_id,
                inspected,
                passed,
                failed,
                note,
                self.rng.choice(self.inspectors),
                at,
                None,
                "",
            ),
        )
        return pk

    def order(self, row: dict) -> None:
        rng = self.rng
        produced = row["produced"]
        if produced < 1 or not self.inspectors:
            return
        start = row["started_at"] or self.now - timedelta(days=3)
        end = row["completed_at"] or self.now
        in_inspection = row["stage"] == Stage.INSPECTION
        roll = rng.random()
        if in_inspection and roll < 0.4:
            return  # waiting for QC
        at = self._between(start, end)
        if roll < (0.7 if in_inspection else 0.85):
            self._inspection(row, at, produced, produced, note="抽检合格")
            return
        failed = min(max(1, produced // rng.choice((50, 100, 200))), produced, 40)
        first = self._inspection(row, at, produced, produced - failed)
        code = rng.choice(self.defect_codes)
        self.writer.add(Inspection.defects.through, (first, self.defects[code]))
        if in_inspection:
            self._nc(row, first, failed, code, at, under_review=True)
            return
        fate = rng.choice(("rework", "rework", "scrap", "concession"))
        self._nc(row, first, failed, code, at, fate=fate, end=end)

    def _nc(
        self,
        row,
        inspection_id,
        qty,
        code,
        at,
        *,
        under_review=False,
        fate="rework",
        end=None,
    ):
        w, rng = self.writer, self.rng
        pk = w.next_id(Nonconformance)
        opener = rng.choice(self.inspectors)
        reviewers = [self.manager, rng.choice(self.production)]
        rework = qty if fate == "rework" else 0
        scrap = qty if fate == "scrap" else 0
        concession = qty if fate == "concession" else 0
        decided = closed = consent_at = None
        slip_id = None
        if not under_review:
            decided = min(at + timedelta(hours=rng.uniform(2, 30)), end or self.now)
            closed = decided
            if fate == "rework":
                slip_id, closed = self._rework_slip(row, qty, decided)
                reinspect = min(closed + timedelta(hours=2), self.now)
                self._inspection(row, reinspect, qty, qty, nc_id=pk, note="返工后复检")
            if fate == "concession":
                consent_at = decided
        w.add(
            Nonconformance,
            (
                pk,
                self._number("nonconformance", at, "BHG"),
                row["id"],
                row["line_id"],
                inspection_id,
                NC.REVIEW if under_review else NC.CLOSED,
                qty,
                DESCRIPTIONS[code],
                "quality",
                self.line_shop,
                rework,
                scrap,
                concession,
                False,
                slip_id,
                "客户书面同意让步接收" if consent_at else "",
                self.manager if consent_at else None,
                consent_at,
                opener,
                at,
                decided,
                closed,
                "",
                3 if under_review else 6,
            ),
        )
        for index, reviewer in enumerate(dict.fromkeys(r for r in reviewers if r)):
            signed = None if under_review and index else (decided or at)
            w.add(
                NonconformanceReview,
                (pk, reviewer, "同意" if signed else "", signed),
            )

    def _rework_slip(self, row, qty, decided):
        """A rework slip (返工) on the order's plan, finished by the line."""
        w = self.writer
        if not row.get("plan_id") or not self.line_shop:
            return None, decided
        pk = w.next_id(DispatchSlip)
        started = decided + timedelta(hours=self.rng.uniform(1, 20))
        done = min(started + timedelta(hours=self.rng.uniform(1, 16)), self.now)
        started = min(started, done)
        day = decided.astimezone(self.zone).date()
        lead = self.rng.choice(self.leads)
        w.add(
            DispatchSlip,
            (
                pk,
                self._number("slip", decided, "PG"),
                row["plan_id"],
                self.line_shop,
                "forming",
                qty,
                day,
                day + timedelta(days=2),
                day + timedelta(days=2),
                "",
                "不合格品返工",
                DispatchSlip.Status.DONE,
                qty,
                0,
                started,
                lead,
                done,
                self.rng.choice(self.production),
                decided,
                3,
                DispatchSlip.Kind.REWORK,
                0,
                "",
                "",
                "",
            ),
        )
        w.add(
            SlipReport,
            (
                pk,
                uuid.UUID(int=self.rng.getrandbits(128)),
                qty,
                0,
                False,
                "",
                "",
                lead,
                done,
                "",
            ),
        )
        return pk, done

    def finish(self) -> None:
        """Run in each batch's transaction, so that a run stopped halfway leaves
        the counters and id sequences past what it wrote."""
        for key in sorted(self.touched):
            NumberSequence.objects.update_or_create(
                key=key, defaults={"last": self.sequences[key]}
            )
        self.touched.clear()
        self.writer.reset_sequences()


def _order_rows(after: int, batch: int) -> tuple[int | None, list[dict]]:
    """The next batch of orders past production without an inspection yet, with
    their planned line, its plan and the pieces production produced of it."""
    orders = list(
        Order.objects.filter(stage__in=PAST, pk__gt=after)
        .exclude(Exists(Inspection.objects.filter(order=OuterRef("pk"))))
        .order_by("pk")
        .values("id", "stage")[:batch]
    )
    if not orders:
        return None, []
    ids = [o["id"] for o in orders]
    plans = {}
    for plan in (
        ProductionPlan.objects.filter(order_id__in=ids, status="issued")
        .order_by("pk")
        .values("order_id", "id", "line_id")
    ):
        plans.setdefault(plan["order_id"], plan)
    produced = defaultdict(int)
    for s in (
        DispatchSlip.objects.filter(
            plan__order_id__in=ids,
            operation="forming",
            kind__in=(DispatchSlip.Kind.PLANNED, DispatchSlip.Kind.MAKE_UP),
        )
        .values("plan_id")
        .annotate(good=Sum("good_qty"))
        .order_by()
    ):
        produced[s["plan_id"]] += s["good"] or 0
    deadlines = {
        d["order_id"]: d
        for d in StageDeadline.objects.filter(
            order_id__in=ids, stage=Stage.INSPECTION
        ).values("order_id", "started_at", "completed_at")
    }
    rows = []
    for o in orders:
        plan = plans.get(o["id"])
        if plan is None:
            continue
        deadline = deadlines.get(o["id"], {})
        rows.append(
            {
                "id": o["id"],
                "stage": o["stage"],
                "line_id": plan["line_id"],
                "plan_id": plan["id"],
                "produced": produced.get(plan["id"], 0),
                "started_at": deadline.get("started_at"),
                "completed_at": deadline.get("completed_at"),
            }
        )
    return orders[-1]["id"], rows


def seed_scale_quality(ctx: ScaleContext) -> None:
    writer = BulkWriter()
    seeder = QualitySeeder(ctx, writer)
    if not seeder.inspectors:
        ctx.out("  no QC inspector: nothing to inspect")
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
        ctx.out(f"  quality up to order id {after:,}")
    for label, count in writer.written().items():
        ctx.counts[label] = ctx.counts.get(label, 0) + count
