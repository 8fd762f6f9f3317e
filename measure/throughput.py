"""The throughput figure of `manage.py bench`: a mix of the pages the office opens
most (searching and filtering the order list, opening orders, the workbench) by
the people who open them, at 20 and 50 users, against `/healthz/` on the same
server (measure.load runs it)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.bench import role_user
from core.bench import Bench, register
from orders import selectors
from orders.models import Order
from orders.stages import Stage


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
    from .load import run_throughput

    return run_throughput(bench, throughput_mix(bench))
