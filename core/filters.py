"""django-filter pieces every list uses, labelled in our own catalogue (the
library's zh_Hans catalogue lacks some: "(descending)" showed in English)."""

import django_filters
from django.forms.utils import pretty_name
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class YesNoAllWidget(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads "all" (全部), not "unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (
            ("", pgettext_lazy("filter choice", "all")),
            ("true", pgettext_lazy("filter choice", "yes")),
            ("false", pgettext_lazy("filter choice", "no")),
        )


def _descending(fmt, label) -> str:
    return str(fmt) % label


# Evaluated when shown, in the reader's language (django-filter formats the label
# once, when the filter class is built, in whatever language is active then).
descending_label = lazy(_descending, str)


class OrderingFilter(django_filters.OrderingFilter):
    descending_fmt = _("%s (descending)")

    def __init__(self, *args, **kwargs):
        # Nothing chosen is the list's own order, said in words (never "---------").
        kwargs.setdefault("empty_label", pgettext_lazy("sort", "default order"))
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        ascending = [
            (param, labels.get(field, pretty_name(param)))
            for field, param in fields.items()
        ]
        descending = [
            (
                f"-{param}",
                labels.get(f"-{param}", descending_label(self.descending_fmt, label)),
            )
            for param, label in ascending
        ]
        return [
            choice
            for pair in zip(ascending, descending, strict=True)
            for choice in pair
        ]
