"""The admin keeps each workshop's daily capacity (车间产能); plans, slips and
reports change only through production.services."""

from django.contrib import admin

from .models import WorkshopCapacity


@admin.register(WorkshopCapacity)
class WorkshopCapacityAdmin(admin.ModelAdmin):
    list_display = ("department", "daily_capacity", "unit")
    list_editable = ("daily_capacity", "unit")
    list_select_related = ("department",)
