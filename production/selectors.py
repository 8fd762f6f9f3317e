"""Reads of the production app: data only, each a fixed number of queries whatever
the number of plans, slips and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Least, TruncWeek
from django.db.models.lookups import IsNull
from django.utils import timezone

from accounts.permissions import has_role_perm
from orders.models import (
    Drawing,
    KeyRequirement,
    Order,
    OrderEvent,
    OrderLine,
    StageDeadline,
)
from orders.stages import MATERIALS_COMMITTED_BY, Stage

from .events import REPORTED
from .models import (
    DispatchSlip,
    MaterialRequirement,
    PlanChange,
    PlanChangeItem,
    PlanReceipt,
    ProductionPlan,
    ReportPhoto,
    ReportReversal,
    SlipReport,
)

OPEN_SLIP = (DispatchSlip.Status.WAITING, DispatchSlip.Status.STARTED)
# Materials are recorded, and chased while not ready, from the contract review until
# production ends, an order on hold included: the one list every page, queue and
# due item of the materials reads.
MATERIALS_STAGES = frozenset(
    {
        Stage.REVIEW,
        Stage.APPROVAL,
        Stage.QUOTE,
        Stage.CONTRACT,
        Stage.DRAWING,
        Stage.PRODUCTION,
        Stage.ON_HOLD,
    }
)


def materials_open() -> QuerySet[MaterialRequirement]:
    """The materials not ready of the orders whose materials are still chased."""
    return MaterialRequirement.objects.exclude(
        status=MaterialRequirement.Status.READY
    ).filter(order__stage__in=MATERIALS_STAGES)


# Before production nothing but the materials exists for an order.
PLANNING_STAGES = frozenset(
    {Stage.REVIEW, Stage.APPROVAL, Stage.QUOTE, Stage.CONTRACT, Stage.DRAWING}
)
# From production on: the stages whose orders have plans and produced pieces (an
# order cancelled in production keeps what it had).
PRODUCED_STAGES = frozenset(
    {
        Stage.PRODUCTION,
        Stage.INSPECTION,
        Stage.DELIVERY,
        Stage.SETTLEMENT,
        Stage.COMPLETED,
        Stage.CANCELLED,
    }
)
# The reports a slip's screen lists (newest first); the totals are on the slip.
RECENT_REPORTS = 8


def reads_all(user) -> bool:
    return has_role_perm(user, "production.view_plans") or has_role_perm(
        user, "production.manage_plans"
    )


def slips_visible_to(user) -> QuerySet[DispatchSlip]:
    """Every slip for the planner and the readers; a workshop lead sees the slips of
    issued plans given to their own workshop, nothing else."""
    slips = DispatchSlip.objects.all()
    if reads_all(user):
        return slips
    if has_role_perm(user, "production.report_slips") and user.department_id:
        return slips.filter(
            workshop_id=user.department_id, plan__status=ProductionPlan.Status.ISSUED
        )
    return slips.none()


def _unfinished_predecessors():
    return DispatchSlip.objects.filter(successors=OuterRef("pk"), status__in=OPEN_SLIP)


def waits_for_earlier():
    """Whether the slip still waits for an unfinished previous operation, as an
    expression to annotate (`blocked`). Asked slip by slip down the predecessors'
    index: a scalar subquery with LIMIT 1, not EXISTS — PostgreSQL turns an EXISTS
    in ORDER BY into one hash of every predecessor link ever made (900k at 1M
    orders, 100 ms), for the few open slips of a page."""
    first = Subquery(_unfinished_predecessors().values("pk")[:1])
    return Case(
        When(IsNull(first, True), then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )


def slip_list(*, user, show: str = "open") -> QuerySet[DispatchSlip]:
    """The slips a person works from, most urgent first: the started ones and those
    that may start before the ones still waiting for an earlier operation, each by
    its due date. Finished slips, the newest first (read down the workshop's
    due-date index, however many years of them there are)."""
    slips = slips_visible_to(user).select_related(
        "plan__order__customer", "workshop", "started_by"
    )
    if show == "finished":
        return (
            slips.exclude(status__in=OPEN_SLIP)
            .annotate(blocked=Value(False))
            .order_by("-due_date", "-number")
        )
    if show == "open":
        slips = slips.filter(status__in=OPEN_SLIP)
    return slips.annotate(blocked=waits_for_earlier()).order_by(
        "blocked", "due_date", "number"
    )


def late_slips(*, user) -> QuerySet[DispatchSlip]:
    """The open slips past their date or the one first committed (a plan change
    that moved the date later does not take a slip off this list)."""
    return (
        slip_list(user=user, show="open")
        .annotate(
            late_since=Least("due_date", Coalesce("committed_due_date", "due_date"))
        )
        .filter(late_since__lt=timezone.localdate())
    )


def short_slips(slips: QuerySet[DispatchSlip] | None = None) -> QuerySet[DispatchSlip]:
    """Finished slips with fewer good pieces than their quantity, not yet made up
    on make-up slips nor closed short (auxiliary work left out), each annotated
    with how many are `left`."""
    made_up = (
        DispatchSlip.objects.filter(make_up_for=OuterRef("pk"))
        .order_by()
        .values("make_up_for")
        .annotate(q=Sum("quantity"))
        .values("q")
    )
    slips = DispatchSlip.objects.all() if slips is None else slips
    return (
        slips.filter(
            status=DispatchSlip.Status.DONE,
            good_qty__lt=F("quantity"),
            plan__status=ProductionPlan.Status.ISSUED,
        )
        .exclude(operation__in=DispatchSlip.AUXILIARY)
        .exclude(kind=DispatchSlip.Kind.REWORK)
        .annotate(
            made_up=Coalesce(Subquery(made_up), Value(0)),
            left=F("quantity")
            - F("good_qty")
            - F("shortfall_closed_qty")
            - F("made_up"),
        )
        .filter(left__gt=0)
    )


def slip_for_page(*, user, number: str) -> DispatchSlip:
    """The slip's report screen: the slip with its plan and order, its previous
    operations with who answers for them, and its newest reports."""
    slip = (
        slips_visible_to(user)
        .select_related(
            "plan__order__customer",
            "plan__order",
            "workshop",
            "started_by",
            "override_by",
            "closed_by",
            "make_up_for",
            "shortfall_closed_by",
        )
        .prefetch_related(
            Prefetch(
                "predecessors",
                queryset=DispatchSlip.objects.select_related(
                    "workshop__head", "started_by"
                ).order_by("number"),
            ),
        )
        .get(number=number)
    )
    slip.recent_reports = list(
        SlipReport.objects.filter(slip=slip)
        .select_related("reported_by", "reversal__reversed_by")
        .order_by("-reported_at", "-id")[:RECENT_REPORTS]
    )
    for report in slip.recent_reports:
        report.slip = slip  # who may take it back asks the slip's workshop
    # photos go with anomalies only: asked when there are some
    prefetch_related_objects([r for r in slip.recent_reports if r.anomaly], "photos")
    slip.recent_reversals = list(
        ReportReversal.objects.filter(report__slip=slip)
        .select_related("reversed_by", "report")
        .order_by("-reversed_at", "-id")[:RECENT_REPORTS]
    )
    slip.materials = MaterialRequirement.objects.filter(
        order_id=slip.plan.order_id
    ).first()
    slip.drawing = issued_drawing(slip.plan.order_id)
    return slip


def slip_history(slip: DispatchSlip) -> list:
    """The slip's newest reports and the reversing records among them, newest
    first: (when, report, reversal) with one of the two set."""
    rows = [(r.reported_at, r, None) for r in slip.recent_reports]
    rows += [(r.reversed_at, None, r) for r in slip.recent_reversals]
    rows.sort(key=lambda row: row[0], reverse=True)
    return rows[:RECENT_REPORTS]


def issued_drawing(order_id: int) -> Drawing | None:
    """The order's drawing a workshop works to: the newest version issued and not
    recalled (none while the drawings are recalled)."""
    return (
        Drawing.objects.filter(
            order_id=order_id, issued_at__isnull=False, recalled_at__isnull=True
        )
        .order_by("-version")
        .first()
    )


def _holders(codename: str, app_label: str = "production") -> list:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        .distinct()
        .order_by("username")
    )


def planners() -> list:
    """Who makes up a shortfall of good pieces (the planners), with their phone."""
    return _holders("manage_plans")


def materials_contact():
    """Whom a lead calls about the order's materials: purchasing's head."""
    from accounts.models import Department

    department = (
        Department.objects.filter(code=MATERIALS_COMMITTED_BY)
        .select_related("head")
        .first()
    )
    return department.head if department is not None else None


def report_photo_for(*, user, pk: int) -> ReportPhoto:
    """A photo of a report on a slip the user sees (DoesNotExist otherwise)."""
    return ReportPhoto.objects.select_related("report__slip").get(
        pk=pk, report__slip__in=slips_visible_to(user)
    )


def blockers_of(slip: DispatchSlip) -> list[DispatchSlip]:
    """The previous operations not finished yet (from the prefetched ones)."""
    return [p for p in slip.predecessors.all() if p.is_open]


def plans_visible_to(user) -> QuerySet[ProductionPlan]:
    if reads_all(user):
        return ProductionPlan.objects.all()
    return ProductionPlan.objects.none()


def plan_list(
    *, user, show: str = "open", counts: bool = True
) -> QuerySet[ProductionPlan]:
    """The plans, by planned completion; with each plan's slip counts unless
    `counts` is off (to pick a page's plans before counting only theirs)."""
    plans = plans_visible_to(user).select_related("order__customer", "created_by")
    if show == "open":
        plans = plans.exclude(status=ProductionPlan.Status.CLOSED).filter(
            order__stage=Stage.PRODUCTION
        )
    if not counts:
        return plans.order_by("planned_finish", "number")
    return plans.annotate(
        slip_count=Count("slips", distinct=True),
        open_slips=Count("slips", filter=Q(slips__status__in=OPEN_SLIP), distinct=True),
    ).order_by("planned_finish", "number")


# --- plan changes (计划更改单) -----------------------------------------------------------


def plan_changes_visible_to(user) -> QuerySet[PlanChange]:
    """Every plan change for the readers of plans and the production manager who
    approves them; none for anyone else (a salesperson opens their order's change
    from the notice, one by one)."""
    if reads_all(user) or has_role_perm(user, "production.approve_plan_changes"):
        return PlanChange.objects.all()
    return PlanChange.objects.none()


def plan_change_list(*, user, filters=None) -> tuple[QuerySet[PlanChange], object]:
    """The plan changes the user may read, filtered, those waiting first."""
    from .filters import PlanChangeFilter

    rows = plan_changes_visible_to(user).select_related(
        "plan__order__customer", "raised_by", "approved_by", "rejected_by"
    )
    filterset = PlanChangeFilter(filters or None, queryset=rows)
    waiting_first = Case(
        When(status=PlanChange.Status.RAISED, then=0),
        default=1,
        output_field=IntegerField(),
    )
    return filterset.qs.order_by(waiting_first, "-raised_at", "-id"), filterset


def plan_change_for_page(*, number: str) -> PlanChange:
    """A plan change with its plan and order, who raised, approved or rejected it
    and whom it was told to, and its lines with their slips."""
    return (
        PlanChange.objects.select_related(
            "plan__order__customer",
            "plan__order__salesperson",
            "raised_by",
            "approved_by",
            "approved_on_behalf_of",
            "rejected_by",
            "notified_to",
        )
        .prefetch_related(
            Prefetch(
                "items",
                queryset=PlanChangeItem.objects.select_related(
                    "slip__workshop"
                ).order_by("position", "id"),
            )
        )
        .get(number=number)
    )


@dataclass
class PromiseEffect:
    """What a plan change does to the order's promised date: the plan's latest
    completion (its own and its open slips') before and after the change, the
    working days the remaining stages (inspection, delivery) committed on the
    review sheet, and the delivery that leaves against the promised date."""

    finish_before: object
    finish_after: object
    remaining_days: int
    promised: object
    delivery_before: object
    delivery_after: object
    late_days: int  # working days after the promised date (0: within it)

    @property
    def moves(self) -> bool:
        return self.finish_before != self.finish_after


AFTER_PRODUCTION = ("quality", "logistics")


def promise_effect(change: PlanChange) -> PromiseEffect | None:
    """The change's effect on the promised date (a fixed number of queries)."""
    from datetime import date as _date

    from accounts.workdays import get_calendar
    from orders.models import ReviewSignoff

    plan = change.plan
    order = plan.order
    slips = {
        s.pk: s.due_date
        for s in DispatchSlip.objects.filter(plan=plan, status__in=OPEN_SLIP)
    }
    before = [plan.planned_finish, *slips.values()]
    finish_plan, after_slips = plan.planned_finish, dict(slips)
    for item in change.items.all():
        if item.field not in ("planned_finish", "due_date") or not item.new_value:
            continue
        new = _date.fromisoformat(item.new_value)
        if item.slip_id is None:
            finish_plan = new
        elif item.slip_id in after_slips:
            after_slips[item.slip_id] = new
    after = [finish_plan, *after_slips.values()]
    signed = dict(
        ReviewSignoff.objects.filter(
            review__order=order, department__code__in=AFTER_PRODUCTION
        ).values_list("department__code", "days_needed")
    )
    # as the review's conclusion counts them (orders.services.review): without a
    # logistics row, delivery takes settings.ORDER_DELIVERY_WORKING_DAYS
    remaining = (signed.get("quality") or 0) + (
        signed.get("logistics") or 0
        if "logistics" in signed
        else settings.ORDER_DELIVERY_WORKING_DAYS
    )
    calendar = get_calendar()
    finish_before, finish_after = max(before), max(after)
    try:
        delivery_before = calendar.add_working_days(finish_before, remaining)
        delivery_after = calendar.add_working_days(finish_after, remaining)
    except ValueError:
        return None
    promised = order.promised_date
    late = 0
    if promised and delivery_after > promised:
        late = calendar.working_days_between(promised, delivery_after)
    return PromiseEffect(
        finish_before,
        finish_after,
        remaining,
        promised,
        delivery_before,
        delivery_after,
        late,
    )


def open_slips_of(plan: ProductionPlan) -> list[DispatchSlip]:
    """The plan's slips a change may still alter (not finished, not closed)."""
    return list(
        DispatchSlip.objects.filter(plan=plan, status__in=OPEN_SLIP)
        .select_related("workshop")
        .order_by("number")
    )


def plan_for_page(*, number: str, queryset=None) -> ProductionPlan:
    """A plan with its order, its slips (with their previous operations) and the
    departments that signed for it."""
    queryset = queryset if queryset is not None else ProductionPlan.objects.all()
    plan = (
        queryset.select_related(
            "order__customer",
            "line",
            "created_by",
            "submitted_by",
            "reviewed_by",
            "reviewed_on_behalf_of",
            "returned_by",
            "issued_by",
            "closed_by",
        )
        .prefetch_related(
            Prefetch(
                "slips",
                queryset=DispatchSlip.objects.select_related("workshop", "started_by")
                .prefetch_related("predecessors")
                .order_by("number"),
            ),
            Prefetch(
                "receipts",
                queryset=PlanReceipt.objects.select_related(
                    "department", "received_by"
                ),
            ),
        )
        .get(number=number)
    )
    plan.production_due = production_due(plan.order)
    plan.materials = MaterialRequirement.objects.filter(order_id=plan.order_id).first()
    return plan


def plan_line_defaults(line, *, exclude=None) -> dict:
    """What a new plan for `line` is prefilled with: its model, what is left of it
    to plan (whole pieces shown without decimals) and its product's thickness."""
    if line is None:
        return {}
    plans = ProductionPlan.objects.filter(line=line).exclude(
        status=ProductionPlan.Status.CLOSED
    )
    if exclude is not None:
        plans = plans.exclude(pk=exclude.pk)
    planned = plans.aggregate(q=Sum("quantity"))["q"] or 0
    product = line.product if line.product_id else None
    from core.money import plain

    return {
        "line": line.pk,
        "model_code": line.model_code,
        "quantity": plain(max(line.quantity - planned, 0)),
        "thickness": plain(product.material_thickness)
        if product and product.material_thickness
        else "",
    }


@dataclass
class LineToPlan:
    line: object
    planned: object
    left: object


def lines_to_plan(order: Order) -> list[LineToPlan]:
    """Each line of the order with what its open plans make and what is left to
    plan (line_output's figures): the order page links a new plan for each line."""
    return [LineToPlan(r.line, r.planned, r.unplanned) for r in line_output(order)]


def materials_for_form(order: Order) -> MaterialRequirement | None:
    """The order's materials record with its lines and the product, or None."""
    return (
        MaterialRequirement.objects.filter(order=order)
        .select_related("product", "updated_by")
        .prefetch_related("lines")
        .first()
    )


def routing_list(*, query: str = "") -> QuerySet:
    """The catalogue's items with the number of steps in their routing, those with
    a routing first."""
    from orders.models import Product

    from .models import RoutingStep

    steps = (
        RoutingStep.objects.filter(routing__product=OuterRef("pk"))
        .order_by()
        .values("routing__product")
        .annotate(n=Count("pk"))
        .values("n")
    )
    products = Product.objects.annotate(
        steps=Coalesce(Subquery(steps), Value(0), output_field=IntegerField())
    )
    if query:
        products = products.filter(
            Q(model_code__icontains=query) | Q(name__icontains=query)
        )
    return products.order_by("-steps", "model_code")


def routing_for(product):
    from .models import Routing

    return (
        Routing.objects.filter(product=product)
        .select_related("updated_by")
        .prefetch_related("steps__workshop")
        .first()
    )


def production_due(order: Order):
    """The order's production due date (the stage tracker's row), or None; from
    the deadlines the order page prefetched when there are."""
    cache = getattr(order, "_prefetched_objects_cache", {})
    if "deadlines" in cache:
        return next(
            (d.due_date for d in order.deadlines.all() if d.stage == Stage.PRODUCTION),
            None,
        )
    return (
        StageDeadline.objects.filter(order=order, stage=Stage.PRODUCTION)
        .values_list("due_date", flat=True)
        .first()
    )


def finish_warning(plan: ProductionPlan, due) -> bool:
    """The plan's completion falls after the order's production due date."""
    return bool(due and plan.planned_finish and plan.planned_finish > due)


# --- the order page's section ----------------------------------------------------------


@dataclass
class WorkshopProgress:
    workshop: object
    quantity: int = 0
    good: int = 0
    scrap: int = 0
    slips: int = 0
    finished: int = 0
    late: int = 0

    @property
    def percent(self) -> int:
        return min(int(self.good * 100 / self.quantity), 100) if self.quantity else 0


@dataclass
class ProductionSection:
    plans: list = field(default_factory=list)
    slips: list = field(default_factory=list)
    workshops: list = field(default_factory=list)
    anomalies: list = field(default_factory=list)
    materials: MaterialRequirement | None = None
    changes: list = field(default_factory=list)


def order_materials(order: Order) -> MaterialRequirement | None:
    """The order's materials record with the purchasing department's id, read once
    per order object (the order page's section and its due item both ask)."""
    if not hasattr(order, "_production_materials"):
        from accounts.models import Department
        from orders.stages import MATERIALS_COMMITTED_BY

        purchasing = Department.objects.filter(code=MATERIALS_COMMITTED_BY)
        order._production_materials = (
            MaterialRequirement.objects.filter(order=order)
            .select_related("product")
            .prefetch_related("lines")
            .annotate(purchasing_id=Subquery(purchasing.values("pk")[:1]))
            .first()
        )
    return order._production_materials


def order_slips(order: Order) -> list[DispatchSlip]:
    """Every slip of the order's plans, read once per order object (the section and
    the due items both ask)."""
    if not hasattr(order, "_production_slips"):
        order._production_slips = list(
            DispatchSlip.objects.filter(plan__order=order)
            .select_related("workshop", "plan", "started_by")
            .order_by("plan_id", "number")
        )
    return order._production_slips


ORDER_PAGE_CHANGES = 10


def production_section(order: Order) -> ProductionSection:
    """Plans, slips, progress per workshop, anomalies and materials of one order: a
    fixed number of queries whatever their number (one before production)."""
    materials = order_materials(order)
    if order.stage in PLANNING_STAGES:
        return ProductionSection(materials=materials)
    plans = list(
        ProductionPlan.objects.filter(order=order)
        .select_related("created_by", "issued_by")
        .order_by("created_at", "id")
    )
    slips = order_slips(order) if plans else []
    anomalies = []
    if slips:
        anomalies = list(
            SlipReport.objects.filter(slip__plan__order=order, anomaly=True)
            .select_related("slip__workshop", "reported_by", "handled_by")
            .order_by("-reported_at", "-id")
        )
    # the plan changes (计划更改单) of its plans, the newest first
    changes = (
        list(
            PlanChange.objects.filter(plan__order=order)
            .select_related("plan", "raised_by")
            .order_by("-raised_at", "-id")[:ORDER_PAGE_CHANGES]
        )
        if plans
        else []
    )
    for change in changes:
        change.plan.order = order  # who may read it asks the order's salesperson
    workshops: dict[int, WorkshopProgress] = {}
    for slip in slips:
        if slip.plan.status == ProductionPlan.Status.CLOSED:
            continue
        row = workshops.setdefault(slip.workshop_id, WorkshopProgress(slip.workshop))
        row.slips += 1
        row.quantity += slip.quantity
        row.good += slip.good_qty
        row.scrap += slip.scrap_qty
        row.finished += slip.is_finished
        row.late += slip.is_late
    return ProductionSection(
        plans=plans,
        slips=slips,
        workshops=sorted(workshops.values(), key=lambda w: w.workshop.name),
        anomalies=anomalies,
        materials=materials,
        changes=changes,
    )


def materials_list(*, show: str = "open") -> QuerySet[MaterialRequirement]:
    rows = MaterialRequirement.objects.select_related(
        "order__customer", "updated_by", "product"
    ).prefetch_related("lines")
    if show == "open":
        rows = rows.filter(pk__in=materials_open().values("pk"))
    return rows.order_by("due_date", "order__number")


def reports_of(order) -> list:
    """The first version's completion reports (still shown on older orders)."""
    return list(
        OrderEvent.objects.filter(order=order, type=REPORTED).select_related("user")
    )


# --- the review sheet: the load the production reviewer weighs ---------------------------


def production_load(weeks: int = 4) -> dict:
    """What production owes in the coming weeks, before the production reviewer
    commits days: orders due out of production per week, and the dispatch slips
    still open per workshop and week with their pieces."""
    today = timezone.localdate()
    until = today + timedelta(weeks=weeks)
    orders = (
        StageDeadline.objects.filter(
            stage=Stage.PRODUCTION,
            completed_at__isnull=True,
            due_date__gte=today,
            due_date__lt=until,
        )
        .annotate(week=TruncWeek("due_date"))
        .values("week")
        .annotate(orders=Count("id"))
        .order_by("week")
    )
    slips = (
        DispatchSlip.objects.filter(
            status__in=OPEN_SLIP,
            due_date__lt=until,
            plan__status=ProductionPlan.Status.ISSUED,
        )
        .values("workshop__name")
        .annotate(
            slips=Count("id"),
            pieces=Sum(F("quantity") - F("good_qty")),
            late=Count("id", filter=Q(due_date__lt=today)),
        )
        .order_by("workshop__name")
    )
    return {"orders": list(orders), "workshops": list(slips)}


def plans_for_distribution(*, user) -> QuerySet[ProductionPlan]:
    """The issued plans whose copy a department on the distribution list receives."""
    return (
        ProductionPlan.objects.filter(
            status=ProductionPlan.Status.ISSUED, order__stage=Stage.PRODUCTION
        )
        .select_related("order__customer", "created_by")
        .annotate(
            slip_count=Count("slips", distinct=True),
            open_slips=Count(
                "slips", filter=Q(slips__status__in=OPEN_SLIP), distinct=True
            ),
        )
        .order_by("planned_start", "number")
    )


def distribution(plan: ProductionPlan) -> list[dict]:
    """The plan's distribution list (分发) with who signed for each copy (uses the
    prefetched receipts)."""
    from accounts.models import Department

    from .models import DISTRIBUTION

    names = dict(
        Department.objects.filter(
            code__in=[code for code, _c in DISTRIBUTION]
        ).values_list("code", "name")
    )
    receipts = {r.department.code: r for r in plan.receipts.all()}
    return [
        {"name": names.get(code, code), "copies": copies, "receipt": receipts.get(code)}
        for code, copies in DISTRIBUTION
    ]


# --- what each order line has of production ----------------------------------------


@dataclass
class LineOutput:
    """One order line as production accounts for it: ordered, planned (the plans
    not closed), produced (the good pieces of its plans' last operation, make-up
    slips included) and the shortfall the planner closed with a reason."""

    line: OrderLine
    planned: Decimal = Decimal(0)
    produced: int = 0
    closed_short: int = 0
    unfinished: list[str] = field(default_factory=list)

    @property
    def ordered(self) -> Decimal:
        return self.line.quantity

    @property
    def accounted(self) -> int:
        return self.produced + self.closed_short

    @property
    def unplanned(self) -> Decimal:
        return max(self.ordered - self.planned, Decimal(0))

    @property
    def missing(self) -> Decimal:
        return max(self.ordered - self.accounted, Decimal(0))


def output_slips(slips: list[DispatchSlip], successors: set[int]) -> list[DispatchSlip]:
    """The slips of a plan that make its last operation: those (and their make-up
    slips) no other slip of the plan waits for, auxiliary work (a mould repaired
    beside the line) and rework (pieces made already) left out. `successors`: ids
    of slips some slip waits for."""
    by_id = {slip.pk: slip for slip in slips}

    def origin(slip):
        seen = set()
        while slip.make_up_for_id and slip.make_up_for_id in by_id:
            if slip.pk in seen:
                break
            seen.add(slip.pk)
            slip = by_id[slip.make_up_for_id]
        return slip

    result = []
    for slip in slips:
        first = origin(slip)
        if (
            first.pk in successors
            or first.operation in DispatchSlip.AUXILIARY
            or slip.kind == DispatchSlip.Kind.REWORK
        ):
            continue
        result.append(slip)
    return result


def line_output(order: Order) -> list[LineOutput]:
    """Each line of the order with what production planned and produced of it
    (four queries at most whatever the number of plans and slips), read once per
    order object: the order page's sections ask it more than once."""
    cached = getattr(order, "_line_output", None)
    if cached is not None:
        return cached
    order._line_output = _line_output(order)
    return order._line_output


def _line_output(order: Order) -> list[LineOutput]:
    rows = {line.pk: LineOutput(line) for line in order.lines.order_by("position")}
    plans = list(
        ProductionPlan.objects.filter(order=order).exclude(
            status=ProductionPlan.Status.CLOSED
        )
    )
    for plan in plans:
        if plan.line_id in rows:
            rows[plan.line_id].planned += plan.quantity
    issued = {p.pk: p for p in plans if p.status == ProductionPlan.Status.ISSUED}
    if not issued:
        return list(rows.values())
    slips = list(
        DispatchSlip.objects.filter(plan_id__in=list(issued)).order_by("number")
    )
    waited_for = set(
        DispatchSlip.predecessors.through.objects.filter(
            from_dispatchslip__plan_id__in=list(issued)
        ).values_list("to_dispatchslip_id", flat=True)
    )
    by_plan: dict[int, list[DispatchSlip]] = {}
    for slip in slips:
        by_plan.setdefault(slip.plan_id, []).append(slip)
    for plan_id, plan_slips in by_plan.items():
        row = rows.get(issued[plan_id].line_id)
        if row is None:
            continue
        for slip in output_slips(plan_slips, waited_for):
            row.produced += slip.good_qty
            row.closed_short += slip.shortfall_closed_qty
            if slip.is_open:
                row.unfinished.append(slip.number)
    return list(rows.values())


# --- the printed forms ---------------------------------------------------------------


def slips_for_print(*, user, plan=None, number: str | None = None) -> list:
    """Dispatch slips as their printed 派工单 show them — one by its number, or the
    open ones of a plan — limited to what the user sees: with the order and its
    customer, the workshop, the previous operations and the order's drawing in
    force (the latest issued version). Three queries whatever the count."""
    slips = slips_visible_to(user)
    if number is not None:
        slips = slips.filter(number=number)
    if plan is not None:
        slips = slips.filter(plan=plan).exclude(status=DispatchSlip.Status.CLOSED)
    slips = list(
        slips.select_related("plan__order__customer", "workshop", "started_by")
        .prefetch_related(
            Prefetch(
                "predecessors",
                queryset=DispatchSlip.objects.select_related("workshop").order_by(
                    "number"
                ),
            )
        )
        .order_by("number")
    )
    drawings: dict[int, Drawing] = {}
    for drawing in Drawing.objects.filter(
        order_id__in={slip.plan.order_id for slip in slips}, issued_at__isnull=False
    ).order_by("order_id", "-version"):
        drawings.setdefault(drawing.order_id, drawing)
    for slip in slips:
        slip.drawing = drawings.get(slip.plan.order_id)
    return slips


def key_requirements(order) -> list[KeyRequirement]:
    """The drawings' key quality and process requirements of the order (关键质量/工艺
    要求), by kind and in the order the technical department numbered them."""
    return list(
        KeyRequirement.objects.filter(order=order).order_by("kind", "position", "id")
    )
