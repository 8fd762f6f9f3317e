from django.contrib import admin

from .models import DefectType


@admin.register(DefectType)
class DefectTypeAdmin(admin.ModelAdmin):
    """The kept list of defects (缺陷类型): the system administrator keeps it."""

    list_display = ("position", "code", "name", "is_active")
    list_editable = ("name", "is_active")
    ordering = ("position", "code")
