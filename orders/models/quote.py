from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.stamps import Stamp, stamp, stamp_fields

from .order import MONEY, PricedLine

USER = settings.AUTH_USER_MODEL


class Quote(models.Model):
    """报价单. Versions are kept (one row each); an approved quote is locked and prints
    as the 报价单; the customer's acceptance of an unexpired approved quote moves the
    order to contract."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("quote status", "draft")
        SUBMITTED = "submitted", _("awaiting the general manager")
        APPROVED = "approved", pgettext_lazy("decision", "approved")
        RETURNED = "returned", pgettext_lazy("decision", "sent back")
        ACCEPTED = "accepted", _("accepted by the customer")
        SUPERSEDED = "superseded", _("superseded")

    class AcceptedHow(models.TextChoices):
        SIGNED = "signed", _("signed quote returned")
        EMAIL = "email", _("e-mail")
        FAX = "fax", _("fax")
        PHONE = "phone", _("phone")
        WECHAT = "wechat", _("WeChat")

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    number = models.CharField(_("quote number"), max_length=40, unique=True)
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    prices_include_tax = models.BooleanField(_("prices include tax"), default=True)
    vat_rate = models.DecimalField(
        _("VAT rate"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.13"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.99"))],
    )
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"))
    payment_terms = models.CharField(_("payment terms"), max_length=255)
    valid_until = models.DateField(_("valid until"))
    note = models.TextField(_("notes"), blank=True)
    net_amount = models.DecimalField(_("amount excl. tax"), default=0, **MONEY)
    tax_amount = models.DecimalField(_("tax"), default=0, **MONEY)
    gross_amount = models.DecimalField(_("amount incl. tax"), default=0, **MONEY)
    prepared_by = models.ForeignKey(
        USER, verbose_name=_("quoted by"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by, approved_on_behalf_of, approved_at = stamp_fields()
    decision_comment = models.TextField(
        pgettext_lazy("approver's words", "comment"), blank=True
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_how = models.CharField(
        _("accepted how"), max_length=16, choices=AcceptedHow.choices, blank=True
    )
    accepted_by = models.ForeignKey(
        USER,
        verbose_name=_("acceptance recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = pgettext_lazy("document", "quote")
        verbose_name_plural = _("quotes")
        ordering = ["order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "version"], name="quote_version_unique"
            ),
        ]

    def __str__(self):
        return self.number

    # Tag colours for the UI: green agreed, blue waiting, red sent back, grey else.
    COLOURS = {
        Status.APPROVED: "green",
        Status.ACCEPTED: "green",
        Status.SUBMITTED: "blue",
        Status.RETURNED: "red",
    }

    @property
    def status_colour(self) -> str:
        return self.COLOURS.get(self.status, "grey")

    @property
    def approval_stamp(self) -> Stamp:
        return stamp(self, "approved_")

    @property
    def is_submittable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def awaits_decision(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_acceptable(self) -> bool:
        """Approved and waiting for the customer (expiry is checked on acceptance)."""
        return self.status == self.Status.APPROVED

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT and self.status != self.Status.RETURNED


class QuoteLine(PricedLine):
    quote = models.ForeignKey(
        Quote,
        verbose_name=pgettext_lazy("document", "quote"),
        on_delete=models.CASCADE,
        related_name="lines",
    )

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["quote", "position"], name="quote_line_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="quote_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.model_code} × {self.quantity}"
