"""The admin keeps each workshop's daily capacity (车间产能) and the routings
(工艺路线); plans, slips and reports change only through production.services."""

from django.contrib import admin

from .models import Routing, RoutingStep, WorkshopCapacity


@admin.register(WorkshopCapacity)
class WorkshopCapacityAdmin(admin.ModelAdmin):
    list_display = ("department", "daily_capacity", "unit")
    list_editable = ("daily_capacity", "unit")
    list_select_related = ("department",)


class RoutingStepInline(admin.TabularInline):
    model = RoutingStep
    extra = 1
    fields = (
        "position",
        "operation",
        "workshop",
        "days",
        "first_article_check",
        "process_check",
        "notes",
    )


@admin.register(Routing)
class RoutingAdmin(admin.ModelAdmin):
    """工艺路线: the planner's page (production:routings) keeps them too."""

    list_display = ("product", "updated_by", "updated_at")
    list_select_related = ("product", "updated_by")
    search_fields = ("product__model_code", "product__name")
    autocomplete_fields = ()
    raw_id_fields = ("product",)
    readonly_fields = ("updated_by", "updated_at", "version")
    inlines = [RoutingStepInline]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
