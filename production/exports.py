"""What production's lists give out as a spreadsheet (core.exports.list_export):
the columns of each list, headers in the reader's language."""

from django.utils.translation import pgettext_lazy

from core.exports import Column, choices_of

from .models import DispatchSlip, MaterialRequirement, ProductionPlan

MATERIALS_COLUMNS = (
    Column(pgettext_lazy("export column", "order number"), "order__number"),
    Column(pgettext_lazy("export column", "customer"), "order__customer__name"),
    Column(pgettext_lazy("export column", "product"), "product__model_code"),
    Column(
        pgettext_lazy("export column", "status"),
        "status",
        choices=choices_of(MaterialRequirement, "status"),
    ),
    Column(pgettext_lazy("export column", "expected arrival"), "expected_date", "date"),
    Column(pgettext_lazy("export column", "materials due"), "due_date", "date"),
    Column(pgettext_lazy("export column", "ready at"), "ready_at", "datetime"),
)

PLAN_COLUMNS = (
    Column(pgettext_lazy("export column", "plan number"), "number"),
    Column(pgettext_lazy("export column", "order number"), "order__number"),
    Column(pgettext_lazy("export column", "customer"), "order__customer__name"),
    Column(pgettext_lazy("export column", "model"), "model_code"),
    Column(pgettext_lazy("export column", "batch number"), "batch_number"),
    Column(pgettext_lazy("export column", "quantity"), "quantity", "number"),
    Column(pgettext_lazy("export column", "planned start"), "planned_start", "date"),
    Column(
        pgettext_lazy("export column", "planned completion"), "planned_finish", "date"
    ),
    Column(
        pgettext_lazy("export column", "status"),
        "status",
        choices=choices_of(ProductionPlan, "status"),
    ),
)

SLIP_COLUMNS = (
    Column(pgettext_lazy("export column", "slip number"), "number"),
    Column(pgettext_lazy("export column", "plan number"), "plan__number"),
    Column(pgettext_lazy("export column", "order number"), "plan__order__number"),
    Column(pgettext_lazy("export column", "customer"), "plan__order__customer__name"),
    Column(pgettext_lazy("export column", "workshop"), "workshop__name"),
    Column(
        pgettext_lazy("export column", "operation"),
        "operation",
        choices=choices_of(DispatchSlip, "operation"),
    ),
    Column(pgettext_lazy("export column", "model"), "plan__model_code"),
    Column(pgettext_lazy("export column", "quantity"), "quantity", "number"),
    Column(pgettext_lazy("export column", "good quantity"), "good_qty", "number"),
    Column(pgettext_lazy("export column", "scrapped quantity"), "scrap_qty", "number"),
    Column(pgettext_lazy("export column", "start by"), "start_date", "date"),
    Column(pgettext_lazy("export column", "finish by"), "due_date", "date"),
    Column(
        pgettext_lazy("export column", "status"),
        "status",
        choices=choices_of(DispatchSlip, "status"),
    ),
)
