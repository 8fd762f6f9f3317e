"""Reads for the contract, the contract register and the drawings."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Contract, Drawing, KeyRequirement, Order, Quote
from ..stages import Stage
from .order import orders_visible_to
from .queues import Queue, by_urgency, queue_items


def contracts_visible_to(user):
    return Contract.objects.filter(order__in=orders_visible_to(user)).select_related(
        "order__customer", "order__salesperson", "recorded_by"
    )


def contract_list(*, user, filters=None):
    from ..filters import ContractFilter

    filterset = ContractFilter(filters or None, queryset=contracts_visible_to(user))
    return filterset.qs, filterset


def technical_sections(*, order, user) -> dict:
    """Context for the contract and drawings sections of the order page."""
    from ..forms import ContractForm, DrawingForm, RequirementsForm

    contract = (
        Contract.objects.select_related("recorded_by").filter(order=order).first()
    )
    accepted = Quote.objects.filter(order=order, status=Quote.Status.ACCEPTED).first()
    drawings = list(
        Drawing.objects.filter(order=order).select_related(
            "uploaded_by", "issued_by", "recalled_by"
        )
    )
    requirements = list(KeyRequirement.objects.filter(order=order))
    technical = user.has_perm("orders.issue_drawings") and order.stage in (
        Stage.DRAWING,
        Stage.PRODUCTION,
    )
    quality = [r for r in requirements if r.kind == KeyRequirement.Kind.QUALITY]
    process = [r for r in requirements if r.kind == KeyRequirement.Kind.PROCESS]
    return {
        "contract": contract,
        "accepted_quote": accepted,
        "can_record_contract": order.stage == Stage.CONTRACT
        and contract is None
        and user.has_perm("orders.manage_contract"),
        "contract_form": ContractForm(
            initial={
                "amount": accepted.gross_amount if accepted else None,
                "signed_on": timezone.localdate(),
            }
        ),
        "drawings": drawings,
        "quality_requirements": quality,
        "process_requirements": process,
        "can_manage_drawings": technical,
        "drawing_form": DrawingForm(),
        "requirements_form": RequirementsForm(
            initial={
                "quality": "\n".join(r.text for r in quality),
                "process": "\n".join(r.text for r in process),
            }
        ),
        "has_issued_drawing": any(d.is_issued for d in drawings),
        "newest_issued": bool(drawings) and drawings[0].is_issued,
        "show_drawings": bool(drawings) or technical,
    }


def drawings_queue(user, calendar, today) -> Queue | None:
    """Technical: orders at the drawing stage with the 1-working-day clock."""
    if not user.has_perm("orders.issue_drawings"):
        return None
    orders = Order.objects.filter(stage=Stage.DRAWING).select_related("customer")
    days = settings.ORDER_DRAWING_CLOCK_WORKING_DAYS
    items = queue_items(
        orders,
        _("Review and issue the drawings"),
        calendar,
        today,
        due=lambda o: calendar.add_working_days(
            timezone.localdate(o.stage_entered_at or timezone.now()), days
        ),
    )
    return Queue("drawings", _("Drawings due"), by_urgency(items))


QUEUES = (drawings_queue,)
