"""计划更改单 (GS/G-SC-04). Once made, a plan and its slips change only here: the
planner raises the change with the reason and the new values, the production manager
approves it and it applies in the same transaction, its old → new written in the
order's history and the order's salesperson told (通知业务部). The date a slip was
first committed to is never changed, so how late its workshop is stays on record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import check_within
from core.exceptions import InvalidMove, ValidationError
from core.submissions import claim_token, record_result
from notifications.services import notify
from orders.models import Order
from orders.services import number_next, record_event

from .. import actions
from .. import events as types
from ..models import (
    DispatchSlip,
    PlanChange,
    PlanChangeItem,
    ProductionPlan,
)
from .common import (
    _locked_plan,
    _may_act,
    _plain,
    _require,
    _text,
    date_span,
    planned_quantity,
)

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
    _may_act(order, actions.CHANGE_PLAN)
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
    span = date_span(order)
    for line in lines:
        if line.field in DATES and line.new:
            check_within(
                span, errors, **{line.input_name: date.fromisoformat(line.new)}
            )
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
    record_event(
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
    record_event(
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
    record_event(
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
