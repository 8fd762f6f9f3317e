"""The plan board's filters (django-filter): by workshop, by order, by due date,
late only."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department
from core.filters import YesNoAllWidget

from .models import DispatchSlip


class BoardFilter(django_filters.FilterSet):
    """`workshops` is what the reader may see (a lead: their own workshop only)."""

    workshop = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("board filter", "workshop / line"),
        queryset=Department.objects.none(),
        empty_label=pgettext_lazy("filter choice", "all"),
    )
    order = django_filters.CharFilter(
        label=pgettext_lazy("board filter", "order"),
        field_name="plan__order__number",
        lookup_expr="icontains",
        widget=forms.TextInput(
            attrs={"placeholder": _("order number"), "type": "search"}
        ),
    )
    due_date = django_filters.DateFromToRangeFilter(
        label=pgettext_lazy("board filter", "finish by"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    late = django_filters.BooleanFilter(
        label=pgettext_lazy("board filter", "late"),
        method="filter_late",
        widget=YesNoAllWidget,
    )

    class Meta:
        model = DispatchSlip
        fields = ["workshop", "order", "due_date", "late"]

    def __init__(self, *args, workshops=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workshops is not None:
            self.filters["workshop"].queryset = workshops
            self.form.fields["workshop"].queryset = workshops

    def filter_late(self, queryset, name, value):
        today = timezone.localdate()
        if value is True:
            return queryset.filter(due_date__lt=today)
        if value is False:
            return queryset.filter(due_date__gte=today)
        return queryset
