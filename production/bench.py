"""The shop floor's figures for `manage.py bench` (issue 12): a workshop lead's slip
list, page 1 and the deepest page offered; the report screen of the busy slip (its
bytes — what a phone on the workshop's Wi-Fi downloads — and its server time); a
report posted from it through htmx (the partial it answers with); the planner's plan
list."""

from __future__ import annotations

import math
import uuid

from django.conf import settings
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from accounts.bench import role_user
from accounts.models import User
from accounts.roles import ROLE_BY_CODE
from core.bench import Bench, ratio_at_most, register

from . import selectors
from .models import DispatchSlip
from .scale import BUSY_SLIP
from .views.common import PAGE_SIZE

PAGE_GOAL = "≤ 3× floor"


def _busy(bench: Bench) -> tuple[DispatchSlip, User]:
    """The busy slip and a lead of its workshop (on a little data that has none,
    the started slip with the most reports)."""

    def find():
        slips = DispatchSlip.objects.select_related("workshop")
        most = slips.annotate(n=Count("reports")).order_by("-n", "pk")
        slip = (
            slips.filter(notes=BUSY_SLIP).first()
            or most.filter(status=DispatchSlip.Status.STARTED).first()
            or most.first()
        )
        lead = (
            User.objects.filter(
                is_active=True,
                department=slip.workshop,
                groups__name=ROLE_BY_CODE["workshop_lead"].group_name,
            )
            .order_by("username")
            .first()
        )
        return slip, lead

    return bench.remember("busy_slip", find)


def _slips(deep: bool):
    def measure(bench: Bench) -> dict:
        lead = role_user(bench, "workshop_lead")
        url = reverse("production:slips")
        page = 1
        if deep:
            count = min(
                selectors.slip_list(user=lead, show="finished").count(),
                settings.LIST_COUNT_BOUND,
            )
            page = max(1, math.ceil(count / PAGE_SIZE))
            url += f"?show=finished&page={page}"
        result = bench.page(lead, url, explain=True)
        result["page"] = page
        return result

    return measure


register("slips.lead.p1", group="shop floor", goal=PAGE_GOAL, check=ratio_at_most(3))(
    _slips(False)
)
register(
    "slips.lead.finished.deep",
    group="shop floor",
    goal=PAGE_GOAL,
    check=ratio_at_most(3),
)(_slips(True))


@register(
    "slip_report.screen",
    group="shop floor",
    goal="≤ 3× floor; small enough for a phone (bytes)",
    check=ratio_at_most(3),
)
def report_screen(bench: Bench) -> dict:
    slip, lead = _busy(bench)
    return bench.page(lead, slip.get_absolute_url(), explain=True)


@register("slip_report.post", group="shop floor", goal="one tap's answer (htmx)")
def report_post(bench: Bench) -> dict:
    """One report of one good piece, as the phone posts it; the answer is the slip
    card alone. Each run writes a report (the busy slip grows by `runs + 2`)."""
    slip, lead = _busy(bench)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(lead)
    url = reverse("production:slip_report", args=[slip.number])
    sizes = []

    def post(token):
        response = client.post(
            url,
            {"token": str(token), "good": "1", "scrap": "0"},
            HTTP_HX_REQUEST="true",
        )
        if response.status_code != 200:
            raise RuntimeError(f"POST {url}: {response.status_code}")
        sizes.append(len(response.content))

    result = bench.call(uuid.uuid4, post)
    result.update(bytes=sizes[-1], url=url, user=lead.username)
    return result


@register(
    "plans.planner.p1", group="shop floor", goal=PAGE_GOAL, check=ratio_at_most(3)
)
def plan_list(bench: Bench) -> dict:
    planner = role_user(bench, "production_planner")
    return bench.page(planner, reverse("production:plans"), explain=True)


@register(
    "board.planner",
    group="shop floor",
    goal="≤ 3× floor, the same at 1k and 1M",
    check=ratio_at_most(3),
)
def board(bench: Bench) -> dict:
    """The plan board: every workshop's open slips (bounded) and its load strip."""
    planner = role_user(bench, "production_planner")
    return bench.page(planner, reverse("production:board"), explain=True)


@register(
    "screen.live",
    group="shop floor",
    goal="≤ 3× floor, the same at 1k and 1M",
    check=ratio_at_most(3),
)
def screen(bench: Bench) -> dict:
    """What the wall TV asks for every 30 s: its workshop's part of the screen."""
    lead = role_user(bench, "workshop_lead")
    url = reverse("production:screen_live", args=[lead.department.code])
    return bench.page(lead, url, explain=True)
