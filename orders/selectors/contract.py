"""Reads for the contract, the contract register (合同台账) and the drawings — each a
fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.permissions import may

from ..models import Contract, Drawing, KeyRequirement, Quote
from ..stages import Stage
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


def technical_sections(*, order, user) -> dict:
    """Context for the contract and drawings sections of the order page: four queries
    (the contract, the accepted quote, the drawings, the key requirements)."""
    from ..forms import ContractForm, DrawingForm, RequirementsForm

    contract = (
        Contract.objects.select_related("recorded_by").filter(order=order).first()
    )
    accepted = (
        Quote.objects.filter(order=order, status=Quote.Status.ACCEPTED)
        .order_by("-version")
        .first()
    )
    drawings = list(
        Drawing.objects.filter(order=order)
        .select_related("uploaded_by", "issued_by", "recalled_by")
        .order_by("-version")
    )
    requirements = list(KeyRequirement.objects.filter(order=order))
    quality = [r for r in requirements if r.kind == KeyRequirement.Kind.QUALITY]
    process = [r for r in requirements if r.kind == KeyRequirement.Kind.PROCESS]
    newest = drawings[0] if drawings else None
    issued = [d for d in drawings if d.is_issued]

    technical = may(user, "orders.manage_drawings", order)
    # The same rule as services.contract._check_drawings_open, for the forms shown.
    drawings_open = order.stage == Stage.DRAWING or (
        order.stage == Stage.PRODUCTION and not issued
    )
    can_record = (
        order.stage == Stage.CONTRACT
        and contract is None
        and may(user, "orders.record_contract", order)
    )
    return {
        "contract": contract,
        "accepted_quote": accepted,
        "contract_differs": bool(
            contract and accepted and contract.amount != accepted.gross_amount
        ),
        "awaiting_contract": order.stage == Stage.CONTRACT and contract is None,
        "can_record_contract": can_record,
        # auto_id: the order page holds other forms with a "file" field
        "contract_form": ContractForm(
            auto_id="contract_%s",
            initial={
                "amount": accepted.gross_amount if accepted else None,
                "signed_on": timezone.localdate(),
            },
        )
        if can_record
        else None,
        "drawings": drawings,
        "quality_requirements": quality,
        "process_requirements": process,
        "can_manage_drawings": technical and drawings_open,
        "can_issue_drawings": technical
        and drawings_open
        and newest is not None
        and newest.issued_at is None
        and newest.recalled_at is None,
        "can_recall_drawings": technical and bool(issued),
        "drawing_form": DrawingForm(auto_id="drawing_%s")
        if technical and drawings_open
        else None,
        "requirements_form": RequirementsForm(
            auto_id="requirements_%s",
            initial={
                "quality": "\n".join(r.text for r in quality),
                "process": "\n".join(r.text for r in process),
            },
        )
        if technical and drawings_open
        else None,
        "show_drawings": bool(drawings or requirements)
        or (technical and drawings_open),
    }
