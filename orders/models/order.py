from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from orders import stage_guard
from orders.stage_guard import STAGE_FIELDS
from orders.stages import OPEN, Stage

from .files import StoredFile

MONEY = {"max_digits": 14, "decimal_places": 2}


class OrderQuerySet(models.QuerySet):
    """Bulk writes that would change a stage are refused outside the gate."""

    def update(self, **kwargs):
        if STAGE_FIELDS & set(kwargs):
            stage_guard.check("QuerySet.update() of an order's stage")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if STAGE_FIELDS & set(fields):
            stage_guard.check("bulk_update() of an order's stage")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if any(o.stage != Stage.DRAFT or o.held_stage for o in objs):
            stage_guard.check("bulk_create() of orders past the draft")
        return super().bulk_create(objs, *args, **kwargs)


class Order(models.Model):
    """订单. Its stage moves only through orders.workflow.order_move (one gate); every
    edit bumps `version` so a form saved by someone else in between is refused."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("phone")
        FAX = "fax", _("fax")
        EMAIL = "email", _("e-mail")
        WEB = "web", _("website / app")
        WALK_IN = "walk_in", _("walk-in")
        DISTRIBUTOR = "distributor", _("distributor / POS")

    # The order's header as the sales clerk fills it in (the form, the copy, the
    # change request and the services take these).
    HEADER_FIELDS = (
        "customer",
        "channel",
        "customer_po",
        "requested_date",
        "deposit_percent",
        "pay_before_shipment",
        "monthly_settlement_days",
        "retention_percent",
        "quality_requirements",
        "special_requirements",
        "is_important",
        "notes",
    )

    class Credit(models.TextChoices):
        WITHIN = "within", _("within credit limit")
        PENDING = "pending", _("over credit limit: awaiting finance")
        APPROVED = "approved", _("over credit limit: finance approved")

    number = models.CharField(_("order number"), max_length=32, unique=True)
    customer = models.ForeignKey(
        "orders.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("salesperson"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    sales_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("sales department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    customer_po = models.CharField(_("customer PO number"), max_length=64, blank=True)
    order_date = models.DateField(_("order date"))
    requested_date = models.DateField(_("requested delivery date"))
    promised_date = models.DateField(_("promised delivery date"), null=True, blank=True)

    deposit_percent = models.DecimalField(
        _("deposit %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    pay_before_shipment = models.BooleanField(
        _("payment before shipment"), default=False
    )
    monthly_settlement_days = models.PositiveSmallIntegerField(
        _("monthly settlement (days)"), null=True, blank=True
    )
    retention_percent = models.DecimalField(
        _("retention %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    quality_requirements = models.TextField(_("quality requirements"), blank=True)
    special_requirements = models.TextField(_("special requirements"), blank=True)
    is_important = models.BooleanField(_("important order"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.DRAFT
    )
    held_stage = models.CharField(
        _("stage before hold"), max_length=16, choices=Stage.choices, blank=True
    )
    stage_entered_at = models.DateTimeField(
        _("stage entered at"), null=True, blank=True
    )
    due_date = models.DateField(_("current stage due"), null=True, blank=True)
    returned_reason = models.TextField(_("sent back because"), blank=True)
    credit = models.CharField(
        _("credit"), max_length=16, choices=Credit.choices, default=Credit.WITHIN
    )

    net_amount = models.DecimalField(_("amount excl. tax"), default=0, **MONEY)
    tax_amount = models.DecimalField(_("tax"), default=0, **MONEY)
    gross_amount = models.DecimalField(_("amount incl. tax"), default=0, **MONEY)

    cancel_reason = models.TextField(_("cancellation reason"), blank=True)
    loss_measures = models.TextField(_("measures to limit the loss"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["stage", "due_date"]),
            models.Index(fields=["salesperson", "stage"]),
            models.Index(fields=["order_date"]),
            # The list's ordering, alone and under its usual narrowing (who sees
            # it, the customer, the stage): a page is a walk down one index.
            models.Index(fields=["-created_at", "-id"], name="order_newest"),
            models.Index(
                fields=["salesperson", "-created_at", "-id"],
                name="order_newest_by_salesperson",
            ),
            models.Index(
                fields=["customer", "-created_at", "-id"],
                name="order_newest_by_customer",
            ),
            models.Index(
                fields=["stage", "-created_at", "-id"], name="order_newest_by_stage"
            ),
            # The finance queue: the few orders over their credit limit.
            models.Index(
                fields=["credit"],
                condition=~models.Q(credit="within"),
                name="order_credit_flagged",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gross_amount__gte=0), name="order_gross_not_negative"
            ),
            # The customer's PO number names one order of that customer: the key an
            # import (and any intake) recognises an order by.
            models.UniqueConstraint(
                fields=["customer", "customer_po"],
                condition=~models.Q(customer_po=""),
                name="order_customer_po_unique",
                violation_error_message=_(
                    "This customer already has an order with this PO number."
                ),
            ),
        ]
        permissions = [
            ("view_all_orders", _("Can see every order")),
            ("enter_order", _("Can enter and edit own draft orders")),
            ("submit_order", _("Can submit an order for review")),
            ("approve_credit", _("Can approve an order over the credit limit")),
            ("conclude_review", _("Can organise and conclude the contract review")),
            ("sign_review", _("Can sign a department's row of the review sheet")),
            ("approve_order", _("Can approve important orders (GM)")),
            ("manage_quote", _("Can prepare quotes")),
            ("accept_quote", _("Can record the customer's acceptance of a quote")),
            ("delegate_approval", _("Can name a stand-in for approvals")),
            ("manage_contract", _("Can record contracts")),
            ("issue_drawings", _("Can issue drawings")),
            ("complete_production", _("Can report production complete")),
            ("pass_inspection", _("Can release an order after final inspection")),
            ("confirm_delivery", _("Can confirm delivery")),
            ("settle_order", _("Can record invoice and payment")),
            ("request_change", _("Can enter a customer change request")),
            ("approve_change", _("Can approve change requests")),
            ("approve_large_change", _("Can approve change requests over the limit")),
            ("cancel_order", _("Can cancel an order")),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        # The stage is written by the gate alone (orders.stage_guard).
        saved = getattr(self, "_saved_stages", None)
        if saved is None:
            if self.stage != Stage.DRAFT or self.held_stage:
                stage_guard.check("A new order past the draft")
        elif saved == "deferred":
            # Loaded without its stage: Django saves only the loaded fields.
            if STAGE_FIELDS & set(kwargs.get("update_fields") or ()):
                stage_guard.check("Saving a stage that was never loaded")
        elif saved != (self.stage, self.held_stage):
            stage_guard.check("Saving a changed stage")
        super().save(*args, **kwargs)
        if saved != "deferred":
            self._saved_stages = (self.stage, self.held_stage)

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"number": self.number})

    @classmethod
    def from_db(cls, db, field_names, values):
        order = super().from_db(db, field_names, values)
        order._saved_stages = (
            order.__dict__.get("stage"),
            order.__dict__.get("held_stage"),
        )
        return order

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._saved_stages = (
            self.__dict__.get("stage"),
            self.__dict__.get("held_stage"),
        )

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN

    # Tag colours for the UI: red waits for finance, green finance agreed.
    CREDIT_COLOURS = {Credit.PENDING: "red", Credit.APPROVED: "green"}

    @property
    def credit_colour(self) -> str:
        return self.CREDIT_COLOURS.get(self.credit, "grey")

    @property
    def is_special(self) -> bool:
        return bool(self.special_requirements.strip())


class PricedLine(models.Model):
    """A priced line, as order lines and quote lines (and later delivery lines) hold
    it. The amounts are written by the services through orders.lines.price — one
    rounding rule, never typed in."""

    position = models.PositiveSmallIntegerField(_("line"))
    model_code = models.CharField(_("model"), max_length=64)
    spec = models.CharField(_("specification"), max_length=128, blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=16, default="件")
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
    )
    net_amount = models.DecimalField(_("amount excl. tax"), **MONEY)
    tax_amount = models.DecimalField(_("tax"), **MONEY)
    gross_amount = models.DecimalField(_("amount incl. tax"), **MONEY)

    class Meta:
        abstract = True


class OrderLine(PricedLine):
    """订单明细: one product model (型号) line. Amounts are computed by the service."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        "orders.Product",
        verbose_name=_("catalogue product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    price_includes_tax = models.BooleanField(_("price includes tax"), default=True)
    vat_rate = models.DecimalField(
        _("VAT rate"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.13"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "position"], name="order_line_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0),
                name="order_line_price_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.model_code} × {self.quantity}"


def attachment_path(instance, filename):
    return f"orders/{instance.order_id}/{filename}"


class OrderAttachment(StoredFile):
    """附件: the customer's PO, sketches. Type checked by content, size-limited."""

    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class StageDeadline(models.Model):
    """A stage's due date and actual dates for one order: the stage tracker's rows and
    what reminders and lateness counts read. Written only by the workflow gate and by
    the services that commit days (contract review)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="deadlines")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage deadline")
        verbose_name_plural = _("stage deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "stage"], name="stage_deadline_unique"
            ),
        ]

    def __str__(self):
        return f"{self.order_id} {self.stage}"


class NumberSequence(models.Model):
    """Counters for document numbers (订单号 …): one row per prefix and period, locked
    while a number is taken so that concurrent entries get consecutive numbers."""

    key = models.CharField(max_length=64, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self):
        return f"{self.key}: {self.last}"
