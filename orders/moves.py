"""What the first half of the walk needs before each of its moves, and what those
moves do besides changing the stage — registered like any other app's
(orders.registry), so the gate has no if-chain and every caller gets the same."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.services import notify

from .models import ChangeRequest, Contract, ContractReview, Order, Quote
from .registry import ANY_ACTION, action_check, effect, precondition
from .stages import Stage

APP = "orders"


# --- checks on every action -------------------------------------------------------------


@action_check(
    ANY_ACTION,
    app=APP,
    doc=_("an order on hold for a change request takes no action until it is decided"),
)
def not_on_hold(order: Order, **context):
    if order.stage == Stage.ON_HOLD:
        return _(
            "Order %(number)s is on hold for a change request: nothing is done on it "
            "until the change is decided."
        ) % {"number": order.number}
    return None


# --- preconditions ----------------------------------------------------------------------


@precondition(
    "submit", app=APP, doc=_("has lines; credit within limit or approved by finance")
)
def complete_for_review(order: Order):
    if not order.lines.exists():
        return _("The order has no lines.")
    if order.credit == Order.Credit.PENDING:
        return _(
            "The order takes the customer over the credit limit: finance must "
            "approve it first."
        )
    return None


def _review_concluded(*conclusions: str, needs_gm: bool | None = None):
    def check(order: Order):
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


precondition(
    "accept",
    app=APP,
    doc=_("review sheet concluded “accept”; order important or over the amount"),
)(_review_concluded("accept", "conditional", needs_gm=True))
precondition(
    "accept_direct",
    app=APP,
    doc=_("review sheet concluded “accept”; no GM approval needed"),
)(_review_concluded("accept", "conditional", needs_gm=False))
precondition("decline", app=APP, doc=_("review sheet concluded “decline”"))(
    _review_concluded("decline")
)


@precondition("approve", app=APP, doc=_("GM approval recorded"))
def gm_approved(order: Order):
    if not ContractReview.objects.filter(
        order=order, gm_decision=ContractReview.GMDecision.APPROVED
    ).exists():
        return _("The general manager has not approved the order.")
    return None


@precondition(
    "quote_accepted",
    app=APP,
    doc=_("an approved, unexpired quote accepted by the customer"),
)
def quote_accepted(order: Order):
    if not order.quotes.filter(status=Quote.Status.ACCEPTED).exists():
        return _("No approved quote has been accepted by the customer.")
    return None


@precondition(
    "contract_signed", app=APP, doc=_("contract recorded with its signed file")
)
def contract_recorded(order: Order):
    if not Contract.objects.filter(order=order).exists():
        return _("The signed contract has not been recorded.")
    return None


@precondition("drawings_issued", app=APP, doc=_("drawings uploaded and issued"))
def drawings_issued(order: Order):
    if not order.drawings.filter(
        issued_at__isnull=False, recalled_at__isnull=True
    ).exists():
        return _("No drawing has been issued.")
    return None


@precondition("resume", app=APP, doc=_("the change request approved or rejected"))
def change_decided(order: Order):
    if order.change_requests.filter(
        status__in=[ChangeRequest.Status.PENDING, ChangeRequest.Status.AWAITING_GM]
    ).exists():
        return _("A change request on this order is still waiting for approval.")
    return None


# --- effects ------------------------------------------------------------------------------


@effect("submit", app=APP, when="before", doc=_("records when it was submitted"))
def submitted(t) -> None:
    t.order.submitted_at = t.now
    t.order.returned_reason = ""
    t.update_fields += ["submitted_at", "returned_reason"]


@effect("send_back", app=APP, when="before", doc=_("records why it went back"))
def returned(t) -> None:
    t.order.returned_reason = t.reason
    t.update_fields.append("returned_reason")


@effect(
    "send_back",
    app=APP,
    doc=_("voids the review sheet's signatures: the content will change"),
)
def void_review(t) -> None:
    """Signatures were given for content that will change: every department signs
    again after resubmission; the move's event keeps what was voided."""
    review = ContractReview.objects.select_for_update().filter(order=t.order).first()
    if review is None:
        return
    voided = [
        {
            "department": row.department.name,
            "days": row.days_needed,
            "signed_by": str(row.signed_by),
        }
        for row in review.signoffs.select_related("department", "signed_by")
        if row.is_signed
    ]
    review.signoffs.update(
        content="",
        days_needed=None,
        resources_ok=None,
        risks="",
        opinion="",
        signed_by=None,
        signed_at=None,
    )
    review.conclusion = ""
    review.concluded_by = None
    review.concluded_at = None
    review.promised_date = None
    review.save()
    if voided:
        t.parameters["voided_signoffs"] = voided


@effect("cancel", app=APP, when="before", doc=_("records the reason and the measures"))
def cancelled(t) -> None:
    t.order.cancel_reason = t.reason
    t.order.loss_measures = str(t.fields["loss_measures"]).strip()
    t.update_fields += ["cancel_reason", "loss_measures"]
    if t.order.held_stage:
        t.order.held_stage = ""
        t.update_fields.append("held_stage")


@effect(
    "cancel", app=APP, doc=_("closes the change requests still waiting, unanswered")
)
def withdraw_changes(t) -> None:
    t.order.change_requests.filter(
        status__in=[ChangeRequest.Status.PENDING, ChangeRequest.Status.AWAITING_GM]
    ).update(status=ChangeRequest.Status.WITHDRAWN)


@effect("hold", app=APP, when="before", doc=_("remembers the stage it was held at"))
def held(t) -> None:
    t.order.held_stage = t.from_stage
    t.update_fields.append("held_stage")


@effect("resume", app=APP, when="before")
def resumed(t) -> None:
    t.order.held_stage = ""
    t.update_fields.append("held_stage")


@effect("send_back", app=APP, doc=_("tells the salesperson, in their inbox"))
def tell_salesperson(t) -> None:
    notify(
        users=[t.order.salesperson_id],
        message=_("Order %(number)s was sent back to you: %(reason)s")
        % {"number": t.order.number, "reason": t.reason},
        link=t.order.get_absolute_url(),
        kind="order_sent_back",
    )
