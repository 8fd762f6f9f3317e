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


# --- throughput ----------------------------------------------------------------------


def throughput_mix(bench: Bench) -> list[dict]:
    """Who signs in for the mix and what each of them opens: searching the order list
    and filtering it, opening orders they see, their workbench."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    people = [role_user(bench, "sales")]
    people += list(
        User.objects.filter(pk__in=_busiest_salespeople(9)).exclude(pk=people[0].pk)
    )
    for code in (
        "general_manager",
        "production_manager",
        "quoter",
        "technical",
        "finance",
        "dept_reviewer",
    ):
        people.append(role_user(bench, code))
    recent = timezone.localdate() - timedelta(days=400)
    mix = []
    for user in people:
        visible = selectors.orders_visible_to(user).filter(order_date__gte=recent)
        numbers = list(visible.order_by("?").values_list("number", flat=True)[:50])
        customers = list(
            visible.order_by("?").values_list("customer__name", flat=True)[:10]
        )
        searches = [name[2:6] for name in customers] + [n[:9] for n in numbers[:5]]
        mix.append(
            {
                "user": user,
                "paths": {
                    "order": [reverse("orders:detail", args=[n]) for n in numbers],
                    "search": [
                        f"{reverse('orders:list')}?{urlencode({'q': s})}"
                        for s in searches
                    ],
                    "filter": [
                        f"{reverse('orders:list')}?stage={Stage.PRODUCTION}",
                        f"{reverse('orders:list')}?overdue=true",
                        reverse("orders:list"),
                    ],
                    "workbench": [reverse("home")],
                },
            }
        )
    return mix


def _busiest_salespeople(n: int) -> list[int]:
    return list(
        Order.objects.order_by()
        .values_list("salesperson")
        .annotate(c=Count("id"))
        .order_by("-c")
        .values_list("salesperson", flat=True)[:n]
    )


def _throughput_check(line: dict, lines: dict) -> bool | None:
    if not line["name"].startswith("throughput.mix."):
        return None
    if line["users"] == 20:
        return (
            line.get("vs_healthz", 0) >= 1 / 3
            and line["p95_ms"] is not None
            and line["p95_ms"] < 150
            and line["errors"] == 0
        )
    return line["errors"] == 0


@register(
    "throughput",
    group="throughput",
    goal="mix at 20 users ≥ ⅓ of /healthz/ req/s, p95 < 150 ms, 0 errors; "
    "at 50 users 0 errors",
    check=_throughput_check,
)
def throughput(bench: Bench) -> list[dict]:
    from core.benchload import run_throughput

    return run_throughput(bench, throughput_mix(bench))
