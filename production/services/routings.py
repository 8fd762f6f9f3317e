"""工艺路线: a catalogue item's operations in order, kept by the planner; a draft
plan's dispatch slips made from it in one step — each step a slip after the
previous one, its dates laid back from the plan's completion (or forward from its
start) by the step's usual working days on the company calendar."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.workdays import get_calendar
from core.dates import check_within
from core.exceptions import InvalidMove, ValidationError
from core.submissions import claim_token, record_result
from orders.models import Product
from orders.services import record_event

from .. import actions
from .. import events as types
from ..models import DispatchSlip, ProductionPlan, Routing, RoutingStep
from .common import (
    _locked_plan,
    _may_act,
    _require,
    _slip_number,
    _text,
    date_span,
)
from .plans import PLAN_UNDER_REVIEW, _requirements_text

MAX_STEPS = 30
FROM_FINISH = "finish"
FROM_START = "start"
ROUTING_STALE = _(
    "The routing was changed after you opened this page; nothing was saved. Reload "
    "the page."
)


@dataclass
class StepData:
    operation: str
    workshop: Department | None
    days: int | None
    process_check: bool = False
    first_article_check: bool = False
    notes: str = ""


def routing_of(plan: ProductionPlan) -> Routing | None:
    """The routing of the plan's catalogue item: its order line's product, or the
    catalogue item of the plan's model."""
    product_id = plan.line.product_id if plan.line_id else None
    routings = Routing.objects.prefetch_related("steps__workshop")
    if product_id:
        found = routings.filter(product_id=product_id).first()
        if found is not None:
            return found
    return routings.filter(product__model_code__iexact=plan.model_code).first()


@transaction.atomic
def routing_save(
    *,
    actor,
    product: Product,
    steps: list[StepData],
    notes: str = "",
    version: int | None = None,
) -> Routing:
    """The planner keeps the product's routing: its steps in the order given
    (an empty list removes every step). Kept in the admin's log of the routing."""
    _require(actor, "production.manage_routing")
    routing, created = Routing.objects.select_for_update().get_or_create(
        product=product, defaults={"updated_by": actor}
    )
    if not created and version is not None and version != routing.version:
        raise ValidationError(ROUTING_STALE)
    errors: list[str] = []
    if len(steps) > MAX_STEPS:
        errors.append(_("At most %(max)s steps.") % {"max": MAX_STEPS})
    for index, step in enumerate(steps, start=1):
        if step.operation not in DispatchSlip.Operation.values:
            errors.append(
                _("Step %(step)s: choose one of the listed operations.")
                % {"step": index}
            )
        if step.workshop is None or step.workshop.kind != "workshop":
            errors.append(
                _("Step %(step)s: choose a workshop or line.") % {"step": index}
            )
        if step.days is None or not 1 <= step.days <= 365:
            errors.append(
                _("Step %(step)s: the usual days are 1 to 365.") % {"step": index}
            )
    if errors:
        raise ValidationError(errors)
    routing.steps.all().delete()
    RoutingStep.objects.bulk_create(
        RoutingStep(
            routing=routing,
            position=index,
            operation=step.operation,
            workshop=step.workshop,
            days=step.days,
            process_check=step.process_check,
            first_article_check=step.first_article_check,
            notes=_text(step.notes, 200),
        )
        for index, step in enumerate(steps, start=1)
    )
    routing.notes = _text(notes)
    routing.updated_by = actor
    if not created:
        routing.version += 1
    routing.save()
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[routing],
        action_flag=CHANGE,
        change_message=" → ".join(
            f"{s.workshop.name if s.workshop else '-'} "
            f"{dict(DispatchSlip.Operation.choices).get(s.operation, s.operation)} "
            f"{s.days}d"
            for s in steps
        )[:2000]
        or "-",
        single_object=True,
    )
    return routing


def _schedule(steps, plan, anchor: str) -> list[tuple]:
    """(start, due) of each step: back from the plan's completion, each step ending
    the working day before the next one starts — or forward from the plan's start."""
    calendar = get_calendar()
    dates = []
    if anchor == FROM_START:
        cursor = calendar.add_working_days(plan.planned_start, 0)
        for step in steps:
            start = cursor
            due = calendar.add_working_days(start, step.days - 1)
            dates.append((start, due))
            cursor = calendar.add_working_days(due, 1)
        return dates
    cursor = plan.planned_finish
    if not calendar.is_working_day(cursor):
        cursor = calendar.add_working_days(cursor, -1)
    for step in reversed(steps):
        due = cursor
        start = calendar.add_working_days(due, -(step.days - 1))
        dates.append((start, due))
        cursor = calendar.add_working_days(start, -1)
    return list(reversed(dates))


def _checks_text(step: RoutingStep) -> str:
    checks = step.checks
    if not checks:
        return ""
    return str(_("QC checks: %(checks)s") % {"checks": "、".join(map(str, checks))})


@transaction.atomic
def slips_from_routing(
    *, actor, plan: ProductionPlan, anchor: str = FROM_FINISH, form_token=None
) -> list[DispatchSlip]:
    """All of a draft plan's slips from its product's routing, in one step: each
    step a slip of the plan's quantity in its workshop, after the previous step's
    slip, QC's checks written on it. The planner adjusts them afterwards."""
    _require(actor, "production.manage_plan")
    submission = claim_token(form_token, actor)
    order, plan = _locked_plan(plan)
    _may_act(order, actions.ADD_SLIP)
    if plan.status == ProductionPlan.Status.SUBMITTED:
        raise InvalidMove(PLAN_UNDER_REVIEW % {"plan": plan.number})
    if plan.status != ProductionPlan.Status.DRAFT:
        raise InvalidMove(
            _("Plan %(plan)s is %(status)s: slips are made for a draft only.")
            % {"plan": plan.number, "status": plan.get_status_display()}
        )
    if anchor not in (FROM_FINISH, FROM_START):
        raise ValidationError(_("Choose how the dates are laid out."))
    if plan.slips.exclude(status=DispatchSlip.Status.CLOSED).exists():
        raise InvalidMove(
            _(
                "Plan %(plan)s has slips already: remove them first, or add the "
                "others by hand."
            )
            % {"plan": plan.number}
        )
    routing = routing_of(plan)
    steps = list(routing.steps.all()) if routing else []
    if not steps:
        raise InvalidMove(
            _("The catalogue item of %(model)s has no routing (工艺路线) yet.")
            % {"model": plan.model_code}
        )
    try:
        dates = _schedule(steps, plan, anchor)
    except ValueError:
        raise ValidationError(
            _("The routing's days do not fit the calendar: adjust the plan's dates.")
        ) from None
    errors: dict[str, list] = {}
    span = date_span(order)
    for (start, due), step in zip(dates, steps, strict=True):
        check_within(span, errors, **{f"step_{step.position}": start})
        check_within(span, errors, **{f"step_{step.position}_due": due})
    if errors:
        raise ValidationError([m for messages in errors.values() for m in messages])
    quantity = max(math.ceil(plan.quantity), 1)
    requirements = _requirements_text(order)
    today = timezone.localdate()
    slips, previous = [], None
    for (start, due), step in zip(dates, steps, strict=True):
        text = "\n".join(t for t in (_checks_text(step), requirements) if t)
        slip = DispatchSlip.objects.create(
            number=_slip_number(today),
            plan=plan,
            workshop=step.workshop,
            operation=step.operation,
            quantity=quantity if step.operation != "mould_repair" else 1,
            start_date=start,
            due_date=due,
            committed_due_date=due,
            requirements=text,
            notes=step.notes,
            created_by=actor,
        )
        if previous is not None:
            slip.predecessors.set([previous])
        slips.append(slip)
        previous = slip
    record_event(
        order=order,
        type_=types.SLIPS_FROM_ROUTING,
        user=actor,
        parameters={
            "plan": plan.number,
            "product": routing.product.model_code,
            "anchor": anchor,
            "slips": [
                {
                    "slip": s.number,
                    "workshop": s.workshop.name,
                    "operation": s.operation,
                    "start": s.start_date.isoformat(),
                    "due": s.due_date.isoformat(),
                }
                for s in slips
            ],
        },
    )
    record_result(submission, plan.get_absolute_url())
    return slips
