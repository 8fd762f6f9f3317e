"""django-import-export resources. Customers and products may be imported; orders are
export-only (an import must never write an order's stage)."""

from import_export import fields, resources

from .models import Contract, Customer, Order, Product


class CustomerResource(resources.ModelResource):
    class Meta:
        model = Customer
        import_id_fields = ("name",)
        fields = (
            "name",
            "contact",
            "phone",
            "address",
            "type",
            "tax_id",
            "bank_account",
            "invoice_address_phone",
            "credit_limit",
        )
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
    """The contract register as a spreadsheet (export only)."""

    order = fields.Field(attribute="order__number", column_name="order")
    customer = fields.Field(attribute="order__customer__name", column_name="customer")
    salesperson = fields.Field(
        attribute="order__salesperson", column_name="salesperson"
    )
    recorded_by = fields.Field(attribute="recorded_by", column_name="recorded_by")

    class Meta:
        model = Contract
        fields = (
            "number",
            "order",
            "customer",
            "salesperson",
            "signed_on",
            "amount",
            "amount_reason",
            "recorded_by",
            "recorded_at",
        )
        export_order = fields
