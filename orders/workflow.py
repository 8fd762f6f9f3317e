"""The walk of an order (订单流程), declared once, and the one gate that moves an order.

`MOVES` is the whole table: every allowed move, the stages it leaves from, where it
goes, the permission and rule it needs, whether it needs a reason, and the app that
owns it. What must be true before a move and what it does besides the stage are
declared by the owning app in orders.registry (orders' own in orders.moves), and each
stage's department and due date in orders.stages.STAGE_SPECS.

`order_move()` is the gate, private to the services of each move (orders.services,
and other apps' services through `orders.services.order_advance`): it checks the
actor's permission and relation to the order, locks the row, checks the table, the
version and the preconditions, runs the effects, saves and writes the event. Nothing
else writes `Order.stage` (orders.stage_guard refuses it at run time). Moves the
system makes by itself go through the same gate on behalf of the user whose action
completed the precondition, and the event says so.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.permissions import may
from accounts.workdays import get_calendar

from . import events, registry
from .concurrency import check_version, lock_order
from .exceptions import InvalidMove, PermissionDenied, ValidationError
from .models import Order, StageDeadline
from .registry import Move
from .stage_guard import stage_writes
from .stages import IN_PROGRESS, OPEN, STAGE_SPECS, Stage
from .submissions import claim_token, record_result

# Who answers for each stage, by department code (accounts.departments).
STAGE_DEPARTMENTS: dict[str, str] = {
    stage: spec.department
    for stage, spec in STAGE_SPECS.items()
    if spec.department and stage != Stage.DRAFT
}
STAGE_DEPARTMENTS[Stage.DRAFT] = STAGE_SPECS[Stage.DRAFT].department


def _after_hold(order: Order) -> str:
    return order.held_stage


# orders' own moves; another app registers its own (registry.move) from its
# AppConfig.ready(), and the gate reads them all from the one table.
OWN_MOVES: tuple[Move, ...] = (
    Move(
        "submit",
        _("Submit for review"),
        frozenset({Stage.DRAFT}),
        Stage.REVIEW,
        "orders.submit_order",
        button=True,
        style="primary",
        rule="orders.submit_order",
    ),
    Move(
        "send_back",
        _("Send back to sales"),
        frozenset({Stage.REVIEW}),
        Stage.DRAFT,
        "orders.conclude_review",
        needs_reason=True,
        button=True,
        rule="orders.send_back",
    ),
    Move(
        "accept",
        _("Accept (needs GM approval)"),
        frozenset({Stage.REVIEW}),
        Stage.APPROVAL,
        "orders.conclude_review",
        rule="orders.conclude_review",
    ),
    Move(
        "accept_direct",
        _("Accept"),
        frozenset({Stage.REVIEW}),
        Stage.QUOTE,
        "orders.conclude_review",
        rule="orders.conclude_review",
    ),
    Move(
        "decline",
        _("Decline the order"),
        frozenset({Stage.REVIEW}),
        Stage.DECLINED,
        "orders.conclude_review",
        needs_reason=True,
        rule="orders.conclude_review",
    ),
    Move(
        "approve",
        _("Approve (GM)"),
        frozenset({Stage.APPROVAL}),
        Stage.QUOTE,
        "orders.approve_order",
        rule="orders.approve_order",
    ),
    Move(
        "approval_send_back",
        _("Send back to review (GM)"),
        frozenset({Stage.APPROVAL}),
        Stage.REVIEW,
        "orders.approve_order",
        needs_reason=True,
        rule="orders.approve_order",
    ),
    Move(
        "quote_accepted",
        _("Customer accepted the quote"),
        frozenset({Stage.QUOTE}),
        Stage.CONTRACT,
        "orders.accept_quote",
        rule="orders.accept_quote",
    ),
    Move(
        "contract_signed",
        _("Contract signed"),
        frozenset({Stage.CONTRACT}),
        Stage.DRAWING,
        "orders.manage_contract",
        rule="orders.record_contract",
    ),
    Move(
        "drawings_issued",
        _("Drawings issued"),
        frozenset({Stage.DRAWING}),
        Stage.PRODUCTION,
        "orders.issue_drawings",
        rule="orders.manage_drawings",
    ),
    Move(
        "hold",
        _("Hold for a change request"),
        frozenset(IN_PROGRESS - {Stage.ON_HOLD}),
        Stage.ON_HOLD,
        "orders.request_change",
        needs_reason=True,
        rule="orders.request_change",
    ),
    Move(
        "resume",
        _("Resume after the change request"),
        frozenset({Stage.ON_HOLD}),
        _after_hold,
        ("orders.approve_change", "orders.approve_large_change"),
        rule="orders.resume_after_change",
    ),
    Move(
        "cancel",
        _("Cancel the order"),
        frozenset(OPEN),
        Stage.CANCELLED,
        "orders.cancel_order",
        needs_reason=True,
        button=True,
        style="danger",
        extra=("loss_measures",),
        rule="orders.cancel_order",
    ),
)
for _move in OWN_MOVES:
    registry.move(_move)
# The whole table, orders' and the apps' moves (read it after the apps are ready).
MOVES = registry.MOVES


def moves_from(stage: str) -> list[Move]:
    return [move for move in MOVES.values() if stage in move.sources]


@transaction.atomic
def order_move(
    *,
    order: Order,
    actor,
    move: str,
    reason: str = "",
    version: int | None = None,
    automatic: bool = False,
    on_behalf_of=None,
    fields: dict | None = None,
    parameters: dict | None = None,
    form_token=None,
) -> Order:
    """The one gate; call it through the move's service. Returns the order, re-read
    and locked, at its new stage.

    `fields` carries the move's extra fields (e.g. `loss_measures` on cancel);
    `automatic` marks a move the system made for `actor` once the action of the
    service calling it completed the precondition (the service has checked that
    actor); `form_token` makes a double-posted button do the move once."""
    definition = MOVES.get(move)
    if definition is None:
        raise InvalidMove(_("Unknown move “%(move)s”.") % {"move": move})
    # The actor's permission and relation to the order (a stand-in passes the
    # approver's rule in their period); an automatic move was checked by its service.
    if not automatic and not (
        may(actor, "orders.view_order", order) and definition.permits(actor, order)
    ):
        raise PermissionDenied(
            _("This order is not yours to change.")
            if definition.allowed(actor)
            else _("Your role may not “%(move)s”.") % {"move": definition.label}
        )
    submission = claim_token(form_token, actor)
    locked = lock_order(order)
    if locked.stage not in definition.sources:
        raise InvalidMove(
            _("The order is at “%(stage)s”: “%(move)s” is not possible from there.")
            % {"stage": locked.get_stage_display(), "move": definition.label}
        )
    check_version(locked, version)
    reason = (reason or "").strip()
    if definition.needs_reason and not reason:
        raise ValidationError({"reason": _("Please give the reason.")})
    fields = fields or {}
    for name in definition.extra:
        if not str(fields.get(name, "")).strip():
            raise ValidationError(
                {
                    name: _("Please fill in “%(field)s”.")
                    % {"field": Order._meta.get_field(name).verbose_name}
                }
            )
    refusal = definition.refusal(locked)
    if refusal:
        raise InvalidMove(refusal)

    now = timezone.now()
    transition = registry.Transition(
        order=locked,
        move=definition,
        actor=actor,
        reason=reason,
        fields=fields,
        from_stage=locked.stage,
        to_stage=definition.target_for(locked),
        now=now,
        automatic=automatic,
        update_fields=[
            "stage",
            "stage_entered_at",
            "due_date",
            "version",
            "updated_at",
        ],
        parameters=dict(parameters or {}),
    )
    StageDeadline.objects.filter(
        order=locked, stage=transition.from_stage, completed_at__isnull=True
    ).update(completed_at=now)
    deadline = _start_stage(locked, transition.to_stage, now)
    for effect in registry.effects_of(move, "before"):
        effect.run(transition)

    locked.stage = transition.to_stage
    locked.stage_entered_at = now
    locked.due_date = deadline.due_date if deadline else None
    locked.version += 1
    locked.full_clean(exclude=["customer", "salesperson", "created_by"])
    with stage_writes():
        locked.save(update_fields=transition.update_fields)
    for effect in registry.effects_of(move, "after"):
        effect.run(transition)
    events.order_moved(
        order=locked,
        user=actor,
        move=definition,
        from_stage=transition.from_stage,
        to_stage=transition.to_stage,
        reason=reason,
        automatic=automatic,
        on_behalf_of=on_behalf_of,
        parameters=transition.parameters,
    )
    record_result(submission, locked.get_absolute_url())
    return locked


def _start_stage(order: Order, stage: str, now) -> StageDeadline | None:
    """Open the tracker row of the stage the order enters, with the due date its
    StageSpec declares: set on entry (the review, the approval, the quote, the
    contract, the drawings' clock), or as planned when the review concluded."""
    spec = STAGE_SPECS.get(stage)
    if spec is None or stage == Stage.DRAFT:
        return None
    deadline, _created = StageDeadline.objects.get_or_create(
        order=order,
        stage=stage,
        defaults={
            "department": Department.objects.filter(code=spec.department).first()
        },
    )
    deadline.started_at = now
    deadline.completed_at = None
    if spec.due_on_entry and (spec.entry_resets or deadline.due_date is None):
        deadline.due_date = get_calendar().add_working_days(
            timezone.localdate(now), getattr(settings, spec.due_on_entry)
        )
    deadline.save()
    return deadline


def workflow_markdown() -> str:
    """docs/workflow.md, generated from the table, the stage specs and the
    registries, so that it cannot drift (tests/orders/test_workflow.py compares)."""
    from accounts.departments import DEPARTMENT_BY_CODE
    from accounts.roles import ROLES

    def holders(move: Move) -> str:
        wanted = (
            (move.permission,) if isinstance(move.permission, str) else move.permission
        )
        names = [
            str(role.label) for role in ROLES if set(wanted) & set(role.permissions)
        ]
        return "、".join(names) or "-"

    def stage(code: str) -> str:
        return f"{Stage(code).label} (`{code}`)"

    def department(code: str | None) -> str:
        if not code:
            return "-"
        spec = DEPARTMENT_BY_CODE.get(code)
        return f"{spec.name if spec else code} (`{code}`)"

    lines = [
        "# 订单流程 · The walk of an order",
        "",
        "Generated by `python manage.py workflow_table --write` from `orders/workflow.py`,",
        "`orders/stages.py` and the apps' registrations (`orders/registry.py`); do not",
        "edit by hand. Every move goes through `order_move()`, the one gate, called by",
        "the move's service.",
        "",
        "## 环节与责任部门 · Stages, who answers for them, and their due dates",
        "",
        "| 环节 stage | 责任部门 department | 到期日 due date |",
        "|---|---|---|",
    ]
    for code in Stage:
        spec = STAGE_SPECS.get(code)
        if spec is None:
            lines.append(f"| {stage(code)} | - | - |")
            continue
        due = []
        if spec.due_on_entry:
            days = getattr(settings, spec.due_on_entry)
            due.append(
                f"进入后 {days} 个工作日 (`{spec.due_on_entry}`)"
                + ("，每次进入重算" if spec.entry_resets else "")
            )
        if spec.committed_by:
            due.append(f"评审表{department(spec.committed_by)}承诺的天数")
        lines.append(
            f"| {stage(code)} | {department(spec.department)} | "
            f"{'；'.join(due) or '-'} |"
        )
    lines += [
        "",
        "## 允许的操作 · Allowed moves",
        "",
        "| 操作 move | 从 from | 到 to | 权限 permission | 角色 roles | 所属应用 app "
        "| 前提 precondition | 需原因 reason |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for move in MOVES.values():
        sources = "、".join(str(Stage(s).label) for s in Stage if s in move.sources)
        target = (
            str(Stage(move.target).label)
            if not callable(move.target)
            else "变更前环节 (held stage)"
        )
        permission = (
            move.permission
            if isinstance(move.permission, str)
            else " / ".join(move.permission)
        )
        lines.append(
            f"| {move.label} (`{move.code}`) | {sources} | {target} | `{permission}` "
            f"| {holders(move)} | `{move.app}` | {move.precondition_doc or '-'} "
            f"| {'是' if move.needs_reason else '-'} |"
        )
    lines += [
        "",
        "## 操作的附带效果 · What moves do besides the stage",
        "",
        "| 操作 move | 所属应用 app | 效果 effect |",
        "|---|---|---|",
    ]
    for move in MOVES.values():
        for when in ("before", "after"):
            for effect in registry.effects_of(move.code, when):
                if effect.doc:
                    lines.append(f"| `{move.code}` | `{effect.app}` | {effect.doc} |")
    lines += [
        "",
        "## 环节内的操作与其检查 · Actions inside the stages, and what may hold them",
        "",
        "| 操作 action | 所属应用 app | 检查 check (app) |",
        "|---|---|---|",
    ]
    for action in sorted(registry.actions(), key=lambda a: a.code):
        checks = "；".join(
            f"{c.doc} (`{c.app}`)" for c in registry.action_checks_of(action.code)
        )
        lines.append(
            f"| {action.label} (`{action.code}`) | `{action.app}` | {checks or '-'} |"
        )
    lines += [
        "",
        "## 各行数量 · Quantities by line",
        "",
        "| 列 column | 所属应用 app | 说明 |",
        "|---|---|---|",
    ]
    for source in registry.line_quantity_sources():
        for column in source.columns:
            lines.append(
                f"| {column.label} (`{column.code}`) | `{source.app}` "
                f"| {source.doc or '-'} |"
            )
    lines += [
        "",
        "## 环节内的到期事项 · Due items inside the stages",
        "",
        "| 事项 item | 环节 stage | 所属应用 app | 说明 |",
        "|---|---|---|---|",
    ]
    for source in sorted(registry.due_sources(), key=lambda s: s.key):
        lines.append(
            f"| {source.label} (`{source.key}`) | {stage(source.stage)} "
            f"| `{source.app}` | {source.doc or '-'} |"
        )
    return "\n".join(lines) + "\n"
