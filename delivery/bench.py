"""The warehouse's figures for `manage.py bench`: its workbench (passed goods to
receive, stock ready to ship, receipts awaited — each a bounded list however many
orders there are) and the page of the newest shipment with its printed 送货单."""

from __future__ import annotations

from django.urls import reverse

from accounts.bench import role_user
from core.bench import Bench, ratio_at_most, register

from .models import Shipment

PAGE_GOAL = "≤ 3× floor, the same at 1k and 1M"


@register(
    "warehouse.workbench", group="warehouse", goal=PAGE_GOAL, check=ratio_at_most(3)
)
def workbench(bench: Bench) -> dict:
    warehouse = role_user(bench, "warehouse")
    return bench.page(warehouse, reverse("delivery:warehouse"), explain=True)


def _newest(bench: Bench) -> Shipment:
    return bench.remember(
        "newest_shipment", lambda: Shipment.objects.order_by("-id").first()
    )


@register("shipment.page", group="warehouse", goal=PAGE_GOAL, check=ratio_at_most(3))
def shipment_page(bench: Bench) -> dict:
    warehouse = role_user(bench, "warehouse")
    return bench.page(warehouse, _newest(bench).get_absolute_url(), explain=True)


@register("shipment.print", group="warehouse", goal=PAGE_GOAL, check=ratio_at_most(3))
def shipment_print(bench: Bench) -> dict:
    """The 送货单's four copies with its QR code."""
    warehouse = role_user(bench, "warehouse")
    url = reverse("delivery:shipment_print", args=[_newest(bench).number])
    return bench.page(warehouse, url, explain=True)
