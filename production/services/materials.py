"""备料: the order's materials readiness, recorded by purchasing from the review
until production ends."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.workdays import get_calendar
from core.dates import check_within
from orders import events
from orders.concurrency import lock_order
from orders.exceptions import InvalidMove, ValidationError
from orders.models import Order, ReviewSignoff
from orders.stages import MATERIALS_COMMITTED_BY

from .. import events as types
from ..models import (
    MaterialRequirement,
)
from .common import (
    MATERIALS_STAGES,
    TEXT_MAX,
    _require,
    date_span,
)


def materials_due(order: Order, concluded_at=None) -> date | None:
    """The materials milestone: the review's conclusion + the working days purchasing
    committed on the review sheet (DOMAIN.md), or None when it committed none."""
    row = (
        ReviewSignoff.objects.filter(
            review__order=order,
            department__code=MATERIALS_COMMITTED_BY,
            days_needed__isnull=False,
        )
        .select_related("review")
        .first()
    )
    if row is None:
        return None
    concluded_at = concluded_at or row.review.concluded_at
    if concluded_at is None:
        return None
    return get_calendar().add_working_days(
        timezone.localdate(concluded_at), row.days_needed
    )


def materials_open(*, order: Order, now=None) -> MaterialRequirement:
    """Open (or re-date) the order's materials record when the review concludes: an
    effect of the conclusion's moves, in their transaction."""
    due = materials_due(order, now)
    requirement, created = MaterialRequirement.objects.get_or_create(
        order=order, defaults={"due_date": due}
    )
    if not created and requirement.due_date != due:
        requirement.due_date = due
        requirement.save(update_fields=["due_date", "updated_at"])
    return requirement


@transaction.atomic
def materials_record(
    *,
    actor,
    order: Order,
    items: str,
    status: str,
    expected_date: date | None = None,
    product=None,
    version: int | None = None,
) -> MaterialRequirement:
    """Purchasing records what the order needs and how far it is (needed → ordered →
    arrived → ready). Every save is a line in the order's history."""
    _require(actor, "production.manage_materials", order)
    locked = lock_order(order)
    if locked.stage not in MATERIALS_STAGES:
        raise InvalidMove(
            _(
                "The order is at “%(stage)s”: materials are recorded from the review "
                "until production ends."
            )
            % {"stage": locked.get_stage_display()}
        )
    requirement = (
        MaterialRequirement.objects.select_for_update().filter(order=locked).first()
    )
    if requirement is None:
        requirement = MaterialRequirement(order=locked, due_date=materials_due(locked))
    elif version is not None and version != requirement.version:
        raise ValidationError(
            _(
                "Someone else changed the materials after you opened the page; nothing "
                "was saved. Reload the page."
            )
        )
    items = "\n".join(
        line.strip()[:200] for line in (items or "").splitlines() if line.strip()
    )
    errors = {}
    if status not in MaterialRequirement.Status.values:
        errors["status"] = [_("Choose one of the listed states.")]
    if not items and product is None:
        errors["items"] = [_("List the materials needed (one per line).")]
    if len(items) > TEXT_MAX:
        errors["items"] = [
            _("At most %(max)s characters.") % {"max": TEXT_MAX},
        ]
    check_within(date_span(locked), errors, expected_date=expected_date)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    requirement.items = items
    requirement.product = product
    requirement.expected_date = expected_date
    requirement.status = status
    Status = MaterialRequirement.Status
    reached = Status.values.index(status)
    for step, field in (
        (Status.ORDERED, "ordered_at"),
        (Status.ARRIVED, "arrived_at"),
        (Status.READY, "ready_at"),
    ):
        if reached >= Status.values.index(step):
            if getattr(requirement, field) is None:
                setattr(requirement, field, now)
        else:
            setattr(requirement, field, None)
    requirement.updated_by = actor
    if requirement.pk:
        requirement.version += 1
    requirement.full_clean(exclude=["order", "product", "updated_by"])
    requirement.save()
    events.record(
        order=locked,
        type_=types.MATERIALS_RECORDED,
        user=actor,
        parameters={
            "status": status,
            "expected_date": expected_date.isoformat() if expected_date else None,
            "items": requirement.item_lines[:20],
        },
    )
    return requirement


def _materials_ready(order: Order) -> bool:
    return MaterialRequirement.objects.filter(
        order=order, status=MaterialRequirement.Status.READY
    ).exists()
