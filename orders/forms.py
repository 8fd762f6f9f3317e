from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Customer, Order, Product
from .services import LineData, new_form_token
from .widgets import AutocompleteSelect

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TokenMixin(forms.Form):
    """A hidden one-time token: the same form submitted twice does nothing twice."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "name",
            "contact",
            "phone",
            "address",
            "type",
            "tax_id",
            "bank_account",
            "invoice_address_phone",
            "credit_limit",
        ]


class OrderForm(TokenMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Order
        fields = [
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
        ]
        widgets = {
            "customer": AutocompleteSelect("orders:customer_autocomplete", Customer),
            "requested_date": DATE,
            "quality_requirements": forms.Textarea(attrs={"rows": 2}),
            "special_requirements": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "customer": {"required": _("Please choose or create the customer.")},
            "requested_date": {
                "required": _("Please give the requested delivery date.")
            },
        }

    FIELDSETS = (
        (
            _("Customer and delivery"),
            ("customer", "channel", "customer_po", "requested_date", "is_important"),
        ),
        (
            _("Payment terms"),
            (
                "deposit_percent",
                "pay_before_shipment",
                "monthly_settlement_days",
                "retention_percent",
            ),
        ),
        (_("Requirements"), ("quality_requirements", "special_requirements", "notes")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("deposit_percent", "retention_percent"):
            self.fields[name].required = False
            self.fields[name].validators.append(MaxValueValidator(Decimal(100)))
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def fieldsets(self):
        return [
            (title, [self[name] for name in names]) for title, names in self.FIELDSETS
        ]

    def clean_deposit_percent(self):
        return self.cleaned_data.get("deposit_percent") or Decimal(0)

    def clean_retention_percent(self):
        return self.cleaned_data.get("retention_percent") or Decimal(0)

    def clean_requested_date(self):
        value = self.cleaned_data["requested_date"]
        unchanged = self.instance.pk and value == self.instance.requested_date
        if value and value < timezone.localdate() and not unchanged:
            raise forms.ValidationError(
                _("The requested delivery date is in the past.")
            )
        return value

    def header(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class LineForm(forms.Form):
    product = forms.ModelChoiceField(
        queryset=Product.objects.all(), required=False, widget=forms.HiddenInput
    )
    model_code = forms.CharField(
        label=_("model"),
        max_length=64,
        widget=forms.TextInput(attrs={"data-product-ac": "1", "autocomplete": "off"}),
    )
    spec = forms.CharField(label=_("specification"), max_length=128, required=False)
    quantity = forms.DecimalField(
        label=_("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[
            MinValueValidator(
                Decimal("0.01"), _("The quantity must be greater than 0.")
            )
        ],
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    unit = forms.CharField(label=_("unit"), max_length=16, initial="件")
    unit_price = forms.DecimalField(
        label=_("unit price"),
        max_digits=14,
        decimal_places=4,
        validators=[
            MinValueValidator(Decimal("0"), _("The unit price cannot be negative."))
        ],
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    price_includes_tax = forms.BooleanField(
        label=_("incl. tax"), required=False, initial=True
    )
    vat_percent = forms.DecimalField(
        label=_("VAT %"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal(13),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(99))],
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    def line(self) -> LineData:
        data = self.cleaned_data
        return LineData(
            product=data.get("product"),
            model_code=data["model_code"],
            spec=data.get("spec", ""),
            quantity=data["quantity"],
            unit=data.get("unit") or "件",
            unit_price=data["unit_price"],
            price_includes_tax=data.get("price_includes_tax", False),
            vat_rate=data["vat_percent"] / Decimal(100),
        )

    @classmethod
    def initial_from(cls, line) -> dict:
        return {
            "product": line.product_id,
            "model_code": line.model_code,
            "spec": line.spec,
            "quantity": line.quantity.normalize(),
            "unit": line.unit,
            "unit_price": line.unit_price.normalize(),
            "price_includes_tax": line.price_includes_tax,
            "vat_percent": (line.vat_rate * 100).normalize(),
        }


class BaseLineFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("An order needs at least one line."),
        "too_many_forms": _("An order can have at most %(num)d lines."),
    }

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        filled = [
            f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)
        ]
        if not filled:
            raise forms.ValidationError(_("An order needs at least one line."))

    def lines(self) -> list[LineData]:
        return [
            f.line()
            for f in self.forms
            if f.cleaned_data and not self._should_delete_form(f)
        ]


LineFormSet = forms.formset_factory(
    LineForm,
    formset=BaseLineFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    can_delete=True,
    max_num=200,
    validate_max=True,
)


class ReasonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CancelForm(ReasonForm):
    loss_measures = forms.CharField(
        label=_("measures to limit the loss"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("file"))


class ChangeRequestForm(TokenMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("why the customer asks"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    requested_date = forms.DateField(label=_("requested delivery date"), widget=DATE)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
