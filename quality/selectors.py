"""Quality's reads: each order line's figures (sums of the records, never a
counter), the order's inspections and nonconformances, the QC workbench's rows —
each a fixed number of queries whatever the number of records."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from orders.models import Order
from orders.stages import Stage
from production.models import DispatchSlip, RoutingStep
from production.selectors import line_output

from .models import OPEN_NONCONFORMANCE, Inspection, Nonconformance

# Where an order's quality figures mean something: from the day it could be
# inspected (a process check happens in production) to the end.
QUALITY_STAGES = frozenset(
    {
        Stage.PRODUCTION,
        Stage.INSPECTION,
        Stage.DELIVERY,
        Stage.SETTLEMENT,
        Stage.COMPLETED,
        Stage.CANCELLED,
    }
)


def current_inspections():
    """The inspections no later record corrects."""
    return Inspection.objects.filter(corrected_by__isnull=True)


@dataclass
class LineFigures:
    """One order line as quality accounts for it.

    - inspected / passed / failed: the first-pass final inspections (终检);
    - re_inspected / re_passed: the re-inspections of reworked pieces (复检);
    - rework / scrapped / conceded: the dispositions of the nonconformances the
      final inspections and re-inspections opened (not withdrawn);
    - accepted = passed + re_passed + conceded (a conceded piece counted once);
    - short_agreed: scrapped pieces the customer agreed to take short.

    Once every nonconformance is closed: failed + (re_inspected − re_passed) =
    rework + scrapped + conceded."""

    line: object
    produced: int = 0
    inspected: int = 0
    passed: int = 0
    failed: int = 0
    re_inspected: int = 0
    re_passed: int = 0
    rework: int = 0
    scrapped: int = 0
    conceded: int = 0
    short_agreed: int = 0
    open_nonconformances: list = field(default_factory=list)

    @property
    def ordered(self) -> Decimal:
        return self.line.quantity

    @property
    def accepted(self) -> int:
        return self.passed + self.re_passed + self.conceded

    @property
    def re_failed(self) -> int:
        return self.re_inspected - self.re_passed

    @property
    def to_inspect(self) -> int:
        """Produced pieces no first-pass final inspection took yet."""
        return max(self.produced - self.inspected, 0)

    @property
    def covered(self) -> bool:
        return self.accepted + self.short_agreed >= self.ordered

    @property
    def missing(self) -> Decimal:
        return max(self.ordered - self.accepted - self.short_agreed, Decimal(0))


def line_figures(order: Order, *, produced: bool = True) -> list[LineFigures]:
    """Each line of the order with its quality figures (three queries, and
    production's line output when `produced`), read once per order object."""
    key = "_quality_figures" if produced else "_quality_figures_bare"
    cached = getattr(order, key, None)
    if cached is not None:
        return cached
    rows = {line.pk: LineFigures(line) for line in order.lines.order_by("position")}
    if produced:
        for out in line_output(order):
            if out.line.pk in rows:
                rows[out.line.pk].produced = out.produced
    sums = (
        current_inspections()
        .filter(order=order, kind=Inspection.Kind.FINAL)
        .values("line_id", "nonconformance_id")
        .annotate(i=Sum("inspected"), p=Sum("passed"), f=Sum("failed"))
        .order_by()
    )
    for s in sums:
        row = rows.get(s["line_id"])
        if row is None:
            continue
        if s["nonconformance_id"] is None:
            row.inspected += s["i"]
            row.passed += s["p"]
            row.failed += s["f"]
        else:
            row.re_inspected += s["i"]
            row.re_passed += s["p"]
    for nc in (
        Nonconformance.objects.filter(
            order=order, inspection__kind=Inspection.Kind.FINAL
        )
        .exclude(status=Nonconformance.Status.WITHDRAWN)
        .only(
            "id",
            "number",
            "line_id",
            "status",
            "rework_qty",
            "scrap_qty",
            "concession_qty",
            "consent_at",
            "quantity",
        )
        .order_by("id")
    ):
        row = rows.get(nc.line_id)
        if row is None:
            continue
        if nc.status in OPEN_NONCONFORMANCE:
            row.open_nonconformances.append(nc)
        if nc.status == Nonconformance.Status.OPEN or (
            nc.status == Nonconformance.Status.REVIEW
        ):
            continue  # not decided yet: no disposition to count
        row.rework += nc.rework_qty
        row.scrapped += nc.scrap_qty
        row.conceded += nc.concession_qty
        if nc.consent_at is not None:
            row.short_agreed += nc.scrap_qty
    result = list(rows.values())
    setattr(order, key, result)
    return result


def order_inspections(order: Order):
    return (
        Inspection.objects.filter(order=order)
        .select_related("line", "slip", "inspector", "nonconformance", "corrects")
        .prefetch_related("defects", "checks", "photos")
        .annotate(superseded=Exists(Inspection.objects.filter(corrects=OuterRef("pk"))))
        .order_by("inspected_at", "id")
    )


def order_nonconformances(order: Order):
    return (
        Nonconformance.objects.filter(order=order)
        .select_related("line", "inspection", "rework_slip", "responsible_department")
        .prefetch_related("reviews__reviewer")
        .order_by("opened_at", "id")
    )


def nonconformance_detail(number: str):
    return (
        Nonconformance.objects.select_related(
            "order__customer",
            "line",
            "inspection__inspector",
            "rework_slip",
            "responsible_department",
            "opened_by",
            "consent_by",
        )
        .prefetch_related("reviews__reviewer", "consent_documents")
        .get(number=number)
    )


# --- the slips QC checks ------------------------------------------------------------------


def _step(flag: str):
    """The routing step of the slip (OuterRef) — same product, operation and
    workshop — that carries `flag`."""
    return RoutingStep.objects.filter(
        routing__product__model_code=OuterRef("plan__model_code"),
        operation=OuterRef("operation"),
        workshop=OuterRef("workshop"),
        **{flag: True},
    )


def process_check_slips():
    """Finished planned slips whose routing step is marked for a process check
    (过程检验) and that no current process inspection took yet, oldest first."""
    return (
        DispatchSlip.objects.filter(
            status=DispatchSlip.Status.DONE,
            kind=DispatchSlip.Kind.PLANNED,
            plan__order__stage__in=(Stage.PRODUCTION, Stage.INSPECTION),
        )
        .filter(Exists(_step("process_check")))
        .exclude(
            Exists(
                current_inspections().filter(
                    slip=OuterRef("pk"), kind=Inspection.Kind.PROCESS
                )
            )
        )
        .select_related("plan__order__customer", "plan__line", "workshop")
        .order_by("done_at", "number")
    )


def first_article_slips():
    """Started planned slips (their first piece made) whose step is marked for a first-article check
    (首件检验) and whose first article has not passed yet: they wait for it."""
    return (
        DispatchSlip.objects.filter(
            status=DispatchSlip.Status.STARTED,
            kind=DispatchSlip.Kind.PLANNED,
            plan__order__stage=Stage.PRODUCTION,
            plan__status="issued",
        )
        .filter(Exists(_step("first_article_check")))
        .exclude(Exists(_first_article_passed(OuterRef("pk"))))
        .select_related("plan__order__customer", "plan__line", "workshop")
        .order_by("start_date", "due_date", "number")
    )


def _first_article_passed(slip):
    return current_inspections().filter(
        slip=slip, kind=Inspection.Kind.FIRST_ARTICLE, passed__gt=0, failed=0
    )


def waits_for_first_article(slip) -> bool:
    """The slip's routing step (the plan's model, the slip's operation and
    workshop) asks for a first-article check that has not passed yet: reports on
    it wait. One query."""
    if slip.kind != DispatchSlip.Kind.PLANNED:
        return False
    return (
        RoutingStep.objects.filter(
            routing__product__model_code=slip.plan.model_code,
            operation=slip.operation,
            workshop_id=slip.workshop_id,
            first_article_check=True,
        )
        .filter(~Exists(_first_article_passed(slip.pk)))
        .exists()
    )


def step_checks(slip) -> dict:
    """{"process": bool, "first_article": bool}: what the slip's routing step asks."""
    step = (
        RoutingStep.objects.filter(
            routing__product__model_code=slip.plan.model_code,
            operation=slip.operation,
            workshop_id=slip.workshop_id,
        )
        .order_by("position")
        .first()
    )
    return {
        "process": bool(step and step.process_check),
        "first_article": bool(step and step.first_article_check),
    }


# --- the workbench's rows -----------------------------------------------------------------


def orders_to_inspect():
    """Orders waiting for the final inspection (质检), the oldest due first."""
    return (
        Order.objects.filter(stage=Stage.INSPECTION)
        .select_related("customer")
        .order_by(F("due_date").asc(nulls_last=True), "number")
    )


def open_nonconformances():
    return (
        Nonconformance.objects.filter(status__in=OPEN_NONCONFORMANCE)
        .select_related("order__customer", "line")
        .order_by("opened_at", "id")
    )


def waiting_for_rework():
    return open_nonconformances().filter(
        status=Nonconformance.Status.DECIDED,
        rework_qty__gt=0,
        rework_slip__isnull=True,
    )


def to_sign(user):
    return open_nonconformances().filter(
        status=Nonconformance.Status.REVIEW,
        reviews__reviewer=user,
        reviews__signed_at__isnull=True,
    )


def reworked_to_reinspect():
    """Nonconformances whose rework slip is finished and whose reworked pieces are
    not all re-inspected yet."""
    return (
        Nonconformance.objects.filter(
            rework_slip__status=DispatchSlip.Status.DONE,
            inspection__kind=Inspection.Kind.FINAL,
        )
        .exclude(status=Nonconformance.Status.WITHDRAWN)
        .annotate(
            re=Coalesce(
                Sum(
                    "reinspections__inspected",
                    filter=Q(reinspections__corrected_by__isnull=True),
                ),
                0,
            )
        )
        .filter(re__lt=F("rework_slip__good_qty"))
        .select_related("order__customer", "line", "rework_slip")
        .order_by("rework_slip__done_at", "id")
    )
