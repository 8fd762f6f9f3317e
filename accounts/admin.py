from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, Department, User, WorkingWeek


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "head", "sort_order")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    autocomplete_fields = ("head",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "display_name",
        "department",
        "roles_display",
        "is_active",
        "last_login",
    )
    list_filter = ("department", "groups", "is_active", "is_staff")
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    list_select_related = ("department",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("display_name", "department", "email", "phone")},
        ),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "display_name",
                    "department",
                    "groups",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles_display(self, obj):
        return "、".join(group.name for group in obj.groups.all()) or "-"


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Public holidays and make-up working days, entered each year from the State
    Council's announcement; `accounts.workdays` reads them."""

    list_display = ("date", "weekday", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"  # the year (and month) filter
    search_fields = ("name",)

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj):
        # The weekday is what the admin checks against the announcement ("1月4日（周日）
        # 上班"), so it is shown beside every date.
        return date_format(obj.date, "l")


@admin.register(WorkingWeek)
class WorkingWeekAdmin(admin.ModelAdmin):
    """The single working-week row: it may be changed, never added twice or deleted."""

    list_display = ("__str__", "saturday_is_working", "updated_at")
    fields = ("saturday_is_working", "updated_at")
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not WorkingWeek.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
