"""Reads of the production app."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from orders.models import OrderEvent, StageDeadline
from orders.stages import Stage

from .services import REPORTED


def reports_of(order) -> list:
    return list(
        OrderEvent.objects.filter(order=order, type=REPORTED).select_related("user")
    )


def production_load(weeks: int = 4) -> list[dict]:
    """Orders due out of production per week, for the coming weeks: the load the
    production reviewer weighs before committing days (by workshop once the
    dispatch slips exist)."""
    today = timezone.localdate()
    until = today + timedelta(weeks=weeks)
    rows = (
        StageDeadline.objects.filter(
            stage=Stage.PRODUCTION,
            completed_at__isnull=True,
            due_date__gte=today,
            due_date__lt=until,
        )
        .annotate(week=TruncWeek("due_date"))
        .values("week")
        .annotate(orders=Count("id"))
        .order_by("week")
    )
    return list(rows)
