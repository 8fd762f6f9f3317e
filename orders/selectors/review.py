"""Reads for the contract review sheet, GM approvals and quotes — each page a fixed
number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects

from ..models import ContractReview, Order, Quote, ReviewSignoff


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
    """The order's quotes; their lines only when there are versions to compare."""
    quotes = list(
        order.quotes.select_related(
            "prepared_by", "approved_by", "approved_on_behalf_of", "accepted_by"
        )
    )
    if len(quotes) > 1:
        prefetch_related_objects(quotes, "lines")
    return quotes


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
