"""Forms of the delivery pages: they read what was posted; the services decide.
Line quantities are posted per line (`qty_<line id>`, `got_<shipment line id>`)
and handed to the service as they are."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.submissions import new_form_token

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TokenMixin(forms.Form):
    """A hidden one-time token and the version of the record the page showed."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())


def posted_quantities(data, prefix: str) -> dict:
    """{id: text} of the fields `<prefix><id>` posted."""
    found = {}
    for name, value in data.items():
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            found[int(name[len(prefix) :])] = value.strip()
    return found


class ReceiveForm(TokenMixin):
    received_on = forms.DateField(label=_("received into stock on"), widget=DATE)
    location = forms.CharField(
        label=_("warehouse location"), max_length=64, required=False
    )
    notes = forms.CharField(label=_("notes"), max_length=500, required=False)


class ShipmentForm(TokenMixin):
    ship_date = forms.DateField(label=_("ship date"), widget=DATE)
    carrier = forms.CharField(label=_("carrier"), max_length=64)
    tracking_number = forms.CharField(
        label=_("tracking number"), max_length=64, required=False
    )
    address = forms.CharField(label=_("delivery address"), max_length=255)
    contact = forms.CharField(label=_("consignee"), max_length=64, required=False)
    phone = forms.CharField(label=_("consignee phone"), max_length=32, required=False)
    notes = forms.CharField(
        label=_("notes"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReceiptForm(TokenMixin):
    signed_by = forms.CharField(label=_("signed by"), max_length=64)
    signed_on = forms.DateField(label=_("signed on"), widget=DATE)
    note = forms.CharField(
        label=_("shortfall or damage"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    quality_matter = forms.BooleanField(
        label=_("a quality matter (tell QC)"), required=False
    )
    file = forms.FileField(label=_("scanned signed note"), required=False)


class ShortfallForm(TokenMixin):
    line = forms.IntegerField(label=_("order line"), widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("reason agreed with the customer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    agreed_by = forms.CharField(label=_("agreed by (customer)"), max_length=64)


class DateAgreementForm(TokenMixin):
    new_date = forms.DateField(label=_("agreed new date"), widget=DATE)
    agreed_by = forms.CharField(label=_("agreed by (customer)"), max_length=64)
    agreed_on = forms.DateField(label=_("agreed on"), widget=DATE)
    reason = forms.CharField(
        label=pgettext_lazy("agreed date", "reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(label=_("document"), required=False)
