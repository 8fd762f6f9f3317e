"""The shop floor's records (生产): the order's materials readiness (备料), its
production plans (生产计划单, GS/G-SC-03), the dispatch slips that move work between
workshops (派工单) and the progress reported on them.

Rules live in production.services; the database holds what it can (non-negative
quantities, one report per token, one number per plan and slip)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import StoredFile
from core.stamps import Stamp, stamp, stamp_fields

USER = settings.AUTH_USER_MODEL

# The plan's paper copies (分发): 质检 2 份, 技术 1 份, 下料 1 份, 维修 1 份, 生产线统计 1 份.
# Department codes (accounts.departments) and how many copies each is given.
DISTRIBUTION: tuple[tuple[str, int], ...] = (
    ("quality", 2),
    ("technical", 1),
    ("cutting", 1),
    ("maintenance", 1),
    ("line", 1),
)
DISTRIBUTED_TO = tuple(code for code, _copies in DISTRIBUTION)


class WorkshopCapacity(models.Model):
    """车间产能: how much a workshop or line makes in one working day, in its own
    unit (pieces for the cutting shop and the lines, jobs for maintenance). The plan
    board, the shop-floor screen and the contract review sheet weigh the planned
    load of each working day against it (production.load). Kept by the admin; a
    workshop without one shows its load with nothing to weigh it against."""

    class Unit(models.TextChoices):
        PIECES = "pcs", pgettext_lazy("capacity unit", "pieces")
        JOBS = "jobs", pgettext_lazy("capacity unit", "jobs")
        KG = "kg", pgettext_lazy("capacity unit", "kg")

    department = models.OneToOneField(
        "accounts.Department",
        verbose_name=_("workshop / line"),
        on_delete=models.CASCADE,
        related_name="capacity",
        limit_choices_to={"kind": "workshop"},
    )
    daily_capacity = models.PositiveIntegerField(
        _("daily capacity"), validators=[MinValueValidator(1)]
    )
    unit = models.CharField(
        _("unit"), max_length=8, choices=Unit.choices, default=Unit.PIECES
    )

    class Meta:
        verbose_name = _("workshop capacity (车间产能)")
        verbose_name_plural = _("workshop capacities")
        ordering = ["department__sort_order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_capacity__gt=0),
                name="capacity_positive",
            ),
        ]

    def __str__(self):
        return f"{self.department} {self.daily_capacity} {self.get_unit_display()}"


class MaterialRequirement(models.Model):
    """备料: what the order's production needs from purchasing and how far it is.
    One per order, opened when the contract review concludes (with the date purchasing
    committed on the review sheet) or when purchasing first records it. What is
    needed are its lines (MaterialLine); its status follows from them: ordered once
    a line is on a purchase order, partly arrived once something came, ready for
    production when every line has arrived."""

    class Status(models.TextChoices):
        NEEDED = "needed", _("needed")
        ORDERED = "ordered", _("ordered")
        ARRIVED = "arrived", _("partly arrived")
        READY = "ready", _("ready for production")

    order = models.OneToOneField(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="materials",
    )
    product = models.ForeignKey(
        "orders.Product",
        verbose_name=_("catalogue item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("materials status"),
        max_length=16,
        choices=Status.choices,
        default=Status.NEEDED,
    )
    due_date = models.DateField(_("materials due"), null=True, blank=True)
    expected_date = models.DateField(_("expected arrival"), null=True, blank=True)
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("materials readiness (备料)")
        verbose_name_plural = _("materials readiness (备料)")
        ordering = ["due_date", "id"]
        permissions = [
            ("manage_materials", _("Can record materials readiness")),
        ]
        indexes = [
            # what purchasing still waits for, by due date: the few among every
            # order's materials
            models.Index(
                fields=["due_date", "id"],
                condition=~models.Q(status="ready"),
                name="materials_not_ready",
            ),
        ]

    def __str__(self):
        return f"{self.order_id} {self.status}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_late(self) -> bool:
        """Not ready, and past its due date or expected after it."""
        if self.is_ready or self.due_date is None:
            return False
        if timezone.localdate() > self.due_date:
            return True
        return self.expected_date is not None and self.expected_date > self.due_date

    @property
    def item_lines(self) -> list[str]:
        """Each line in words ("Q235 热轧钢板 6.0mm 8 吨"), from the lines read with
        it (prefetch them)."""
        return [line.summary for line in self.lines.all()]


class MaterialLine(models.Model):
    """One material of the order's 备料: what (material, specification), how much
    in what unit, from which supplier on which purchase order, how much is expected
    from it by when, and how much has arrived — the sum of its arrivals."""

    requirement = models.ForeignKey(
        MaterialRequirement,
        verbose_name=_("materials readiness"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    position = models.PositiveSmallIntegerField(_("line"), default=1)
    material = models.CharField(_("material"), max_length=200)
    spec = models.CharField(_("specification"), max_length=100, blank=True)
    # empty only on lines carried over from the free text of earlier versions
    quantity = models.DecimalField(
        _("quantity needed"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    supplier = models.CharField(_("supplier"), max_length=128, blank=True)
    po_number = models.CharField(_("purchase order No."), max_length=64, blank=True)
    expected_quantity = models.DecimalField(
        _("quantity expected"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    expected_date = models.DateField(_("expected arrival"), null=True, blank=True)
    arrived_quantity = models.DecimalField(
        _("quantity arrived"), max_digits=12, decimal_places=3, default=0
    )
    # when the whole line had arrived
    arrived_at = models.DateTimeField(_("arrived in full at"), null=True, blank=True)

    class Meta:
        verbose_name = _("materials line")
        verbose_name_plural = _("materials lines")
        ordering = ["requirement", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gt=0),
                name="material_line_quantity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(arrived_quantity__gte=0)
                & (
                    models.Q(expected_quantity__isnull=True)
                    | models.Q(expected_quantity__gte=0)
                ),
                name="material_line_quantities_not_negative",
            ),
        ]

    def __str__(self):
        return self.summary

    @property
    def summary(self) -> str:
        from core.money import plain

        parts = [self.material, self.spec]
        if self.quantity is not None:
            parts.append(f"{plain(self.quantity)}{self.unit}")
        return " ".join(p for p in parts if p)

    @property
    def has_arrived(self) -> bool:
        return self.arrived_at is not None

    @property
    def waiting_for(self):
        """How much is still to come (None when the line has no quantity)."""
        if self.quantity is None:
            return None
        return max(self.quantity - self.arrived_quantity, 0)


class MaterialArrival(models.Model):
    """到货: a delivery of one materials line, recorded as it comes (partial
    arrivals add up on the line)."""

    line = models.ForeignKey(
        MaterialLine,
        verbose_name=_("materials line"),
        on_delete=models.PROTECT,
        related_name="arrivals",
    )
    quantity = models.DecimalField(
        _("quantity arrived"), max_digits=12, decimal_places=3
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("materials arrival")
        verbose_name_plural = _("materials arrivals")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="material_arrival_positive"
            ),
        ]

    def __str__(self):
        return f"{self.line_id} +{self.quantity}"


class ProductionPlan(models.Model):
    """生产计划单 (GS/G-SC-03): one order line made as one batch, issued to the
    departments on the distribution list. The planner prepares it (编制) as a draft
    with its slips and submits it; another person — whoever holds
    production.review_plans, the production manager — reviews it (审核) and it is
    issued then, or sends it back with the reason. Only the planner edits, deletes
    (a draft) or closes a plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan", "draft")
        SUBMITTED = "submitted", pgettext_lazy("plan", "awaiting review")
        ISSUED = "issued", pgettext_lazy("plan", "issued")
        CLOSED = "closed", pgettext_lazy("plan", "closed")

    # Tag colours for the UI: grey draft, orange awaiting review, blue issued.
    COLOURS = {Status.SUBMITTED: "orange", Status.ISSUED: "blue"}

    number = models.CharField(_("plan number"), max_length=32, unique=True)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="production_plans",
    )
    line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    batch_number = models.CharField(_("batch number"), max_length=32)
    model_code = models.CharField(_("model"), max_length=64)
    maker = models.CharField(_("maker (customer)"), max_length=128)
    thickness = models.DecimalField(
        _("material thickness (mm)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned completion"))
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("plan status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    # 编制: who submitted the plan for review (the planner who prepared it).
    submitted_by = models.ForeignKey(
        USER,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # 审核: who reviewed it — never who prepared it; the plan is issued then.
    reviewed_by, reviewed_on_behalf_of, reviewed_at = stamp_fields(
        _("reviewed by"), _("reviewed at")
    )
    # The last time a reviewer sent it back to the planner, and why.
    returned_by = models.ForeignKey(
        USER,
        verbose_name=_("sent back by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("sent back at"), null=True, blank=True)
    returned_reason = models.TextField(_("why it was sent back"), blank=True)
    issued_by = models.ForeignKey(
        USER,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.TextField(_("why it was closed"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("production plan (生产计划单)")
        verbose_name_plural = _("production plans")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="plan_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_finish__gte=models.F("planned_start")),
                name="plan_finish_not_before_start",
            ),
        ]
        permissions = [
            (
                "manage_plans",
                _("Can make, submit and close production plans and slips"),
            ),
            ("review_plans", _("Can review and issue production plans (审核)")),
            ("view_plans", _("Can see every production plan and slip")),
            ("receive_plan", _("Can sign for a distributed production plan")),
            ("handle_anomalies", _("Can handle anomalies reported on slips")),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("production:plan", kwargs={"number": self.number})

    @property
    def status_colour(self) -> str:
        return self.COLOURS.get(self.status, "grey")

    @property
    def prepared_stamp(self) -> Stamp:
        """编制: who submitted it for review (who made it, before it was)."""
        if self.submitted_by_id:
            return Stamp(self.submitted_by, self.submitted_at)
        return Stamp(self.created_by, self.created_at)

    @property
    def review_stamp(self) -> Stamp:
        """审核: who reviewed and issued it."""
        return stamp(self, "reviewed_")

    def prepared_by_ids(self) -> set[int]:
        """Who prepared it: the reviewer must be someone else."""
        return {pk for pk in (self.created_by_id, self.submitted_by_id) if pk}


class PlanReceipt(models.Model):
    """分发签收: a department on the plan's distribution list signed for its copy."""

    plan = models.ForeignKey(
        ProductionPlan,
        verbose_name=_("production plan"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.ForeignKey(
        USER, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan receipt")
        verbose_name_plural = _("plan receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "department"], name="plan_receipt_once"
            ),
        ]

    def __str__(self):
        return f"{self.plan_id} {self.department_id}"


class DispatchSlip(models.Model):
    """派工单: one operation of a plan given to one workshop or line — how many, by
    when, after which slips — with the drawings' key requirements carried over. Its
    QR code opens it on the workshop lead's phone."""

    # Operations that serve the work without making the product (a mould repaired
    # beside the line): their slips count for nothing the order ordered.
    AUXILIARY = frozenset({"mould_repair"})

    class Operation(models.TextChoices):
        CUTTING = "cutting", _("cutting (下料)")
        STAMPING = "stamping", _("stamping (冲压)")
        FORMING = "forming", _("forming (成型)")
        WELDING = "welding", _("welding (焊接)")
        MACHINING = "machining", _("machining (机加工)")
        SURFACE = "surface", _("surface treatment (表面处理)")
        ASSEMBLY = "assembly", _("assembly (装配)")
        MOULD_REPAIR = "mould_repair", _("mould repair (模具维修)")
        OTHER = "other", _("other operation")

    class Kind(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("slip kind", "planned")
        MAKE_UP = "make_up", pgettext_lazy("slip kind", "make-up (补派)")
        REWORK = "rework", pgettext_lazy("slip kind", "rework (返工)")

    class Status(models.TextChoices):
        WAITING = "waiting", _("not started")
        STARTED = "started", _("in progress")
        DONE = "done", _("finished")
        CLOSED = "closed", _("closed by the planner")

    number = models.CharField(_("slip number"), max_length=32, unique=True)
    plan = models.ForeignKey(
        ProductionPlan,
        verbose_name=_("production plan"),
        on_delete=models.PROTECT,
        related_name="slips",
    )
    workshop = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("workshop / line"),
        on_delete=models.PROTECT,
        related_name="dispatch_slips",
    )
    operation = models.CharField(
        _("operation"), max_length=16, choices=Operation.choices
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1)]
    )
    start_date = models.DateField(_("start by"), null=True, blank=True)
    due_date = models.DateField(_("finish by"))
    # The date first committed when the slip was made: a plan change (GS/G-SC-04)
    # moves due_date, never this one, so how late the workshop is stays on record.
    committed_due_date = models.DateField(
        _("finish by (first committed)"), null=True, blank=True
    )
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("previous operations"),
        symmetrical=False,
        blank=True,
        related_name="successors",
    )
    requirements = models.TextField(
        _("key quality and process requirements"), blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("slip status"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    good_qty = models.PositiveIntegerField(_("good quantity"), default=0)
    scrap_qty = models.PositiveIntegerField(_("scrapped quantity"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    started_by = models.ForeignKey(
        USER,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_reason = models.TextField(_("why it was closed"), blank=True)
    # Planned with the plan; a make-up for pieces a slip came short of; rework of
    # pieces QC sent back — the last two also after the order left production.
    kind = models.CharField(
        _("slip kind"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.PLANNED,
        db_default=Kind.PLANNED,
    )
    # A slip finished with fewer good pieces than its quantity is short: the planner
    # makes the rest up on make-up slips (补派, pointing here) or closes what is left
    # short with the reason — how many, by whom, when, why.
    make_up_for = models.ForeignKey(
        "self",
        verbose_name=_("makes up for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="make_ups",
    )
    shortfall_closed_qty = models.PositiveIntegerField(
        _("shortfall closed"), default=0, db_default=0
    )
    shortfall_closed_by = models.ForeignKey(
        USER,
        verbose_name=_("shortfall closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    shortfall_closed_at = models.DateTimeField(
        _("shortfall closed at"), null=True, blank=True
    )
    shortfall_reason = models.TextField(
        _("why the shortfall was closed"), blank=True, db_default=""
    )
    override_reason = models.TextField(_("why it may start early"), blank=True)
    override_by = models.ForeignKey(
        USER,
        verbose_name=_("early start allowed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    override_at = models.DateTimeField(
        _("early start allowed at"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("made by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("dispatch slip (派工单)")
        verbose_name_plural = _("dispatch slips")
        ordering = ["due_date", "number"]
        indexes = [
            models.Index(fields=["workshop", "status", "due_date"]),
            # a workshop's finished slips, newest first, page after page
            models.Index(
                fields=["workshop", "due_date", "number"], name="slip_workshop_due"
            ),
            # the open slips — the few the board, the screens and the load read,
            # among every slip of ten years
            models.Index(
                fields=["workshop", "due_date", "number"],
                condition=models.Q(status__in=["waiting", "started"]),
                name="slip_open_due",
            ),
            # the slips that finished short — the few the planner's shortfall
            # queue reads among every finished slip
            models.Index(
                fields=["done_at", "number"],
                condition=models.Q(status="done", good_qty__lt=models.F("quantity")),
                name="slip_short",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="slip_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(good_qty__gte=0, scrap_qty__gte=0),
                name="slip_quantities_not_negative",
            ),
        ]
        permissions = [
            ("report_slips", _("Can start and report on the own workshop's slips")),
            ("add_rework_slips", _("Can have pieces reworked on a rework slip (返工)")),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("production:slip", kwargs={"number": self.number})

    @property
    def is_finished(self) -> bool:
        """Done, or closed by the planner: what successors and the order wait for."""
        return self.status in (self.Status.DONE, self.Status.CLOSED)

    @property
    def is_open(self) -> bool:
        return not self.is_finished

    @property
    def remaining(self) -> int:
        """What is left to report: the quantity less the good and the scrapped
        pieces (「全部完成」 offers it as good pieces)."""
        return max(self.quantity - self.good_qty - self.scrap_qty, 0)

    @property
    def reaches_quantity(self) -> bool:
        """Enough is reported to finish the slip: good + scrapped pieces reach its
        quantity (good pieces reaching it alone, with scrap within the allowance,
        are a case of it)."""
        return self.good_qty + self.scrap_qty >= self.quantity

    @property
    def percent(self) -> int:
        return (
            min(int(self.good_qty * 100 / self.quantity), 100) if self.quantity else 0
        )

    @property
    def works_after_production(self) -> bool:
        """A make-up or rework slip: started and reported on after the order left
        production too; finishing it never moves the order again."""
        return self.kind != self.Kind.PLANNED

    @property
    def shortfall(self) -> int:
        """Good pieces a finished slip is short of its quantity (0 while open)."""
        if not self.is_finished:
            return 0
        return max(self.quantity - self.good_qty, 0)

    @property
    def committed_due(self):
        """The date first committed (slips made before it was kept: their date)."""
        return self.committed_due_date or self.due_date

    @property
    def date_moved(self) -> bool:
        """A plan change moved the slip's date away from the one first committed."""
        return self.committed_due != self.due_date

    @property
    def late_from(self):
        """The date the slip is late after: the one first committed, or an earlier
        one a plan change asked for (a later one never excuses it)."""
        return min(self.committed_due, self.due_date)

    @property
    def days_late(self) -> int:
        """Calendar days past `late_from`: until today while the slip is open,
        until it finished once it is."""
        end = timezone.localdate()
        if self.is_finished:
            if self.done_at is None:
                return 0
            end = timezone.localdate(self.done_at)
        return max((end - self.late_from).days, 0)

    @property
    def is_late(self) -> bool:
        """Open past its date: a later date agreed through a plan change does not
        erase the lateness against the one first committed."""
        return self.is_open and self.late_from < timezone.localdate()


def late_on(today, prefix: str = "") -> models.Q:
    """The slips late on `today` (DispatchSlip.is_late in a query): past their date
    or the one first committed — a plan change to a later date does not excuse
    them. `prefix` reaches the slip from another model ("dispatch_slips__")."""
    return models.Q(**{f"{prefix}due_date__lt": today}) | models.Q(
        **{f"{prefix}committed_due_date__lt": today}
    )


class SlipReport(models.Model):
    """报工: one report of progress on a slip — good and scrapped pieces and, when
    something is wrong, an anomaly (异常) with its cause. Reports add up; the token
    the report screen carries makes a double tap count once."""

    class Cause(models.TextChoices):
        # GS/G-SC-02's cause codes.
        MATERIAL = "material", _("materials not arrived (材料未到)")
        EQUIPMENT = "equipment", _("equipment failure (设备故障)")
        STAFF = "staff", _("not enough staff (人员不足)")
        DESIGN = "design", _("design or drawing change (设计/图纸变更)")
        CUSTOMER = "customer", _("customer change (客户变更)")
        QUALITY = "quality", _("quality problem (质量问题)")
        UPSTREAM = "upstream", _("previous operation late (上工序延误)")
        OTHER = "other", _("other cause (其他)")

    slip = models.ForeignKey(
        DispatchSlip,
        verbose_name=_("dispatch slip"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    token = models.UUIDField(_("report token"), unique=True)
    good = models.PositiveIntegerField(_("good"), default=0)
    scrap = models.PositiveIntegerField(_("scrapped"), default=0)
    anomaly = models.BooleanField(_("anomaly"), default=False)
    cause = models.CharField(
        _("anomaly cause"), max_length=16, choices=Cause.choices, blank=True
    )
    note = models.CharField(_("anomaly note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        USER, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    handled_by = models.ForeignKey(
        USER,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_note = models.CharField(_("how it was handled"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("progress report (报工)")
        verbose_name_plural = _("progress reports")
        ordering = ["reported_at", "id"]
        indexes = [
            # the open anomalies, oldest first: the few among every report
            models.Index(
                fields=["reported_at"],
                condition=models.Q(anomaly=True, handled_at__isnull=True),
                name="report_open_anomaly",
            ),
            # the day's reports (the wall screen's good pieces today)
            models.Index(fields=["reported_at"], name="report_reported_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(good__gte=0, scrap__gte=0),
                name="report_quantities_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(anomaly=True, cause=""),
                name="report_anomaly_has_cause",
            ),
        ]

    def __str__(self):
        return f"{self.slip_id}: +{self.good}/{self.scrap}"


class ReportReversal(models.Model):
    """报工撤回: a report taken back, as a record of its own — the report stays as it
    was, this one says it no longer counts and why, and the slip's totals drop by
    its pieces. Its lead may take a report back for a while after making it
    (PRODUCTION_REPORT_CORRECTION_MINUTES), the planner at any time; a report is
    taken back once."""

    class Why(models.TextChoices):
        WRONG_COUNT = "wrong_count", _("wrong number (数量报错)")
        WRONG_SLIP = "wrong_slip", _("reported on the wrong slip (报错派工单)")
        TWICE = "twice", _("reported twice (重复报工)")
        OTHER = "other", _("other reason (其他)")

    report = models.OneToOneField(
        SlipReport,
        verbose_name=_("report taken back"),
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    why = models.CharField(
        _("why it is taken back"), max_length=16, choices=Why.choices
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The pieces it takes off the slip (the report's, kept here as they were taken).
    good = models.PositiveIntegerField(_("good"), default=0)
    scrap = models.PositiveIntegerField(_("scrapped"), default=0)
    reversed_by = models.ForeignKey(
        USER,
        verbose_name=_("taken back by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reversed_at = models.DateTimeField(_("taken back at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report taken back (报工撤回)")
        verbose_name_plural = _("reports taken back")
        ordering = ["reversed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(good__gte=0, scrap__gte=0),
                name="reversal_quantities_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.report_id}: -{self.good}/{self.scrap}"


def report_photo_path(instance, filename):
    return f"reports/{instance.report.slip_id}/{filename}"


class ReportPhoto(StoredFile):
    """A photo taken on the phone with an anomaly (异常照片): checked as an image,
    size-limited, a few per report, seen by who may see the slip. The thumbnail is
    made from it on upload (re-encoded: no camera metadata travels with it)."""

    report = models.ForeignKey(
        SlipReport,
        verbose_name=_("progress report"),
        on_delete=models.PROTECT,
        related_name="photos",
    )
    file = models.FileField(_("file"), upload_to=report_photo_path, max_length=255)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=report_photo_path, max_length=255
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("anomaly photo")
        verbose_name_plural = _("anomaly photos")
        ordering = ["report", "position", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("production:report_photo", kwargs={"pk": self.pk})


class PlanChange(models.Model):
    """计划更改单 (GS/G-SC-04): the only way a plan or its slips change once made.
    The planner raises it (提出人) with the reason and the old → new values of the
    plan and the slips it affects; the production manager approves it (生产部批准)
    and it applies at once, or rejects it with the reason. Applying tells the
    order's salesperson (通知业务部) and keeps when."""

    class Status(models.TextChoices):
        RAISED = "raised", pgettext_lazy("plan change", "awaiting approval")
        APPLIED = "applied", pgettext_lazy("plan change", "approved and applied")
        REJECTED = "rejected", pgettext_lazy("plan change", "rejected")

    # Tag colours for the UI: orange waiting, green applied, grey rejected.
    COLOURS = {Status.RAISED: "orange", Status.APPLIED: "green"}

    number = models.CharField(_("change number"), max_length=32, unique=True)
    plan = models.ForeignKey(
        ProductionPlan,
        verbose_name=_("production plan"),
        on_delete=models.PROTECT,
        related_name="changes",
    )
    reason = models.TextField(_("why the plan changes"))
    status = models.CharField(
        _("change status"),
        max_length=16,
        choices=Status.choices,
        default=Status.RAISED,
    )
    raised_by = models.ForeignKey(
        USER, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    approved_by, approved_on_behalf_of, approved_at = stamp_fields(
        _("approved by production"), _("approved at")
    )
    rejected_by = models.ForeignKey(
        USER,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejected_reason = models.TextField(_("why it was rejected"), blank=True)
    notified_to = models.ForeignKey(
        USER,
        verbose_name=_("sales notified"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("sales notified at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("plan change (计划更改单)")
        verbose_name_plural = _("plan changes")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["status", "raised_at"])]
        permissions = [
            ("approve_plan_changes", _("Can approve plan changes (生产部批准)")),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("production:plan_change", kwargs={"number": self.number})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.RAISED

    @property
    def status_colour(self) -> str:
        return self.COLOURS.get(self.status, "grey")

    @property
    def approval_stamp(self) -> Stamp:
        return stamp(self, "approved_")


class PlanChangeItem(models.Model):
    """One line of 更改内容: a field of the plan (slip empty) or of one of its slips,
    its value before and the value asked for, kept as text in the stored form
    (ISO dates, plain quantities, operation codes)."""

    class Field(models.TextChoices):
        QUANTITY = "quantity", pgettext_lazy("plan change field", "quantity")
        MODEL = "model_code", pgettext_lazy("plan change field", "model")
        PLANNED_START = "planned_start", pgettext_lazy("plan change field", "start")
        PLANNED_FINISH = (
            "planned_finish",
            pgettext_lazy("plan change field", "completion"),
        )
        OPERATION = "operation", pgettext_lazy("plan change field", "operation")
        START_DATE = "start_date", pgettext_lazy("plan change field", "start by")
        DUE_DATE = "due_date", pgettext_lazy("plan change field", "finish by")

    change = models.ForeignKey(
        PlanChange,
        verbose_name=_("plan change"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    slip = models.ForeignKey(
        DispatchSlip,
        verbose_name=_("dispatch slip"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_items",
    )
    field = models.CharField(_("what changes"), max_length=16, choices=Field.choices)
    old_value = models.CharField(_("before"), max_length=64, blank=True)
    new_value = models.CharField(_("after"), max_length=64, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("plan change line")
        verbose_name_plural = _("plan change lines")
        ordering = ["change", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "slip", "field"], name="plan_change_item_once"
            ),
        ]

    def __str__(self):
        return f"{self.change_id} {self.field}: {self.old_value} → {self.new_value}"

    @staticmethod
    def input_name(slip_id: int | None, field: str) -> str:
        """The change form's input for a field of the plan or of one of its slips
        (the service names its refusals by it)."""
        return f"plan_{field}" if slip_id is None else f"slip_{slip_id}_{field}"

    def _shown(self, value: str):
        if self.field == self.Field.OPERATION:
            return dict(DispatchSlip.Operation.choices).get(value, value)
        return value or "-"

    @property
    def old_shown(self):
        return self._shown(self.old_value)

    @property
    def new_shown(self):
        return self._shown(self.new_value)


class ScreenLink(models.Model):
    """车间看板链接: the address a workshop's wall TV opens its screen from, with no
    one signed in (a session would expire on the wall). The address carries a
    random token; only its SHA-256 is kept, so the database (a backup, the admin)
    cannot give an address away. A leaked address shows that one workshop's slips
    (customers included, no prices) to whoever has it, until it is revoked: then
    the next poll of every TV that uses it shows a plain page, and the address
    never works again. The planner or the system administrator makes and revokes
    them; each TV may have its own."""

    workshop = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("workshop / line"),
        on_delete=models.PROTECT,
        related_name="screen_links",
        limit_choices_to={"kind": "workshop"},
    )
    label = models.CharField(_("where the screen hangs"), max_length=64, blank=True)
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("made by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last opened at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("why it was revoked"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("wall screen link (车间看板链接)")
        verbose_name_plural = _("wall screen links")
        ordering = ["workshop", "-created_at", "-id"]
        permissions = [
            (
                "manage_screen_links",
                _("Can make and revoke the workshops' wall screen links"),
            ),
        ]

    def __str__(self):
        return f"{self.workshop} {self.label}".strip()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_token(token: str) -> str:
        """What is kept of a link's token: its SHA-256, hex (the token is random and
        long, so a plain hash is enough; no salt needed to stop a dictionary)."""
        return hashlib.sha256(token.encode()).hexdigest()


class Routing(models.Model):
    """工艺路线: a catalogue item's operations in order — each with its workshop,
    its usual working days and whether QC checks it. The planner makes a draft
    plan's slips from it in one step (production.services.routings), then adjusts
    them. Kept by the planner (and in the admin)."""

    product = models.OneToOneField(
        "orders.Product",
        verbose_name=_("catalogue item"),
        on_delete=models.PROTECT,
        related_name="routing",
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(
        USER,
        verbose_name=_("kept by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("routing (工艺路线)")
        verbose_name_plural = _("routings (工艺路线)")
        ordering = ["product__model_code"]
        permissions = [
            ("manage_routings", _("Can keep the routings (工艺路线)")),
        ]

    def __str__(self):
        return str(self.product)

    def get_absolute_url(self):
        return reverse(
            "production:routing", kwargs={"model_code": self.product.model_code}
        )


class RoutingStep(models.Model):
    """One operation of a routing, in its place: the workshop or line that does
    it, the working days it usually takes, and QC's checks on it (过程检验 a
    process check, 首件检验 a first-article check)."""

    routing = models.ForeignKey(
        Routing,
        verbose_name=_("routing"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    position = models.PositiveSmallIntegerField(_("step"))
    operation = models.CharField(
        _("operation"), max_length=16, choices=DispatchSlip.Operation.choices
    )
    workshop = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("workshop / line"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "workshop"},
    )
    days = models.PositiveSmallIntegerField(
        _("usual working days"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    process_check = models.BooleanField(_("process check (过程检验)"), default=False)
    first_article_check = models.BooleanField(
        _("first-article check (首件检验)"), default=False
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("routing step")
        verbose_name_plural = _("routing steps")
        ordering = ["routing", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["routing", "position"], name="routing_step_position_once"
            ),
            models.CheckConstraint(
                condition=models.Q(days__gte=1), name="routing_step_days_positive"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.get_operation_display()}"

    @property
    def checks(self) -> list:
        """QC's checks on the step, in words."""
        return [
            label
            for on, label in (
                (self.first_article_check, _("first-article check (首件检验)")),
                (self.process_check, _("process check (过程检验)")),
            )
            if on
        ]
