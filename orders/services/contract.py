"""The signed contract (合同签订) and the drawings (图纸设计 / 技术交底).

Recording the contract moves the order from contract to drawing; issuing the drawings
moves it from drawing to production. Both moves go through orders.workflow.order_move
in the same transaction as the record that allows them."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import events
from ..exceptions import InvalidMove, ValidationError
from ..models import Contract, Drawing, KeyRequirement, Order, Quote
from ..money import cny
from ..stages import Stage
from ..uploads import validate_upload
from ..workflow import order_move
from .order import _claim_token, _record_result, _require

# extension → what filetype must find inside (see orders.uploads)
CONTRACT_FILES = {"pdf": {"pdf"}, "png": {"png"}, "jpg": {"jpg"}, "jpeg": {"jpg"}}
DRAWING_FILES = {**CONTRACT_FILES, "dwg": {"dwg"}}
REQUIREMENT_MAX_CHARS = 500


def _stored_name(uploaded: UploadedFile) -> str:
    return f"{uuid.uuid4().hex}-{uploaded.name[-80:]}"


def _upload_errors(uploaded, allowed) -> tuple[str, list]:
    """(content type, []) for a good file, ("", [messages]) otherwise."""
    try:
        return validate_upload(uploaded, allowed=allowed), []
    except ValidationError as exc:
        return "", exc.messages


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
    locked = Order.objects.select_for_update().get(pk=order.pk)
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
    content_type, file_errors = _upload_errors(uploaded, CONTRACT_FILES)
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
        original_name=uploaded.name[:255],
        content_type=content_type,
        size=uploaded.size,
        recorded_by=actor,
    )
    contract.full_clean(exclude=["order", "file"], validate_unique=False)
    contract.file.save(_stored_name(uploaded), uploaded, save=False)
    try:
        try:
            with transaction.atomic():
                contract.save()
        except IntegrityError:
            # Taken by someone else between the check above and now.
            raise ValidationError({"number": [_used(number)]}) from None
        events.contract_recorded(order=locked, user=actor, contract=contract)
        moved = order_move(order=locked, actor=actor, move="contract_signed")
    except Exception:
        contract.file.delete(save=False)
        raise
    _record_result(submission, moved.get_absolute_url())
    return contract


def _used(number: str):
    return _(
        "Contract number %(number)s is already used; each contract has its own."
    ) % {"number": number}


# --- the drawings ---------------------------------------------------------------------


def _issued(order: Order):
    return order.drawings.filter(issued_at__isnull=False, recalled_at__isnull=True)


def _check_drawings_open(locked: Order) -> None:
    """Drawings and requirements change at the drawing stage, and in production only
    after the issued drawings were recalled (a re-issue): what the workshops hold must
    never change under them."""
    if locked.stage == Stage.DRAWING:
        return
    if locked.stage == Stage.PRODUCTION:
        if _issued(locked).exists():
            raise InvalidMove(
                _("The drawings are issued: recall them before changing them.")
            )
        return
    raise InvalidMove(
        _(
            "The order is at “%(stage)s”: drawings are prepared at the drawing stage, "
            "or re-issued in production after a recall."
        )
        % {"stage": locked.get_stage_display()}
    )


def _locked_for_drawings(actor, order: Order) -> Order:
    _require(actor, "orders.manage_drawings", order)
    return Order.objects.select_for_update().get(pk=order.pk)


@transaction.atomic
def drawing_upload(
    *, actor, order: Order, title: str, uploaded: UploadedFile | None, note: str = ""
) -> Drawing:
    """A new version of the order's drawings (PDF, image or DWG, checked by content);
    earlier versions are kept."""
    locked = _locked_for_drawings(actor, order)
    _check_drawings_open(locked)
    title = (title or "").strip()
    errors: dict[str, list] = {}
    if not title:
        errors["title"] = [_("Please give the drawing a title.")]
    content_type, file_errors = _upload_errors(uploaded, DRAWING_FILES)
    if file_errors:
        errors["file"] = file_errors
    if errors:
        raise ValidationError(errors)
    version = (locked.drawings.aggregate(v=Max("version"))["v"] or 0) + 1
    drawing = Drawing(
        order=locked,
        version=version,
        title=title[:128],
        original_name=uploaded.name[:255],
        content_type=content_type,
        size=uploaded.size,
        note=(note or "").strip(),
        uploaded_by=actor,
    )
    drawing.file.save(_stored_name(uploaded), uploaded, save=False)
    try:
        drawing.save()
        events.drawing_uploaded(order=locked, user=actor, drawing=drawing)
    except Exception:
        drawing.file.delete(save=False)
        raise
    return drawing


@transaction.atomic
def requirements_write(
    *, actor, order: Order, quality: list[str], process: list[str]
) -> list[KeyRequirement]:
    """Replace the key quality and process requirements marked on the drawings (one
    item per line, blank lines ignored). They are carried later into the dispatch
    slips and the inspection checklists. Unchanged lists write nothing."""
    locked = _locked_for_drawings(actor, order)
    _check_drawings_open(locked)
    Kind = KeyRequirement.Kind
    wanted = {
        Kind.QUALITY: [x.strip() for x in quality or [] if x and x.strip()],
        Kind.PROCESS: [x.strip() for x in process or [] if x and x.strip()],
    }
    errors = {}
    for kind, items in wanted.items():
        long = [
            i for i, text in enumerate(items, 1) if len(text) > REQUIREMENT_MAX_CHARS
        ]
        if long:
            errors[kind.value] = [
                _("Item %(n)s is longer than %(max)s characters.")
                % {"n": n, "max": REQUIREMENT_MAX_CHARS}
                for n in long
            ]
    if errors:
        raise ValidationError(errors)
    current = list(locked.key_requirements.all())
    before = {kind: [r.text for r in current if r.kind == kind] for kind in wanted}
    changes = [
        {
            "field": kind.value,
            "old": "；".join(before[kind]) or None,
            "new": "；".join(items) or None,
        }
        for kind, items in wanted.items()
        if before[kind] != items
    ]
    if not changes:
        return current
    locked.key_requirements.all().delete()
    rows = KeyRequirement.objects.bulk_create(
        KeyRequirement(
            order=locked, kind=kind, position=position, text=text, created_by=actor
        )
        for kind, items in wanted.items()
        for position, text in enumerate(items, start=1)
    )
    events.requirements_written(order=locked, user=actor, changes=changes)
    return rows


@transaction.atomic
def drawings_issue(*, actor, order: Order, form_token=None) -> Order:
    """Issue (下发) the newest drawing with the key requirements. At the drawing stage
    this moves the order to production; in production (after a recall) it is a
    re-issue, recorded as such, and the stage stays."""
    locked = _locked_for_drawings(actor, order)
    submission = _claim_token(form_token, actor)
    _check_drawings_open(locked)
    newest = locked.drawings.order_by("-version").first()
    if newest is None:
        raise ValidationError(_("Upload the drawing before issuing it."))
    if newest.recalled_at is not None:
        raise InvalidMove(
            _(
                "Version %(version)s was recalled; upload the corrected drawing as a "
                "new version and issue that."
            )
            % {"version": newest.version}
        )
    if not locked.key_requirements.exists():
        raise ValidationError(
            _("Write the key quality and process requirements before issuing.")
        )
    newest.issued_at = timezone.now()
    newest.issued_by = actor
    newest.save(update_fields=["issued_at", "issued_by"])
    if locked.stage == Stage.DRAWING:
        locked = order_move(
            order=locked,
            actor=actor,
            move="drawings_issued",
            parameters={
                "drawing": newest.title,
                "drawing_version": newest.version,
                "name": newest.original_name,
            },
        )
    else:
        events.drawings_reissued(order=locked, user=actor, drawing=newest)
    _record_result(submission, locked.get_absolute_url())
    return locked


@transaction.atomic
def drawings_recall(*, actor, order: Order, reason: str) -> int:
    """Recall (收回) every issued drawing of the order, with the reason; the versions
    are kept and the order's stage does not change. Possible at any stage: drawings are
    also recalled when the order is done. Returns how many were recalled."""
    locked = _locked_for_drawings(actor, order)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason for the recall.")]})
    count = _issued(locked).update(
        recalled_at=timezone.now(), recalled_by=actor, recall_reason=reason
    )
    if not count:
        raise InvalidMove(_("No drawing of this order is issued; nothing to recall."))
    events.drawings_recalled(order=locked, user=actor, reason=reason, count=count)
    return count
