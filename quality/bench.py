"""Quality's figures for `manage.py bench` (issue 19): the QC workbench (every
queue QC has: orders waiting for the final inspection, slips for a process or
first-article check, reworked pieces to re-inspect, nonconformances) and the
inspection screen of an order waiting for its final inspection — the oldest due,
the one a QC inspector opens first."""

from __future__ import annotations

from django.urls import reverse

from accounts.bench import role_user
from core.bench import Bench, ratio_at_most, register

from . import selectors

PAGE_GOAL = "≤ 3× floor"


@register("quality.workbench", group="quality", goal=PAGE_GOAL, check=ratio_at_most(3))
def workbench(bench: Bench) -> dict:
    inspector = role_user(bench, "qc_inspector")
    return bench.page(inspector, reverse("quality:workbench"), explain=True)


@register(
    "quality.inspect.screen",
    group="quality",
    goal=PAGE_GOAL,
    check=ratio_at_most(3),
)
def inspect_screen(bench: Bench) -> dict:
    inspector = role_user(bench, "qc_inspector")
    order = bench.remember(
        "quality_order", lambda: selectors.orders_to_inspect().first()
    )
    if order is None:
        raise RuntimeError("no order waits for the final inspection")
    url = reverse("quality:inspect", kwargs={"number": order.number})
    return bench.page(inspector, url, explain=True)
