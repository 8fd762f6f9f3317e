"""Reads for the contract review sheet, GM approvals and quotes — each page a fixed
number of queries."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_role_perm, may

from ..authority import acting_for
from ..models import ContractReview, Order, Quote, ReviewSignoff
from ..stages import Stage
from .order import orders_visible_to
from .queues import Queue, by_urgency, queue_items


def review_for(order: Order) -> ContractReview | None:
    return (
        ContractReview.objects.select_related(
            "opened_by", "concluded_by", "gm_by", "gm_on_behalf_of"
        )
        .prefetch_related(
            Prefetch(
                "signoffs",
                queryset=ReviewSignoff.objects.select_related(
                    "department", "signed_by"
                ),
            )
        )
        .filter(order=order)
        .first()
    )


def quotes_for(order: Order) -> list[Quote]:
    return list(
        order.quotes.select_related(
            "prepared_by", "approved_by", "approved_on_behalf_of", "accepted_by"
        ).prefetch_related("lines")
    )


def compare_quotes(quotes: list[Quote]) -> list[dict]:
    """Versions side by side: per model, each version's quantity and unit price."""
    models = []
    for quote in sorted(quotes, key=lambda q: q.version):
        for line in quote.lines.all():
            if line.model_code not in models:
                models.append(line.model_code)
    rows = []
    for model in models:
        cells = []
        for quote in sorted(quotes, key=lambda q: q.version):
            line = next((x for x in quote.lines.all() if x.model_code == model), None)
            cells.append(line)
        rows.append({"model": model, "cells": cells})
    return rows


def review_sections(*, order, user) -> dict:
    """Context for the review, approval and quote sections of the order page."""
    from ..forms import ApprovalForm, QuoteAcceptForm

    review = review_for(order)
    quotes = quotes_for(order)
    may_approve, on_behalf_of = acting_for(user, "orders.approve_order")
    gap = None
    if order.promised_date and order.requested_date:
        gap = (order.promised_date - order.requested_date).days
    return {
        "review": review,
        "quotes": quotes,
        "quote_comparison": compare_quotes(quotes) if len(quotes) > 1 else [],
        "promised_gap": gap,
        "can_open_review": order.stage == Stage.REVIEW
        and review is None
        and may(user, "orders.open_review", order),
        "can_gm_approve": order.stage == Stage.APPROVAL and may_approve,
        "approving_for": on_behalf_of,
        "can_quote": order.stage == Stage.QUOTE
        and may(user, "orders.prepare_quote", order),
        "can_decide_quote": may_approve and order.stage == Stage.QUOTE,
        "can_accept_quote": order.stage == Stage.QUOTE
        and may(user, "orders.accept_quote", order),
        "accept_form": QuoteAcceptForm(),
        "approval_form": ApprovalForm(),
    }


# --- queues --------------------------------------------------------------------------


def review_conclusion_queue(user, calendar, today) -> Queue | None:
    """Production manager: sheets whose rows are all signed, waiting for a conclusion,
    and sheets still waiting for signatures."""
    if not has_role_perm(user, "orders.conclude_review"):
        return None
    reviews = (
        ContractReview.objects.filter(order__stage=Stage.REVIEW, conclusion="")
        .select_related("order__customer")
        .prefetch_related("signoffs")
    )
    orders = []
    for review in reviews:
        unsigned = sum(1 for s in review.signoffs.all() if not s.is_signed)
        review.order.queue_note = (
            _("Conclude the review: every department has signed")
            if unsigned == 0
            else _("%(n)s department(s) still to sign") % {"n": unsigned}
        )
        orders.append(review.order)
    items = queue_items(orders, lambda o: o.queue_note, calendar, today)
    return Queue("conclude", _("Reviews awaiting conclusion"), by_urgency(items))


def signoff_queue(user, calendar, today) -> Queue | None:
    """Department reviewers: the rows of their department waiting for a signature."""
    if not has_role_perm(user, "orders.sign_review") or not user.department_id:
        return None
    rows = ReviewSignoff.objects.filter(
        department_id=user.department_id,
        signed_at__isnull=True,
        review__conclusion="",
        review__order__stage=Stage.REVIEW,
    ).select_related("review__order__customer", "department")
    orders = [row.review.order for row in rows]
    items = queue_items(
        orders, _("Sign your department's row of the review sheet"), calendar, today
    )
    return Queue("signoffs", _("Awaiting my sign-off"), by_urgency(items))


def approval_queue(user, calendar, today) -> Queue | None:
    """The general manager and an active stand-in: orders and quotes to approve."""
    may, _principal = acting_for(user, "orders.approve_order")
    if not may:
        return None
    visible = orders_visible_to(user)
    orders = list(visible.filter(stage=Stage.APPROVAL).select_related("customer"))
    items = queue_items(orders, _("Approve the order"), calendar, today)
    quotes = Quote.objects.filter(
        status=Quote.Status.SUBMITTED,
        order__stage=Stage.QUOTE,
        order__in=visible,
    ).select_related("order__customer")
    quote_orders = []
    for quote in quotes:
        quote.order.queue_note = _("Approve quote %(number)s (%(amount)s)") % {
            "number": quote.number,
            "amount": f"¥{quote.gross_amount:,.2f}",
        }
        quote_orders.append(quote.order)
    items += queue_items(quote_orders, lambda o: o.queue_note, calendar, today)
    return Queue("approvals", _("Approvals"), by_urgency(items))


def quote_queue(user, calendar, today) -> Queue | None:
    """Quoters: orders at the quote stage without a quote waiting or approved."""
    if not has_role_perm(user, "orders.manage_quote"):
        return None
    orders = (
        Order.objects.filter(stage=Stage.QUOTE)
        .exclude(
            quotes__status__in=[
                Quote.Status.SUBMITTED,
                Quote.Status.APPROVED,
                Quote.Status.ACCEPTED,
            ]
        )
        .select_related("customer")
        .distinct()
    )
    items = queue_items(orders, _("Prepare the quote"), calendar, today)
    return Queue("quotes", _("Quotes to prepare"), by_urgency(items))


QUEUES = (review_conclusion_queue, signoff_queue, approval_queue, quote_queue)
