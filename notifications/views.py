"""The inbox: the list, the bell's count (an htmx partial loaded after the page), and
marking read."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services


@require_GET
def inbox(request):
    page = Paginator(selectors.inbox(request.user), settings.ORDER_LIST_PAGE_SIZE)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "unread": selectors.unread_count(request.user),
        },
    )


@require_GET
def bell(request):
    return render(
        request,
        "notifications/_bell.html",
        {"unread": selectors.unread_count(request.user)},
    )


@require_POST
def open_notice(request, pk: int):
    """Mark read and go to what it is about (a page of this site only)."""
    notice = services.notification_read(user=request.user, notification_id=pk)
    link = notice.link if notice is not None else ""
    if link and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}
    ):
        return redirect(link)
    return redirect("notifications:inbox")


@require_POST
def read_all(request):
    services.notifications_read_all(user=request.user)
    return redirect("notifications:inbox")
