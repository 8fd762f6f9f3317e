"""The escalation list (the production manager's and the GM's) and a person's own
reminder e-mail switch."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import require

from . import selectors, services


@require_GET
def escalations(request):
    require(request.user, "reminders.view_escalations")
    day = selectors.last_escalation_day(request.user)
    rows = selectors.escalations(request.user, day) if day else []
    page = Paginator(rows, settings.ORDER_LIST_PAGE_SIZE)
    return render(
        request,
        "reminders/escalations.html",
        {"page": page.get_page(request.GET.get("page")), "day": day},
    )


@require_http_methods(["GET", "POST"])
def preferences(request):
    """Every signed-in person, on their own e-mails only."""
    if request.method == "POST":
        muted = request.POST.get("email_muted") == "on"
        services.preference_email_mute(user=request.user, muted=muted)
        messages.success(
            request,
            _("Reminder e-mails are off.") if muted else _("Reminder e-mails are on."),
        )
        return redirect("reminders:preferences")
    return render(
        request,
        "reminders/preferences.html",
        {"muted": selectors.email_muted(request.user)},
    )
