"""车间看板链接: the wall TV's screen opened from a link, with no one signed in
(settings.PUBLIC_URL_NAMES lists just these two URLs), and the page where the
planner and the system administrator make and revoke those links."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import require
from core.exceptions import DuplicateSubmission, InvalidMove, ValidationError
from core.views import refusal_text

from .. import board as boards
from .. import services
from ..forms import RevokeForm, ScreenLinkForm
from ..models import ScreenLink
from .board import _poll_seconds


def _private(response):
    # The address is the key: no cache keeps the page, no Referer carries it away.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _gone(request):
    """A link that is not one, or revoked: one plain page, the same for both (a
    guess learns nothing). A TV polling it reloads into this page."""
    response = render(request, "production/wall_gone.html", status=404)
    if request.htmx:
        response["HX-Refresh"] = "true"
    return _private(response)


@never_cache
@require_GET
def wall(request, token):
    link = boards.screen_link(token)
    if link is None:
        return _gone(request)
    services.screen_link_seen(link)
    return _private(
        render(
            request,
            "production/screen.html",
            {
                "screen": boards.screen(workshop=link.workshop),
                "poll": _poll_seconds(),
                "live_url": reverse("production:wall_live", kwargs={"token": token}),
            },
        )
    )


@never_cache
@require_GET
def wall_live(request, token):
    """The wall screen's contents alone, polled by htmx."""
    link = boards.screen_link(token)
    if link is None:
        return _gone(request)
    services.screen_link_seen(link)
    return _private(
        render(
            request,
            "production/_screen.html",
            {"screen": boards.screen(workshop=link.workshop)},
        )
    )


def _links_page(request, *, form=None, new=None, status=200):
    live, revoked = boards.screen_links()
    return render(
        request,
        "production/screen_links.html",
        {
            "form": form or ScreenLinkForm(),
            "live": live,
            "revoked": revoked,
            "new": new,
            "new_url": request.build_absolute_uri(new.path) if new else "",
            "revoke_form": RevokeForm(),
        },
        status=status,
    )


@never_cache
@require_GET
def screen_links(request):
    require(request.user, "production.manage_screen_links")
    return _links_page(request)


@never_cache
@require_POST
def screen_link_create(request):
    require(request.user, "production.manage_screen_links")
    form = ScreenLinkForm(request.POST)
    if not form.is_valid():
        return _links_page(request, form=form, status=400)
    data = form.cleaned_data
    try:
        new = services.screen_link_create(
            actor=request.user,
            workshop=data["workshop"],
            label=data["label"],
            form_token=data.get("form_token"),
        )
    except DuplicateSubmission:
        messages.info(
            request,
            _(
                "This form was already submitted; the link was made once and its "
                "address shown then. If it was not noted, revoke it and make another."
            ),
        )
        return redirect("production:screen_links")
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
        return _links_page(request, form=form, status=400)
    # The address is shown on this answer only: it is not kept anywhere.
    return _links_page(request, new=new)


@require_POST
def screen_link_revoke(request, pk):
    require(request.user, "production.manage_screen_links")
    link = ScreenLink.objects.filter(pk=pk).select_related("workshop").first()
    if link is None:
        raise Http404
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.screen_link_revoke(actor=request.user, link=link, reason=reason)
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("The link of %(workshop)s %(label)s is revoked: it no longer opens.")
            % {"workshop": link.workshop.name, "label": link.label},
        )
    return redirect("production:screen_links")
