"""备料: the order's materials readiness, recorded by purchasing from the review
until production ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.workdays import get_calendar
from core.dates import check_within
from core.exceptions import InvalidMove, ValidationError
from orders.models import Order, ReviewSignoff
from orders.services import action_require, lock_order, record_event
from orders.stages import MATERIALS_COMMITTED_BY

from .. import actions
from .. import events as types
from ..models import (
    MaterialArrival,
    MaterialLine,
    MaterialRequirement,
)
from ..selectors import MATERIALS_STAGES
from .common import (
    _plain,
    _require,
    _text,
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


@dataclass
class MaterialLineData:
    """One row of the materials form: a line to keep (`id` of an existing one, or
    None for a new one), or to delete; `arrived_now` is a delivery being recorded."""

    material: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    spec: str = ""
    supplier: str = ""
    po_number: str = ""
    expected_quantity: Decimal | None = None
    expected_date: date | None = None
    arrived_now: Decimal | None = None
    id: int | None = None
    delete: bool = False


MAX_LINES = 50
STALE = _(
    "Someone else changed the materials after you opened the page; nothing was "
    "saved. Reload the page."
)


def _status_of(lines) -> str:
    """The milestone from the lines: ready when every line has arrived; partly
    arrived once something came; ordered once a line is on a purchase order."""
    Status = MaterialRequirement.Status
    if lines and all(line.arrived_at is not None for line in lines):
        return Status.READY
    if any(line.arrived_quantity > 0 or line.arrived_at for line in lines):
        return Status.ARRIVED
    if any(line.po_number for line in lines):
        return Status.ORDERED
    return Status.NEEDED


def _over_limit(line) -> Decimal | None:
    """The most that may arrive on a line: what is expected (or needed) plus the
    over-delivery tolerance (settings.MATERIALS_OVER_ARRIVAL_PERCENT)."""
    base = line.expected_quantity or line.quantity
    if base is None:
        return None
    percent = Decimal(str(settings.MATERIALS_OVER_ARRIVAL_PERCENT))
    return base * (1 + percent / 100)


def _shown(value) -> str:
    return "" if value is None else _plain(value)


@transaction.atomic
def materials_record(
    *,
    actor,
    order: Order,
    lines: list[MaterialLineData],
    product=None,
    version: int | None = None,
) -> MaterialRequirement:
    """Purchasing records what the order needs, line by line (material,
    specification, quantity, unit, supplier, purchase order, expected quantity and
    date) and the deliveries as they come. The status follows from the lines
    (needed → ordered → partly arrived → ready when every line has arrived). Every
    save is a line in the order's history with the status and expected date
    old → new and what arrived."""
    _require(actor, "production.manage_materials", order)
    locked = lock_order(order)
    action_require(action=actions.RECORD_MATERIALS, order=locked)
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
        raise ValidationError(STALE)
    existing = (
        {line.pk: line for line in requirement.lines.select_for_update()}
        if requirement.pk
        else {}
    )
    old_status = requirement.status
    old_expected = requirement.expected_date
    errors: list[str] = []
    span = date_span(locked)
    kept, deleted, arrivals = [], [], []
    if len(lines) > MAX_LINES:
        errors.append(_("At most %(max)s lines.") % {"max": MAX_LINES})
    for index, row in enumerate(lines, start=1):
        line = existing.get(row.id) if row.id else None
        if row.id and line is None:
            errors.append(STALE)
            continue
        if row.delete:
            if line is not None:
                if line.arrived_quantity > 0:
                    errors.append(
                        _("Line %(line)s has arrivals on record: it is kept.")
                        % {"line": index}
                    )
                    kept.append(line)
                else:
                    deleted.append(line)
            continue
        say = []
        material = _text(row.material, 200)
        if not material:
            say.append(_("name the material"))
        if row.quantity is None or row.quantity <= 0:
            say.append(_("the quantity needed must be more than zero"))
        if row.expected_quantity is not None and row.expected_quantity < 0:
            say.append(_("the quantity expected cannot be negative"))
        if row.arrived_now is not None and row.arrived_now < 0:
            say.append(_("an arrival cannot be negative"))
        problems: dict[str, list] = {}
        check_within(span, problems, expected_date=row.expected_date)
        say += [m for messages in problems.values() for m in messages]
        if say:
            errors.append(
                _("Line %(line)s: %(problems)s.")
                % {"line": index, "problems": "；".join(str(m) for m in say)}
            )
            continue
        if line is None:
            line = MaterialLine(requirement=requirement)
        line.position = index
        line.material = material
        line.spec = _text(row.spec, 100)
        line.quantity = row.quantity
        line.unit = _text(row.unit, 16)
        line.supplier = _text(row.supplier, 128)
        line.po_number = _text(row.po_number, 64)
        line.expected_quantity = row.expected_quantity
        line.expected_date = row.expected_date
        if row.arrived_now:
            limit = _over_limit(line)
            total = line.arrived_quantity + row.arrived_now
            if limit is not None and total > limit:
                errors.append(
                    _(
                        "Line %(line)s: %(total)s would have arrived, more than the "
                        "%(expected)s expected and %(percent)s%% over."
                    )
                    % {
                        "line": index,
                        "total": _plain(total),
                        "expected": _plain(line.expected_quantity or line.quantity),
                        "percent": settings.MATERIALS_OVER_ARRIVAL_PERCENT,
                    }
                )
                continue
            line.arrived_quantity = total
            arrivals.append((line, row.arrived_now))
        kept.append(line)
    if not kept and not errors:
        errors.append(_("List the materials needed: at least one line."))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for line in kept:
        if line.quantity is not None and line.arrived_quantity >= line.quantity:
            line.arrived_at = line.arrived_at or now
        elif line.quantity is not None:
            line.arrived_at = None
    status = _status_of(kept)
    waiting = [line.expected_date for line in kept if not line.has_arrived]
    requirement.expected_date = max((d for d in waiting if d is not None), default=None)
    requirement.product = product
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
    MaterialLine.objects.filter(pk__in=[line.pk for line in deleted]).delete()
    for line in kept:
        line.requirement = requirement
        line.save()
    MaterialArrival.objects.bulk_create(
        MaterialArrival(line=line, quantity=quantity, recorded_by=actor)
        for line, quantity in arrivals
    )
    record_event(
        order=locked,
        type_=types.MATERIALS_RECORDED,
        user=actor,
        parameters={
            "status_old": old_status if old_status != status else None,
            "status": status,
            "expected_old": old_expected.isoformat()
            if old_expected and old_expected != requirement.expected_date
            else None,
            "expected_date": requirement.expected_date.isoformat()
            if requirement.expected_date
            else None,
            "items": [line.summary for line in kept][:20],
            "arrivals": [
                f"{line.material} {line.spec} +{_plain(quantity)}{line.unit}".replace(
                    "  ", " "
                )
                for line, quantity in arrivals
            ][:20],
            "removed": [line.summary for line in deleted][:20],
        },
    )
    return requirement


def _materials_ready(order: Order) -> bool:
    return MaterialRequirement.objects.filter(
        order=order, status=MaterialRequirement.Status.READY
    ).exists()
