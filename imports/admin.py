"""The import log in the admin: read-only, exported through core.exports. The
customers' and the catalogue's import and export in the admin are orders' own
(django-import-export, with the formats of core.exports: the CSV's encoding found,
every export neutralised)."""

from django.contrib import admin
from import_export import resources
from import_export.admin import ExportMixin

from core.exports import SafeExportAdminMixin

from .models import ImportLog


class ImportLogResource(resources.ModelResource):
    class Meta:
        model = ImportLog
        fields = (
            "id",
            "kind",
            "original_name",
            "user__username",
            "created_at",
            "finished_at",
            "status",
            "rows",
            "new",
            "updated",
            "unchanged",
            "invalid",
            "records_new",
            "records_updated",
            "message",
        )
        export_order = fields


@admin.register(ImportLog)
class ImportLogAdmin(SafeExportAdminMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [ImportLogResource]
    list_display = (
        "created_at",
        "original_name",
        "kind",
        "user",
        "status",
        "rows",
        "new",
        "updated",
        "unchanged",
        "invalid",
    )
    list_filter = ("kind", "status")
    search_fields = ("original_name", "user__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
