"""Forms of the production pages: they read what was posted; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department
from core.money import plain
from core.submissions import new_form_token
from orders.models import Product

from .models import DispatchSlip, SlipReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_NEGATIVE = _("The quantity cannot be negative.")
WHOLE = _("Enter a whole number.")
STALE = _("This page is out of date or incomplete; nothing was saved. Reload the page.")


class TokenMixin(forms.Form):
    """A hidden one-time token: the same form submitted twice does nothing twice."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())


QTY = {"max_digits": 12, "decimal_places": 3}


def _quantity(label, required=False):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        error_messages={"min_value": NOT_NEGATIVE},
        widget=forms.NumberInput(attrs={"min": "0", "step": "any"}),
        **QTY,
    )


class MaterialLineForm(forms.Form):
    """One materials line: what, how much, from whom, expected and arrived."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    material = forms.CharField(label=_("material"), max_length=200)
    spec = forms.CharField(label=_("specification"), max_length=100, required=False)
    quantity = _quantity(_("quantity needed"), required=True)
    unit = forms.CharField(label=_("unit"), max_length=16, required=False)
    supplier = forms.CharField(label=_("supplier"), max_length=128, required=False)
    po_number = forms.CharField(
        label=_("purchase order No."), max_length=64, required=False
    )
    expected_quantity = _quantity(_("quantity expected"))
    expected_date = forms.DateField(
        label=_("expected arrival"), required=False, widget=DATE
    )
    arrived_now = _quantity(_("arrived now"))


MaterialLineFormSet = forms.formset_factory(
    MaterialLineForm,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
    absolute_max=80,
)


class MaterialsForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    product = forms.CharField(
        label=_("catalogue item"),
        required=False,
        max_length=64,
        help_text=_("Optional: the model of a catalogue item, e.g. a mould."),
    )

    def clean_product(self):
        """A catalogue item named by its model (型号), or none."""
        code = (self.cleaned_data.get("product") or "").strip()
        if not code:
            return None
        product = Product.objects.filter(model_code__iexact=code).first()
        if product is None:
            raise forms.ValidationError(
                _("No catalogue item has the model “%(code)s”.") % {"code": code}
            )
        return product

    def clean_version(self):
        """The version the page was opened at: missing means a first record, junk
        is refused (the page cannot prove what it showed)."""
        raw = (self.cleaned_data.get("version") or "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
            raise forms.ValidationError(STALE)
        return int(raw)

    def clean(self):
        cleaned = super().clean()
        # A hidden field's error is shown with the form's own (the page shows no
        # hidden field).
        for error in self.errors.pop("version", []):
            self.add_error(None, error)
        return cleaned


class PlanForm(TokenMixin, forms.Form):
    """生产计划单's fields. The model, quantity and thickness are prefilled from
    one order line (`prefilled_line`); when another line is chosen and they still
    hold the first line's values, they are taken as the chosen line's (the model
    left to the service, the quantity what is left of that line): a plan for line
    2 never carries line 1's model unless the planner typed it."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    line = forms.ModelChoiceField(
        label=_("order line"), queryset=None, empty_label=None
    )
    prefilled_line = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput
    )
    batch_number = forms.CharField(
        label=_("batch number"),
        max_length=32,
        required=False,
        help_text=_("Left empty: the plan number."),
    )
    model_code = forms.CharField(
        label=_("model"),
        max_length=64,
        required=False,
        help_text=_("Left empty: the order line's model."),
    )
    maker = forms.CharField(label=_("maker (customer)"), max_length=128, required=False)
    thickness = forms.DecimalField(
        label=_("material thickness (mm)"),
        max_digits=6,
        decimal_places=2,
        required=False,
        min_value=0,
        error_messages={"min_value": _("Cannot be negative.")},
    )
    quantity = forms.DecimalField(
        label=_("quantity"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        error_messages={"min_value": NOT_NEGATIVE},
        widget=forms.NumberInput(attrs={"min": "0", "step": "any"}),
    )
    planned_start = forms.DateField(label=_("planned start"), widget=DATE)
    planned_finish = forms.DateField(label=_("planned completion"), widget=DATE)
    notes = forms.CharField(
        label=_("notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    # the fields prefilled from the order line
    LINE_FIELDS = ("model_code", "quantity", "thickness")

    def __init__(self, *args, order, defaults=None, refresh_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults = defaults
        lines = order.lines.all()
        if refresh_url:
            # a change of line refreshes the line's own values (htmx, the same
            # page asked with ?line=); without script the server still takes the
            # chosen line's values (clean)
            self.fields["line"].widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-target": "#plan-line-fields",
                    "hx-select": "#plan-line-fields",
                    "hx-swap": "outerHTML",
                }
            )
        self.fields["prefilled_line"].queryset = lines
        field = self.fields["line"]
        field.queryset = lines
        field.label_from_instance = lambda line: (
            f"{line.position}. {line.model_code} {line.spec} × "
            f"{plain(line.quantity)} {line.unit}"
        )

    def clean_version(self):
        raw = (self.cleaned_data.get("version") or "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
            raise forms.ValidationError(STALE)
        return int(raw)

    def clean(self):
        cleaned = super().clean()
        for error in self.errors.pop("version", []):
            self.add_error(None, error)
        line, prefilled = cleaned.get("line"), cleaned.get("prefilled_line")
        if line and prefilled and line != prefilled and self.defaults:
            was = self.defaults(prefilled)
            for name in self.LINE_FIELDS:
                if _same(cleaned.get(name), was.get(name)):
                    # still the other line's value: the chosen line's instead
                    cleaned[name] = self.defaults(line).get(name) or None
                    if name == "model_code":
                        cleaned[name] = ""
                    elif name == "quantity":
                        cleaned[name] = None
                    elif cleaned[name] is not None:
                        cleaned[name] = Decimal(cleaned[name])
        return cleaned


def _same(posted, prefilled) -> bool:
    if posted in (None, "") or prefilled in (None, ""):
        return posted in (None, "") and prefilled in (None, "")
    if isinstance(posted, Decimal):
        try:
            return posted == Decimal(str(prefilled))
        except ArithmeticError:
            return False
    return str(posted).strip() == str(prefilled).strip()


class SlipForm(TokenMixin, forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    workshop = forms.ModelChoiceField(
        label=_("workshop / line"),
        queryset=Department.objects.filter(kind="workshop").order_by("code"),
        empty_label=pgettext_lazy("select placeholder", "— choose a workshop —"),
    )
    operation = forms.ChoiceField(
        label=_("operation"), choices=DispatchSlip.Operation.choices
    )
    quantity = forms.IntegerField(
        label=_("quantity"),
        min_value=1,
        error_messages={"min_value": _("The quantity must be at least 1.")},
    )
    start_date = forms.DateField(label=_("start by"), widget=DATE, required=False)
    due_date = forms.DateField(label=_("finish by"), widget=DATE)
    predecessors = forms.ModelMultipleChoiceField(
        label=_("previous operations"),
        queryset=DispatchSlip.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The slip starts only when these are finished."),
    )
    notes = forms.CharField(
        label=_("notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, plan, slip=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["predecessors"]
        field.queryset = (
            DispatchSlip.objects.filter(plan=plan)
            .exclude(status=DispatchSlip.Status.CLOSED)
            .select_related("workshop")
            .order_by("number")
        )
        if slip is not None:
            field.queryset = field.queryset.exclude(pk=slip.pk)
        field.label_from_instance = lambda slip: (
            f"{slip.number} {slip.workshop.name} {slip.get_operation_display()}"
        )

    def clean_version(self):
        raw = (self.cleaned_data.get("version") or "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
            raise forms.ValidationError(STALE)
        return int(raw)


class RoutingStepForm(forms.Form):
    """One step of a routing (工艺路线) in the planner's formset."""

    operation = forms.ChoiceField(
        label=_("operation"), choices=DispatchSlip.Operation.choices
    )
    workshop = forms.ModelChoiceField(
        label=_("workshop / line"),
        queryset=Department.objects.filter(kind="workshop").order_by("code"),
        empty_label=pgettext_lazy("select placeholder", "— choose a workshop —"),
    )
    days = forms.IntegerField(
        label=_("usual working days"),
        min_value=1,
        max_value=365,
        initial=1,
        error_messages={"invalid": WHOLE},
        widget=forms.NumberInput(attrs={"min": "1", "max": "365"}),
    )
    first_article_check = forms.BooleanField(
        label=_("first-article check"), required=False
    )
    process_check = forms.BooleanField(label=_("process check"), required=False)
    notes = forms.CharField(label=_("notes"), max_length=200, required=False)


RoutingStepFormSet = forms.formset_factory(
    RoutingStepForm,
    extra=1,
    can_delete=True,
    max_num=30,
    validate_max=True,
    absolute_max=60,
)


class RoutingForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    notes = forms.CharField(
        label=_("notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def clean_version(self):
        raw = (self.cleaned_data.get("version") or "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
            raise forms.ValidationError(STALE)
        return int(raw)


class RoutingSlipsForm(TokenMixin, forms.Form):
    """Make a draft plan's slips from the routing: back from the completion, or
    forward from the start."""

    anchor = forms.ChoiceField(
        label=_("dates"),
        choices=[
            ("finish", _("back from the planned completion")),
            ("start", _("forward from the planned start")),
        ],
        initial="finish",
        widget=forms.RadioSelect,
    )


class MakeUpForm(TokenMixin, forms.Form):
    """补派: a make-up slip for what a finished slip is short of."""

    quantity = forms.IntegerField(
        label=_("quantity"),
        min_value=1,
        max_value=10_000_000,
        error_messages={
            "min_value": _("The quantity must be at least 1."),
            "invalid": WHOLE,
        },
    )
    start_date = forms.DateField(label=_("start by"), widget=DATE, required=False)
    due_date = forms.DateField(label=_("finish by"), widget=DATE)
    notes = forms.CharField(
        label=_("notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("why it was done", "reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class HandleForm(forms.Form):
    note = forms.CharField(
        label=_("how it was handled"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
    )


class ReportForm(forms.Form):
    """The phone's report: a number pad for the good pieces, optionally scrapped
    ones, or an anomaly with its cause. The token is the report's identity."""

    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    good = forms.IntegerField(
        label=_("good"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages={"min_value": NOT_NEGATIVE, "invalid": WHOLE},
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]*", "min": "0"}
        ),
    )
    scrap = forms.IntegerField(
        label=_("scrapped"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages={"min_value": NOT_NEGATIVE, "invalid": WHOLE},
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]*", "min": "0"}
        ),
    )
    anomaly = forms.BooleanField(required=False)
    cause = forms.ChoiceField(
        label=_("anomaly cause"),
        choices=SlipReport.Cause.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("anomaly note"), required=False, max_length=500)
    # 「全部完成」's confirmation carries the slip's version it showed the rest of:
    # the rest is booked only if nobody reported on the slip since.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        # The card holds several report forms (the rest, the number pad, the
        # anomaly).
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_form_token())

    def clean_version(self):
        raw = (self.cleaned_data.get("version") or "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
            raise forms.ValidationError(STALE)
        return int(raw)


class ReverseForm(forms.Form):
    """报工撤回: which report, why (a code), and a note. The service checks them."""

    report = forms.CharField(required=False, max_length=12)
    why = forms.CharField(
        label=_("why it is taken back"), required=False, max_length=16
    )
    note = forms.CharField(label=_("note"), required=False, max_length=500)

    def clean_report(self):
        raw = (self.cleaned_data.get("report") or "").strip()
        return int(raw) if raw.isascii() and raw.isdigit() else None


class VersionMixin(forms.Form):
    """The version of the record the page showed: missing or junk means the page
    cannot prove what it showed, and nothing is done."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_version(self):
        raw = (self.cleaned_data.get("version") or "").strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
            raise forms.ValidationError(STALE)
        return int(raw)

    def clean(self):
        cleaned = super().clean()
        for error in self.errors.pop("version", []):
            self.add_error(None, error)
        return cleaned


class PlanChangeForm(VersionMixin, TokenMixin, forms.Form):
    """计划更改单: the plan's model, quantity and dates and each open slip's
    operation, quantity and dates, prefilled with today's values; the planner
    edits what changes and says why. The service keeps only what differs."""

    reason = forms.CharField(
        label=_("why the plan changes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    plan_model_code = forms.CharField(label=_("model"), max_length=64)
    plan_quantity = forms.DecimalField(
        label=_("quantity"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        error_messages={"min_value": NOT_NEGATIVE},
    )
    plan_planned_start = forms.DateField(label=_("planned start"), widget=DATE)
    plan_planned_finish = forms.DateField(label=_("planned completion"), widget=DATE)

    PLAN_INPUTS = (
        "plan_model_code",
        "plan_quantity",
        "plan_planned_start",
        "plan_planned_finish",
    )

    def __init__(self, *args, plan, slips, **kwargs):
        super().__init__(*args, **kwargs)
        self.slips = list(slips)
        if not self.is_bound:
            self.initial.update(
                version=plan.version,
                plan_model_code=plan.model_code,
                plan_quantity=plain(plan.quantity),
                plan_planned_start=plan.planned_start,
                plan_planned_finish=plan.planned_finish,
            )
        for slip in self.slips:
            prefix = f"slip_{slip.pk}_"
            self.fields[prefix + "operation"] = forms.ChoiceField(
                label=_("operation"), choices=DispatchSlip.Operation.choices
            )
            self.fields[prefix + "quantity"] = forms.IntegerField(
                label=_("quantity"),
                min_value=1,
                max_value=10_000_000,
                error_messages={
                    "min_value": _("The quantity must be at least 1."),
                    "invalid": WHOLE,
                },
                widget=forms.NumberInput(attrs={"min": "1"}),
            )
            self.fields[prefix + "start_date"] = forms.DateField(
                label=_("start by"), widget=DATE, required=False
            )
            self.fields[prefix + "due_date"] = forms.DateField(
                label=_("finish by"), widget=DATE
            )
            if not self.is_bound:
                self.initial.update(
                    {
                        prefix + "operation": slip.operation,
                        prefix + "quantity": slip.quantity,
                        prefix + "start_date": slip.start_date,
                        prefix + "due_date": slip.due_date,
                    }
                )

    @property
    def plan_fields(self):
        return [self[name] for name in self.PLAN_INPUTS]

    @property
    def slip_rows(self):
        """Each open slip with its four inputs, for the form's table."""
        return [
            (
                slip,
                [
                    self[f"slip_{slip.pk}_{name}"]
                    for name in ("operation", "quantity", "start_date", "due_date")
                ],
            )
            for slip in self.slips
        ]

    def plan_values(self) -> dict:
        data = self.cleaned_data
        return {name.removeprefix("plan_"): data[name] for name in self.PLAN_INPUTS}

    def slip_values(self) -> dict:
        data = self.cleaned_data
        return {
            slip.pk: {
                name: data[f"slip_{slip.pk}_{name}"]
                for name in ("operation", "quantity", "start_date", "due_date")
            }
            for slip in self.slips
        }


class DecideForm(VersionMixin, TokenMixin, forms.Form):
    """Approve a plan change: the page's version of it and a one-time token."""


class DeleteForm(VersionMixin, forms.Form):
    """Delete a draft plan: the page's version of it and, optionally, why."""

    reason = forms.CharField(
        label=pgettext_lazy("why it was done", "reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class ReturnForm(VersionMixin, forms.Form):
    """Send a plan under review back to the planner, with the reason."""

    reason = forms.CharField(
        label=_("why it goes back"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class RejectForm(VersionMixin, forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("why it was done", "reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ScreenLinkForm(TokenMixin, forms.Form):
    """A new wall TV link: for which workshop, and where the TV hangs."""

    workshop = forms.ModelChoiceField(
        label=_("workshop / line"),
        queryset=Department.objects.filter(kind="workshop").order_by(
            "sort_order", "code"
        ),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Please choose a workshop or line.")},
    )
    label = forms.CharField(
        label=_("where the screen hangs"),
        max_length=64,
        required=False,
        help_text=_("For example “east wall, by the shears”: to tell the TVs apart."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("why it was done", "reason"),
        max_length=200,
        required=False,
    )
