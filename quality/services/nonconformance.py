"""不合格品评审: the failed pieces described (what, how many, the cause from
GS/G-SC-02's codes, the party responsible), the disposition proposed — rework,
scrap, concession — and signed by each reviewer named; then carried out: the
scrap recorded (a make-up asked of the planner if wanted), the rework made on a
rework slip through production's service, the concession consented to by the
customer with the document. It closes when every piece is dispositioned."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.permissions import has_role_perm, may
from core.concurrency import lock_row
from core.exceptions import InvalidMove, ValidationError
from core.submissions import claim_token, record_result
from core.uploads import discarded_on_failure, keep_upload
from notifications.services import notify
from orders.services import lock_lines, lock_order, record_event
from orders.stages import Stage
from production import services as production

from .. import actions
from .. import events as types
from ..models import Cause, ConsentDocument, Nonconformance, NonconformanceReview
from ..permissions import QUALITY_DEPARTMENT
from .common import (
    CONSENT_TYPES,
    _may_act,
    _require,
    _text,
    _whole,
    checked_files,
)

STAGES = frozenset({Stage.PRODUCTION, Stage.INSPECTION, Stage.DELIVERY})
NOT_HERE = _("The order is at “%(stage)s”: its nonconformances are closed.")
STALE = _(
    "The nonconformance changed since you opened it; nothing was saved. Look at "
    "it now and try again."
)


def _locked(nc: Nonconformance, version=None):
    order = lock_order(nc.order_id)
    _may_act(order, actions.NONCONFORMANCE, STAGES, NOT_HERE)
    lock_lines([nc.line_id])
    locked = lock_row(Nonconformance.objects.all(), nc.pk, version, STALE)
    return order, locked


def _event(order, actor, type_, nc, reason="", **extra):
    record_event(
        order=order,
        type_=type_,
        user=actor,
        reason=reason,
        parameters={"nonconformance": nc.number, "quantity": nc.quantity, **extra},
    )


def _disposition(nc) -> dict:
    return {
        "rework": nc.rework_qty,
        "scrap": nc.scrap_qty,
        "concession": nc.concession_qty,
    }


def quality_manager():
    return (
        get_user_model()
        .objects.filter(headed_departments__code=QUALITY_DEPARTMENT, is_active=True)
        .first()
    )


@transaction.atomic
def nonconformance_submit(
    *,
    actor,
    nonconformance: Nonconformance,
    description: str,
    cause: str,
    responsible_department: Department | None,
    reviewers,
    rework=0,
    scrap=0,
    concession=0,
    make_up: bool = False,
    version: int | None = None,
) -> Nonconformance:
    """QC describes the nonconformance and proposes its disposition — rework,
    scrap and concession adding up to its pieces — and sends it to the reviewers
    named, who each sign. A concession needs the quality manager among them."""
    _require(actor, "quality.inspect")
    order, nc = _locked(nonconformance, version)
    if nc.status != Nonconformance.Status.OPEN:
        raise InvalidMove(
            _("%(nc)s is %(status)s: it is described once, before its review.")
            % {"nc": nc.number, "status": nc.get_status_display()}
        )
    errors: dict[str, list] = {}
    description = _text(description)
    if not description:
        errors["description"] = [_("Say what is wrong with the pieces.")]
    if cause not in Cause.values:
        errors["cause"] = [_("Choose the cause from the list.")]
    if responsible_department is None:
        errors["responsible_department"] = [_("Name the party responsible.")]
    rework = _whole(rework, "rework", errors)
    scrap = _whole(scrap, "scrap", errors)
    concession = _whole(concession, "concession", errors)
    if "rework" not in errors and rework + scrap + concession != nc.quantity:
        errors["rework"] = [
            _(
                "Rework %(rework)s, scrap %(scrap)s and concession %(concession)s "
                "make %(sum)s: every one of the %(quantity)s pieces needs one "
                "disposition."
            )
            % {
                "rework": rework,
                "scrap": scrap,
                "concession": concession,
                "sum": rework + scrap + concession,
                "quantity": nc.quantity,
            }
        ]
    people = list({u.pk: u for u in reviewers or () if u is not None}.values())
    if not people:
        errors["reviewers"] = [_("Name the reviewers who sign.")]
    elif any(
        not has_role_perm(u, "quality.sign_nonconformance") or not u.is_active
        for u in people
    ):
        errors["reviewers"] = [_("Every reviewer must be one who signs reviews.")]
    elif concession and not any(may(u, "quality.approve_concession") for u in people):
        errors["reviewers"] = [
            _("A concession needs the quality manager among the reviewers.")
        ]
    if errors:
        raise ValidationError(errors)
    nc.description = description
    nc.cause = cause
    nc.responsible_department = responsible_department
    nc.rework_qty, nc.scrap_qty, nc.concession_qty = rework, scrap, concession
    nc.make_up_asked = bool(make_up and scrap)
    nc.status = Nonconformance.Status.REVIEW
    nc.version += 1
    nc.save()
    NonconformanceReview.objects.bulk_create(
        NonconformanceReview(nonconformance=nc, reviewer=u) for u in people
    )
    _event(order, actor, types.NC_SUBMITTED, nc, description, **_disposition(nc))
    notify(
        users=people,
        message=_("Nonconformance %(nc)s of order %(order)s waits for your signature.")
        % {"nc": nc.number, "order": order.number},
        link=nc.get_absolute_url(),
        kind="nonconformance_review",
    )
    return nc


@transaction.atomic
def nonconformance_sign(
    *, actor, nonconformance: Nonconformance, opinion: str = "", version=None
) -> Nonconformance:
    """A reviewer named on the nonconformance signs its disposition. The last
    signature decides it: the scrap is recorded, the rework waits for its slip,
    the concession for the customer's consent."""
    order, nc = _locked(nonconformance, version)
    _require(actor, "quality.sign_nonconformance", nc)
    if nc.status != Nonconformance.Status.REVIEW:
        raise InvalidMove(
            _("%(nc)s is %(status)s: nothing to sign.")
            % {"nc": nc.number, "status": nc.get_status_display()}
        )
    review = NonconformanceReview.objects.select_for_update().get(
        nonconformance=nc, reviewer=actor
    )
    if review.signed_at is not None:
        raise InvalidMove(_("You signed this nonconformance already."))
    review.opinion = _text(opinion)
    review.signed_at = timezone.now()
    review.save(update_fields=["opinion", "signed_at"])
    _event(order, actor, types.NC_SIGNED, nc, review.opinion)
    nc.version += 1
    if not nc.reviews.filter(signed_at__isnull=True).exists():
        nc.status = Nonconformance.Status.DECIDED
        nc.decided_at = review.signed_at
        nc.save(update_fields=["status", "decided_at", "version"])
        _event(order, actor, types.NC_DECIDED, nc, **_disposition(nc))
        _tell_after_decision(order, nc)
        _close_if_done(order, actor, nc)
    else:
        nc.save(update_fields=["version"])
    return nc


def _holders(permission: str):
    codename = permission.split(".", 1)[1]
    return [
        u
        for u in get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename=codename)
        .distinct()
        if has_role_perm(u, permission)
    ]


def _tell_after_decision(order, nc) -> None:
    if nc.rework_qty:
        notify(
            users=_holders("production.add_rework_slips")
            + _holders("production.manage_plans"),
            message=_("Nonconformance %(nc)s: %(count)s pieces to rework (返工).")
            % {"nc": nc.number, "count": nc.rework_qty},
            link=nc.get_absolute_url(),
            kind="nonconformance_rework",
        )
    if nc.make_up_asked:
        notify(
            users=_holders("production.manage_plans"),
            message=_(
                "Nonconformance %(nc)s scrapped %(count)s pieces of order %(order)s: "
                "a make-up is asked."
            )
            % {"nc": nc.number, "count": nc.scrap_qty, "order": order.number},
            link=order.get_absolute_url(),
            kind="nonconformance_make_up",
        )


def _close_if_done(order, actor, nc) -> bool:
    """Every piece dispositioned: the scrap recorded (it is, once decided), the
    rework on its slip, the concession consented to."""
    if nc.status != Nonconformance.Status.DECIDED:
        return False
    if nc.rework_qty and nc.rework_slip_id is None:
        return False
    if nc.concession_qty and nc.consent_at is None:
        return False
    nc.status = Nonconformance.Status.CLOSED
    nc.closed_at = timezone.now()
    nc.version += 1
    nc.save(update_fields=["status", "closed_at", "version"])
    _event(order, actor, types.NC_CLOSED, nc, old="decided", new="closed")
    return True


@transaction.atomic
def nonconformance_rework(
    *,
    actor,
    nonconformance: Nonconformance,
    workshop,
    operation: str,
    due_date: date | None,
    start_date: date | None = None,
    version=None,
    form_token=None,
) -> Nonconformance:
    """The rework the reviewers decided, made on a rework slip for a workshop
    through production's service (the planner or the production manager)."""
    _require(actor, "production.add_rework_slip")
    submission = claim_token(form_token, actor)
    order, nc = _locked(nonconformance, version)
    if not nc.waits_for_rework:
        raise InvalidMove(
            _("%(nc)s has no rework waiting for a slip.") % {"nc": nc.number}
        )
    slip = production.rework_slip_add(
        actor=actor,
        order=order,
        line=nc.line,
        workshop=workshop,
        operation=operation,
        quantity=nc.rework_qty,
        due_date=due_date,
        start_date=start_date,
        reason=_("Nonconformance %(nc)s: %(what)s")
        % {"nc": nc.number, "what": nc.description},
    )
    nc.rework_slip = slip
    nc.version += 1
    nc.save(update_fields=["rework_slip", "version"])
    _event(order, actor, types.NC_REWORK, nc, slip=slip.number)
    _close_if_done(order, actor, nc)
    record_result(submission, nc.get_absolute_url())
    return nc


@transaction.atomic
def nonconformance_consent(
    *,
    actor,
    nonconformance: Nonconformance,
    note: str,
    documents=(),
    version=None,
) -> Nonconformance:
    """The quality manager records the customer's consent to the concession (or to
    the scrapped pieces shipped short), with the customer's document."""
    _require(actor, "quality.approve_concession")
    order, nc = _locked(nonconformance, version)
    if nc.status != Nonconformance.Status.DECIDED or nc.consent_at is not None:
        raise InvalidMove(
            _("%(nc)s has no disposition waiting for the customer's consent.")
            % {"nc": nc.number}
        )
    if not (nc.concession_qty or nc.scrap_qty):
        raise InvalidMove(
            _("%(nc)s has neither a concession nor scrap to consent to.")
            % {"nc": nc.number}
        )
    errors: dict[str, list] = {}
    note = _text(note)
    if not note:
        errors["note"] = [_("Say what the customer agreed to, and who agreed.")]
    checked = checked_files(documents, errors, "documents", CONSENT_TYPES, 3, 20)
    if not checked and "documents" not in errors:
        errors["documents"] = [
            _("Attach the customer's written consent (PDF or a photo).")
        ]
    if errors:
        raise ValidationError(errors)
    for uploaded, content_type in checked:
        row = ConsentDocument(nonconformance=nc, uploaded_by=actor)
        keep_upload(row, uploaded, content_type)
        with discarded_on_failure(row):
            row.save()
    nc.consent_note = note
    nc.consent_by = actor
    nc.consent_at = timezone.now()
    nc.version += 1
    nc.save(update_fields=["consent_note", "consent_by", "consent_at", "version"])
    _event(order, actor, types.NC_CONSENT, nc, note)
    _close_if_done(order, actor, nc)
    return nc
