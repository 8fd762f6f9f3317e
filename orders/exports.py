"""What orders' lists give out as a spreadsheet (core.exports.list_export): the
columns of each list, headers in the reader's language."""

from django.utils.translation import pgettext_lazy

from core.exports import Column, choices_of, person

from .models import Order

ORDER_COLUMNS = (
    Column(pgettext_lazy("export column", "order number"), "number"),
    Column(pgettext_lazy("export column", "customer"), "customer__name"),
    Column(pgettext_lazy("export column", "salesperson"), person("salesperson")),
    Column(pgettext_lazy("export column", "customer PO number"), "customer_po"),
    Column(pgettext_lazy("export column", "order date"), "order_date", "date"),
    Column(
        pgettext_lazy("export column", "requested delivery date"),
        "requested_date",
        "date",
    ),
    Column(
        pgettext_lazy("export column", "stage"),
        "stage",
        choices=choices_of(Order, "stage"),
    ),
    Column(pgettext_lazy("export column", "stage due"), "due_date", "date"),
    Column(pgettext_lazy("export column", "amount excl. tax"), "net_amount", "money"),
    Column(pgettext_lazy("export column", "tax"), "tax_amount", "money"),
    Column(pgettext_lazy("export column", "amount incl. tax"), "gross_amount", "money"),
    Column(pgettext_lazy("export column", "important"), "is_important", "bool"),
    Column(
        pgettext_lazy("export column", "special requirements"), "special_requirements"
    ),
)
