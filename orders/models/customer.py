from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.validators import validate_tax_id


class Customer(models.Model):
    """客户. Carries what the invoice needs (纳税人识别号, 开户行及账号, 开票地址电话) and
    an optional credit limit (信用额度)."""

    class Type(models.TextChoices):
        KEY = "key", _("key customer")
        REGULAR = "regular", _("regular customer")
        NEW = "new", _("new customer")

    # What the new-customer dialog, the import and the service take (the rest is
    # the system's).
    EDITABLE = (
        "name",
        "contact",
        "phone",
        "address",
        "type",
        "tax_id",
        "bank_account",
        "invoice_address_phone",
        "credit_limit",
    )

    name = models.CharField(_("customer name"), max_length=128, unique=True)
    contact = models.CharField(_("contact person"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    type = models.CharField(
        _("customer type"), max_length=16, choices=Type.choices, default=Type.NEW
    )
    tax_id = models.CharField(
        _("taxpayer ID"),
        max_length=20,
        blank=True,
        validators=[validate_tax_id],
        help_text=_("纳税人识别号: the 18-character unified social credit code"),
    )
    bank_account = models.CharField(_("bank and account"), max_length=128, blank=True)
    invoice_address_phone = models.CharField(
        _("invoice address and phone"), max_length=255, blank=True
    )
    credit_limit = models.DecimalField(
        _("credit limit"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Leave empty for no limit."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(models.Model):
    """产品目录: a model (型号) the factory makes, e.g. a steel backplate (钢背) or a
    mould. Order lines may also carry a free-text model not in the catalogue."""

    class Kind(models.TextChoices):
        BACKPLATE = "backplate", _("steel backplate")
        MOULD = "mould", _("mould")
        PART = "part", _("metal part")
        OTHER = "other", _("other")

    model_code = models.CharField(_("model"), max_length=64, unique=True)
    name = models.CharField(_("product name"), max_length=128)
    kind = models.CharField(
        _("product type"), max_length=16, choices=Kind.choices, default=Kind.PART
    )
    spec = models.CharField(_("specification"), max_length=128, blank=True)
    unit = models.CharField(_("unit"), max_length=16, default="件")
    unit_price = models.DecimalField(
        _("list price"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    material_thickness = models.DecimalField(
        _("material thickness (mm)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["model_code"]

    def __str__(self):
        return f"{self.model_code} {self.name}"
