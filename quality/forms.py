"""Quality's forms: they validate input, nothing else (the services own the rules;
a contract forbids forms to call them)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department
from core.submissions import new_form_token
from production.models import DispatchSlip

from .models import Cause, DefectType

STALE = _("This page is out of date or incomplete; nothing was saved. Reload the page.")


class TokenMixin(forms.Form):
    """A hidden one-time token: the same form submitted twice does nothing twice."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the services check each by its content)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [d for d in data if d]
        return [data] if data else []


def _count(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
    )


def _defects():
    return forms.MultipleChoiceField(
        label=_("Defects"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: [
            (d.code, d.name) for d in DefectType.objects.filter(is_active=True)
        ],
    )


class QuantitiesForm(forms.Form):
    inspected = _count(_("Inspected"))
    passed = _count(pgettext_lazy("inspection", "Passed"))
    failed = _count(pgettext_lazy("inspection", "Failed"))
    defects = _defects()


class InspectForm(TokenMixin, QuantitiesForm):
    """An inspection: the quantities, the defects, the checklist of the drawings'
    key requirements (met, and the value measured), photos and notes."""

    note = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultipleFileField(label=_("Photos"))
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = list(requirements)
        for req in self.requirements:
            self.fields[f"req_{req.pk}_ok"] = forms.BooleanField(
                label=req.text, required=False, initial=True
            )
            self.fields[f"req_{req.pk}_measured"] = forms.CharField(
                label=_("measured value"), required=False, max_length=64
            )

    def checklist(self):
        """(requirement id, met, measured) of each key requirement."""
        return [
            (
                req.pk,
                bool(self.cleaned_data.get(f"req_{req.pk}_ok")),
                self.cleaned_data.get(f"req_{req.pk}_measured") or "",
            )
            for req in self.requirements
        ]

    def checklist_rows(self):
        return [
            (req, self[f"req_{req.pk}_ok"], self[f"req_{req.pk}_measured"])
            for req in self.requirements
        ]


class CorrectForm(TokenMixin, QuantitiesForm):
    reason = forms.CharField(
        label=_("Why it is corrected"), widget=forms.Textarea(attrs={"rows": 2})
    )


def _reviewers():
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__permissions__codename="sign_nonconformance",
            groups__permissions__content_type__app_label="quality",
        )
        .distinct()
        .order_by("username")
    )


class ReviewerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name}（{obj.department.name}）" if obj.department_id else name


class DescribeForm(VersionMixin, forms.Form):
    """不合格品评审单: what is wrong, the cause, the party responsible, the reviewers
    and the disposition they sign."""

    description = forms.CharField(
        label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 3})
    )
    cause = forms.ChoiceField(
        label=_("Cause"), choices=[("", _("Choose…"))] + list(Cause.choices)
    )
    responsible_department = forms.ModelChoiceField(
        label=_("Party responsible"),
        queryset=Department.objects.order_by("name"),
        empty_label=_("Choose…"),
    )
    reviewers = ReviewerChoice(
        label=_("Reviewers who sign"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    rework = _count(_("Rework (返工)"))
    scrap = _count(_("Scrap (报废)"))
    concession = _count(_("Concession (让步接收)"))
    make_up = forms.BooleanField(
        label=_("Ask the planner to make up the scrapped pieces"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = _reviewers().select_related("department")


class SignForm(VersionMixin, forms.Form):
    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReworkForm(VersionMixin, TokenMixin, forms.Form):
    workshop = forms.ModelChoiceField(
        label=_("Workshop / line"),
        queryset=Department.objects.filter(kind="workshop").order_by("name"),
        empty_label=_("Choose…"),
    )
    operation = forms.ChoiceField(
        label=_("Operation"),
        choices=[("", _("Choose…"))]
        + [
            c
            for c in DispatchSlip.Operation.choices
            if c[0] not in DispatchSlip.AUXILIARY
        ],
    )
    start_date = forms.DateField(
        label=_("Start by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_date = forms.DateField(
        label=_("Finish by"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ConsentForm(VersionMixin, forms.Form):
    note = forms.CharField(
        label=_("What the customer agreed to"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    documents = MultipleFileField(
        label=_("The customer's document"),
        widget=MultipleFileInput(attrs={"accept": ".pdf,image/*"}),
    )


class PassForm(VersionMixin, TokenMixin, forms.Form):
    pass
