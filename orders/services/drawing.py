"""The drawings (图纸设计 / 技术交底): versions kept, the key quality and process
requirements, issue (which moves the order from drawing to production through
orders.workflow.order_move) and recall."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import events
from ..concurrency import lock_order
from ..exceptions import InvalidMove, ValidationError
from ..models import Drawing, KeyRequirement, Order
from ..stages import Stage
from ..uploads import discarded_on_failure, keep_upload, upload_problems
from ..workflow import order_move
from .contract import CONTRACT_FILES
from .order import _claim_token, _record_result, _require

DRAWING_FILES = {**CONTRACT_FILES, "dwg": {"dwg"}}
REQUIREMENT_MAX_CHARS = 500


def drawings_open(order: Order, *, issued: bool) -> bool:
    """Drawings and requirements change at the drawing stage, and in production only
    after the issued drawings were recalled (a re-issue): what the workshops hold
    must never change under them. `issued`: some version is issued and not recalled."""
    return order.stage == Stage.DRAWING or (
        order.stage == Stage.PRODUCTION and not issued
    )


def _issued(order: Order):
    return order.drawings.filter(issued_at__isnull=False, recalled_at__isnull=True)


def _check_drawings_open(locked: Order) -> None:
    issued = _issued(locked).exists()
    if drawings_open(locked, issued=issued):
        return
    if locked.stage == Stage.PRODUCTION:
        raise InvalidMove(
            _("The drawings are issued: recall them before changing them.")
        )
    raise InvalidMove(
        _(
            "The order is at “%(stage)s”: drawings are prepared at the drawing stage, "
            "or re-issued in production after a recall."
        )
        % {"stage": locked.get_stage_display()}
    )


def _locked_for_drawings(actor, order: Order) -> Order:
    _require(actor, "orders.manage_drawings", order)
    return lock_order(order.pk)


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
    content_type, file_errors = upload_problems(uploaded, DRAWING_FILES)
    if file_errors:
        errors["file"] = file_errors
    if errors:
        raise ValidationError(errors)
    version = (locked.drawings.aggregate(v=Max("version"))["v"] or 0) + 1
    drawing = Drawing(
        order=locked,
        version=version,
        title=title[:128],
        note=(note or "").strip(),
        uploaded_by=actor,
    )
    keep_upload(drawing, uploaded, content_type)
    with discarded_on_failure(drawing):
        drawing.save()
        events.drawing_uploaded(order=locked, user=actor, drawing=drawing)
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
