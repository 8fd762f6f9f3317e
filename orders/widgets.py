"""A foreign key picked by typing, without a hand-written script: the text input
offers the server's suggestions in a native <datalist> (keyboard and touch work as
the browser makes them), which htmx refreshes as the user types. The name typed is
resolved on the server (AutocompleteField); a hidden input carries the id the page
was opened with. Never a <select> of thousands."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AutocompleteSelect(forms.TextInput):
    template_name = "widgets/autocomplete.html"

    def __init__(self, url_name: str, model=None, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.model = model

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["url"] = reverse(self.url_name)
        context["widget"]["display"] = self.display_for(value)
        context["widget"]["list_id"] = (
            f"{context['widget']['attrs'].get('id') or name}-options"
        )
        return context

    def display_for(self, value):
        if isinstance(value, (list, tuple)):  # as posted: (id, text)
            return value[1]
        if value in (None, ""):
            return ""
        if self.model is None or not str(value).isdigit():
            return ""
        obj = self.model._default_manager.filter(pk=value).first()
        return str(obj) if obj else ""

    def format_value(self, value):
        if isinstance(value, (list, tuple)):
            return value[0]
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        return (data.get(name, ""), data.get(f"{name}_text", ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_text" not in data


class AutocompleteField(forms.ModelChoiceField):
    """The object whose name was typed (or picked from the suggestions), else the
    id the page was opened with. `lookups` are the fields a typed text may equal,
    in order."""

    default_error_messages = {
        "invalid_choice": _("Pick one from the suggestions: “%(value)s” is not known."),
    }

    def __init__(self, *args, lookups=("name",), **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups

    def to_python(self, value):
        pk, text = value if isinstance(value, (list, tuple)) else (value, "")
        text = (text or "").strip()
        if text:
            for lookup in self.lookups:
                found = self.queryset.filter(**{lookup: text}).first()
                if found is not None:
                    return found
            if str(pk).isdigit():
                known = self.queryset.filter(pk=pk).first()
                if known is not None and str(known) == text:
                    return known
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text},
            )
        if pk in self.empty_values:
            return None
        return super().to_python(pk)
