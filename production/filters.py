"""The shop floor's list filters (django-filter): the plan board (by workshop, by order,
by due date, late only), the slip, plan and materials lists (by order, by date or
status, beside the tabs each list keeps) and the plan changes (by number, status,
date)."""

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department
from core.filters import YesNoAllWidget

from .models import DispatchSlip, MaterialRequirement, PlanChange, ProductionPlan


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
        if value is None:
            return queryset
        today = timezone.localdate()
        # Late after the earlier of the slip's date and the one first committed (a
        # plan change to a later date does not excuse it): DispatchSlip.late_from.
        queryset = queryset.annotate(
            late_since=Least("due_date", Coalesce("committed_due_date", "due_date"))
        )
        if value is True:
            return queryset.filter(late_since__lt=today)
        return queryset.filter(late_since__gte=today)


class _Keep(django_filters.CharFilter):
    """A parameter the page reads itself (the tab it shows), kept through the
    filter form as a hidden field."""

    def __init__(self, **kwargs):
        super().__init__(
            widget=forms.HiddenInput, method=lambda queryset, name, value: queryset
        )


def _order_filter(field_name: str):
    return django_filters.CharFilter(
        label=pgettext_lazy("list filter", "order"),
        field_name=field_name,
        lookup_expr="icontains",
        widget=forms.TextInput(
            attrs={"placeholder": _("order number"), "type": "search"}
        ),
    )


class SlipFilter(django_filters.FilterSet):
    """The slip list's filters, beside its tabs (open, late, anomalies, finished)."""

    show = _Keep()
    order = _order_filter("plan__order__number")
    due_date = django_filters.DateFromToRangeFilter(
        label=pgettext_lazy("board filter", "finish by"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = DispatchSlip
        fields = ["show", "order", "due_date"]


class PlanFilter(django_filters.FilterSet):
    show = _Keep()
    order = _order_filter("order__number")
    status = django_filters.ChoiceFilter(
        label=pgettext_lazy("list filter", "plan status"),
        choices=ProductionPlan.Status.choices,
        empty_label=pgettext_lazy("filter choice", "all"),
    )
    planned_finish = django_filters.DateFromToRangeFilter(
        label=pgettext_lazy("list filter", "planned completion"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = ProductionPlan
        fields = ["show", "order", "status", "planned_finish"]


class MaterialsFilter(django_filters.FilterSet):
    show = _Keep()
    order = _order_filter("order__number")
    status = django_filters.ChoiceFilter(
        label=pgettext_lazy("list filter", "materials status"),
        choices=MaterialRequirement.Status.choices,
        empty_label=pgettext_lazy("filter choice", "all"),
    )

    class Meta:
        model = MaterialRequirement
        fields = ["show", "order", "status"]


class PlanChangeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={
                "placeholder": _("change, plan or order number"),
                "type": "search",
            }
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("change status"), choices=PlanChange.Status.choices
    )
    plan = django_filters.CharFilter(
        field_name="plan__number", widget=forms.HiddenInput
    )
    raised_at = django_filters.DateFromToRangeFilter(
        label=_("raised on"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = PlanChange
        fields = ["q", "status", "plan", "raised_at"]

    def search(self, queryset, name, value):
        value = value.strip()[:64]
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(plan__number__icontains=value)
            | Q(plan__order__number__icontains=value)
        )
