import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import OrderingFilter, YesNoAllWidget

from .models import Contract, Customer, Order, OrderLine
from .stages import OPEN, Stage
from .widgets import AutocompleteField, AutocompleteSelect


class AutocompleteFilter(django_filters.ModelChoiceFilter):
    """A foreign key filter typed into an autocomplete (orders.widgets)."""

    field_class = AutocompleteField


class OrderFilter(django_filters.FilterSet):
    """The order list's filters. `user` is the reader: the `queue` filter shows the
    orders of one of their workbench queues (core.queues)."""

    queue = django_filters.CharFilter(
        method="filter_queue", widget=forms.HiddenInput, label=_("workbench queue")
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"placeholder": _("number, customer, PO or model"), "type": "search"}
        ),
    )
    stage = django_filters.MultipleChoiceFilter(
        label=_("stage"),
        choices=Stage.choices,
        # a row of checkboxes: no Ctrl-click to pick two stages
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-row"}),
        distinct=False,  # one row per order: no join to repeat it
    )
    customer = AutocompleteFilter(
        label=_("customer"),
        queryset=Customer.objects.all(),
        widget=AutocompleteSelect("orders:customer_autocomplete", Customer),
    )
    salesperson = AutocompleteFilter(
        label=_("salesperson"),
        queryset=get_user_model().objects.all(),
        lookups=("username", "display_name"),
        widget=AutocompleteSelect("orders:salesperson_autocomplete", get_user_model()),
    )
    channel = django_filters.ChoiceFilter(
        label=_("channel"), choices=Order.Channel.choices
    )
    is_important = django_filters.BooleanFilter(
        label=_("important"),
        widget=YesNoAllWidget,
    )
    special = django_filters.BooleanFilter(
        label=_("special requirements"),
        method="filter_special",
        widget=YesNoAllWidget,
    )
    amount = django_filters.RangeFilter(
        label=_("amount incl. tax (CNY)"), field_name="gross_amount"
    )
    order_date = django_filters.DateFromToRangeFilter(
        label=_("order date"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    due_date = django_filters.DateFromToRangeFilter(
        label=_("current stage due"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    requested_date = django_filters.DateFromToRangeFilter(
        label=_("requested delivery date"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(
        label=_("overdue"),
        method="filter_overdue",
        widget=YesNoAllWidget,
    )
    sort = OrderingFilter(
        label=_("sort by"),
        fields=(
            ("number", "number"),
            ("order_date", "order_date"),
            ("requested_date", "requested_date"),
            ("due_date", "due_date"),
            ("gross_amount", "amount"),
            ("customer__name", "customer"),
        ),
        field_labels={
            "number": _("order number"),
            "order_date": _("order date"),
            "requested_date": _("requested delivery date"),
            "due_date": _("current stage due"),
            "gross_amount": _("amount"),
            "customer__name": _("customer"),
        },
    )

    class Meta:
        model = Order
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    @property
    def active_queue(self):
        """The workbench queue the list is narrowed to, if it is one of the user's."""
        from core import queues

        key = (self.data or {}).get("queue") if self.is_bound else None
        found = queues.get(key) if key else None
        if found is None or self.user is None or not found.applies(self.user):
            return None
        return found

    def filter_queue(self, queryset, name, value):
        queue = self.active_queue
        if queue is None:
            return queryset
        return queryset.filter(pk__in=queue.order_ids(self.user))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # One set of ids per place the text may be, each found through its own
        # trigram index (migration orders 0007), united: an OR across tables would
        # walk every order instead.
        orders = Order.objects.order_by()
        matching = (
            orders.filter(number__icontains=value)
            .values("pk")
            .union(
                orders.filter(customer_po__icontains=value).values("pk"),
                orders.filter(
                    customer__in=Customer.objects.filter(name__icontains=value)
                ).values("pk"),
                OrderLine.objects.order_by()
                .filter(model_code__icontains=value)
                .values("order_id"),
            )
        )
        return queryset.filter(pk__in=matching)

    def filter_special(self, queryset, name, value):
        if value is None:
            return queryset
        blank = Q(special_requirements="")
        return queryset.exclude(blank) if value else queryset.filter(blank)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(stage__in=OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class ContractFilter(django_filters.FilterSet):
    """合同台账: every contract in one place, by number, customer, date and amount."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={
                "placeholder": _("contract or order number, customer"),
                "type": "search",
            }
        ),
    )
    customer = AutocompleteFilter(
        label=_("customer"),
        field_name="order__customer",
        queryset=Customer.objects.all(),
        widget=AutocompleteSelect("orders:customer_autocomplete", Customer),
    )
    signed_on = django_filters.DateFromToRangeFilter(
        label=_("signed on"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    amount = django_filters.RangeFilter(label=_("contract amount (CNY)"))
    sort = OrderingFilter(
        label=_("sort by"),
        fields=(
            ("number", "number"),
            ("order__number", "order"),
            ("order__customer__name", "customer"),
            ("signed_on", "signed_on"),
            ("amount", "amount"),
        ),
        field_labels={
            "number": _("contract number"),
            "order__number": _("order number"),
            "order__customer__name": _("customer"),
            "signed_on": _("signed on"),
            "amount": _("contract amount"),
        },
    )

    class Meta:
        model = Contract
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(order__number__icontains=value)
            | Q(order__customer__name__icontains=value)
        )
