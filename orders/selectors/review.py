"""Reads for the contract review sheet, GM approvals and quotes — each page a fixed
number of queries."""

from __future__ import annotations

from django.db.models import Prefetch

from accounts.permissions import may

from ..authority import acting_for
from ..models import ContractReview, Order, Quote, ReviewSignoff
from ..presenters import approval_reasons
from ..stages import Stage


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


def _unsigned_row_of(user, order, review):
    """The reviewer's own department's row, while it waits for their signature."""
    if review is None or review.is_concluded or order.stage != Stage.REVIEW:
        return None
    return next(
        (
            row
            for row in review.signoffs.all()
            if not row.is_signed and may(user, "orders.sign_review", row)
        ),
        None,
    )


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
        "my_unsigned_row": _unsigned_row_of(user, order, review),
        "approval_reasons": approval_reasons(order, review),
        "approving_for": on_behalf_of,
        "can_quote": order.stage == Stage.QUOTE
        and may(user, "orders.prepare_quote", order),
        "can_decide_quote": may_approve and order.stage == Stage.QUOTE,
        "can_accept_quote": order.stage == Stage.QUOTE
        and may(user, "orders.accept_quote", order),
        "accept_form": QuoteAcceptForm(),
        "approval_form": ApprovalForm(),
    }
