from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .files import StoredFile
from .order import MONEY

USER = settings.AUTH_USER_MODEL


def contract_path(instance, filename):
    return f"contracts/{instance.order_id}/{filename}"


class Contract(StoredFile):
    """合同: the signed contract, numbered and archived in one place with its file. Its
    amount equals the accepted quote unless a reason is recorded."""

    order = models.OneToOneField(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="contract",
    )
    number = models.CharField(_("contract number"), max_length=64, unique=True)
    signed_on = models.DateField(_("signed on"))
    amount = models.DecimalField(_("contract amount"), **MONEY)
    amount_reason = models.TextField(
        _("why the amount differs from the quote"), blank=True
    )
    file = models.FileField(_("signed file"), upload_to=contract_path, max_length=255)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("document", "contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="contract_amount_not_negative"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"number": self.order.number})


def drawing_path(instance, filename):
    return f"drawings/{instance.order_id}/{filename}"


class Drawing(StoredFile):
    """图纸: one uploaded version of an order's drawings. Earlier versions are kept.
    Issuing (下发) moves the order to production; a recall (收回) is recorded."""

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="drawings",
    )
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("drawing title"), max_length=128)
    file = models.FileField(_("file"), upload_to=drawing_path, max_length=255)
    note = models.TextField(_("notes"), blank=True)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        USER,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    recalled_by = models.ForeignKey(
        USER,
        verbose_name=_("recalled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recall_reason = models.TextField(_("recall reason"), blank=True)

    class Meta:
        verbose_name = _("drawing")
        verbose_name_plural = pgettext_lazy("document", "drawings")
        ordering = ["order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "version"], name="drawing_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None and self.recalled_at is None


class KeyRequirement(models.Model):
    """关键质量/工艺要求 marked on the drawings; carried later into dispatch slips and
    inspection checklists."""

    class Kind(models.TextChoices):
        QUALITY = "quality", _("key quality requirement")
        PROCESS = "process", _("key process requirement")

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="key_requirements",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("item"), default=0)
    text = models.CharField(_("requirement"), max_length=500)
    created_by = models.ForeignKey(
        USER, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("key requirement")
        verbose_name_plural = _("key requirements")
        ordering = ["order", "kind", "position", "id"]

    def __str__(self):
        return self.text
