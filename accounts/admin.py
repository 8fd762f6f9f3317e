from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .calendar_library import LIBRARY
from .models import (
    CalendarDay,
    CalendarSource,
    CalendarYear,
    CompanyProfile,
    Department,
    User,
    WorkingWeek,
)
from .services import calendar_load_library


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
            {"fields": ("display_name", "department", "email", "phone", "language")},
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
    """Public holidays and make-up working days: loaded from the calendar library
    (the changelist's button, or `manage.py load_calendar`), or entered by hand from
    the State Council's announcement; `accounts.workdays` reads them."""

    list_display = ("date", "weekday", "kind", "name", "source")
    list_filter = ("kind", "source")
    date_hierarchy = "date"  # the year (and month) filter
    search_fields = ("name",)
    readonly_fields = ("source",)

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj):
        # The weekday is what the admin checks against the announcement ("1月4日（周日）
        # 上班"), so it is shown beside every date.
        return date_format(obj.date, "l")

    def save_model(self, request, obj, form, change):
        # A day saved here is the admin's: the loader never overwrites it.
        obj.source = CalendarSource.ADMIN
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "load-library/",
                self.admin_site.admin_view(self.load_library_view),
                name="accounts_calendarday_load_library",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "can_load_calendar": request.user.has_perm("accounts.load_calendar"),
            "calendar_library": LIBRARY,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @method_decorator(require_POST)
    def load_library_view(self, request):
        """The changelist's "update from the calendar library" button: the same
        loader as `manage.py load_calendar`, reported as a message."""
        if not request.user.has_perm("accounts.load_calendar"):
            raise PermissionDenied
        try:
            result = calendar_load_library(actor=request.user)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            first, *rest = result.summary()
            level = messages.SUCCESS if result.changed_anything else messages.INFO
            messages.add_message(request, level, first)
            for line in rest:
                messages.warning(request, line)
        return redirect("admin:accounts_calendarday_changelist")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """The years the calendar covers. The loader records the library's years; the
    admin marks a year here once its days are entered by hand."""

    list_display = ("year", "source", "loaded_at", "note")
    list_filter = ("source",)
    fields = ("year", "note", "source", "loaded_at")
    readonly_fields = ("source", "loaded_at")

    def save_model(self, request, obj, form, change):
        # A year saved here is the admin's: the loader never overwrites it.
        obj.source = CalendarSource.ADMIN
        super().save_model(request, obj, form, change)


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


@admin.register(CompanyProfile)
class CompanyProfileAdmin(admin.ModelAdmin):
    """The company's own details, printed at the head of every form: one row, kept
    by the system administrator; it may be changed, never added twice or deleted."""

    list_display = ("name", "phone", "tax_id", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "address", ("phone", "fax"))}),
        (_("Invoicing"), {"fields": ("tax_id", ("bank_name", "bank_account"))}),
        (None, {"fields": ("updated_at",)}),
    )
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request) and not CompanyProfile.objects.exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False
