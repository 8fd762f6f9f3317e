"""The admin reads orders and keeps customers and products. Stages and events are
read-only here: an order moves only through orders.workflow.order_move."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportModelAdmin

from core.exports import SafeExportAdminMixin

from .models import (
    ApprovalDelegation,
    ChangeRequest,
    Contract,
    ContractReview,
    Customer,
    Drawing,
    Order,
    OrderEvent,
    OrderLine,
    Product,
    Quote,
    ReviewSignoff,
)
from .resources import (
    ContractResource,
    CustomerResource,
    OrderResource,
    ProductResource,
)


@admin.register(Customer)
class CustomerAdmin(SafeExportAdminMixin, ImportExportModelAdmin):
    resource_classes = [CustomerResource]
    list_display = ("name", "type", "contact", "phone", "tax_id", "credit_limit")
    list_filter = ("type",)
    search_fields = ("name", "contact", "tax_id")


@admin.register(Product)
class ProductAdmin(SafeExportAdminMixin, ImportExportModelAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        # Every shown field, including those the model does not let a form edit
        # (the events' created_at), or the change page cannot be built.
        return self.fields

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
    fields = ("created_at", "user", "kind", "from_stage", "to_stage", "reason")
    ordering = ("created_at",)

    @admin.display(description=_("event"))
    def kind(self, event):
        return event.type_label


@admin.register(Order)
class OrderAdmin(SafeExportAdminMixin, ExportMixin, admin.ModelAdmin):
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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the services: the admin shows them, never changes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SignoffInline(ReadOnlyInline):
    model = ReviewSignoff
    fields = (
        "department",
        "days_needed",
        "resources_ok",
        "opinion",
        "signed_by",
        "signed_at",
    )


@admin.register(ContractReview)
class ContractReviewAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "order",
        "conclusion",
        "promised_date",
        "concluded_by",
        "gm_decision",
    )
    list_filter = ("conclusion", "gm_decision")
    search_fields = ("number", "order__number")
    list_select_related = ("order", "concluded_by")
    inlines = [SignoffInline]


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "order",
        "version",
        "status",
        "gross_amount",
        "valid_until",
        "prepared_by",
        "approved_by",
    )
    list_filter = ("status",)
    search_fields = ("number", "order__number")
    list_select_related = ("order", "prepared_by", "approved_by")


@admin.register(Contract)
class ContractAdmin(SafeExportAdminMixin, ExportMixin, ReadOnlyAdmin):
    resource_classes = [ContractResource]
    list_display = ("number", "order", "signed_on", "amount", "recorded_by")
    search_fields = ("number", "order__number", "order__customer__name")
    list_select_related = ("order", "recorded_by")


@admin.register(Drawing)
class DrawingAdmin(ReadOnlyAdmin):
    list_display = (
        "order",
        "version",
        "title",
        "uploaded_by",
        "issued_at",
        "recalled_at",
    )
    search_fields = ("order__number", "title")
    list_select_related = ("order", "uploaded_by")


@admin.register(ApprovalDelegation)
class ApprovalDelegationAdmin(ReadOnlyAdmin):
    list_display = ("principal", "delegate", "starts_on", "ends_on", "revoked_at")
    list_select_related = ("principal", "delegate")
