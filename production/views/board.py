"""The plan board (计划看板) and the shop-floor screen (车间看板): thin views over
production.board. Both only show; the screen's partial is what the wall TV polls.

Who: the board — production's readers (planner, production manager, GM, QC,
technical) see every workshop, a workshop lead their own; anyone else 403. A
workshop's screen — production's readers, and that workshop's lead; another
workshop's lead gets 404 (another workshop does not exist for them, as its slips
do not), anyone else 403."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.models import Department
from accounts.permissions import may, require

from .. import board as boards


@require_GET
def plan_board(request):
    require(request.user, "production.view_board")
    board = boards.board(
        user=request.user,
        filters=request.GET,
        page_number=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "production/board.html",
        {"board": board, "filter": board.filter, "query": query.urlencode()},
    )


def _screen(request, code) -> boards.Screen:
    require(request.user, "production.view_screen")
    try:
        workshop = boards.screen_workshop(code)
    except Department.DoesNotExist:
        raise Http404 from None
    if not may(request.user, "production.view_screen", workshop):
        raise Http404
    return boards.screen(workshop=workshop)


def _poll_seconds() -> int:
    return max(int(settings.PRODUCTION_SCREEN_POLL_SECONDS), 1)


@require_GET
def workshop_screen(request, code):
    screen = _screen(request, code)
    return render(
        request,
        "production/screen.html",
        {
            "screen": screen,
            "poll": _poll_seconds(),
            "live_url": reverse("production:screen_live", args=[code]),
        },
    )


@require_GET
def workshop_screen_live(request, code):
    """The screen's contents alone, polled by htmx."""
    screen = _screen(request, code)
    return render(request, "production/_screen.html", {"screen": screen})
