"""The admin site, with one addition to its home page: a warning when the company
calendar does not cover this year or the next (see `accounts.workdays`)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils import timezone


class AdminSite(admin.AdminSite):
    def index(self, request, extra_context=None):
        # Imported here: this module is imported while the apps load (INSTALLED_APPS
        # names its AdminConfig), before any model may be.
        from accounts.workdays import coming_years_warning, get_calendar

        warning = coming_years_warning(get_calendar(), timezone.localdate())
        return super().index(
            request, {"calendar_warning": warning, **(extra_context or {})}
        )


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin_site.AdminSite"
