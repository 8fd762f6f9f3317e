"""The signed contract (合同签订): numbered and archived with its file; recording it
moves the order from contract to drawing through orders.workflow.order_move in the
same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import events
from ..concurrency import lock_order
from ..exceptions import InvalidMove, ValidationError
from ..models import Contract, Order, Quote
from ..money import cny
from ..stages import Stage
from ..uploads import discarded_on_failure, keep_upload, upload_problems
from ..workflow import order_move
from .order import _claim_token, _record_result, _require

# extension → what filetype must find inside (see orders.uploads)
CONTRACT_FILES = {"pdf": {"pdf"}, "png": {"png"}, "jpg": {"jpg"}, "jpeg": {"jpg"}}
DRAWING_FILES = {**CONTRACT_FILES, "dwg": {"dwg"}}
REQUIREMENT_MAX_CHARS = 500


def _as_amount(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


# --- the contract ---------------------------------------------------------------------


@transaction.atomic
def contract_record(
    *,
    actor,
    order: Order,
    number: str,
    signed_on: date | None,
    amount,
    amount_reason: str = "",
    uploaded: UploadedFile | None,
    form_token=None,
) -> Contract:
    """Number and archive the signed contract with its file (PDF or image, checked by
    content). Its amount equals the accepted quote's unless a reason is recorded. The
    order then moves on to the drawings."""
    _require(actor, "orders.record_contract", order)
    submission = _claim_token(form_token, actor)
    locked = lock_order(order.pk)
    if locked.stage != Stage.CONTRACT:
        raise InvalidMove(
            _("The order is at “%(stage)s”: it is not waiting for its contract.")
            % {"stage": locked.get_stage_display()}
        )
    number = (number or "").strip()
    amount_reason = (amount_reason or "").strip()
    value = _as_amount(amount)
    errors: dict[str, list] = {}
    if not number:
        errors["number"] = [_("Please give the contract number.")]
    elif Contract.objects.filter(number=number).exists():
        errors["number"] = [_used(number)]
    if not signed_on:
        errors["signed_on"] = [_("Please give the date the contract was signed.")]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = [_("The signing date is in the future.")]
    accepted = locked.quotes.filter(status=Quote.Status.ACCEPTED).first()
    if value is None:
        errors["amount"] = [_("Please give the contract amount.")]
    elif value < 0:
        errors["amount"] = [_("The contract amount cannot be negative.")]
    elif accepted and cny(value) != accepted.gross_amount and not amount_reason:
        errors["amount_reason"] = [
            _(
                "The contract amount differs from the quote the customer accepted "
                "(%(quote)s): please give the reason."
            )
            % {"quote": f"¥{accepted.gross_amount:,.2f}"}
        ]
    content_type, file_errors = upload_problems(uploaded, CONTRACT_FILES)
    if file_errors:
        errors["file"] = file_errors
    if errors:
        raise ValidationError(errors)

    contract = Contract(
        order=locked,
        number=number,
        signed_on=signed_on,
        amount=cny(value),
        amount_reason=amount_reason,
        recorded_by=actor,
    )
    keep_upload(contract, uploaded, content_type)
    contract.full_clean(exclude=["order", "file"], validate_unique=False)
    with discarded_on_failure(contract):
        try:
            with transaction.atomic():
                contract.save()
        except IntegrityError:
            # Taken by someone else between the check above and now.
            raise ValidationError({"number": [_used(number)]}) from None
        events.contract_recorded(order=locked, user=actor, contract=contract)
        moved = order_move(order=locked, actor=actor, move="contract_signed")
    _record_result(submission, moved.get_absolute_url())
    return contract


def _used(number: str):
    return _(
        "Contract number %(number)s is already used; each contract has its own."
    ) % {"number": number}
