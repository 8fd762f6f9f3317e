"""The signed contract (合同) and the drawings (图纸/技术交底)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import events
from ..exceptions import InvalidMove, PermissionDenied, ValidationError
from ..models import Contract, Drawing, KeyRequirement, Order, Quote
from ..selectors import order_visible_to
from ..stages import Stage
from ..uploads import validate_upload
from ..workflow import order_move
from .order import _claim_token, _record_result, _require

CONTRACT_FILES = {"pdf": {"pdf"}, "png": {"png"}, "jpg": {"jpg"}, "jpeg": {"jpg"}}
DRAWING_FILES = {
    "pdf": {"pdf"},
    "png": {"png"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "dwg": {"dwg"},
}


def _visible(actor, order: Order) -> None:
    if not order_visible_to(actor, order):
        raise PermissionDenied(_("This order is not yours to change."))


def _stored_name(uploaded: UploadedFile) -> str:
    return f"{uuid.uuid4().hex}-{uploaded.name[-80:]}"


@transaction.atomic
def contract_record(
    *,
    actor,
    order: Order,
    number: str,
    signed_on: date,
    amount,
    amount_reason: str = "",
    uploaded: UploadedFile | None,
    form_token=None,
) -> Contract:
    """Number and archive the signed contract with its file; its amount equals the
    accepted quote unless a reason is recorded. Moves the order on to drawings."""
    _require(actor, "orders.manage_contract")
    _visible(actor, order)
    submission = _claim_token(form_token, actor)
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.stage != Stage.CONTRACT:
        raise InvalidMove(_("The order is not waiting for its contract."))
    number = (number or "").strip()
    amount_reason = (amount_reason or "").strip()
    errors = {}
    if not number:
        errors["number"] = _("Give the contract number.")
    elif Contract.objects.filter(number=number).exists():
        errors["number"] = _("Contract number %(number)s is already used.") % {
            "number": number
        }
    if not signed_on:
        errors["signed_on"] = _("Give the date the contract was signed.")
    elif signed_on > timezone.localdate():
        errors["signed_on"] = _("The signing date is in the future.")
    accepted = locked.quotes.filter(status=Quote.Status.ACCEPTED).first()
    if amount is None or Decimal(amount) < 0:
        errors["amount"] = _("The contract amount cannot be negative.")
    elif accepted and Decimal(amount) != accepted.gross_amount and not amount_reason:
        errors["amount_reason"] = _(
            "The amount differs from the accepted quote (%(quote)s): give the reason."
        ) % {"quote": f"¥{accepted.gross_amount:,.2f}"}
    try:
        content_type = validate_upload(uploaded, allowed=CONTRACT_FILES)
    except ValidationError as exc:
        errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    contract = Contract(
        order=locked,
        number=number,
        signed_on=signed_on,
        amount=Decimal(amount),
        amount_reason=amount_reason,
        original_name=uploaded.name[:255],
        content_type=content_type,
        size=uploaded.size,
        recorded_by=actor,
    )
    contract.file.save(_stored_name(uploaded), uploaded, save=False)
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:
        contract.file.delete(save=False)
        raise ValidationError(
            {
                "number": _("Contract number %(number)s is already used.")
                % {"number": number}
            }
        ) from None
    events.contract_recorded(order=locked, user=actor, contract=contract)
    order_move(order=locked, actor=actor, move="contract_signed")
    _record_result(submission, locked.get_absolute_url())
    return contract


@transaction.atomic
def drawing_upload(
    *, actor, order: Order, title: str, uploaded: UploadedFile | None, note: str = ""
) -> Drawing:
    """A new version of the order's drawings; earlier versions are kept."""
    _require(actor, "orders.issue_drawings")
    _visible(actor, order)
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.stage not in (Stage.DRAWING, Stage.PRODUCTION):
        raise InvalidMove(_("Drawings are uploaded at the drawing stage."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the drawing a title.")
    try:
        content_type = validate_upload(uploaded, allowed=DRAWING_FILES)
    except ValidationError as exc:
        errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    version = (locked.drawings.aggregate(v=Max("version"))["v"] or 0) + 1
    drawing = Drawing(
        order=locked,
        version=version,
        title=title.strip()[:128],
        original_name=uploaded.name[:255],
        content_type=content_type,
        size=uploaded.size,
        note=(note or "").strip(),
        uploaded_by=actor,
    )
    drawing.file.save(_stored_name(uploaded), uploaded, save=False)
    drawing.save()
    events.drawing_uploaded(order=locked, user=actor, drawing=drawing)
    return drawing


@transaction.atomic
def requirements_write(
    *, actor, order: Order, quality: list[str], process: list[str]
) -> list[KeyRequirement]:
    """The key quality and process requirements marked on the drawings, one per line;
    they are carried later into dispatch slips and inspection checklists."""
    _require(actor, "orders.issue_drawings")
    _visible(actor, order)
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.stage not in (Stage.DRAWING, Stage.PRODUCTION):
        raise InvalidMove(_("Requirements are written at the drawing stage."))
    wanted = {
        KeyRequirement.Kind.QUALITY: [x.strip() for x in quality if x.strip()],
        KeyRequirement.Kind.PROCESS: [x.strip() for x in process if x.strip()],
    }
    too_long = [x for items in wanted.values() for x in items if len(x) > 500]
    if too_long:
        raise ValidationError(_("A requirement may be at most 500 characters."))
    before = {kind: [] for kind in wanted}
    for row in locked.key_requirements.all():
        before.setdefault(row.kind, []).append(row.text)
    changes = [
        {
            "field": kind,
            "old": "；".join(before.get(kind, [])) or None,
            "new": "；".join(items) or None,
        }
        for kind, items in wanted.items()
        if before.get(kind, []) != items
    ]
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    locked.key_requirements.all().delete()
    rows = KeyRequirement.objects.bulk_create(
        KeyRequirement(order=locked, kind=kind, position=i, text=text, created_by=actor)
        for kind, items in wanted.items()
        for i, text in enumerate(items, start=1)
    )
    events.requirements_written(order=locked, user=actor, changes=changes)
    return rows


@transaction.atomic
def drawings_issue(*, actor, order: Order) -> Order:
    """Issue (下发) the newest drawing with the key requirements; at the drawing stage
    this moves the order to production. A re-issue after a recall is recorded too."""
    _require(actor, "orders.issue_drawings")
    _visible(actor, order)
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.stage not in (Stage.DRAWING, Stage.PRODUCTION):
        raise InvalidMove(_("Drawings are issued at the drawing stage."))
    newest = locked.drawings.order_by("-version").first()
    if newest is None:
        raise ValidationError(_("Upload the drawing first."))
    if not locked.key_requirements.exists():
        raise ValidationError(
            _("Write the key quality and process requirements before issuing.")
        )
    if newest.is_issued:
        raise InvalidMove(_("The newest drawing is already issued."))
    newest.issued_at = timezone.now()
    newest.issued_by = actor
    newest.save(update_fields=["issued_at", "issued_by"])
    if locked.stage == Stage.DRAWING:
        return order_move(
            order=locked,
            actor=actor,
            move="drawings_issued",
            parameters={"drawing": newest.title, "drawing_version": newest.version},
        )
    events.drawings_reissued(order=locked, user=actor, drawing=newest)
    return locked


@transaction.atomic
def drawings_recall(*, actor, order: Order, reason: str) -> int:
    """Recall (收回) every issued drawing of the order, with the reason."""
    _require(actor, "orders.issue_drawings")
    _visible(actor, order)
    locked = Order.objects.select_for_update().get(pk=order.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the recall.")})
    issued = locked.drawings.filter(issued_at__isnull=False, recalled_at__isnull=True)
    count = issued.update(
        recalled_at=timezone.now(), recalled_by=actor, recall_reason=reason
    )
    if not count:
        raise InvalidMove(_("No issued drawing to recall."))
    events.drawings_recalled(order=locked, user=actor, reason=reason, count=count)
    return count
