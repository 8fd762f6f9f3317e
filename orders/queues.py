"""The orders' "what needs whom now" queues, declared once (core.queues).

Each queue is the rows waiting for one kind of person, most urgent first, with the
next action named. For one person they do not overlap: the production manager who is
also the production department's reviewer finds an order under "sign your row" until
they have signed it, then under "organise / conclude the review"; a salesperson who
is also the quoter finds an order at the quote stage under "prepare the quote" until
the GM approved one, then under "record the customer's acceptance".
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_role_perm, may
from core.queues import Queue, QueueItem, register

from .models import ChangeRequest, ContractReview, Order, Quote, ReviewSignoff
from .money import format_cny
from .presenters import approval_reasons
from .stages import Stage


def _urgent(rows: QuerySet, number: str = "number") -> QuerySet:
    """Most urgent first: the earliest due date, undated last, then by order number."""
    return rows.order_by(F("due").asc(nulls_last=True), number)


def _list(key: str):
    def url(user) -> str:
        return f"{reverse('orders:list')}?queue={key}"

    return url


def _order_url(order, anchor: str = "") -> str:
    return order.get_absolute_url() + (f"#{anchor}" if anchor else "")


# --- sales ---------------------------------------------------------------------------


def _sales_rows(user) -> QuerySet:
    approved = Quote.objects.filter(order=OuterRef("pk"), status=Quote.Status.APPROVED)
    return _urgent(
        Order.objects.filter(salesperson=user)
        .annotate(has_approved_quote=Exists(approved))
        .filter(
            Q(stage=Stage.DRAFT)
            | Q(stage=Stage.QUOTE, has_approved_quote=True)
            | Q(stage__in=[Stage.CONTRACT, Stage.ON_HOLD])
        )
        .select_related("customer")
        .annotate(
            due=Case(
                When(stage=Stage.DRAFT, then=F("requested_date")),
                default=F("due_date"),
                output_field=DateField(),
            )
        )
    )


def _sales_item(order, calendar) -> QueueItem:
    anchor = ""
    if order.stage == Stage.DRAFT:
        if order.returned_reason:
            what = _("Sent back: %(reason)s") % {"reason": order.returned_reason}
        elif order.credit == Order.Credit.PENDING:
            what = _("Draft awaiting finance's credit approval")
        else:
            what = _("Draft to complete and submit")
    elif order.stage == Stage.QUOTE:
        what, anchor = _("Record the customer's acceptance of the quote"), "quotes"
    elif order.stage == Stage.CONTRACT:
        what, anchor = _("Record the signed contract"), "contract"
    else:
        what = _("Change request awaiting approval")
    return QueueItem(order, what, order.due, _order_url(order, anchor))


# --- finance -------------------------------------------------------------------------


def _credit_rows(user) -> QuerySet:
    return _urgent(
        Order.objects.filter(credit=Order.Credit.PENDING)
        .exclude(stage__in=[Stage.CANCELLED, Stage.DECLINED])
        .select_related("customer")
        .annotate(due=F("requested_date"))
    )


def _credit_item(order, calendar) -> QueueItem:
    return QueueItem(
        order,
        _("Over the credit limit: approve or not"),
        order.due,
        _order_url(order, "credit"),
    )


# --- change requests -------------------------------------------------------------------


def _change_statuses(user) -> list[str]:
    statuses = []
    if has_role_perm(user, "orders.approve_change"):
        statuses.append(ChangeRequest.Status.PENDING)
    if has_role_perm(user, "orders.approve_large_change"):
        statuses.append(ChangeRequest.Status.AWAITING_GM)
    return statuses


def _change_rows(user) -> QuerySet:
    return _urgent(
        ChangeRequest.objects.filter(status__in=_change_statuses(user))
        .select_related("order__customer")
        .annotate(due=Cast(TruncDate("requested_at"), DateField())),
        "order__number",
    )


def _change_item(change, calendar) -> QueueItem:
    return QueueItem(
        change.order,
        _("Change request: %(reason)s") % {"reason": change.reason},
        change.due,
        _order_url(change.order, "changes"),
    )


# --- the contract review ---------------------------------------------------------------


def _review_rows(user) -> QuerySet:
    orders = Order.objects.filter(stage=Stage.REVIEW)
    if has_role_perm(user, "orders.sign_review") and user.department_id:
        # Their own department's row first: that order is in "sign your row".
        own_row = ReviewSignoff.objects.filter(
            review__order=OuterRef("pk"),
            department_id=user.department_id,
            signed_at__isnull=True,
        )
        orders = orders.exclude(Exists(own_row))
    return _urgent(
        orders.annotate(
            has_sheet=Exists(ContractReview.objects.filter(order=OuterRef("pk"))),
            # A subquery, not a join and GROUP BY: the most urgent rows are read
            # down the (stage, due_date) index and the walk stops at the limit.
            unsigned=Coalesce(
                Subquery(
                    ReviewSignoff.objects.filter(
                        review__order=OuterRef("pk"), signed_at__isnull=True
                    )
                    .order_by()
                    .values("review")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            ),
            due=F("due_date"),
        ).select_related("customer")
    )


def _review_item(order, calendar) -> QueueItem:
    if not order.has_sheet:
        what, url = _("Organise the contract review"), order.get_absolute_url()
    else:
        url = reverse("orders:review", kwargs={"number": order.number})
        what = (
            _("%(n)s department(s) still to sign") % {"n": order.unsigned}
            if order.unsigned
            else _("Conclude the review: every department has signed")
        )
    return QueueItem(order, what, order.due, url)


def _signoff_rows(user) -> QuerySet:
    return _urgent(
        ReviewSignoff.objects.filter(
            department_id=user.department_id,
            signed_at__isnull=True,
            review__conclusion="",
            review__order__stage=Stage.REVIEW,
        )
        .select_related("review__order__customer")
        .annotate(due=F("review__order__due_date")),
        "review__order__number",
    )


def _signoff_item(row, calendar) -> QueueItem:
    order = row.review.order
    url = reverse("orders:review", kwargs={"number": order.number}) + "#sign"
    return QueueItem(
        order, _("Sign your department's row of the review sheet"), row.due, url
    )


# --- the general manager ---------------------------------------------------------------


def _approval_rows(user) -> QuerySet:
    return _urgent(
        Order.objects.filter(stage=Stage.APPROVAL)
        .select_related("customer")
        .annotate(due=F("due_date"))
    )


def _approval_item(order, calendar) -> QueueItem:
    reasons = "；".join(str(r) for r in approval_reasons(order))
    what = _("Approve the order: %(amount)s") % {
        "amount": format_cny(order.gross_amount)
    }
    if reasons:
        what = f"{what}（{reasons}）"
    return QueueItem(order, what, order.due, _order_url(order, "approval"))


def _quote_approval_rows(user) -> QuerySet:
    return _urgent(
        Quote.objects.filter(status=Quote.Status.SUBMITTED, order__stage=Stage.QUOTE)
        .select_related("order__customer")
        .annotate(due=F("order__due_date")),
        "order__number",
    )


def _quote_approval_item(quote, calendar) -> QueueItem:
    return QueueItem(
        quote.order,
        _("Approve quote %(number)s (%(amount)s)")
        % {"number": quote.number, "amount": format_cny(quote.gross_amount)},
        quote.due,
        _order_url(quote.order, "quotes"),
    )


# --- quotes ------------------------------------------------------------------------------


def _quote_rows(user) -> QuerySet:
    active = Quote.objects.filter(
        order=OuterRef("pk"),
        status__in=[
            Quote.Status.SUBMITTED,
            Quote.Status.APPROVED,
            Quote.Status.ACCEPTED,
        ],
    )
    latest = Quote.objects.filter(order=OuterRef("pk")).order_by("-version")
    return _urgent(
        Order.objects.filter(stage=Stage.QUOTE)
        .exclude(Exists(active))
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_version=Subquery(latest.values("version")[:1]),
            due=F("due_date"),
        )
        .select_related("customer")
    )


def _quote_item(order, calendar) -> QueueItem:
    if order.latest_status == Quote.Status.DRAFT:
        what = _("Submit quote v%(version)s to the general manager") % {
            "version": order.latest_version
        }
    elif order.latest_status == Quote.Status.RETURNED:
        what = _("Revise the quote: the general manager sent it back")
    else:
        what = _("Prepare the quote")
    return QueueItem(order, what, order.due, _order_url(order, "quotes"))


# --- drawings ------------------------------------------------------------------------------


def _drawing_rows(user) -> QuerySet:
    # Due a fixed number of working days after arrival: the earliest arrival first.
    return _urgent(
        Order.objects.filter(stage=Stage.DRAWING)
        .select_related("customer")
        .annotate(due=Cast(TruncDate("stage_entered_at"), DateField()))
    )


def _drawing_item(order, calendar) -> QueueItem:
    arrived = order.stage_entered_at or timezone.now()
    due = calendar.add_working_days(
        timezone.localdate(arrived), settings.ORDER_DRAWING_CLOCK_WORKING_DAYS
    )
    return QueueItem(
        order, _("Review and issue the drawings"), due, _order_url(order, "drawings")
    )


def _approves(user) -> bool:
    """The GM, or their stand-in today: asked once per request for both queues."""
    cached = getattr(user, "_approves_orders", None)
    if cached is None:
        cached = user._approves_orders = may(user, "orders.approve_order")
    return cached


def _holds(permission):
    return lambda user: has_role_perm(user, permission)


QUEUES = (
    Queue(
        "sales",
        gettext_lazy("My orders that need me"),
        _holds("orders.enter_order"),
        _sales_rows,
        _sales_item,
        _list("sales"),
        position=10,
    ),
    Queue(
        "signoffs",
        gettext_lazy("Awaiting my sign-off"),
        lambda user: (
            has_role_perm(user, "orders.sign_review") and user.department_id is not None
        ),
        _signoff_rows,
        _signoff_item,
        _list("signoffs"),
        position=20,
        order_field="review__order",
    ),
    Queue(
        "review",
        gettext_lazy("Orders awaiting review"),
        _holds("orders.conclude_review"),
        _review_rows,
        _review_item,
        _list("review"),
        position=30,
    ),
    Queue(
        "approvals",
        gettext_lazy("Orders to approve"),
        _approves,
        _approval_rows,
        _approval_item,
        _list("approvals"),
        position=40,
    ),
    Queue(
        "quote_approvals",
        gettext_lazy("Quotes to approve"),
        _approves,
        _quote_approval_rows,
        _quote_approval_item,
        _list("quote_approvals"),
        position=45,
        order_field="order",
    ),
    Queue(
        "changes",
        gettext_lazy("Change requests to approve"),
        lambda user: bool(_change_statuses(user)),
        _change_rows,
        _change_item,
        _list("changes"),
        position=50,
        order_field="order",
    ),
    Queue(
        "credit",
        gettext_lazy("Credit approvals"),
        _holds("orders.approve_credit"),
        _credit_rows,
        _credit_item,
        _list("credit"),
        position=60,
    ),
    Queue(
        "quotes",
        gettext_lazy("Quotes to prepare"),
        _holds("orders.manage_quote"),
        _quote_rows,
        _quote_item,
        _list("quotes"),
        position=70,
    ),
    Queue(
        "drawings",
        gettext_lazy("Drawings due"),
        _holds("orders.issue_drawings"),
        _drawing_rows,
        _drawing_item,
        _list("drawings"),
        position=80,
    ),
)


def register_all() -> None:
    for queue in QUEUES:
        register(replace(queue, app="orders"))
