"""What every order view does the same way, written once: find the order an action
is asked on (403 / 404 as the rules say), run one service for a posted page and
answer as every page does, and show a service's refusal on the form it came from."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404
from django.shortcuts import render

from accounts.permissions import require
from core.views import (
    ALREADY_DONE,
)
from core.views import run as core_run

from .. import history, selectors
from ..exceptions import StaleEdit
from ..models import Order


def visible_order(request, number) -> Order:
    try:
        return selectors.orders_visible_to(request.user).get(number=number)
    except Order.DoesNotExist:
        raise Http404 from None


def order_for(request, number, action: str) -> Order:
    """The order an action is asked on: 403 when the user's roles never allow the
    action, 404 when they do not see the order, 403 when it is not theirs to act on
    (orders.permissions)."""
    require(request.user, action)
    order = visible_order(request, number)
    require(request.user, action, order)
    return order


def stale(request, exc: StaleEdit, order: Order):
    """The "someone else saved first" page: what changed since, nothing saved."""
    return render(
        request,
        "orders/stale.html",
        {
            "message": exc,
            "order": order,
            "history": history.history(
                selectors.readable(request.user, order, exc.events)
            ),
        },
        status=409,
    )


def run(
    request,
    call: Callable,
    *,
    order: Order | None,
    done=None,
    then=None,
    form=None,
    formset=None,
    duplicate=ALREADY_DONE,
    back=None,
):
    """core.views.run for an order's page: success and refusals back on the order,
    a page opened before someone else's save answered by the stale page with what
    changed since."""
    return core_run(
        request,
        call,
        home=order.get_absolute_url() if order is not None else "/",
        done=done,
        then=then,
        form=form,
        formset=formset,
        duplicate=duplicate,
        back=back,
        on_stale=lambda exc: stale(request, exc, order),
    )
