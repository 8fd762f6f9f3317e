"""检验: a final inspection (终检) of a line's produced pieces, a re-inspection of
reworked pieces (复检), a process check (过程检验) of a finished slip, a first-article
check (首件检验) of a started one — recorded, never overwritten: a correction is a
new record naming the one it corrects."""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidMove, ValidationError
from core.submissions import claim_token, record_result
from core.uploads import discarded_on_failure, keep_upload
from orders.models import KeyRequirement, Order, OrderLine
from orders.services import lock_lines, lock_order, record_event
from orders.stages import Stage
from production.models import DispatchSlip

from .. import actions
from .. import events as types
from ..models import (
    DefectType,
    Inspection,
    InspectionCheck,
    InspectionPhoto,
    Nonconformance,
)
from ..selectors import current_inspections, line_figures, step_checks
from .common import (
    PHOTO_TYPES,
    _may_act,
    _require,
    _text,
    _whole,
    checked_files,
    inspection_number,
    nonconformance_number,
    photo_limits,
)

STALE = _(
    "Another inspector recorded an inspection of this line since you opened the "
    "page; nothing was saved. Look at the figures now and inspect again."
)
FINAL_STAGES = frozenset({Stage.INSPECTION})
SLIP_STAGES = frozenset({Stage.PRODUCTION, Stage.INSPECTION})
NOT_HERE = _("The order is at “%(stage)s”: this inspection is not made now.")


@dataclass
class CheckResult:
    """One checklist item as posted: the key requirement, met or not, measured."""

    requirement_id: int
    ok: bool
    measured: str = ""


def line_seen(line: OrderLine) -> int:
    """What an inspection page of the line shows as its version: how many
    inspections the line has (a second inspector's record changes it)."""
    return Inspection.objects.filter(line=line).count()


def _check_quantities(data: dict, errors: dict):
    inspected = _whole(data.get("inspected"), "inspected", errors, minimum=1)
    passed = _whole(data.get("passed"), "passed", errors)
    failed = _whole(data.get("failed"), "failed", errors)
    if not errors and passed + failed != inspected:
        errors["failed"] = [
            _(
                "Passed %(passed)s and failed %(failed)s make %(sum)s, not the "
                "%(inspected)s inspected."
            )
            % {
                "passed": passed,
                "failed": failed,
                "sum": passed + failed,
                "inspected": inspected,
            }
        ]
    return inspected, passed, failed


def _defects(codes, failed: int, errors: dict) -> list[DefectType]:
    codes = [c for c in codes or () if c]
    found = list(DefectType.objects.filter(code__in=codes, is_active=True))
    if len(found) != len(set(codes)):
        errors["defects"] = [_("Choose defects from the list.")]
    elif failed and not found:
        errors["defects"] = [_("Name the defects of the failed pieces.")]
    return found


def _checks(order: Order, results, errors: dict) -> list[InspectionCheck]:
    wanted = {r.requirement_id: r for r in results or ()}
    requirements = {
        k.pk: k for k in KeyRequirement.objects.filter(order=order, pk__in=list(wanted))
    }
    if set(wanted) - set(requirements):
        errors["checks"] = [_("A checklist item is not one of this order's.")]
        return []
    return [
        InspectionCheck(
            requirement=requirements[pk],
            text=requirements[pk].text,
            ok=bool(r.ok),
            measured=_text(r.measured, 64),
        )
        for pk, r in wanted.items()
    ]


def _room(
    *,
    kind: str,
    order: Order,
    line: OrderLine,
    slip,
    nonconformance,
    inspected: int,
    errors: dict,
    replacing: Inspection | None = None,
) -> None:
    """How many pieces this inspection may take: a first-pass final inspection at
    most what production produced of the line and no other inspection took; a
    re-inspection at most the good pieces of the rework slip; a slip's check at
    most the slip's own pieces."""
    if errors:
        return
    others = current_inspections()
    if replacing is not None:
        others = others.exclude(pk=replacing.pk)
    if kind == Inspection.Kind.FINAL and nonconformance is None:
        figures = next(f for f in line_figures(order) if f.line.pk == line.pk)
        taken = sum(
            others.filter(
                line=line, kind=kind, nonconformance__isnull=True
            ).values_list("inspected", flat=True)
        )
        room = max(figures.produced - taken, 0)
        if inspected > room:
            errors["inspected"] = [
                _(
                    "Line %(line)s has %(produced)s pieces produced and %(taken)s "
                    "inspected already: inspect at most %(room)s."
                )
                % {
                    "line": line.position,
                    "produced": figures.produced,
                    "taken": taken,
                    "room": room,
                }
            ]
    elif kind == Inspection.Kind.FINAL:
        slip_done = nonconformance.rework_slip
        if slip_done is None or slip_done.status != DispatchSlip.Status.DONE:
            raise InvalidMove(
                _("The rework of %(nc)s is not finished yet: nothing to re-inspect.")
                % {"nc": nonconformance.number}
            )
        taken = sum(
            others.filter(nonconformance=nonconformance).values_list(
                "inspected", flat=True
            )
        )
        room = max(min(slip_done.good_qty, nonconformance.rework_qty) - taken, 0)
        if inspected > room:
            errors["inspected"] = [
                _(
                    "%(nc)s had %(reworked)s pieces reworked and %(taken)s "
                    "re-inspected: re-inspect at most %(room)s."
                )
                % {
                    "nc": nonconformance.number,
                    "reworked": min(slip_done.good_qty, nonconformance.rework_qty),
                    "taken": taken,
                    "room": room,
                }
            ]
    else:
        limit = slip.good_qty if kind == Inspection.Kind.PROCESS else slip.quantity
        if inspected > limit:
            errors["inspected"] = [
                _("Slip %(slip)s has %(count)s pieces: inspect at most that.")
                % {"slip": slip.number, "count": limit}
            ]


def _relations(kind, order, line, slip, nonconformance) -> None:
    """The line is the order's; a slip's check names a slip of the line, in the
    state its kind asks; a re-inspection names a nonconformance of the line."""
    if line is None or line.order_id != order.pk:
        raise ValidationError({"line": [_("Choose one of this order's lines.")]})
    if kind not in Inspection.Kind.values:
        raise ValidationError(_("Choose the kind of inspection."))
    if kind == Inspection.Kind.FINAL:
        if slip is not None:
            raise ValidationError(_("A final inspection names no slip."))
        if nonconformance is not None and nonconformance.line_id != line.pk:
            raise ValidationError(_("The nonconformance is not one of this line's."))
        return
    if slip is None or slip.plan.line_id != line.pk:
        raise ValidationError({"slip": [_("Choose a dispatch slip of this line.")]})
    checks = step_checks(slip)
    if kind == Inspection.Kind.PROCESS:
        if not checks["process"]:
            raise InvalidMove(
                _("The routing does not mark %(slip)s for a process check.")
                % {"slip": slip.number}
            )
        if slip.status != DispatchSlip.Status.DONE:
            raise InvalidMove(
                _("Slip %(slip)s is not finished: its process check comes after.")
                % {"slip": slip.number}
            )
    else:
        if not checks["first_article"]:
            raise InvalidMove(
                _("The routing does not mark %(slip)s for a first-article check.")
                % {"slip": slip.number}
            )
        if slip.status != DispatchSlip.Status.STARTED:
            raise InvalidMove(
                _(
                    "Slip %(slip)s is not in progress: its first article is checked "
                    "once the workshop has started it, before the batch goes on."
                )
                % {"slip": slip.number}
            )


def _keep_photos(stack: ExitStack, inspection: Inspection, photos) -> None:
    for position, (uploaded, content_type) in enumerate(photos):
        row = InspectionPhoto(inspection=inspection, position=position)
        keep_upload(row, uploaded, content_type)
        stack.enter_context(discarded_on_failure(row))
        row.save()


def _write(
    *,
    actor,
    order,
    line,
    kind,
    slip,
    nonconformance,
    inspected,
    passed,
    failed,
    defects,
    checks,
    photos,
    note,
    corrects=None,
    reason="",
) -> Inspection:
    inspection = Inspection.objects.create(
        number=inspection_number(),
        kind=kind,
        order=order,
        line=line,
        slip=slip,
        nonconformance=nonconformance,
        inspected=inspected,
        passed=passed,
        failed=failed,
        note=note,
        inspector=actor,
        inspected_at=timezone.now(),
        corrects=corrects,
        correction_reason=reason,
    )
    inspection.defects.set(defects)
    for check in checks:
        check.inspection = inspection
    InspectionCheck.objects.bulk_create(checks)
    with ExitStack() as stack:
        _keep_photos(stack, inspection, photos)
    parameters = {
        "inspection": inspection.number,
        "kind": kind,
        "line": line.position,
        "inspected": inspected,
        "passed": passed,
        "failed": failed,
        "defects": [d.name for d in defects],
    }
    if slip is not None:
        parameters["slip"] = slip.number
    if nonconformance is not None:
        parameters["reinspects"] = nonconformance.number
    if corrects is None:
        record_event(
            order=order,
            type_=types.INSPECTED,
            user=actor,
            reason=note,
            parameters=parameters,
        )
    else:
        record_event(
            order=order,
            type_=types.INSPECTION_CORRECTED,
            user=actor,
            reason=reason,
            parameters={
                **parameters,
                "corrects": corrects.number,
                "old_passed": corrects.passed,
                "old_failed": corrects.failed,
            },
        )
    if failed:
        _open_for(actor, inspection, note)
    return inspection


def _open_for(actor, inspection: Inspection, note: str) -> Nonconformance:
    """The failed pieces open a nonconformance (不合格品评审单), to be described and
    sent to its reviewers."""
    nc = Nonconformance.objects.create(
        number=nonconformance_number(),
        order=inspection.order,
        line=inspection.line,
        inspection=inspection,
        quantity=inspection.failed,
        description=note,
        opened_by=actor,
        opened_at=timezone.now(),
    )
    record_event(
        order=inspection.order,
        type_=types.NC_OPENED,
        user=actor,
        reason=note,
        parameters={
            "nonconformance": nc.number,
            "quantity": nc.quantity,
            "line": inspection.line.position,
        },
    )
    return nc


def _stages_for(kind: str):
    return FINAL_STAGES if kind == Inspection.Kind.FINAL else SLIP_STAGES


@transaction.atomic
def inspection_record(
    *,
    actor,
    order: Order,
    line: OrderLine,
    kind: str = Inspection.Kind.FINAL,
    inspected=None,
    passed=None,
    failed=None,
    slip: DispatchSlip | None = None,
    nonconformance: Nonconformance | None = None,
    defects=(),
    checks=(),
    photos=(),
    note: str = "",
    seen: int | None = None,
    form_token=None,
) -> Inspection:
    """A QC inspector records an inspection: how many inspected, passed and failed,
    the defects, the checklist against the drawings' key requirements, photos.
    Failed pieces open a nonconformance. `seen` is the line's count of
    inspections the page showed: another inspector's record since refuses it."""
    _require(actor, "quality.inspect")
    submission = claim_token(form_token, actor)
    locked = lock_order(order)
    _may_act(locked, actions.INSPECT, _stages_for(kind), NOT_HERE)
    lines = lock_lines([line])
    line = lines.get(getattr(line, "pk", None)) if line is not None else None
    if seen is not None and line is not None and line_seen(line) != seen:
        raise InvalidMove(STALE)
    if nonconformance is not None:
        nonconformance = (
            Nonconformance.objects.select_for_update(of=("self",))
            .select_related("rework_slip")
            .get(pk=nonconformance.pk)
        )
    _relations(kind, locked, line, slip, nonconformance)
    errors: dict[str, list] = {}
    inspected, passed, failed = _check_quantities(
        {"inspected": inspected, "passed": passed, "failed": failed}, errors
    )
    found = _defects(defects, failed, errors)
    items = _checks(locked, checks, errors)
    limit, max_mb = photo_limits()
    checked = checked_files(photos, errors, "photos", PHOTO_TYPES, limit, max_mb)
    _room(
        kind=kind,
        order=locked,
        line=line,
        slip=slip,
        nonconformance=nonconformance,
        inspected=inspected,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    inspection = _write(
        actor=actor,
        order=locked,
        line=line,
        kind=kind,
        slip=slip,
        nonconformance=nonconformance,
        inspected=inspected,
        passed=passed,
        failed=failed,
        defects=found,
        checks=items,
        photos=checked,
        note=_text(note),
    )
    record_result(submission, inspection.get_absolute_url())
    return inspection


@transaction.atomic
def inspection_correct(
    *,
    actor,
    inspection: Inspection,
    inspected=None,
    passed=None,
    failed=None,
    defects=(),
    checks=(),
    note: str = "",
    reason: str = "",
    form_token=None,
) -> Inspection:
    """A correction (更正): a new record naming the one it corrects, which stays.
    The corrected one's nonconformance, not yet sent to its reviewers, is
    withdrawn (the correction opens its own); one already under review refuses
    the correction."""
    _require(actor, "quality.inspect")
    submission = claim_token(form_token, actor)
    locked = lock_order(inspection.order_id)
    old = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _may_act(locked, actions.INSPECT, _stages_for(old.kind), NOT_HERE)
    line = lock_lines([old.line_id])[old.line_id]
    if Inspection.objects.filter(corrects=old).exists():
        raise InvalidMove(
            _("%(number)s is corrected already: correct the latest record.")
            % {"number": old.number}
        )
    found_ncs = list(Nonconformance.objects.select_for_update().filter(inspection=old))
    if any(nc.status != Nonconformance.Status.OPEN for nc in found_ncs):
        raise InvalidMove(
            _(
                "The nonconformance of %(number)s is with its reviewers already: "
                "it is decided there, not by correcting the inspection."
            )
            % {"number": old.number}
        )
    errors: dict[str, list] = {}
    inspected, passed, failed = _check_quantities(
        {"inspected": inspected, "passed": passed, "failed": failed}, errors
    )
    found = _defects(defects, failed, errors)
    items = _checks(locked, checks, errors)
    reason = _text(reason)
    if not reason:
        errors["reason"] = [_("Say why the inspection is corrected.")]
    nonconformance = None
    if old.nonconformance_id:
        nonconformance = Nonconformance.objects.select_related("rework_slip").get(
            pk=old.nonconformance_id
        )
    _room(
        kind=old.kind,
        order=locked,
        line=line,
        slip=old.slip,
        nonconformance=nonconformance,
        inspected=inspected,
        errors=errors,
        replacing=old,
    )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for nc in found_ncs:
        nc.status = Nonconformance.Status.WITHDRAWN
        nc.withdrawn_reason = reason
        nc.closed_at = now
        nc.version += 1
        nc.save(update_fields=["status", "withdrawn_reason", "closed_at", "version"])
        record_event(
            order=locked,
            type_=types.NC_WITHDRAWN,
            user=actor,
            reason=reason,
            parameters={"nonconformance": nc.number, "old": "open", "new": "withdrawn"},
        )
    new = _write(
        actor=actor,
        order=locked,
        line=line,
        kind=old.kind,
        slip=old.slip,
        nonconformance=nonconformance,
        inspected=inspected,
        passed=passed,
        failed=failed,
        defects=found,
        checks=items,
        photos=(),
        note=_text(note) or old.note,
        corrects=old,
        reason=reason,
    )
    record_result(submission, new.get_absolute_url())
    return new


def new_token() -> str:
    return str(uuid.uuid4())
