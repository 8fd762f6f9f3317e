"""交付: what the warehouse records of an order's finished goods — the pieces taken
into stock after inspection (入库), the shipments with their delivery notes (送货单),
the customer's signed receipt of each (回单), a shortfall closed with the customer's
agreement — and sales' record of a new date the customer agreed to (交期变更确认).

Quantities are sums of these records, never typed totals: received by the customer
≤ shipped ≤ taken into stock ≤ accepted by quality, per order line (the services
refuse anything else, under the order's and the lines' locks)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import StoredFile

USER = settings.AUTH_USER_MODEL
QUANTITY = {
    "max_digits": 12,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0.01"))],
}


class OptionalFile(StoredFile):
    """A stored file a record may carry or not (the scanned 回单, the customer's
    letter agreeing a date): the stored file's fields, blank until one is kept."""

    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)

    class Meta:
        abstract = True


class StockReceipt(models.Model):
    """入库: pieces of an order line that passed inspection, taken into the finished
    goods warehouse. Never more than accepted and not yet taken in."""

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="stock_receipts",
    )
    line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="stock_receipts",
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    received_on = models.DateField(_("received into stock on"))
    location = models.CharField(_("warehouse location"), max_length=64, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    received_by = models.ForeignKey(
        USER, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt into stock")
        verbose_name_plural = _("receipts into stock")
        ordering = ["order", "received_on", "id"]
        permissions = [
            ("manage_warehouse", _("Can receive goods into stock and ship them")),
            ("view_delivery", _("Can see an order's stock and shipments")),
            ("agree_date", _("Can record a delivery date agreed with the customer")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="stock_receipt_positive"
            ),
        ]

    def __str__(self):
        return f"{self.line_id} +{self.quantity}"


class Shipment(models.Model):
    """发货 with its 送货单: lines and quantities out of the order's stock, the ship
    date, the carrier and tracking number, the address (the customer's, editable per
    shipment). Received once the customer's signed receipt (回单) is recorded."""

    class Status(models.TextChoices):
        SHIPPED = "shipped", pgettext_lazy("shipment", "shipped")
        RECEIVED = "received", pgettext_lazy("shipment", "received by the customer")

    COLOURS = {Status.SHIPPED: "blue", Status.RECEIVED: "green"}

    number = models.CharField(_("delivery note number"), max_length=32, unique=True)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    status = models.CharField(
        _("shipment status"),
        max_length=16,
        choices=Status.choices,
        default=Status.SHIPPED,
    )
    ship_date = models.DateField(_("ship date"))
    carrier = models.CharField(_("carrier"), max_length=64)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    address = models.CharField(_("delivery address"), max_length=255)
    contact = models.CharField(_("consignee"), max_length=64, blank=True)
    phone = models.CharField(_("consignee phone"), max_length=32, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("shipped by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["order", "ship_date", "id"]
        indexes = [
            models.Index(
                fields=["ship_date"],
                name="shipment_in_transit",
                condition=models.Q(status="shipped"),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("delivery:shipment", kwargs={"number": self.number})

    @property
    def colour(self) -> str:
        return self.COLOURS.get(self.status, "grey")


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(
        Shipment,
        verbose_name=_("shipment"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="shipment_lines",
    )
    quantity = models.DecimalField(_("quantity shipped"), **QUANTITY)
    received_quantity = models.DecimalField(
        _("quantity received"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["shipment", "line__position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="shipment_line_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(received_quantity__isnull=True)
                | models.Q(received_quantity__lte=models.F("quantity")),
                name="shipment_line_received_le_shipped",
            ),
        ]

    def __str__(self):
        return f"{self.shipment_id} {self.line_id} × {self.quantity}"

    @property
    def short(self) -> Decimal:
        if self.received_quantity is None:
            return Decimal(0)
        return self.quantity - self.received_quantity


def receipt_scan_path(instance, filename):
    return f"delivery/{instance.shipment.order_id}/{filename}"


class CustomerReceipt(OptionalFile):
    """回单: the customer signed the delivery note. Who signed, when, what was
    received of each line (on the shipment's lines), a shortfall or damage noted,
    the scanned signed note."""

    shipment = models.OneToOneField(
        Shipment,
        verbose_name=_("shipment"),
        on_delete=models.PROTECT,
        related_name="receipt",
    )
    signed_by = models.CharField(_("signed by"), max_length=64)
    signed_on = models.DateField(_("signed on"))
    note = models.TextField(_("shortfall or damage"), blank=True)
    quality_matter = models.BooleanField(_("a quality matter"), default=False)
    file = models.FileField(
        _("scanned signed note"),
        upload_to=receipt_scan_path,
        max_length=255,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer's receipt")
        verbose_name_plural = _("customer's receipts")

    def __str__(self):
        return f"{self.shipment_id} {self.signed_by}"

    def get_absolute_url(self):
        return reverse("delivery:receipt_scan", kwargs={"pk": self.pk})


class ShortfallClosure(models.Model):
    """What the customer will not receive of a line, closed with the reason agreed
    with them (少交确认): the order may then be delivered without it."""

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="delivery_shortfalls",
    )
    line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="delivery_shortfalls",
    )
    quantity = models.DecimalField(_("quantity closed"), **QUANTITY)
    reason = models.TextField(_("reason agreed with the customer"))
    agreed_by = models.CharField(_("agreed by (customer)"), max_length=64)
    closed_by = models.ForeignKey(
        USER, verbose_name=_("closed by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shortfall closed with the customer")
        verbose_name_plural = _("shortfalls closed with the customer")
        ordering = ["order", "closed_at", "id"]

    def __str__(self):
        return f"{self.line_id} -{self.quantity}"


def agreement_path(instance, filename):
    return f"delivery/{instance.order_id}/dates/{filename}"


class DateAgreement(OptionalFile):
    """交期变更确认: the customer agreed to a new delivery date. The agreed date
    becomes the order's promised date shown to all; lateness keeps counting against
    the date first committed (the review's)."""

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="date_agreements",
    )
    old_date = models.DateField(_("promised date before"), null=True, blank=True)
    new_date = models.DateField(_("agreed new date"))
    agreed_by = models.CharField(_("agreed by (customer)"), max_length=64)
    agreed_on = models.DateField(_("agreed on"))
    reason = models.TextField(pgettext_lazy("agreed date", "reason"))
    file = models.FileField(
        _("document"), upload_to=agreement_path, max_length=255, blank=True
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("date agreed with the customer")
        verbose_name_plural = _("dates agreed with the customer")
        ordering = ["order", "recorded_at", "id"]

    def __str__(self):
        return f"{self.order_id} → {self.new_date}"

    def get_absolute_url(self):
        return reverse("delivery:agreement_file", kwargs={"pk": self.pk})
