"""django-import-export resources. Customers and products may be imported; orders are
export-only (an import must never write an order's stage)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from .models import Contract, Customer, Order, Product
from .money import cny


class CustomerResource(resources.ModelResource):
    class Meta:
        model = Customer
        import_id_fields = ("name",)
        fields = Customer.EDITABLE
        clean_model_instances = True
        skip_unchanged = True


class ProductResource(resources.ModelResource):
    class Meta:
        model = Product
        import_id_fields = ("model_code",)
        fields = (
            "model_code",
            "name",
            "kind",
            "spec",
            "unit",
            "unit_price",
            "material_thickness",
            "is_active",
        )
        clean_model_instances = True
        skip_unchanged = True


class OrderResource(resources.ModelResource):
    customer = fields.Field(attribute="customer__name", column_name="customer")
    salesperson = fields.Field(attribute="salesperson", column_name="salesperson")
    stage = fields.Field(attribute="get_stage_display", column_name="stage")

    class Meta:
        model = Order
        fields = (
            "number",
            "customer",
            "salesperson",
            "channel",
            "customer_po",
            "order_date",
            "requested_date",
            "promised_date",
            "stage",
            "due_date",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "is_important",
            "special_requirements",
        )
        export_order = fields


class ContractResource(resources.ModelResource):
    """合同台账 as a spreadsheet, export only: a contract is recorded with its signed file
    through the service, never imported. Headers in the reader's language; expects the
    queryset of selectors.contract.contracts_visible_to (related rows joined, the
    accepted quote's amount annotated), so the export is one query."""

    number = fields.Field(attribute="number", column_name=_("contract number"))
    order = fields.Field(attribute="order__number", column_name=_("order number"))
    customer = fields.Field(
        attribute="order__customer__name", column_name=_("customer")
    )
    salesperson = fields.Field(
        attribute="order__salesperson", column_name=_("salesperson")
    )
    signed_on = fields.Field(
        attribute="signed_on", column_name=_("signed on"), widget=widgets.DateWidget()
    )
    amount = fields.Field(
        attribute="amount",
        column_name=_("contract amount (CNY)"),
        widget=widgets.DecimalWidget(),
    )
    quote_amount = fields.Field(column_name=_("accepted quote (CNY)"))
    amount_reason = fields.Field(
        attribute="amount_reason", column_name=_("why the amount differs")
    )
    recorded_by = fields.Field(attribute="recorded_by", column_name=_("recorded by"))
    recorded_at = fields.Field(column_name=_("recorded at"))

    class Meta:
        model = Contract
        fields = (
            "number",
            "order",
            "customer",
            "salesperson",
            "signed_on",
            "amount",
            "quote_amount",
            "amount_reason",
            "recorded_by",
            "recorded_at",
        )
        export_order = fields

    def dehydrate_quote_amount(self, contract):
        # An annotation: SQLite hands it back without its two decimals.
        amount = getattr(contract, "quote_amount", None)
        return None if amount is None else cny(amount)

    def dehydrate_recorded_at(self, contract):
        # Local time as text: spreadsheets cannot hold a time zone.
        return timezone.localtime(contract.recorded_at).strftime("%Y-%m-%d %H:%M")
