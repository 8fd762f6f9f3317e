"""What the production pages share: finding the object a user asked for (403 when
their roles never allow the action, 404 when they do not see it), a list with its
tabs and bounded pages, and a refusal put into words."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.permissions import require
from core.exports import list_export
from core.pagination import BoundedPaginator
from orders import selectors as order_selectors
from orders.models import Order

from .. import selectors
from ..models import (
    DispatchSlip,
    ProductionPlan,
)

PAGE_SIZE = 25


def _order(request, number, action: str) -> Order:
    require(request.user, action)
    try:
        return order_selectors.orders_visible_to(request.user).get(number=number)
    except Order.DoesNotExist:
        raise Http404 from None


def _plan(request, number, action: str | None = None) -> ProductionPlan:
    if action:
        require(request.user, action)
    try:
        plan = selectors.plans_visible_to(request.user).get(number=number)
    except ProductionPlan.DoesNotExist:
        raise Http404 from None
    if action:
        require(request.user, action, plan)
    return plan


def _slip(request, number, action: str | None = None) -> DispatchSlip:
    if action:
        require(request.user, action)
    try:
        slip = (
            selectors.slips_visible_to(request.user)
            .select_related("plan", "workshop")
            .get(number=number)
        )
    except DispatchSlip.DoesNotExist:
        raise Http404 from None
    if action:
        require(request.user, action, slip)
    return slip


def _list_page(request, template: str, filterset, *, show: str, export=None, **context):
    """A list with its tabs (`show`), its filters and its bounded pages; `export`
    (its columns and the file's name) answers ?export=csv|xlsx with the whole
    filtered list."""
    if export is not None:
        columns, name = export
        exported = list_export(request, filterset.qs, columns, name=name)
        if exported:
            return exported
    page = BoundedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    query["show"] = show
    return render(
        request,
        template,
        {
            "page": page,
            "show": show,
            "filter": filterset,
            "query": query.urlencode(),
            "clear_url": f"?show={show}",
            **context,
        },
    )


def _warn_if_overloaded(request, overloads) -> None:
    """A warning, not a refusal: the planner may know the workshop will work
    overtime; the board shows the day in red until it is not."""
    if not overloads:
        return
    days = "；".join(
        _("%(workshop)s %(day)s: %(load)s %(unit)s planned, capacity %(capacity)s")
        % {
            "workshop": o.workshop.name,
            "day": o.day.day.isoformat(),
            "load": o.day.load,
            "unit": o.unit,
            "capacity": o.day.capacity,
        }
        for o in overloads[:5]
    )
    messages.warning(
        request,
        _("Over a workshop's daily capacity: %(days)s.") % {"days": days},
    )
