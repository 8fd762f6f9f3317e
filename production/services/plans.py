"""生产计划单 (GS/G-SC-03): the planner makes a plan for an order line as a draft,
adds its dispatch slips, issues it to the distribution list (who sign for their
copy) and closes it when it is withdrawn or replaced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.permissions import may
from core.dates import check_within
from core.exceptions import InvalidMove, PermissionDenied, ValidationError
from core.submissions import claim_token, record_result
from notifications.services import notify
from orders.models import Order
from orders.services import lock_lines, lock_order, record_event

from .. import actions
from .. import events as types
from ..models import (
    DISTRIBUTION,
    DispatchSlip,
    PlanChange,
    PlanReceipt,
    ProductionPlan,
)
from .common import (
    PlanData,
    _locked_plan,
    _may_act,
    _plain,
    _plan_number,
    _require,
    _slip_number,
    _slip_parameters,
    _text,
    date_span,
    planned_quantity,
    whole_pieces_problem,
)
from .completion import (
    _finish_if_complete,
)
from .plan_changes import (
    _end_change,
)

PLAN_STALE = _(
    "The plan was changed after you opened this page; nothing was saved. Reload the "
    "page."
)
PLAN_UNDER_REVIEW = _(
    "Plan %(plan)s awaits review: it changes only when the reviewer sends it back."
)


def _plan_problems(order: Order, data: PlanData, *, plan=None):
    """What is wrong with the plan's values (errors by field) and the quantity it
    takes (what is left of the line when none was given)."""
    errors: dict[str, list] = {}
    line = data.line
    if line is None or line.order_id != order.pk:
        errors["line"] = [_("Choose one of this order's lines.")]
    quantity = data.quantity
    left = None
    if line is not None and line.order_id == order.pk:
        left = line.quantity - planned_quantity(line, exclude=plan)
        if quantity is None:
            # left empty: what is left of the chosen line
            quantity = left
    if quantity is None or quantity <= 0:
        errors["quantity"] = [_("The quantity must be more than zero.")]
    elif left is not None:
        whole = whole_pieces_problem(quantity, line.unit)
        if whole:
            errors["quantity"] = [whole]
        elif quantity > left:
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
    check_within(
        date_span(order),
        errors,
        planned_start=data.planned_start,
        planned_finish=data.planned_finish,
    )
    return errors, quantity


@transaction.atomic
def plan_create(*, actor, order: Order, data: PlanData, form_token=None):
    """The planner turns an order in production into a plan for one of its lines
    (GS/G-SC-03), as a draft: its slips are added (by hand or from the product's
    routing), then it is submitted for review. The model is the chosen line's
    unless the planner typed another; the quantity what is left of that line unless
    given."""
    _require(actor, "production.manage_plan")
    submission = claim_token(form_token, actor)
    locked = lock_order(order, related=("customer",))
    _may_act(locked, actions.PLAN)
    lock_lines([data.line])
    errors, quantity = _plan_problems(locked, data)
    if errors:
        raise ValidationError(errors)
    line = data.line
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
    record_event(
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


EDITED_FIELDS = (
    "line",
    "batch_number",
    "model_code",
    "maker",
    "thickness",
    "quantity",
    "planned_start",
    "planned_finish",
    "notes",
)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _plain(value)
    if hasattr(value, "position"):
        return f"{value.position}. {value.model_code}"
    return str(value)


def _draft(plan: ProductionPlan, version) -> None:
    if plan.status != ProductionPlan.Status.DRAFT:
        raise InvalidMove(
            _(
                "Plan %(plan)s is %(status)s: only a draft is edited or deleted; an "
                "issued plan changes through a plan change form (计划更改单)."
            )
            % {"plan": plan.number, "status": plan.get_status_display()}
        )
    if version is not None and version != plan.version:
        raise ValidationError(PLAN_STALE)


@transaction.atomic
def plan_edit(
    *,
    actor,
    plan: ProductionPlan,
    data: PlanData,
    version: int | None = None,
    form_token=None,
) -> ProductionPlan:
    """The planner edits a draft plan (not yet submitted for review); its history
    line says old → new of what changed."""
    _require(actor, "production.manage_plan")
    submission = claim_token(form_token, actor)
    order, plan = _locked_plan(plan)
    _may_act(order, actions.PLAN)
    _draft(plan, version)
    errors, quantity = _plan_problems(order, data, plan=plan)
    if errors:
        raise ValidationError(errors)
    new = {
        "line": data.line,
        "batch_number": _text(data.batch_number, 32) or plan.batch_number,
        "model_code": _text(data.model_code, 64) or data.line.model_code,
        "maker": _text(data.maker, 128) or order.customer.name[:128],
        "thickness": data.thickness,
        "quantity": quantity,
        "planned_start": data.planned_start,
        "planned_finish": data.planned_finish,
        "notes": _text(data.notes),
    }
    lines = []
    for field in EDITED_FIELDS:
        old_value, new_value = getattr(plan, field), new[field]
        if _shown(old_value) != _shown(new_value):
            lines.append(
                {"field": field, "old": _shown(old_value), "new": _shown(new_value)}
            )
            setattr(plan, field, new_value)
    if not lines:
        record_result(submission, plan.get_absolute_url())
        return plan
    too_many = [
        s.number for s in plan.slips.all() if s.quantity > int(plan.quantity or 0)
    ]
    if too_many:
        raise ValidationError(
            {
                "quantity": [
                    _("Slips %(slips)s make more than %(quantity)s: change them first.")
                    % {"slips": "、".join(too_many), "quantity": _plain(quantity)}
                ]
            }
        )
    plan.version += 1
    plan.full_clean(exclude=["order", "line", "created_by"])
    plan.save()
    record_event(
        order=order,
        type_=types.PLAN_EDITED,
        user=actor,
        parameters={"plan": plan.number, "edits": lines},
    )
    record_result(submission, plan.get_absolute_url())
    return plan


@transaction.atomic
def plan_delete(
    *, actor, plan: ProductionPlan, reason: str = "", version: int | None = None
) -> Order:
    """The planner deletes a draft plan (never submitted, never issued) with its
    slips; the order's history keeps a line of it. Nothing is deleted once a plan
    is issued: it is closed with a reason."""
    _require(actor, "production.manage_plan")
    order, plan = _locked_plan(plan)
    _may_act(order, actions.PLAN)
    _draft(plan, version)
    slips = list(plan.slips.order_by("number").values_list("number", flat=True))
    parameters = {
        "plan": plan.number,
        "model": plan.model_code,
        "quantity": _plain(plan.quantity),
        "slips": slips,
    }
    if PlanChange.objects.filter(plan=plan).exists():
        raise InvalidMove(
            _("Plan %(plan)s has plan changes on record: close it instead.")
            % {"plan": plan.number}
        )
    through = DispatchSlip.predecessors.through
    through.objects.filter(from_dispatchslip__plan=plan).delete()
    through.objects.filter(to_dispatchslip__plan=plan).delete()
    DispatchSlip.objects.filter(plan=plan).delete()
    plan.delete()
    record_event(
        order=order,
        type_=types.PLAN_DELETED,
        user=actor,
        reason=_text(reason),
        parameters=parameters,
    )
    return order


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
    _may_act(order, actions.ADD_SLIP)
    if plan.status == ProductionPlan.Status.CLOSED:
        raise InvalidMove(_("The plan is closed: no slip can be added to it."))
    if plan.status == ProductionPlan.Status.SUBMITTED:
        raise InvalidMove(PLAN_UNDER_REVIEW % {"plan": plan.number})
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
    check_within(date_span(order), errors, start_date=start_date, due_date=due_date)
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
    record_event(
        order=order,
        type_=types.SLIP_ADDED,
        user=actor,
        parameters=_slip_parameters(slip, quantity=quantity),
    )
    record_result(submission, plan.get_absolute_url())
    return slip


def _reviewers():
    """Who reviews plans (审核): the active holders of production.review_plans."""
    User = get_user_model()
    return [
        user
        for user in User.objects.filter(
            is_active=True,
            groups__permissions__codename="review_plans",
            groups__permissions__content_type__app_label="production",
        ).distinct()
        if may(user, "production.review_plan")
    ]


def _issued_to(plan) -> list[str]:
    names = dict(
        Department.objects.filter(
            code__in=[code for code, _n in DISTRIBUTION]
        ).values_list("code", "name")
    )
    return [f"{names.get(code, code)}×{copies}" for code, copies in DISTRIBUTION]


@transaction.atomic
def plan_submit(*, actor, plan: ProductionPlan, form_token=None) -> ProductionPlan:
    """The planner submits the draft with its slips for review (编制 → 审核): the
    reviewers find it in their queue and in their inbox; nothing of it changes
    until it is reviewed or sent back."""
    _require(actor, "production.manage_plan")
    submission = claim_token(form_token, actor)
    order, plan = _locked_plan(plan)
    _may_act(order, actions.PLAN)
    if plan.status != ProductionPlan.Status.DRAFT:
        raise InvalidMove(
            _("Plan %(plan)s is %(status)s: only a draft is submitted for review.")
            % {"plan": plan.number, "status": plan.get_status_display()}
        )
    if not plan.slips.exclude(status=DispatchSlip.Status.CLOSED).exists():
        raise ValidationError(
            _("Add at least one dispatch slip before submitting the plan.")
        )
    plan.status = ProductionPlan.Status.SUBMITTED
    plan.submitted_by, plan.submitted_at = actor, timezone.now()
    plan.version += 1
    plan.save(update_fields=["status", "submitted_by", "submitted_at", "version"])
    record_event(
        order=order,
        type_=types.PLAN_SUBMITTED,
        user=actor,
        parameters={
            "plan": plan.number,
            "model": plan.model_code,
            "quantity": _plain(plan.quantity),
        },
    )
    notify(
        users=[u for u in _reviewers() if u.pk not in plan.prepared_by_ids()],
        message=_(
            "Production plan %(plan)s of order %(order)s (%(model)s × %(quantity)s) "
            "awaits your review."
        )
        % {
            "plan": plan.number,
            "order": order.number,
            "model": plan.model_code,
            "quantity": _plain(plan.quantity),
        },
        link=plan.get_absolute_url(),
        kind="plan_review",
    )
    record_result(submission, plan.get_absolute_url())
    return plan


def _reviewable(actor, order, plan) -> None:
    _may_act(order, actions.ISSUE_PLAN)
    if plan.status != ProductionPlan.Status.SUBMITTED:
        raise InvalidMove(
            _("Plan %(plan)s is %(status)s: only a plan awaiting review is reviewed.")
            % {"plan": plan.number, "status": plan.get_status_display()}
        )
    if actor.pk in plan.prepared_by_ids():
        raise PermissionDenied(
            _("You prepared plan %(plan)s: its review is another person's.")
            % {"plan": plan.number}
        )
    _require(actor, "production.review_plan", plan)


@transaction.atomic
def plan_issue(*, actor, plan: ProductionPlan, form_token=None) -> ProductionPlan:
    """The reviewer (审核, the production manager — never who prepared it) reviews
    the submitted plan and it is issued (下发) to its distribution list: QC,
    technical, cutting, maintenance and line statistics find it in their queue; its
    slips reach their workshops; the planner is told."""
    _require(actor, "production.review_plan")
    submission = claim_token(form_token, actor)
    order, plan = _locked_plan(plan)
    _reviewable(actor, order, plan)
    if not plan.slips.exclude(status=DispatchSlip.Status.CLOSED).exists():
        raise ValidationError(_("Add at least one dispatch slip before issuing."))
    now = timezone.now()
    plan.status = ProductionPlan.Status.ISSUED
    plan.reviewed_by, plan.reviewed_at = actor, now
    plan.issued_by, plan.issued_at = actor, now
    plan.version += 1
    plan.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "issued_by",
            "issued_at",
            "version",
        ]
    )
    record_event(
        order=order,
        type_=types.PLAN_ISSUED,
        user=actor,
        parameters={"plan": plan.number, "distribution": _issued_to(plan)},
    )
    notify(
        users=[plan.submitted_by_id or plan.created_by_id],
        message=_("Production plan %(plan)s was reviewed and issued by %(who)s.")
        % {"plan": plan.number, "who": actor},
        link=plan.get_absolute_url(),
        kind="plan_review",
    )
    record_result(submission, plan.get_absolute_url())
    return plan


@transaction.atomic
def plan_return(
    *, actor, plan: ProductionPlan, reason: str, version: int | None = None
) -> ProductionPlan:
    """The reviewer sends the submitted plan back to the planner with the reason:
    it is a draft again, to be edited and submitted anew."""
    _require(actor, "production.review_plan")
    order, plan = _locked_plan(plan)
    if version is not None and version != plan.version:
        raise ValidationError(PLAN_STALE)
    _reviewable(actor, order, plan)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason.")]})
    plan.status = ProductionPlan.Status.DRAFT
    plan.returned_by, plan.returned_at = actor, timezone.now()
    plan.returned_reason = reason
    plan.version += 1
    plan.save(
        update_fields=[
            "status",
            "returned_by",
            "returned_at",
            "returned_reason",
            "version",
        ]
    )
    record_event(
        order=order,
        type_=types.PLAN_RETURNED,
        user=actor,
        reason=reason,
        parameters={"plan": plan.number, "model": plan.model_code},
    )
    notify(
        users=[plan.submitted_by_id or plan.created_by_id],
        message=_("Production plan %(plan)s was sent back by %(who)s: %(reason)s")
        % {"plan": plan.number, "who": actor, "reason": reason},
        link=plan.get_absolute_url(),
        kind="plan_review",
    )
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
    _may_act(order, actions.PLAN)
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
    record_event(
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
    record_event(
        order=order,
        type_=types.PLAN_RECEIVED,
        user=actor,
        parameters={"plan": plan.number, "department": actor.department.name},
    )
    return receipt


def _draft_slip(slip: DispatchSlip):
    """The locked order, plan and slip of a slip on a draft plan."""
    order, plan = _locked_plan(slip.plan)
    locked = (
        DispatchSlip.objects.select_for_update(of=("self",))
        .select_related("workshop")
        .get(pk=slip.pk)
    )
    _may_act(order, actions.ADD_SLIP)
    if plan.status == ProductionPlan.Status.SUBMITTED:
        raise InvalidMove(PLAN_UNDER_REVIEW % {"plan": plan.number})
    if plan.status != ProductionPlan.Status.DRAFT:
        raise InvalidMove(
            _(
                "Plan %(plan)s is %(status)s: its slips change only through a plan "
                "change form (计划更改单)."
            )
            % {"plan": plan.number, "status": plan.get_status_display()}
        )
    locked.plan = plan
    return order, plan, locked


@transaction.atomic
def slip_edit(
    *,
    actor,
    slip: DispatchSlip,
    workshop: Department | None,
    operation: str,
    quantity: int | None,
    due_date: date | None,
    start_date: date | None = None,
    predecessors=(),
    notes: str = "",
    version: int | None = None,
    form_token=None,
) -> DispatchSlip:
    """The planner adjusts a slip of a draft plan (made by hand or from the
    routing); the history line says old → new."""
    _require(actor, "production.manage_plan")
    submission = claim_token(form_token, actor)
    order, plan, slip = _draft_slip(slip)
    if version is not None and version != slip.version:
        raise ValidationError(PLAN_STALE)
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
    if any(p.plan_id != plan.pk or p.pk == slip.pk for p in predecessors):
        errors["predecessors"] = [
            _("Previous operations must be other slips of this plan.")
        ]
    elif _would_loop(slip, predecessors):
        errors["predecessors"] = [
            _("A slip cannot come after a slip that comes after it.")
        ]
    check_within(date_span(order), errors, start_date=start_date, due_date=due_date)
    if errors:
        raise ValidationError(errors)
    before_predecessors = sorted(slip.predecessors.values_list("number", flat=True))
    new = {
        "workshop": workshop,
        "operation": operation,
        "quantity": quantity,
        "start_date": start_date,
        "due_date": due_date,
        "notes": _text(notes),
    }
    edits = []
    for field, value in new.items():
        old = getattr(slip, field)
        old_text = old.name if field == "workshop" else _shown(old)
        new_text = value.name if field == "workshop" else _shown(value)
        if old_text != new_text:
            edits.append({"field": field, "old": old_text, "new": new_text})
            setattr(slip, field, value)
    after_predecessors = sorted(p.number for p in predecessors)
    if before_predecessors != after_predecessors:
        edits.append(
            {
                "field": "predecessors",
                "old": "、".join(before_predecessors),
                "new": "、".join(after_predecessors),
            }
        )
    if edits:
        # a draft's slip commits nothing yet: its first committed date follows it
        slip.committed_due_date = slip.due_date
        slip.version += 1
        slip.save()
        slip.predecessors.set(predecessors)
        record_event(
            order=order,
            type_=types.SLIP_EDITED,
            user=actor,
            parameters={**_slip_parameters(slip), "edits": edits},
        )
    record_result(submission, plan.get_absolute_url())
    return slip


def _would_loop(slip: DispatchSlip, predecessors) -> bool:
    """One of the chosen previous operations comes (directly or not) after it."""
    after, seen, todo = set(), set(), [slip.pk]
    links = list(
        DispatchSlip.predecessors.through.objects.filter(
            from_dispatchslip__plan_id=slip.plan_id
        ).values_list("from_dispatchslip_id", "to_dispatchslip_id")
    )
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for successor, predecessor in links:
            if predecessor == current:
                after.add(successor)
                todo.append(successor)
    return any(p.pk in after for p in predecessors)


@transaction.atomic
def slip_remove(*, actor, slip: DispatchSlip) -> ProductionPlan:
    """The planner removes a slip from a draft plan (nothing was started on it):
    the slips after it no longer wait for it; the history keeps a line."""
    _require(actor, "production.manage_plan")
    order, plan, slip = _draft_slip(slip)
    parameters = _slip_parameters(slip, quantity=slip.quantity)
    if slip.reports.exists() or slip.change_items.exists():
        raise InvalidMove(_("This slip has reports or changes on record."))
    slip.predecessors.clear()
    slip.successors.clear()
    slip.delete()
    record_event(
        order=order, type_=types.SLIP_REMOVED, user=actor, parameters=parameters
    )
    return plan
