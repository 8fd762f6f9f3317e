"""The contract review sheet (合同评审表 GS/G-SC-01), the general manager's approval and
the stand-in (代理审批)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.permissions import may, role_permissions
from accounts.workdays import WorkCalendar, get_calendar

from .. import events
from ..authority import acting_for
from ..concurrency import bump, check_version, lock_order
from ..exceptions import InvalidMove, PermissionDenied, ValidationError
from ..models import (
    ApprovalDelegation,
    ContractReview,
    Customer,
    Order,
    ReviewSignoff,
    StageDeadline,
)
from ..stages import MATERIALS_COMMITTED_BY, STAGE_SPECS, Stage
from ..workflow import order_move
from .order import _claim_token, _require, number_next

# The departments that sign by default, by product type (DOMAIN.md: technical,
# purchasing, production and quality); moulds also need finance (large, prepaid).
DEFAULT_REVIEW_DEPARTMENTS = ("technical", "purchasing", "production", "quality")
REVIEW_DEPARTMENTS_BY_KIND = {
    "mould": (*DEFAULT_REVIEW_DEPARTMENTS, "finance"),
}
# Which signed row commits the days of which stage.
# Which signed row commits the days of which stage (and of the materials milestone),
# as the stages declare it (orders.stages.STAGE_SPECS).
DAYS_FROM = {
    **{
        stage: spec.committed_by
        for stage, spec in STAGE_SPECS.items()
        if spec.committed_by
    },
    "materials": MATERIALS_COMMITTED_BY,
}


def default_review_departments(order: Order) -> list[str]:
    kinds = set(
        order.lines.filter(product__isnull=False).values_list(
            "product__kind", flat=True
        )
    )
    codes = list(DEFAULT_REVIEW_DEPARTMENTS)
    for kind in sorted(kinds):
        for code in REVIEW_DEPARTMENTS_BY_KIND.get(kind, ()):
            if code not in codes:
                codes.append(code)
    return codes


def _review_number(today: date) -> str:
    yyyymm = today.strftime("%Y%m")
    return f"PS-{yyyymm}-{number_next(key=f'review:{yyyymm}'):04d}"


@transaction.atomic
def review_open(*, actor, order: Order, department_codes: list[str]) -> ContractReview:
    """The production manager opens the sheet for a submitted order and picks the
    departments that must sign."""
    _require(actor, "orders.open_review", order)
    locked = lock_order(order.pk)
    if locked.stage != Stage.REVIEW:
        raise InvalidMove(_("The order is not waiting for its contract review."))
    if ContractReview.objects.filter(order=locked).exists():
        raise InvalidMove(_("The review sheet for this order is already open."))
    departments = list(Department.objects.filter(code__in=department_codes))
    if not departments:
        raise ValidationError(
            {"departments": _("Pick at least one department to sign.")}
        )
    order_of = {code: i for i, code in enumerate(department_codes)}
    departments.sort(key=lambda d: order_of.get(d.code, 99))
    review = ContractReview(
        order=locked,
        number=_review_number(timezone.localdate()),
        opened_by=actor,
    )
    review.full_clean(exclude=["order"])
    review.save()
    ReviewSignoff.objects.bulk_create(
        ReviewSignoff(review=review, department=d, position=i)
        for i, d in enumerate(departments)
    )
    bump(locked)
    events.review_opened(
        order=locked, user=actor, review=review, departments=departments
    )
    return review


@transaction.atomic
def review_sign(
    *,
    actor,
    signoff: ReviewSignoff,
    content: str,
    days_needed,
    resources_ok: bool,
    risks: str,
    opinion: str,
) -> ReviewSignoff:
    """A department's reviewer fills in and signs their row."""
    _require(actor, "orders.sign_review")
    # Lock in one order everywhere (order → review → row) so that a sign-off and a
    # conclusion running at the same moment cannot deadlock.
    order = lock_order(signoff.review.order_id)
    locked = (
        ReviewSignoff.objects.select_for_update(of=("self",))
        .select_related("review", "department")
        .get(pk=signoff.pk)
    )
    if not may(actor, "orders.sign_review", locked):
        raise PermissionDenied(
            _("Only a reviewer of %(department)s may sign this row.")
            % {"department": locked.department}
        )
    review = locked.review
    if review.is_concluded or order.stage != Stage.REVIEW:
        raise InvalidMove(_("The review is concluded; the sheet can no longer change."))
    if locked.is_signed and locked.signed_by_id != actor.pk:
        raise InvalidMove(
            _("%(name)s has already signed for %(department)s; ask them to amend it.")
            % {"name": locked.signed_by, "department": locked.department}
        )
    before = (
        {
            "days_needed": locked.days_needed,
            "opinion": locked.opinion,
            "resources_ok": locked.resources_ok,
        }
        if locked.is_signed
        else None
    )
    errors = {}
    try:
        days = int(days_needed)
    except (TypeError, ValueError):
        days = 0
    if days <= 0:
        errors["days_needed"] = _(
            "Enter the working days your department needs (1 or more)."
        )
    elif days > 365:
        errors["days_needed"] = _(
            "More than 365 working days? Please check the number."
        )
    if opinion not in ReviewSignoff.Opinion.values:
        errors["opinion"] = _("Choose agree, agree with conditions or disagree.")
    if opinion != ReviewSignoff.Opinion.AGREE and not (risks or "").strip():
        errors["risks"] = _(
            "Say what the risks are and how to meet them when you do not simply agree."
        )
    if errors:
        raise ValidationError(errors)
    signed = {
        "content": (content or "").strip(),
        "days_needed": days,
        "resources_ok": bool(resources_ok),
        "risks": (risks or "").strip(),
        "opinion": opinion,
    }
    if locked.is_signed and all(
        getattr(locked, name) == value for name, value in signed.items()
    ):
        # The same signature again (a double click, a second tab): already done.
        return locked
    for name, value in signed.items():
        setattr(locked, name, value)
    locked.signed_by = actor
    locked.signed_at = timezone.now()
    locked.full_clean(exclude=["review", "department"])
    locked.save()
    bump(order)
    events.review_signed(order=order, user=actor, signoff=locked, before=before)
    return locked


@dataclass(frozen=True)
class Schedule:
    """The promised date and each stage's due date, from the committed days."""

    start: date
    days: dict[str, int]
    due: dict[str, date]

    @property
    def promised_date(self) -> date:
        return self.due["delivery"]


def promise_schedule(
    *, start: date, days: dict[str, int], calendar: WorkCalendar
) -> Schedule:
    """DOMAIN.md: promised = the day the review concludes + max(drawing, materials) +
    production + inspection + delivery, in working days; each stage's due date falls
    out of the same sum."""
    drawing = days.get("drawing", 0)
    materials = days.get("materials", 0)
    ready = max(drawing, materials)
    production = ready + days.get("production", 0)
    inspection = production + days.get("inspection", 0)
    delivery = inspection + days.get("delivery", 0)
    add = calendar.add_working_days
    return Schedule(
        start=start,
        days=days,
        due={
            "drawing": add(start, drawing),
            "materials": add(start, materials),
            "production": add(start, production),
            "inspection": add(start, inspection),
            "delivery": add(start, delivery),
        },
    )


def committed_days(review: ContractReview) -> dict[str, int]:
    by_code = {
        s.department.code: s.days_needed or 0
        for s in review.signoffs.select_related("department")
    }
    days = {stage: by_code.get(code, 0) for stage, code in DAYS_FROM.items()}
    if "logistics" not in by_code:
        days["delivery"] = settings.ORDER_DELIVERY_WORKING_DAYS
    return days


def suggests_conditions(order: Order) -> bool:
    """The policies' rule: small orders of non-key customers are taken at a higher
    price or a longer lead time."""
    return order.customer.type != Customer.Type.KEY and order.gross_amount < (
        settings.ORDER_SMALL_AMOUNT
    )


def needs_gm(order: Order) -> bool:
    return order.is_important or order.gross_amount >= settings.ORDER_GM_APPROVAL_AMOUNT


@transaction.atomic
def review_conclude(
    *,
    actor,
    review: ContractReview,
    conclusion: str,
    raise_price: bool = False,
    extend_lead_time: bool = False,
    conditions: str = "",
    note: str = "",
    version: int | None = None,
) -> ContractReview:
    """The production manager concludes: accept, accept with conditions, or decline.
    Accepting fixes the promised date and the due dates of drawing, production,
    inspection and delivery, then moves the order on through the gate."""
    _require(actor, "orders.conclude_review", review.order)
    order = lock_order(review.order_id, related=("customer",))
    locked = ContractReview.objects.select_for_update().get(pk=review.pk)
    if order.stage != Stage.REVIEW:
        raise InvalidMove(_("The order is not waiting for its contract review."))
    check_version(order, version)
    if locked.is_concluded:
        raise InvalidMove(_("The review is already concluded."))
    unsigned = [
        str(s.department)
        for s in locked.signoffs.select_related("department")
        if not s.is_signed
    ]
    if unsigned:
        raise ValidationError(
            _("Every department must sign first; still missing: %(departments)s.")
            % {"departments": "、".join(unsigned)}
        )
    if conclusion not in ContractReview.Conclusion.values:
        raise ValidationError({"conclusion": _("Choose how to take the order.")})
    conditions, note = (conditions or "").strip(), (note or "").strip()
    if conclusion == ContractReview.Conclusion.CONDITIONAL and not (
        raise_price or extend_lead_time or conditions
    ):
        raise ValidationError(
            {
                "conditions": _(
                    "Say on what conditions: a higher price, a longer lead "
                    "time, or in words."
                )
            }
        )
    if conclusion == ContractReview.Conclusion.DECLINE and not note:
        raise ValidationError({"note": _("Give the reason the order is declined.")})
    objections = [
        str(s.department)
        for s in locked.signoffs.select_related("department")
        if s.opinion == ReviewSignoff.Opinion.DISAGREE or s.resources_ok is False
    ]
    if objections and conclusion != ContractReview.Conclusion.DECLINE and not note:
        raise ValidationError(
            {
                "note": _(
                    "%(departments)s disagreed or lack resources: say how that is "
                    "resolved; the general manager will decide."
                )
                % {"departments": "、".join(objections)}
            }
        )

    now = timezone.now()
    locked.conclusion = conclusion
    locked.raise_price = bool(raise_price)
    locked.extend_lead_time = bool(extend_lead_time)
    locked.conditions = conditions
    locked.note = note
    locked.concluded_by = actor
    locked.concluded_at = now
    # Hard points go up to the general manager (DOMAIN.md: 生产分管经理 escalates).
    locked.needs_gm = needs_gm(order) or bool(objections)
    locked.gm_decision = ""
    if conclusion != ContractReview.Conclusion.DECLINE:
        schedule = promise_schedule(
            start=timezone.localdate(now),
            days=committed_days(locked),
            calendar=get_calendar(),
        )
        locked.promised_date = schedule.promised_date
        _plan_deadlines(order, schedule)
        order.promised_date = schedule.promised_date
        bump(order, "promised_date")
    locked.save()
    events.review_concluded(order=order, user=actor, review=locked)
    move = (
        "decline"
        if conclusion == ContractReview.Conclusion.DECLINE
        else ("accept" if locked.needs_gm else "accept_direct")
    )
    order_move(order=order, actor=actor, move=move, reason=note)
    return locked


def _plan_deadlines(order: Order, schedule: Schedule) -> None:
    """The planned due date of every stage whose days the review committed; a stage
    whose spec sets its date on entry (the drawings' clock) replaces it then."""
    planned = {s: spec for s, spec in STAGE_SPECS.items() if spec.committed_by}
    departments = {
        d.code: d
        for d in Department.objects.filter(
            code__in={spec.department for spec in planned.values()}
        )
    }
    for stage, spec in planned.items():
        StageDeadline.objects.update_or_create(
            order=order,
            stage=stage,
            defaults={
                "due_date": schedule.due[stage],
                "department": departments.get(spec.department),
            },
        )


@transaction.atomic
def order_approve(
    *, actor, order: Order, approve: bool, comment: str = "", version=None
) -> Order:
    """The general manager (or the stand-in in their period) approves an important
    order, or sends it back to the review with a comment."""
    allowed, principal = acting_for(actor, "orders.approve_order")
    if not allowed or not may(actor, "orders.approve_order", order):
        raise PermissionDenied(
            _("Only the general manager or their stand-in may approve.")
        )
    locked = lock_order(order.pk)
    if principal is not None and actor.pk == locked.salesperson_id:
        raise PermissionDenied(_("A stand-in may not approve their own order."))
    if locked.stage != Stage.APPROVAL:
        raise InvalidMove(_("This order is not waiting for approval."))
    check_version(locked, version)
    review = ContractReview.objects.select_for_update().get(order=locked)
    comment = (comment or "").strip()
    review.gm_by = actor
    review.gm_on_behalf_of = principal
    review.gm_at = timezone.now()
    review.gm_comment = comment
    if approve:
        review.gm_decision = ContractReview.GMDecision.APPROVED
        review.save()
        return order_move(
            order=locked,
            actor=actor,
            move="approve",
            reason=comment,
            on_behalf_of=principal,
        )
    if not comment:
        raise ValidationError({"comment": _("Say why the order goes back.")})
    review.gm_decision = ContractReview.GMDecision.SENT_BACK
    # The production manager concludes again after the GM's comment.
    review.conclusion = ""
    review.concluded_at = None
    review.save()
    return order_move(
        order=locked,
        actor=actor,
        move="approval_send_back",
        reason=comment,
        on_behalf_of=principal,
    )


@transaction.atomic
def delegation_create(
    *,
    actor,
    delegate,
    starts_on: date,
    ends_on: date,
    reason: str = "",
    form_token=None,
) -> ApprovalDelegation:
    _require(actor, "orders.name_stand_in")
    _claim_token(form_token, actor)
    errors = {}
    if delegate is None or delegate == actor:
        errors["delegate"] = _("Choose someone else as the stand-in.")
    elif not delegate.is_active:
        errors["delegate"] = _("That account is disabled.")
    elif "orders.view_all_orders" not in role_permissions(delegate) or (
        "orders.enter_order" in role_permissions(delegate)
    ):
        errors["delegate"] = _(
            "A stand-in must be a manager who sees every order and does not enter "
            "orders themselves."
        )
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The period ends before it starts.")
    if starts_on and starts_on < timezone.localdate():
        errors["starts_on"] = _("The period cannot start in the past.")
    if starts_on and ends_on and ends_on - starts_on > timedelta(days=92):
        errors["ends_on"] = _("A stand-in may be named for at most three months.")
    if errors:
        raise ValidationError(errors)
    delegation = ApprovalDelegation(
        principal=actor,
        delegate=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=(reason or "").strip(),
    )
    delegation.full_clean()
    delegation.save()
    return delegation


@transaction.atomic
def delegation_revoke(*, actor, delegation: ApprovalDelegation) -> ApprovalDelegation:
    if delegation.principal_id != actor.pk:
        raise PermissionDenied(_("Only who named the stand-in may revoke it."))
    if delegation.revoked_at is not None:
        raise InvalidMove(_("This stand-in was already revoked."))
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    return delegation


def order_send_back(
    *, actor, order: Order, reason: str, version=None, form_token=None
) -> Order:
    """Send a submitted order back to sales (incomplete or invalid). Its review sheet
    is voided by the move itself (orders.moves.void_review), whoever makes it."""
    return order_move(
        order=order,
        actor=actor,
        move="send_back",
        reason=reason,
        version=version,
        form_token=form_token,
    )
