"""The orders' figures for `manage.py bench` (issue 11): the order list, page 1 and a
deep page, with and without the usual filters, for a salesperson and the general
manager; the order page of the busy order; and the throughput run."""

from __future__ import annotations

import math
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.bench import role_user
from core.bench import Bench, ratio_at_most, register

from . import selectors
from .models import Customer, Order
from .scale import BUSY_PO
from .stages import Stage

DEEP_PAGE = 2000
PAGE_GOAL = "≤ 3× floor"
DEEP_GOAL = "≤ 1.5× page 1"
WHO = {"sales": "sales", "gm": "general_manager"}


def _top_customer(user) -> int | None:
    orders = selectors.orders_visible_to(user)
    top = (
        orders.order_by()
        .values("customer")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return top["customer"] if top else None


def _filters(bench: Bench, name: str, user) -> dict:
    today = timezone.localdate()
    if name == "all":
        return {}
    if name == "stage":
        return {"stage": Stage.PRODUCTION}
    if name == "stage_customer":
        customer = bench.remember(
            ("top_customer", user.pk), lambda: _top_customer(user)
        )
        return {"stage": Stage.COMPLETED, "customer": customer}
    if name == "dates":
        return {
            "order_date_after": (today - timedelta(days=365)).isoformat(),
            "order_date_before": today.isoformat(),
        }
    if name == "overdue":
        return {"overdue": "true"}
    if name == "search":
        # What a user types: a piece of a customer's name (their busiest one).
        customer = bench.remember(
            ("top_customer", user.pk), lambda: _top_customer(user)
        )
        return {"q": Customer.objects.get(pk=customer).name[2:6]}
    raise ValueError(name)


def _deep_check(line: dict, lines: dict) -> bool | None:
    first = lines.get(line["name"].removesuffix(".deep") + ".p1")
    if not first or first.get("median_ms") is None:
        return None
    return line["median_ms"] <= 1.5 * first["median_ms"]


def _list_figure(who: str, filters: str, deep: bool):
    def measure(bench: Bench) -> dict:
        user = role_user(bench, WHO[who])
        query = _filters(bench, filters, user)
        page = 1
        if deep:
            # The list counts up to LIST_COUNT_BOUND rows and offers the pages
            # to there (core.pagination): the deepest page a user can reach.
            count = min(
                selectors.order_list(user=user, filters=query)[0].count(),
                settings.LIST_COUNT_BOUND,
            )
            last = max(1, math.ceil(count / settings.ORDER_LIST_PAGE_SIZE))
            page = min(DEEP_PAGE, last)
        url = reverse("orders:list")
        params = urlencode({**query, "page": page} if page > 1 else query)
        result = bench.page(user, f"{url}?{params}" if params else url, explain=True)
        result["page"] = page
        return result

    return measure


for _who in WHO:
    for _filters_name in (
        "all",
        "stage",
        "stage_customer",
        "dates",
        "overdue",
        "search",
    ):
        for _deep in (False, True):
            register(
                f"order_list.{_who}.{_filters_name}.{'deep' if _deep else 'p1'}",
                group="order list",
                goal=DEEP_GOAL if _deep else PAGE_GOAL,
                check=_deep_check if _deep else ratio_at_most(3),
            )(_list_figure(_who, _filters_name, _deep))


@register(
    "order_page.busy.gm",
    group="order page",
    goal="≤ 3× floor (200 lines, 500 events)",
    check=ratio_at_most(3),
)
def order_page(bench: Bench) -> dict:
    order = Order.objects.get(customer_po=BUSY_PO)
    user = role_user(bench, "general_manager")
    return bench.page(user, order.get_absolute_url())
