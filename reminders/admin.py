"""The administrator's view of the reminders: each run's log with a "run now"
button, the group robots per department, the outbox (what was sent, what failed and
why) and the reminders sent. django-celery-beat's own admin shows the schedule."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import may

from . import services, tasks
from .enqueue import publish
from .models import Outbox, Preference, Reminder, RobotChannel, RunLog


@admin.register(RunLog)
class RunLogAdmin(admin.ModelAdmin):
    change_list_template = "admin/reminders/runlog/change_list.html"
    list_display = (
        "as_of",
        "trigger",
        "started_at",
        "finished_at",
        "items",
        "reminders",
        "outbox",
        "skipped",
        "has_errors",
    )
    list_filter = ("trigger", "skipped")
    readonly_fields = [f.name for f in RunLog._meta.fields]

    @admin.display(boolean=True, description=gettext_lazy("errors"))
    def has_errors(self, run):
        return bool(run.errors)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "run/",
                self.admin_site.admin_view(self.run_now),
                name="reminders_runlog_run",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_run": may(request.user, "reminders.run_reminders"),
        }
        return super().changelist_view(request, extra_context)

    def run_now(self, request):
        """The day's run: on the broker when one is set (answered at once; a broker
        that cannot be reached is logged and the run happens here instead), here
        and now without one."""
        if request.method != "POST":
            return redirect("admin:reminders_runlog_changelist")
        if not may(request.user, "reminders.run_reminders"):
            raise PermissionDenied
        from django.conf import settings

        if not settings.CELERY_TASK_ALWAYS_EAGER and publish(
            tasks.send_reminders, None, RunLog.Trigger.BUTTON
        ):
            messages.success(request, _("The reminders run on the worker now."))
            return redirect("admin:reminders_runlog_changelist")
        run = services.send_reminders(trigger=RunLog.Trigger.BUTTON)
        counts = services.deliver_outbox()
        if run.skipped:
            messages.info(request, _("Today is a rest day: no reminders."))
        else:
            messages.success(
                request,
                _(
                    "%(reminders)s reminders sent for %(items)s open items; "
                    "%(sent)s messages delivered, %(failed)s failed."
                )
                % {
                    "reminders": run.reminders,
                    "items": run.items,
                    "sent": counts["sent"],
                    "failed": counts["failed"],
                },
            )
        return redirect("admin:reminders_runlog_changelist")


@admin.register(RobotChannel)
class RobotChannelAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("department", "kind", "active")
    list_filter = ("kind", "active")
    list_select_related = ("department",)


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = (
        "day",
        "channel",
        "target",
        "attempts",
        "sent_at",
        "failed",
        "next_attempt_at",
    )
    list_filter = ("channel", "failed", "day")
    readonly_fields = [f.name for f in Outbox._meta.fields if f.name != "failed"]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=gettext_lazy("Send again"))
    def retry(self, request, queryset):
        queryset.filter(sent_at__isnull=True).update(
            failed=False, next_attempt_at=None, attempts=0
        )
        counts = services.deliver_outbox(
            ids=list(queryset.values_list("pk", flat=True))
        )
        messages.info(
            request,
            _("%(sent)s sent, %(failed)s failed.") % counts,
        )


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("day", "kind", "order_number", "label", "recipient", "overdue_days")
    list_filter = ("kind", "day")
    search_fields = ("order_number", "key")
    list_select_related = ("recipient",)
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_muted")
    list_select_related = ("user",)
