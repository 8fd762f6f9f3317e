"""The walk of an order (订单流程), declared once, and the one gate that moves an order.

`MOVES` is the whole table: every allowed move, the stages it leaves from, where it goes,
the permission it needs, what must be true first, and whether it needs a reason.
`STAGE_DEPARTMENTS` names the department that answers for each stage. `order_move()` is
the only code that assigns `Order.stage`: it locks the row, checks the table, the actor's
permission and the precondition, saves, and writes the event. Moves the system makes by
itself go through the same gate on behalf of the user whose action completed the
precondition, and the event says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.permissions import may, role_permissions
from accounts.workdays import get_calendar

from . import events
from .concurrency import check_version, lock_order
from .exceptions import InvalidMove, PermissionDenied, ValidationError
from .models import Order, StageDeadline
from .stages import IN_PROGRESS, OPEN, Stage
from .submissions import claim_token, record_result

# Who answers for each stage (DOMAIN.md "Who answers for which stage"), by department
# code as seeded; an installation renames departments freely, codes stay.
STAGE_DEPARTMENTS: dict[str, str] = {
    Stage.DRAFT: "sales",
    Stage.REVIEW: "production",
    Stage.APPROVAL: "gm_office",
    Stage.QUOTE: "sales",
    Stage.CONTRACT: "sales",
    Stage.DRAWING: "technical",
    Stage.PRODUCTION: "production",
    Stage.INSPECTION: "quality",
    Stage.DELIVERY: "logistics",
    Stage.SETTLEMENT: "finance",
}


Precondition = Callable[[Order], "str | None"]


@dataclass(frozen=True)
class Move:
    code: str
    label: object
    sources: frozenset[str]
    target: str | Callable[[Order], str]
    # One permission, or a tuple of which any one suffices (what the roles hold).
    permission: str | tuple[str, ...]
    precondition: Precondition | None = None
    precondition_doc: object = ""
    needs_reason: bool = False
    # Moves offered as buttons on the order page; the others are made by services
    # (hold/resume by change requests, later stages by their own pages).
    button: bool = False
    style: str = ""
    extra: tuple[str, ...] = field(default=())
    # The declared rule (orders.permissions) the actor must pass on this order: the
    # permission and the actor's relation to the order.
    rule: str = ""

    def allowed(self, user) -> bool:
        """Whether the user's roles hold the move's permission at all (any order)."""
        wanted = (
            (self.permission,) if isinstance(self.permission, str) else self.permission
        )
        held = role_permissions(user)
        return any(p in held for p in wanted)

    def permits(self, user, order: Order) -> bool:
        """Whether the user may make this move on this order: the permission and
        the relation to the order, as declared in orders.permissions."""
        return may(user, self.rule, order)

    def target_for(self, order: Order) -> str:
        return self.target(order) if callable(self.target) else self.target


# --- preconditions: each returns None when met, or the refusal the user reads ---------


def _complete_for_review(order: Order) -> str | None:
    if not order.lines.exists():
        return _("The order has no lines.")
    if order.credit == Order.Credit.PENDING:
        return _(
            "The order takes the customer over the credit limit: finance must "
            "approve it first."
        )
    return None


def _change_decided(order: Order) -> str | None:
    if order.change_requests.filter(status__in=["pending", "awaiting_gm"]).exists():
        return _("A change request on this order is still waiting for approval.")
    return None


def _after_hold(order: Order) -> str:
    return order.held_stage


def _not_built(what) -> Precondition:
    """A later stage whose page is not part of this version: the move exists in the
    table (and its permission is real) but cannot be made without its record."""

    def check(order: Order) -> str:
        return _("Not possible yet: %(what)s is recorded on its own page.") % {
            "what": what
        }

    check.__doc__ = str(what)
    return check


def _review_concluded(*conclusions: str, needs_gm: bool | None = None):
    def check(order: Order) -> str | None:
        from .models import ContractReview

        review = ContractReview.objects.filter(order=order).first()
        if review is None or review.conclusion not in conclusions:
            return _("The contract review sheet has not been concluded that way.")
        if needs_gm is not None and review.needs_gm != needs_gm:
            return (
                _("This order needs the general manager's approval.")
                if review.needs_gm
                else _("This order does not need the general manager's approval.")
            )
        return None

    return check


def _gm_approved(order: Order) -> str | None:
    from .models import ContractReview

    if not ContractReview.objects.filter(
        order=order, gm_decision=ContractReview.GMDecision.APPROVED
    ).exists():
        return _("The general manager has not approved the order.")
    return None


def _quote_accepted(order: Order) -> str | None:
    from .models import Quote

    if not order.quotes.filter(status=Quote.Status.ACCEPTED).exists():
        return _("No approved quote has been accepted by the customer.")
    return None


def _contract_recorded(order: Order) -> str | None:
    from .models import Contract

    if not Contract.objects.filter(order=order).exists():
        return _("The signed contract has not been recorded.")
    return None


def _drawings_issued(order: Order) -> str | None:
    if not order.drawings.filter(
        issued_at__isnull=False, recalled_at__isnull=True
    ).exists():
        return _("No drawing has been issued.")
    return None


MOVES: dict[str, Move] = {
    move.code: move
    for move in (
        Move(
            "submit",
            _("Submit for review"),
            frozenset({Stage.DRAFT}),
            Stage.REVIEW,
            "orders.submit_order",
            _complete_for_review,
            _("has lines; credit within limit or approved by finance"),
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
            _review_concluded("accept", "conditional", needs_gm=True),
            _("review sheet concluded “accept”; order important or over the amount"),
            rule="orders.conclude_review",
        ),
        Move(
            "accept_direct",
            _("Accept"),
            frozenset({Stage.REVIEW}),
            Stage.QUOTE,
            "orders.conclude_review",
            _review_concluded("accept", "conditional", needs_gm=False),
            _("review sheet concluded “accept”; no GM approval needed"),
            rule="orders.conclude_review",
        ),
        Move(
            "decline",
            _("Decline the order"),
            frozenset({Stage.REVIEW}),
            Stage.DECLINED,
            "orders.conclude_review",
            _review_concluded("decline"),
            _("review sheet concluded “decline”"),
            needs_reason=True,
            rule="orders.conclude_review",
        ),
        Move(
            "approve",
            _("Approve (GM)"),
            frozenset({Stage.APPROVAL}),
            Stage.QUOTE,
            "orders.approve_order",
            _gm_approved,
            _("GM approval recorded"),
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
            _quote_accepted,
            _("an approved, unexpired quote accepted by the customer"),
            rule="orders.accept_quote",
        ),
        Move(
            "contract_signed",
            _("Contract signed"),
            frozenset({Stage.CONTRACT}),
            Stage.DRAWING,
            "orders.manage_contract",
            _contract_recorded,
            _("contract recorded with its signed file"),
            rule="orders.record_contract",
        ),
        Move(
            "drawings_issued",
            _("Drawings issued"),
            frozenset({Stage.DRAWING}),
            Stage.PRODUCTION,
            "orders.issue_drawings",
            _drawings_issued,
            _("drawings uploaded and issued"),
            rule="orders.manage_drawings",
        ),
        Move(
            "production_done",
            _("Production complete"),
            frozenset({Stage.PRODUCTION}),
            Stage.INSPECTION,
            "orders.complete_production",
            _not_built(_("the dispatch slips")),
            _("every dispatch slip done"),
            rule="orders.complete_production",
        ),
        Move(
            "inspection_passed",
            _("Final inspection passed"),
            frozenset({Stage.INSPECTION}),
            Stage.DELIVERY,
            "orders.pass_inspection",
            _not_built(_("the final inspection")),
            _("final inspection passed"),
            rule="orders.pass_inspection",
        ),
        Move(
            "delivered",
            _("Delivered"),
            frozenset({Stage.DELIVERY}),
            Stage.SETTLEMENT,
            "orders.confirm_delivery",
            _not_built(_("the customer's receipt")),
            _("delivery note signed by the customer"),
            rule="orders.confirm_delivery",
        ),
        Move(
            "settled",
            _("Invoiced and paid"),
            frozenset({Stage.SETTLEMENT}),
            Stage.COMPLETED,
            "orders.settle_order",
            _not_built(_("the invoice and payment")),
            _("invoice issued and payment collected"),
            rule="orders.settle_order",
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
            _change_decided,
            _("the change request approved or rejected"),
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
}


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
    """The one gate. Returns the order, re-read and locked, at its new stage.

    `fields` may carry the move's extra fields (e.g. `loss_measures` on cancel);
    `automatic` marks a move the system made for `actor`; `form_token` makes a
    double-posted button do the move once (DuplicateSubmission the second time)."""
    definition = MOVES.get(move)
    if definition is None:
        raise InvalidMove(_("Unknown move “%(move)s”.") % {"move": move})
    # The actor's permission and relation to the order (a stand-in passes the
    # approver's rule in their period).
    if not definition.permits(actor, order):
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
    if definition.precondition is not None:
        refusal = definition.precondition(locked)
        if refusal:
            raise InvalidMove(refusal)

    old_stage = locked.stage
    new_stage = definition.target_for(locked)
    now = timezone.now()
    update_fields = ["stage", "stage_entered_at", "due_date", "version", "updated_at"]

    StageDeadline.objects.filter(
        order=locked, stage=old_stage, completed_at__isnull=True
    ).update(completed_at=now)
    deadline = _start_stage(locked, new_stage, now)

    if new_stage == Stage.ON_HOLD:
        locked.held_stage = old_stage
        update_fields.append("held_stage")
    elif old_stage == Stage.ON_HOLD:
        locked.held_stage = ""
        update_fields.append("held_stage")
    if move == "submit":
        locked.submitted_at = now
        locked.returned_reason = ""
        update_fields += ["submitted_at", "returned_reason"]
    elif move == "send_back":
        locked.returned_reason = reason
        update_fields.append("returned_reason")
    elif move == "cancel":
        locked.cancel_reason = reason
        locked.loss_measures = fields["loss_measures"].strip()
        update_fields += ["cancel_reason", "loss_measures"]

    locked.stage = new_stage
    locked.stage_entered_at = now
    locked.due_date = deadline.due_date if deadline else None
    locked.version += 1
    locked.full_clean(exclude=["customer", "salesperson", "created_by"])
    locked.save(update_fields=update_fields)
    events.order_moved(
        order=locked,
        user=actor,
        move=definition,
        from_stage=old_stage,
        to_stage=new_stage,
        reason=reason,
        automatic=automatic,
        on_behalf_of=on_behalf_of,
        parameters=parameters,
    )
    record_result(submission, locked.get_absolute_url())
    return locked


def _start_stage(order: Order, stage: str, now) -> StageDeadline | None:
    """Open the tracker row of the stage the order enters, with its due date: the review
    is due ORDER_REVIEW_DUE_WORKING_DAYS after submission; later stages get theirs from
    the contract review's committed days."""
    if stage not in STAGE_DEPARTMENTS or stage == Stage.DRAFT:
        return None
    code = STAGE_DEPARTMENTS[stage]
    deadline, _created = StageDeadline.objects.get_or_create(
        order=order,
        stage=stage,
        defaults={"department": Department.objects.filter(code=code).first()},
    )
    deadline.started_at = now
    deadline.completed_at = None
    entry_due = {
        Stage.REVIEW: settings.ORDER_REVIEW_DUE_WORKING_DAYS,
        Stage.APPROVAL: settings.ORDER_APPROVAL_DUE_WORKING_DAYS,
        Stage.QUOTE: settings.ORDER_QUOTE_DUE_WORKING_DAYS,
        Stage.CONTRACT: settings.ORDER_CONTRACT_DUE_WORKING_DAYS,
    }
    if stage in entry_due and (stage == Stage.REVIEW or deadline.due_date is None):
        deadline.due_date = get_calendar().add_working_days(
            timezone.localdate(now), entry_due[stage]
        )
    deadline.save()
    return deadline


def workflow_markdown() -> str:
    """docs/workflow.md, generated from the table above so that it cannot drift
    (tests/orders/test_workflow.py compares)."""
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

    lines = [
        "# 订单流程 · The walk of an order",
        "",
        "Generated by `python manage.py workflow_table --write` from `orders/workflow.py`;",
        "do not edit by hand. Every move goes through `order_move()`, the one gate.",
        "",
        "## 环节与责任部门 · Stages and who answers for them",
        "",
        "| 环节 stage | 责任部门 department |",
        "|---|---|",
    ]
    from accounts.demo import DEPARTMENTS

    names = {code: name for code, name, _kind in DEPARTMENTS}
    for code in Stage:
        department = STAGE_DEPARTMENTS.get(code)
        shown = (
            f"{names.get(department, department)} (`{department}`)"
            if department
            else "-"
        )
        lines.append(f"| {stage(code)} | {shown} |")
    lines += [
        "",
        "## 允许的操作 · Allowed moves",
        "",
        "| 操作 move | 从 from | 到 to | 权限 permission | 角色 roles | 前提 precondition "
        "| 需原因 reason |",
        "|---|---|---|---|---|---|---|",
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
            f"| {holders(move)} | {move.precondition_doc or '-'} "
            f"| {'是' if move.needs_reason else '-'} |"
        )
    return "\n".join(lines) + "\n"
