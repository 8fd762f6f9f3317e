"""Reads for the contract and the contract register (合同台账) — each a
fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from ..models import Contract, Order, Quote
from .order import orders_visible_to


def contracts_visible_to(user) -> QuerySet[Contract]:
    """Every contract for roles that read all orders; a salesperson's own orders'
    contracts for sales. Each row carries its accepted quote's amount."""
    accepted = Quote.objects.filter(
        order=OuterRef("order"), status=Quote.Status.ACCEPTED
    ).order_by("-version")
    return (
        Contract.objects.filter(order__in=orders_visible_to(user))
        .select_related("order__customer", "order__salesperson", "recorded_by")
        .annotate(quote_amount=Subquery(accepted.values("gross_amount")[:1]))
    )


def contract_list(*, user, filters=None) -> tuple[QuerySet[Contract], object]:
    from ..filters import ContractFilter

    filterset = ContractFilter(filters or None, queryset=contracts_visible_to(user))
    return filterset.qs, filterset


def contract_of(order: Order) -> Contract | None:
    return Contract.objects.select_related("recorded_by").filter(order=order).first()


def accepted_quote_of(order: Order) -> Quote | None:
    return (
        Quote.objects.filter(order=order, status=Quote.Status.ACCEPTED)
        .order_by("-version")
        .first()
    )
