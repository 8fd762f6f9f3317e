"""The admin reads orders and keeps customers and products. Stages and events are
read-only here: an order moves only through orders.workflow.order_move."""

from django.contrib import admin
from import_export.admin import ExportMixin, ImportExportModelAdmin

from .models import ChangeRequest, Customer, Order, OrderEvent, OrderLine, Product
from .resources import CustomerResource, OrderResource, ProductResource


@admin.register(Customer)
class CustomerAdmin(ImportExportModelAdmin):
    resource_classes = [CustomerResource]
    list_display = ("name", "type", "contact", "phone", "tax_id", "credit_limit")
    list_filter = ("type",)
    search_fields = ("name", "contact", "tax_id")


@admin.register(Product)
class ProductAdmin(ImportExportModelAdmin):
    resource_classes = [ProductResource]
    list_display = (
        "model_code",
        "name",
        "kind",
        "spec",
        "unit",
        "unit_price",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("model_code", "name", "spec")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LineInline(ReadOnlyInline):
    model = OrderLine
    fields = (
        "position",
        "model_code",
        "spec",
        "quantity",
        "unit",
        "unit_price",
        "gross_amount",
    )


class EventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("created_at", "user", "type", "from_stage", "to_stage", "reason")
    ordering = ("created_at",)


@admin.register(Order)
class OrderAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [OrderResource]
    list_display = (
        "number",
        "customer",
        "salesperson",
        "stage",
        "order_date",
        "requested_date",
        "gross_amount",
    )
    list_filter = ("stage", "channel", "is_important")
    search_fields = ("number", "customer__name", "customer_po")
    list_select_related = ("customer", "salesperson")
    inlines = [LineInline, EventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = (
        "order",
        "status",
        "requested_by",
        "requested_at",
        "amount_before",
        "amount_after",
    )
    list_filter = ("status",)
    list_select_related = ("order", "requested_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
