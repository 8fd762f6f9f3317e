"""Writes of the production app: materials readiness, plans, dispatch slips and the
progress reported on them. Each function takes keyword arguments, checks the actor
(production.permissions), locks the order's row first and then the plan's or
slip's (always in that order, so two writers never wait on each other in a
circle), and writes the order's history (orders.events.record).

An order moves on only through the orders service for the move production owns:
the report (or the planner's close) that finishes the last slip makes the move
`production_done` in the same transaction, automatically, on behalf of that person.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.permissions import may
from accounts.workdays import get_calendar
from notifications.services import notify
from orders import events
from orders.concurrency import lock_order
from orders.exceptions import InvalidMove, PermissionDenied, ValidationError
from orders.models import Order, OrderLine, ReviewSignoff
from orders.services import number_next, order_advance
from orders.stages import MATERIALS_COMMITTED_BY, Stage
from orders.submissions import claim_token, record_result

from . import events as types
from .models import (
    DISTRIBUTION,
    DispatchSlip,
    MaterialRequirement,
    PlanChange,
    PlanChangeItem,
    PlanReceipt,
    ProductionPlan,
    SlipReport,
)

APP = types.APP
MOVE = "production_done"
# Materials are recorded from the contract review onwards, while the order is open.
MATERIALS_STAGES = frozenset(
    {
        Stage.REVIEW,
        Stage.APPROVAL,
        Stage.QUOTE,
        Stage.CONTRACT,
        Stage.DRAWING,
        Stage.PRODUCTION,
        Stage.ON_HOLD,
    }
)
TEXT_MAX = 2000


def _require(actor, action: str, obj=None) -> None:
    if not may(actor, action, obj):
        raise PermissionDenied(_("Your role may not do this."))


def _text(value, limit: int = TEXT_MAX) -> str:
    return (value or "").strip()[:limit]


def _in_production(order: Order) -> None:
    if order.stage != Stage.PRODUCTION:
        raise InvalidMove(
            _(
                "The order is at “%(stage)s”, not in production: nothing can change here."
            )
            % {"stage": order.get_stage_display()}
        )


def overrun_limit(quantity: int) -> int:
    """The most good + scrapped pieces a slip of `quantity` takes: over-production up
    to PRODUCTION_OVERRUN_PERCENT."""
    percent = Decimal(str(settings.PRODUCTION_OVERRUN_PERCENT))
    return int(math.floor(quantity * (1 + percent / 100)))


# --- materials (备料) ----------------------------------------------------------------


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


# --- plans (生产计划单) -----------------------------------------------------------------


@dataclass
class PlanData:
    line: OrderLine
    quantity: Decimal
    planned_start: date
    planned_finish: date
    batch_number: str = ""
    model_code: str = ""
    maker: str = ""
    thickness: Decimal | None = None
    notes: str = ""


def planned_quantity(line: OrderLine, *, exclude=None) -> Decimal:
    """How much of an order line the plans that are not closed already make."""
    plans = ProductionPlan.objects.filter(line=line).exclude(
        status=ProductionPlan.Status.CLOSED
    )
    if exclude is not None:
        plans = plans.exclude(pk=exclude.pk)
    return plans.aggregate(q=Sum("quantity"))["q"] or Decimal(0)


def _plan_number(today: date) -> str:
    yyyymm = today.strftime("%Y%m")
    return f"JH-{yyyymm}-{number_next(key=f'plan:{yyyymm}'):04d}"


def _slip_number(today: date) -> str:
    yyyymm = today.strftime("%Y%m")
    return f"PG-{yyyymm}-{number_next(key=f'slip:{yyyymm}'):05d}"


@transaction.atomic
def plan_create(*, actor, order: Order, data: PlanData, form_token=None):
    """The planner turns an order in production into a plan for one of its lines
    (GS/G-SC-03), as a draft: slips are added, then it is issued."""
    _require(actor, "production.manage_plan")
    submission = claim_token(form_token, actor)
    locked = lock_order(order, related=("customer",))
    _in_production(locked)
    errors: dict[str, list] = {}
    line = data.line
    if line is None or line.order_id != locked.pk:
        errors["line"] = [_("Choose one of this order's lines.")]
    quantity = data.quantity
    if quantity is None or quantity <= 0:
        errors["quantity"] = [_("The quantity must be more than zero.")]
    elif line is not None and line.order_id == locked.pk:
        left = line.quantity - planned_quantity(line)
        if quantity > left:
            errors["quantity"] = [
                _(
                    "Line %(line)s orders %(ordered)s; plans already make %(planned)s, "
                    "so at most %(left)s can be planned."
                )
                % {
                    "line": line.position,
                    "ordered": _plain(line.quantity),
                    "planned": _plain(line.quantity - left),
                    "left": _plain(max(left, Decimal(0))),
                }
            ]
    if (
        data.planned_start
        and data.planned_finish
        and (data.planned_finish < data.planned_start)
    ):
        errors["planned_finish"] = [
            _("The completion date cannot be before the start.")
        ]
    if data.thickness is not None and data.thickness <= 0:
        errors["thickness"] = [_("The material thickness must be more than zero.")]
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    number = _plan_number(today)
    plan = ProductionPlan(
        number=number,
        order=locked,
        line=line,
        batch_number=_text(data.batch_number, 32) or number.removeprefix("JH-"),
        model_code=_text(data.model_code, 64) or line.model_code,
        maker=_text(data.maker, 128) or locked.customer.name[:128],
        thickness=data.thickness,
        quantity=quantity,
        planned_start=data.planned_start,
        planned_finish=data.planned_finish,
        notes=_text(data.notes),
        created_by=actor,
    )
    plan.full_clean(exclude=["order", "line", "created_by"])
    plan.save()
    events.record(
        order=locked,
        type_=types.PLAN_CREATED,
        user=actor,
        parameters={
            "plan": plan.number,
            "model": plan.model_code,
            "quantity": _plain(plan.quantity),
        },
    )
    record_result(submission, plan.get_absolute_url())
    return plan


def _plain(value) -> str:
    from orders.money import plain

    return plain(value)


def _locked_plan(plan: ProductionPlan) -> tuple[Order, ProductionPlan]:
    order = lock_order(plan.order_id)
    return order, ProductionPlan.objects.select_for_update().get(pk=plan.pk)


def _requirements_text(order: Order) -> str:
    """The drawings' key quality and process requirements, carried onto a slip."""
    from orders.models import KeyRequirement

    labels = dict(KeyRequirement.Kind.choices)
    return "\n".join(
        f"{labels.get(r.kind, r.kind)}：{r.text}"
        for r in KeyRequirement.objects.filter(order=order).order_by(
            "kind", "position", "id"
        )
    )


@transaction.atomic
def slip_add(
    *,
    actor,
    plan: ProductionPlan,
    workshop: Department | None,
    operation: str,
    quantity: int | None,
    due_date: date | None,
    start_date: date | None = None,
    predecessors=(),
    notes: str = "",
    form_token=None,
) -> DispatchSlip:
    """A dispatch slip for one operation of a draft plan in one workshop, after the
    given slips of the same plan, with the drawings' key requirements carried over.
    An issued plan takes no new slip: it changes only through a plan change."""
    _require(actor, "production.manage_plan")
    submission = claim_token(form_token, actor)
    order, plan = _locked_plan(plan)
    _in_production(order)
    if plan.status == ProductionPlan.Status.CLOSED:
        raise InvalidMove(_("The plan is closed: no slip can be added to it."))
    if plan.status == ProductionPlan.Status.ISSUED:
        # Once issued, the plan's work changes only through a plan change form
        # (计划更改单), approved by the production manager.
        raise InvalidMove(
            _(
                "Plan %(plan)s is issued: no slip is added to it any more; it changes "
                "only through a plan change form (计划更改单)."
            )
            % {"plan": plan.number}
        )
    errors: dict[str, list] = {}
    if workshop is None or workshop.kind != "workshop":
        errors["workshop"] = [_("Choose a workshop or line.")]
    if operation not in DispatchSlip.Operation.values:
        errors["operation"] = [_("Choose one of the listed operations.")]
    if quantity is None or quantity < 1:
        errors["quantity"] = [_("The quantity must be at least 1.")]
    elif quantity > plan.quantity:
        errors["quantity"] = [
            _("A slip cannot make more than its plan (%(quantity)s).")
            % {"quantity": _plain(plan.quantity)}
        ]
    if due_date is None:
        errors["due_date"] = [_("Give the date the slip must be finished by.")]
    elif start_date and due_date < start_date:
        errors["due_date"] = [_("The finish date cannot be before the start date.")]
    predecessors = list(predecessors)
    if any(p.plan_id != plan.pk for p in predecessors):
        errors["predecessors"] = [_("Previous operations must be slips of this plan.")]
    if errors:
        raise ValidationError(errors)
    slip = DispatchSlip(
        number=_slip_number(timezone.localdate()),
        plan=plan,
        workshop=workshop,
        operation=operation,
        quantity=quantity,
        start_date=start_date,
        due_date=due_date,
        committed_due_date=due_date,
        requirements=_requirements_text(order),
        notes=_text(notes),
        created_by=actor,
    )
    slip.save()
    if predecessors:
        slip.predecessors.set(predecessors)
    events.record(
        order=order,
        type_=types.SLIP_ADDED,
        user=actor,
        parameters=_slip_parameters(slip, quantity=quantity),
    )
    record_result(submission, plan.get_absolute_url())
    return slip


def _slip_parameters(slip: DispatchSlip, **extra) -> dict:
    return {
        "slip": slip.number,
        "plan": slip.plan.number,
        "workshop": slip.workshop.name,
        "operation": slip.operation,
        **extra,
    }


@transaction.atomic
def plan_issue(*, actor, plan: ProductionPlan, form_token=None) -> ProductionPlan:
    """Issue (下发) the plan to its distribution list: QC, technical, cutting,
    maintenance and line statistics find it in their queue; its slips reach their
    workshops."""
    _require(actor, "production.manage_plan")
    submission = claim_token(form_token, actor)
    order, plan = _locked_plan(plan)
    _in_production(order)
    if plan.status != ProductionPlan.Status.DRAFT:
        raise InvalidMove(
            _("Plan %(plan)s is %(status)s: only a draft is issued.")
            % {"plan": plan.number, "status": plan.get_status_display()}
        )
    if not plan.slips.exclude(status=DispatchSlip.Status.CLOSED).exists():
        raise ValidationError(_("Add at least one dispatch slip before issuing."))
    plan.status = ProductionPlan.Status.ISSUED
    plan.issued_by = actor
    plan.issued_at = timezone.now()
    plan.version += 1
    plan.save(update_fields=["status", "issued_by", "issued_at", "version"])
    names = dict(
        Department.objects.filter(
            code__in=[code for code, _n in DISTRIBUTION]
        ).values_list("code", "name")
    )
    events.record(
        order=order,
        type_=types.PLAN_ISSUED,
        user=actor,
        parameters={
            "plan": plan.number,
            "distribution": [
                f"{names.get(code, code)}×{copies}" for code, copies in DISTRIBUTION
            ],
        },
    )
    record_result(submission, plan.get_absolute_url())
    return plan


@transaction.atomic
def plan_close(*, actor, plan: ProductionPlan, reason: str) -> ProductionPlan:
    """Close a plan (withdrawn, replaced) with the reason; its open slips close
    with it. If what is left of the order's production is finished, the order moves
    on."""
    _require(actor, "production.manage_plan")
    order, plan = _locked_plan(plan)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason.")]})
    if plan.status == ProductionPlan.Status.CLOSED:
        raise InvalidMove(_("The plan is already closed."))
    _in_production(order)
    now = timezone.now()
    plan.status = ProductionPlan.Status.CLOSED
    plan.closed_by, plan.closed_at, plan.closed_reason = actor, now, reason
    plan.version += 1
    plan.save(
        update_fields=["status", "closed_by", "closed_at", "closed_reason", "version"]
    )
    plan.slips.exclude(
        status__in=[DispatchSlip.Status.DONE, DispatchSlip.Status.CLOSED]
    ).update(
        status=DispatchSlip.Status.CLOSED,
        closed_by=actor,
        closed_reason=reason,
        done_at=now,
    )
    events.record(
        order=order,
        type_=types.PLAN_CLOSED,
        user=actor,
        reason=reason,
        parameters={"plan": plan.number, "model": plan.model_code},
    )
    # A change still waiting for approval has nothing left to apply to: it ends
    # with the plan (not left in the production manager's queue).
    for change in PlanChange.objects.select_for_update().filter(
        plan=plan, status=PlanChange.Status.RAISED
    ):
        _end_change(
            change,
            actor=actor,
            order=order,
            plan=plan,
            reason=_("the plan was closed: %(reason)s") % {"reason": reason},
            at=now,
            tell_raiser=change.raised_by_id != actor.pk,
        )
    _finish_if_complete(actor=actor, order=order, finished=None, plan=plan)
    return plan


@transaction.atomic
def plan_receive(*, actor, plan: ProductionPlan) -> PlanReceipt:
    """A department on the distribution list signs for its copy (分发签收); the
    second signature of the same department is the first one."""
    _require(actor, "production.receive_plan")
    order, plan = _locked_plan(plan)
    if plan.status != ProductionPlan.Status.ISSUED:
        raise InvalidMove(_("Only an issued plan is signed for."))
    _require(actor, "production.receive_plan", plan)
    receipt = PlanReceipt.objects.filter(
        plan=plan, department_id=actor.department_id
    ).first()
    if receipt is not None:
        return receipt
    receipt = PlanReceipt.objects.create(
        plan=plan, department_id=actor.department_id, received_by=actor
    )
    events.record(
        order=order,
        type_=types.PLAN_RECEIVED,
        user=actor,
        parameters={"plan": plan.number, "department": actor.department.name},
    )
    return receipt


# --- plan changes (计划更改单, GS/G-SC-04) ----------------------------------------------
#
# Once made, a plan and its slips change only here: the planner raises the change
# with the reason and the new values, the production manager approves it and it
# applies in the same transaction, its old → new written in the order's history and
# the order's salesperson told (通知业务部). The date a slip was first committed to
# is never changed, so how late its workshop is stays on record.

Field = PlanChangeItem.Field
PLAN_FIELDS = (Field.MODEL, Field.QUANTITY, Field.PLANNED_START, Field.PLANNED_FINISH)
SLIP_FIELDS = (Field.OPERATION, Field.QUANTITY, Field.START_DATE, Field.DUE_DATE)
DATES = frozenset(
    {Field.PLANNED_START, Field.PLANNED_FINISH, Field.START_DATE, Field.DUE_DATE}
)
NOTHING_CHANGES = _(
    "This change changes nothing: change at least one quantity, date, model or "
    "operation, or do not raise it."
)
CHANGE_STALE = _(
    "The plan was changed after you opened this page; nothing was saved. Reload the "
    "page and enter the change again."
)
DECISION_STALE = _(
    "This plan change was decided after you opened the page; nothing was done. Reload "
    "the page."
)


def _stored(value) -> str:
    """A value as a change line keeps it: an ISO date, a plain quantity, a code."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _plain(value)
    return str(value)


def _typed(field: str, text: str, *, slip: bool):
    """A stored value back as the model's field takes it."""
    if text == "":
        return None
    if field in DATES:
        return date.fromisoformat(text)
    if field == Field.QUANTITY:
        return int(text) if slip else Decimal(text)
    return text


@dataclass
class ChangeLine:
    """One old → new of a change: the plan's (slip None) or one of its slips'."""

    field: str
    old: str
    new: str
    slip: DispatchSlip | None = None

    @property
    def input_name(self) -> str:
        return PlanChangeItem.input_name(
            self.slip.pk if self.slip else None, self.field
        )


def _change_number(today: date) -> str:
    yyyymm = today.strftime("%Y%m")
    return f"JG-{yyyymm}-{number_next(key=f'plan_change:{yyyymm}'):04d}"


def _change_lines(
    plan, slips, plan_values: dict, slip_values: dict
) -> list[ChangeLine]:
    """What the posted values change, field by field; values equal to the current
    ones change nothing and are left out. A slip not open on the plan is refused."""
    lines = []
    for field in PLAN_FIELDS:
        if field not in plan_values:
            continue
        new, old = _stored(plan_values[field]), _stored(getattr(plan, field))
        if new != old:
            lines.append(ChangeLine(field, old, new))
    for slip_id, values in slip_values.items():
        slip = slips.get(slip_id)
        if slip is None or not slip.is_open:
            raise ValidationError(
                _("Only the open dispatch slips of this plan can be changed.")
            )
        for field in SLIP_FIELDS:
            if field not in values:
                continue
            new, old = _stored(values[field]), _stored(getattr(slip, field))
            if new != old:
                lines.append(ChangeLine(field, old, new, slip))
    return lines


def _after(plan, slips, lines: list[ChangeLine]):
    """The plan's and the slips' values once the lines apply: {field: value} for
    the plan and {slip id: {field: value}} for the slips (unchanged ones included)."""
    plan_after = {field: getattr(plan, field) for field in PLAN_FIELDS}
    slips_after = {
        pk: {field: getattr(slip, field) for field in SLIP_FIELDS}
        for pk, slip in slips.items()
    }
    for line in lines:
        if line.slip is None:
            plan_after[line.field] = _typed(line.field, line.new, slip=False)
        else:
            slips_after[line.slip.pk][line.field] = _typed(
                line.field, line.new, slip=True
            )
    return plan_after, slips_after


def _change_problems(plan, slips, lines: list[ChangeLine]) -> dict[str, list]:
    """What would be wrong with the plan and its open slips once the lines apply,
    keyed by the input that says it (PlanChangeItem.input_name)."""
    plan_after, slips_after = _after(plan, slips, lines)
    errors: dict[str, list] = {}

    def say(slip_id, field, message):
        errors.setdefault(PlanChangeItem.input_name(slip_id, field), []).append(message)

    model = (plan_after[Field.MODEL] or "").strip()
    if not model:
        say(None, Field.MODEL, _("Give the model."))
    elif len(model) > 64 or "\x00" in model:
        say(None, Field.MODEL, _("At most %(max)s characters.") % {"max": 64})
    quantity = plan_after[Field.QUANTITY]
    if quantity is None or quantity <= 0:
        say(None, Field.QUANTITY, _("The quantity must be more than zero."))
    else:
        left = plan.line.quantity - planned_quantity(plan.line, exclude=plan)
        if quantity > left:
            say(
                None,
                Field.QUANTITY,
                _(
                    "Line %(line)s orders %(ordered)s; other plans make %(planned)s, "
                    "so this plan can make at most %(left)s."
                )
                % {
                    "line": plan.line.position,
                    "ordered": _plain(plan.line.quantity),
                    "planned": _plain(plan.line.quantity - left),
                    "left": _plain(max(left, Decimal(0))),
                },
            )
    start, finish = plan_after[Field.PLANNED_START], plan_after[Field.PLANNED_FINISH]
    if start is None:
        say(None, Field.PLANNED_START, _("Give the planned start."))
    if finish is None:
        say(None, Field.PLANNED_FINISH, _("Give the planned completion."))
    elif start is not None and finish < start:
        say(
            None,
            Field.PLANNED_FINISH,
            _("The completion date cannot be before the start."),
        )
    # Every open slip, changed or not: a smaller plan must still cover each one.
    for pk in slips:
        slip, after = slips[pk], slips_after[pk]
        if after[Field.OPERATION] not in DispatchSlip.Operation.values:
            say(pk, Field.OPERATION, _("Choose one of the listed operations."))
        slip_quantity = after[Field.QUANTITY]
        if slip_quantity is None or slip_quantity < 1:
            say(pk, Field.QUANTITY, _("The quantity must be at least 1."))
        elif slip_quantity <= slip.good_qty:
            say(
                pk,
                Field.QUANTITY,
                _(
                    "%(slip)s already has %(good)s good pieces: its quantity must stay "
                    "above that (close the slip to stop it there)."
                )
                % {"slip": slip.number, "good": slip.good_qty},
            )
        elif quantity and quantity > 0 and slip_quantity > quantity:
            say(
                pk,
                Field.QUANTITY,
                _("A slip cannot make more than its plan (%(quantity)s).")
                % {"quantity": _plain(quantity)},
            )
        due, slip_start = after[Field.DUE_DATE], after[Field.START_DATE]
        if due is None:
            say(pk, Field.DUE_DATE, _("Give the date the slip must be finished by."))
        elif slip_start is not None and due < slip_start:
            say(
                pk,
                Field.DUE_DATE,
                _("The finish date cannot be before the start date."),
            )
    return errors


def _line_parameters(lines) -> list[dict]:
    """The change's lines as the history keeps them: codes and stored values."""
    return [
        {
            "target": line.slip.number if line.slip else "",
            "field": line.field,
            "old": line.old,
            "new": line.new,
        }
        for line in lines
    ]


def _open_slips(plan: ProductionPlan, *, lock: bool = False) -> dict:
    slips = DispatchSlip.objects.filter(plan=plan).exclude(
        status__in=[DispatchSlip.Status.DONE, DispatchSlip.Status.CLOSED]
    )
    if lock:
        slips = slips.select_for_update(of=("self",))
    return {
        slip.pk: slip for slip in slips.select_related("workshop").order_by("number")
    }


def _changeable(order: Order, plan: ProductionPlan) -> None:
    _in_production(order)
    if plan.status == ProductionPlan.Status.CLOSED:
        raise InvalidMove(_("The plan is closed: it cannot be changed."))


@transaction.atomic
def plan_change_raise(
    *,
    actor,
    plan: ProductionPlan,
    reason: str,
    plan_values: dict,
    slip_values: dict,
    version: int | None = None,
    form_token=None,
) -> PlanChange:
    """The planner raises a plan change (GS/G-SC-04): the reason and the new values
    of the plan (`plan_values`: {field: value}) and of its open slips
    (`slip_values`: {slip id: {field: value}}). Only what differs from today's values
    is kept; a change that changes nothing is refused, and so is a second change
    while one of the plan's waits for approval. Nothing applies until the
    production manager approves."""
    _require(actor, "production.raise_plan_change")
    submission = claim_token(form_token, actor)
    order, plan = _locked_plan(plan)
    _changeable(order, plan)
    if version is not None and version != plan.version:
        raise ValidationError(CHANGE_STALE)
    waiting = (
        PlanChange.objects.filter(plan=plan, status=PlanChange.Status.RAISED)
        .values_list("number", flat=True)
        .first()
    )
    if waiting:
        raise InvalidMove(
            _(
                "Plan change %(change)s of this plan is still awaiting approval: have "
                "it approved or rejected first."
            )
            % {"change": waiting}
        )
    reason = _text(reason)
    slips = _open_slips(plan)
    lines = _change_lines(plan, slips, plan_values, slip_values)
    errors = _change_problems(plan, slips, lines)
    if not reason:
        errors["reason"] = [_("Say why the plan changes.")]
    if errors:
        raise ValidationError(errors)
    if not lines:
        raise ValidationError(NOTHING_CHANGES)
    change = PlanChange.objects.create(
        number=_change_number(timezone.localdate()),
        plan=plan,
        reason=reason,
        raised_by=actor,
    )
    PlanChangeItem.objects.bulk_create(
        PlanChangeItem(
            change=change,
            slip=line.slip,
            field=line.field,
            old_value=line.old,
            new_value=line.new,
            position=position,
        )
        for position, line in enumerate(lines)
    )
    events.record(
        order=order,
        type_=types.PLAN_CHANGE_RAISED,
        user=actor,
        reason=reason,
        parameters={
            "change": change.number,
            "plan": plan.number,
            # not "changes": that key is the orders history's own diff of
            # an order's fields
            "lines": _line_parameters(lines),
        },
    )
    record_result(submission, change.get_absolute_url())
    return change


def _locked_change(change: PlanChange):
    order, plan = _locked_plan(change.plan)
    locked = PlanChange.objects.select_for_update(of=("self",)).get(pk=change.pk)
    return order, plan, locked


def _undecided(change: PlanChange, version) -> None:
    if change.status != PlanChange.Status.RAISED:
        raise InvalidMove(
            _("Plan change %(change)s is already decided: %(status)s.")
            % {"change": change.number, "status": change.get_status_display()}
        )
    if version is not None and version != change.version:
        raise ValidationError(DECISION_STALE)


@transaction.atomic
def plan_change_approve(
    *, actor, change: PlanChange, version: int | None = None, form_token=None
) -> PlanChange:
    """The production manager approves the change (生产部批准) and it applies: the
    plan and its slips take the new values (a slip's first committed date stays),
    the order's history records each old → new, and the order's salesperson is
    told (通知业务部). Refused when the plan no longer shows the change's old
    values (then it is rejected and raised again)."""
    _require(actor, "production.approve_plan_change")
    submission = claim_token(form_token, actor)
    order, plan, change = _locked_change(change)
    _undecided(change, version)
    _changeable(order, plan)
    slips = _open_slips(plan, lock=True)
    lines = []
    for item in change.items.all().order_by("position", "id"):
        slip = None
        if item.slip_id is not None:
            slip = slips.get(item.slip_id)
            if slip is None:
                raise InvalidMove(
                    _(
                        "A slip of this change is finished or closed since it was "
                        "raised: reject it and raise a new one."
                    )
                )
        now_value = _stored(getattr(slip or plan, item.field))
        if now_value != item.old_value:
            raise InvalidMove(
                _(
                    "The plan changed since this change was raised (%(what)s is "
                    "%(value)s now, not %(old)s): reject it and raise a new one."
                )
                % {
                    "what": item.get_field_display(),
                    "value": now_value or "-",
                    "old": item.old_value or "-",
                }
            )
        lines.append(ChangeLine(item.field, item.old_value, item.new_value, slip))
    errors = _change_problems(plan, slips, lines)
    if errors:
        raise ValidationError([m for messages in errors.values() for m in messages])
    plan_fields, slip_fields = set(), {}
    for line in lines:
        if line.slip is None:
            setattr(plan, line.field, _typed(line.field, line.new, slip=False))
            plan_fields.add(line.field)
        else:
            setattr(line.slip, line.field, _typed(line.field, line.new, slip=True))
            slip_fields.setdefault(line.slip.pk, set()).add(line.field)
    plan.version += 1
    plan.save(update_fields=[*sorted(plan_fields), "version"])
    for pk, fields in slip_fields.items():
        slip = slips[pk]
        slip.version += 1
        slip.save(update_fields=[*sorted(fields), "version"])
    now = timezone.now()
    salesperson = order.salesperson
    change.status = PlanChange.Status.APPLIED
    change.approved_by, change.approved_at = actor, now
    change.notified_to = salesperson
    change.notified_at = now if salesperson is not None else None
    change.version += 1
    change.save(
        update_fields=[
            "status",
            "approved_by",
            "approved_at",
            "notified_to",
            "notified_at",
            "version",
        ]
    )
    events.record(
        order=order,
        type_=types.PLAN_CHANGED,
        user=actor,
        reason=change.reason,
        parameters={
            "change": change.number,
            "plan": plan.number,
            # not "changes": that key is the orders history's own diff of
            # an order's fields
            "lines": _line_parameters(lines),
        },
    )
    notify(
        users=[salesperson],
        message=_(
            "Production plan %(plan)s of order %(order)s was changed (plan change "
            "%(change)s): %(changes)s. Reason: %(reason)s"
        )
        % {
            "plan": plan.number,
            "order": order.number,
            "change": change.number,
            "changes": types.changes_text(_line_parameters(lines)),
            "reason": change.reason,
        },
        link=change.get_absolute_url(),
        kind="plan_change",
    )
    record_result(submission, change.get_absolute_url())
    return change


@transaction.atomic
def plan_change_reject(
    *, actor, change: PlanChange, reason: str, version: int | None = None
) -> PlanChange:
    """The production manager rejects the change with the reason: nothing of the
    plan changes; the planner who raised it is told."""
    _require(actor, "production.approve_plan_change")
    order, plan, change = _locked_change(change)
    _undecided(change, version)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason.")]})
    _end_change(
        change,
        actor=actor,
        order=order,
        plan=plan,
        reason=reason,
        at=timezone.now(),
        tell_raiser=True,
    )
    return change


def _end_change(change, *, actor, order, plan, reason, at, tell_raiser) -> None:
    """A waiting change ends rejected with its reason — by the production manager,
    or because its plan was closed: the history says why, and the planner who
    raised it is told."""
    change.status = PlanChange.Status.REJECTED
    change.rejected_by, change.rejected_at = actor, at
    change.rejected_reason = reason
    change.version += 1
    change.save(
        update_fields=[
            "status",
            "rejected_by",
            "rejected_at",
            "rejected_reason",
            "version",
        ]
    )
    events.record(
        order=order,
        type_=types.PLAN_CHANGE_REJECTED,
        user=actor,
        reason=reason,
        parameters={"change": change.number, "plan": plan.number},
    )
    if tell_raiser:
        notify(
            users=[change.raised_by_id],
            message=_(
                "Plan change %(change)s of plan %(plan)s was rejected: %(reason)s"
            )
            % {"change": change.number, "plan": plan.number, "reason": reason},
            link=change.get_absolute_url(),
            kind="plan_change",
        )


# --- slips (派工单) --------------------------------------------------------------------


def _locked_slip(slip: DispatchSlip) -> tuple[Order, DispatchSlip]:
    order_id = (
        DispatchSlip.objects.filter(pk=slip.pk).values_list("plan__order_id").get()[0]
    )
    order = lock_order(order_id)
    locked = (
        DispatchSlip.objects.select_for_update(of=("self",))
        .select_related("plan", "workshop")
        .get(pk=slip.pk)
    )
    return order, locked


def start_blockers(slip: DispatchSlip) -> list[str]:
    """Why the slip cannot start yet: its previous operations and the order's
    materials (empty when it can, or when the planner allowed an early start)."""
    if slip.override_at is not None:
        return []
    blockers = [
        str(
            _("Waiting for %(slip)s (%(workshop)s, %(operation)s).")
            % {
                "slip": p.number,
                "workshop": p.workshop.name,
                "operation": p.get_operation_display(),
            }
        )
        for p in slip.predecessors.select_related("workshop")
        if not p.is_finished
    ]
    if not _materials_ready(slip.plan.order_id):
        blockers.append(str(_("The order's materials are not ready (备料).")))
    return blockers


@transaction.atomic
def slip_start(*, actor, slip: DispatchSlip) -> DispatchSlip:
    """The workshop lead starts (接收) the slip: only once its previous operations are
    finished and the order's materials are ready, unless the planner allowed an
    early start. Starting a started slip again does nothing."""
    _require(actor, "production.report_slip", slip)
    order, slip = _locked_slip(slip)
    if slip.plan.status != ProductionPlan.Status.ISSUED:
        raise InvalidMove(_("The slip's plan is not issued."))
    if slip.status == DispatchSlip.Status.STARTED:
        return slip
    if slip.status != DispatchSlip.Status.WAITING:
        raise InvalidMove(_("The slip is already finished."))
    _in_production(order)
    blockers = start_blockers(slip)
    if blockers:
        raise InvalidMove(" ".join(blockers))
    slip.status = DispatchSlip.Status.STARTED
    slip.started_at = timezone.now()
    slip.started_by = actor
    slip.version += 1
    slip.save(update_fields=["status", "started_at", "started_by", "version"])
    events.record(
        order=order,
        type_=types.SLIP_STARTED,
        user=actor,
        parameters=_slip_parameters(slip, early=slip.override_at is not None),
    )
    return slip


@transaction.atomic
def slip_allow_early_start(*, actor, slip: DispatchSlip, reason: str) -> DispatchSlip:
    """The planner lets a slip start before its previous operations are finished or
    its materials ready, and says why; recorded on the slip and in the history."""
    _require(actor, "production.manage_plan")
    order, slip = _locked_slip(slip)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason.")]})
    if slip.status != DispatchSlip.Status.WAITING:
        raise InvalidMove(
            _("Only a slip that has not started can be allowed to start early.")
        )
    _in_production(order)
    slip.override_reason = reason
    slip.override_by = actor
    slip.override_at = timezone.now()
    slip.version += 1
    slip.save(
        update_fields=["override_reason", "override_by", "override_at", "version"]
    )
    events.record(
        order=order,
        type_=types.SLIP_EARLY_START,
        user=actor,
        reason=reason,
        parameters=_slip_parameters(slip),
    )
    return slip


@dataclass
class ReportOutcome:
    report: SlipReport
    slip: DispatchSlip
    duplicate: bool = False  # the same token was reported before: counted once
    order_moved: bool = False


def _token(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError:
        raise ValidationError(
            _(
                "This report screen is out of date or incomplete; nothing was saved. "
                "Reload the page and report again."
            )
        ) from None


def _whole(value, field: str, errors: dict) -> int:
    if value in (None, ""):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("Enter a whole number.")]
        return 0
    if number < 0:
        errors[field] = [_("The quantity cannot be negative.")]
    elif number > 10_000_000:
        errors[field] = [_("That number is too large.")]
    return number


@transaction.atomic
def slip_report(
    *,
    actor,
    slip: DispatchSlip,
    token,
    good=0,
    scrap=0,
    anomaly: bool = False,
    cause: str = "",
    note: str = "",
) -> ReportOutcome:
    """A workshop lead reports progress (报工): good and scrapped pieces, and an
    anomaly (异常) with its cause when something is wrong. Reports add up; the token
    makes the same report count once however often it arrives. Good + scrapped may
    exceed the slip's quantity by PRODUCTION_OVERRUN_PERCENT at most. The slip is
    finished when the good pieces reach its quantity; the report that finishes the
    order's last slip moves the order to inspection."""
    _require(actor, "production.report_slip", slip)
    token = _token(token)
    order, slip = _locked_slip(slip)
    earlier = SlipReport.objects.filter(token=token).first()
    if earlier is not None:
        if earlier.slip_id != slip.pk:
            raise ValidationError(
                _("This report belongs to another slip; nothing was saved.")
            )
        return ReportOutcome(earlier, slip, duplicate=True)
    if slip.status == DispatchSlip.Status.WAITING:
        raise InvalidMove(_("Start the slip before reporting on it."))
    if slip.is_finished:
        raise InvalidMove(
            _("The slip is finished: nothing more can be reported on it.")
        )
    _in_production(order)
    errors: dict[str, list] = {}
    good = _whole(good, "good", errors)
    scrap = _whole(scrap, "scrap", errors)
    cause = (cause or "").strip()
    note = _text(note, 500)
    if anomaly and cause not in SlipReport.Cause.values:
        errors["cause"] = [_("Choose what went wrong.")]
    if not anomaly:
        cause, note = "", ""
    if not errors and not (good or scrap or anomaly):
        errors["good"] = [_("Enter the good or scrapped pieces, or report an anomaly.")]
    limit = overrun_limit(slip.quantity)
    if not errors and slip.good_qty + slip.scrap_qty + good + scrap > limit:
        errors["good"] = [
            _(
                "Good and scrapped pieces would come to %(total)s, more than this "
                "slip's %(quantity)s plus the allowed %(percent)s%% (at most "
                "%(limit)s). Nothing was saved."
            )
            % {
                "total": slip.good_qty + slip.scrap_qty + good + scrap,
                "quantity": slip.quantity,
                "percent": settings.PRODUCTION_OVERRUN_PERCENT,
                "limit": limit,
            }
        ]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            report = SlipReport.objects.create(
                slip=slip,
                token=token,
                good=good,
                scrap=scrap,
                anomaly=anomaly,
                cause=cause,
                note=note,
                reported_by=actor,
            )
    except IntegrityError:
        # The same token, committed by another request after our check.
        earlier = SlipReport.objects.filter(token=token).first()
        if earlier is None:
            raise
        return ReportOutcome(earlier, slip, duplicate=True)
    slip.good_qty += good
    slip.scrap_qty += scrap
    fields = ["good_qty", "scrap_qty", "version"]
    finished = slip.good_qty >= slip.quantity
    if finished:
        slip.status = DispatchSlip.Status.DONE
        slip.done_at = timezone.now()
        fields += ["status", "done_at"]
    slip.version += 1
    slip.save(update_fields=fields)
    if anomaly:
        events.record(
            order=order,
            type_=types.ANOMALY,
            user=actor,
            reason=note,
            parameters=_slip_parameters(slip, cause=cause, report=report.pk),
        )
        _tell_about_anomaly(order, slip, report)
    moved = False
    if finished:
        events.record(
            order=order,
            type_=types.SLIP_DONE,
            user=actor,
            parameters=_slip_parameters(slip, good=slip.good_qty, scrap=slip.scrap_qty),
        )
        moved = _finish_if_complete(actor=actor, order=order, finished=slip)
    return ReportOutcome(report, slip, order_moved=moved)


def _anomaly_handlers():
    User = get_user_model()
    return [
        user
        for user in User.objects.filter(
            is_active=True,
            groups__permissions__codename="handle_anomalies",
            groups__permissions__content_type__app_label="production",
        ).distinct()
        if may(user, "production.handle_anomaly")
    ]


def _tell_about_anomaly(order: Order, slip: DispatchSlip, report: SlipReport) -> None:
    """The planner and the production manager hear of an anomaly at once."""
    notify(
        users=_anomaly_handlers(),
        message=_(
            "Anomaly on %(slip)s (%(workshop)s, order %(order)s): %(cause)s %(note)s"
        )
        % {
            "slip": slip.number,
            "workshop": slip.workshop.name,
            "order": order.number,
            "cause": report.get_cause_display(),
            "note": report.note,
        },
        link=slip.get_absolute_url(),
        kind="production_anomaly",
    )


@transaction.atomic
def slip_close(*, actor, slip: DispatchSlip, reason: str) -> DispatchSlip:
    """The planner closes a slip short (or one no longer needed) with the reason;
    it then counts as finished for the slips after it and for the order."""
    _require(actor, "production.manage_plan")
    order, slip = _locked_slip(slip)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason.")]})
    if slip.is_finished:
        raise InvalidMove(_("The slip is already finished."))
    _in_production(order)
    slip.status = DispatchSlip.Status.CLOSED
    slip.closed_by = actor
    slip.closed_reason = reason
    slip.done_at = timezone.now()
    slip.version += 1
    slip.save(
        update_fields=["status", "closed_by", "closed_reason", "done_at", "version"]
    )
    events.record(
        order=order,
        type_=types.SLIP_CLOSED,
        user=actor,
        reason=reason,
        parameters=_slip_parameters(slip, good=slip.good_qty, scrap=slip.scrap_qty),
    )
    _finish_if_complete(actor=actor, order=order, finished=slip)
    return slip


@transaction.atomic
def anomaly_handle(*, actor, report: SlipReport, note: str) -> SlipReport:
    """The planner or the production manager records how an anomaly was handled;
    it leaves their queue."""
    _require(actor, "production.handle_anomaly")
    order = lock_order(report.slip.plan.order_id)
    report = (
        SlipReport.objects.select_for_update(of=("self",))
        .select_related("slip__plan", "slip__workshop")
        .get(pk=report.pk)
    )
    note = _text(note, 500)
    if not note:
        raise ValidationError({"note": [_("Say how the anomaly was handled.")]})
    if not report.anomaly:
        raise InvalidMove(_("This report has no anomaly."))
    if report.handled_at is not None:
        raise InvalidMove(_("This anomaly was already handled."))
    report.handled_by = actor
    report.handled_at = timezone.now()
    report.handled_note = note
    report.save(update_fields=["handled_by", "handled_at", "handled_note"])
    events.record(
        order=order,
        type_=types.ANOMALY_HANDLED,
        user=actor,
        reason=note,
        parameters=_slip_parameters(report.slip, cause=report.cause),
    )
    return report


# --- the order's move -------------------------------------------------------------------


def production_refusal(order: Order):
    """production_done's precondition: an issued plan, no plan left in draft, and
    every slip of the issued plans finished (done, or closed by the planner)."""
    plans = list(
        ProductionPlan.objects.filter(order=order).exclude(
            status=ProductionPlan.Status.CLOSED
        )
    )
    issued = [p for p in plans if p.status == ProductionPlan.Status.ISSUED]
    if not issued:
        return _("No production plan of this order is issued.")
    drafts = [p.number for p in plans if p.status == ProductionPlan.Status.DRAFT]
    if drafts:
        return _("Plan %(plans)s is still a draft: issue or close it.") % {
            "plans": "、".join(drafts)
        }
    open_slips = list(
        DispatchSlip.objects.filter(plan__in=issued)
        .exclude(status__in=[DispatchSlip.Status.DONE, DispatchSlip.Status.CLOSED])
        .values_list("number", flat=True)[:5]
    )
    if open_slips:
        return _("Dispatch slips not finished yet: %(slips)s.") % {
            "slips": "、".join(open_slips)
        }
    return None


def _finish_if_complete(*, actor, order: Order, finished, plan=None) -> bool:
    """Once production's record allows it, make the move for the person whose
    action completed it (the order row is locked: two last slips finishing at once
    see each other)."""
    if order.stage != Stage.PRODUCTION or production_refusal(order) is not None:
        return False
    parameters = {}
    if finished is not None:
        parameters = _slip_parameters(finished)
    elif plan is not None:
        parameters = {"plan": plan.number}
    order_advance(
        actor=actor,
        order=order,
        move=MOVE,
        app=APP,
        automatic=True,
        parameters=parameters,
    )
    return True
