from django import forms
from django.urls import reverse


class AutocompleteSelect(forms.TextInput):
    """A foreign key picked by typing: a hidden input holds the id, a text input asks
    the server for suggestions (static/js/app.js). Never a select of thousands."""

    template_name = "widgets/autocomplete.html"

    def __init__(self, url_name: str, model=None, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.model = model

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["url"] = reverse(self.url_name)
        context["widget"]["display"] = self.display_for(value)
        return context

    def display_for(self, value):
        if value in (None, ""):
            return ""
        if self.model is None or not str(value).isdigit():
            return ""
        obj = self.model._default_manager.filter(pk=value).first()
        return str(obj) if obj else ""
