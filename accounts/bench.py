"""The accounts' figures for `manage.py bench` (issue 11): each role's workbench (the
home page `/`) and the navigation's badges alone, and who signs in for a role."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from core.bench import Bench, register

from .roles import ROLE_BY_CODE, ROLES

GOAL = "within 1.5× between 1k and 1M orders"


def role_user(bench: Bench, code: str):
    """Who signs in for a role: its holder with the fewest other roles, the first by
    username — the same person at every data size (seed_scale names its staff the
    same way whatever the size), so a figure at 1k and at 1M compares one user's
    page with itself."""

    def pick():
        from .models import User

        holders = User.objects.filter(
            is_active=True, groups__name=ROLE_BY_CODE[code].group_name
        )
        holders = holders.annotate(roles=Count("groups", distinct=True)).order_by(
            "roles", "username"
        )
        user = holders.select_related("department").first()
        if user is None:
            raise LookupError(f"No active user holds the role {code!r}")
        return user

    return bench.remember(("role_user", code), pick)


def _workbench(code: str):
    def measure(bench: Bench) -> dict:
        return bench.page(role_user(bench, code), reverse("home"))

    return measure


def _badges(code: str):
    # The badges come after every page, through htmx (accounts.views.nav_badges).
    def measure(bench: Bench) -> dict:
        return bench.page(role_user(bench, code), reverse("nav_badges"))

    return measure


for _role in ROLES:
    register(f"workbench.{_role.code}", group="workbench", goal=GOAL)(
        _workbench(_role.code)
    )
    register(f"badges.{_role.code}", group="badges", goal=GOAL)(_badges(_role.code))
