from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .kinds import KINDS


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("import form", "what the file holds"))
    file = forms.FileField(
        label=pgettext_lazy("import form", "file"),
        help_text=_(".xlsx or .csv (UTF-8 or GBK as Excel/WPS saves it)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(code, KINDS[code].label) for code in kinds]
