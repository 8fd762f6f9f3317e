"""The plan change list's filters (django-filter): by number, status and date."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import PlanChange


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
