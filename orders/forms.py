from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .lines import LineInput as LineData
from .models import Customer, Order, Product
from .money import plain
from .submissions import new_form_token
from .widgets import AutocompleteField, AutocompleteSelect

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TokenMixin(forms.Form):
    """A hidden one-time token: the same form submitted twice does nothing twice."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())


class CustomerForm(forms.ModelForm):
    """The new-customer dialog. The service decides about a name already taken (the
    same customer saved twice is not an error)."""

    class Meta:
        model = Customer
        fields = Customer.EDITABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Its inputs sit inside the order form on the page but belong to the
        # customer form (HTML's form attribute): one page, two forms.
        for field in self.fields.values():
            field.widget.attrs["form"] = "customer-form"

    def validate_unique(self):
        pass


class OrderForm(TokenMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    customer = AutocompleteField(
        queryset=Customer.objects.all(),
        label=_("customer"),
        widget=AutocompleteSelect("orders:customer_autocomplete", Customer),
        error_messages={"required": _("Please choose or create the customer.")},
    )

    class Meta:
        model = Order
        fields = Order.HEADER_FIELDS
        widgets = {
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
        # a required select opens on words that say what to choose
        self.fields["channel"].choices = [
            ("", pgettext_lazy("select placeholder", "— choose the channel —")),
            *Order.Channel.choices,
        ]
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

    def _get_validation_exclusions(self):
        # The PO number's uniqueness per customer is the service's to decide
        # (order.full_clean): a form posted twice is answered by its token first.
        return {*super()._get_validation_exclusions(), "customer_po"}


class PricedLineFields(forms.Form):
    """The fields an order line and a quote line share (orders.lines)."""

    model_code = forms.CharField(
        label=_("model"),
        max_length=64,
        # the catalogue's models in the page's one <datalist>, refreshed by htmx
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "list": "product-options",
                "hx-get": reverse_lazy("orders:product_autocomplete"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#product-options",
                "hx-sync": "this:replace",
            }
        ),
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


class LineForm(PricedLineFields):
    product = forms.ModelChoiceField(
        queryset=Product.objects.all(), required=False, widget=forms.HiddenInput
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
            "quantity": plain(line.quantity),
            "unit": line.unit,
            "unit_price": plain(line.unit_price),
            "price_includes_tax": line.price_includes_tax,
            "vat_percent": plain(line.vat_rate * 100),
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


# An order or quote has at most MAX_LINES lines. Up to LINES_READ lines are read back
# (so that an order a few lines over the limit is shown again, typed input kept, with
# the message); a forged TOTAL_FORMS beyond that builds no more forms than that.
# settings.DATA_UPLOAD_MAX_NUMBER_FIELDS is sized to let LINES_READ lines through.
MAX_LINES = 200
LINES_READ = 300

LineFormSet = forms.formset_factory(
    LineForm,
    formset=BaseLineFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    can_delete=True,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=LINES_READ,
)


class ReasonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=pgettext_lazy("why it was done", "reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
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
        label=pgettext_lazy("approver's words", "comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


# --- the contract review sheet, approvals and quotes --------------------------------


class ReviewOpenForm(forms.Form):
    departments = forms.MultipleChoiceField(
        label=_("departments that must sign"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = [(d.code, d.name) for d in departments]


class SignoffForm(forms.Form):
    content = forms.CharField(
        label=_("what was reviewed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    days_needed = forms.IntegerField(
        label=_("working days needed"),
        min_value=1,
        max_value=365,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Enter the working days your department needs (1 or more).")
        },
    )
    resources_ok = forms.TypedChoiceField(
        label=_("resources sufficient"),
        choices=[
            ("yes", pgettext_lazy("answer", "yes")),
            ("no", pgettext_lazy("answer", "no")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    risks = forms.CharField(
        label=_("risks and countermeasures"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    opinion = forms.ChoiceField(
        label=_("opinion"),
        choices=(),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        from .models import ReviewSignoff

        super().__init__(*args, **kwargs)
        self.fields["opinion"].choices = ReviewSignoff.Opinion.choices


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(
        label=_("how to take the order"), choices=(), widget=forms.RadioSelect
    )
    raise_price = forms.BooleanField(label=_("at a higher price"), required=False)
    extend_lead_time = forms.BooleanField(
        label=_("with a longer lead time"), required=False
    )
    conditions = forms.CharField(
        label=_("conditions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("conclusion notes (the reason, when declining)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        from .models import ContractReview

        super().__init__(*args, **kwargs)
        self.fields["conclusion"].choices = ContractReview.Conclusion.choices


class ApprovalForm(forms.Form):
    comment = forms.CharField(
        label=pgettext_lazy("approver's words", "comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuoteForm(TokenMixin, forms.Form):
    prices_include_tax = forms.BooleanField(
        label=_("prices include tax"), required=False, initial=True
    )
    vat_percent = forms.DecimalField(
        label=_("VAT %"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal(13),
        min_value=Decimal(0),
        max_value=Decimal(99),
    )
    discount_percent = forms.DecimalField(
        label=_("discount %"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal(0),
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    lead_time_days = forms.IntegerField(
        label=_("lead time (days)"), min_value=1, max_value=3650
    )
    payment_terms = forms.CharField(label=_("payment terms"), max_length=255)
    valid_until = forms.DateField(label=_("valid until"), widget=DATE)
    note = forms.CharField(
        label=_("notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_valid_until(self):
        value = self.cleaned_data["valid_until"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The quote would already have expired."))
        return value


class QuoteLineForm(PricedLineFields):
    """A quote line: its tax basis and rate are the quote's."""

    model_code = forms.CharField(label=_("model"), max_length=64)


class BaseQuoteLineFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("A quote needs at least one line."),
        "too_many_forms": _("A quote can have at most %(num)d lines."),
    }


QuoteLineFormSet = forms.formset_factory(
    QuoteLineForm,
    formset=BaseQuoteLineFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=LINES_READ,
)


class QuoteAcceptForm(forms.Form):
    accepted_on = forms.DateField(label=_("accepted on"), widget=DATE)
    how = forms.ChoiceField(label=_("accepted how"), choices=())

    def __init__(self, *args, **kwargs):
        from .models import Quote

        super().__init__(*args, **kwargs)
        self.fields["how"].choices = Quote.AcceptedHow.choices
        if not self.is_bound:
            self.initial.setdefault("accepted_on", timezone.localdate())


class DelegationForm(TokenMixin, forms.Form):
    delegate = AutocompleteField(
        label=_("stand-in"),
        queryset=None,
        lookups=("username", "display_name"),
        widget=AutocompleteSelect("orders:staff_autocomplete"),
    )
    starts_on = forms.DateField(label=pgettext_lazy("period", "from"), widget=DATE)
    ends_on = forms.DateField(label=pgettext_lazy("period", "until"), widget=DATE)
    reason = forms.CharField(
        label=pgettext_lazy("why it was done", "reason"), required=False, max_length=255
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        User = get_user_model()
        self.fields["delegate"].queryset = User.objects.filter(is_active=True)
        self.fields["delegate"].widget.model = User


# --- contract and drawings --------------------------------------------------------------


class ContractForm(TokenMixin, forms.Form):
    number = forms.CharField(label=_("contract number"), max_length=64)
    signed_on = forms.DateField(label=_("signed on"), widget=DATE)
    amount = forms.DecimalField(
        label=_("contract amount"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
    )
    amount_reason = forms.CharField(
        label=_("why the amount differs from the quote"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(
        label=_("signed file (PDF or image)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class DrawingForm(forms.Form):
    title = forms.CharField(label=_("drawing title"), max_length=128)
    file = forms.FileField(
        label=_("drawing file (PDF, image or DWG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.dwg"}),
    )
    note = forms.CharField(label=_("notes"), required=False, max_length=2000)


class RequirementsForm(forms.Form):
    quality = forms.CharField(
        label=_("key quality requirements (one per line)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    process = forms.CharField(
        label=_("key process requirements (one per line)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
