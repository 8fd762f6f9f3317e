"""quality's kinds of history line on the order (orders.registry.event_type):
their codes, their labels and how each reads from its parameters. The services
write them through orders.services.record_event."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from orders import registry

APP = "quality"
MOVE = "inspection_passed"

INSPECTED = "inspected"
INSPECTION_CORRECTED = "inspection_corrected"
NC_OPENED = "nonconformance_opened"
NC_SUBMITTED = "nonconformance_submitted"
NC_SIGNED = "nonconformance_signed"
NC_DECIDED = "nonconformance_decided"
NC_REWORK = "nonconformance_rework"
NC_CONSENT = "nonconformance_consent"
NC_CLOSED = "nonconformance_closed"
NC_WITHDRAWN = "nonconformance_withdrawn"


def _kind(code: str):
    from .models import Inspection

    return dict(Inspection.Kind.choices).get(code, code)


def _inspected(p) -> str:
    text = _(
        "%(number)s %(kind)s, line %(line)s: inspected %(inspected)s, passed "
        "%(passed)s, failed %(failed)s"
    ) % {
        "number": p.get("inspection", ""),
        "kind": _kind(p.get("kind", "")),
        "line": p.get("line", ""),
        "inspected": p.get("inspected", 0),
        "passed": p.get("passed", 0),
        "failed": p.get("failed", 0),
    }
    if p.get("slip"):
        text = f"{text} · {p['slip']}"
    if p.get("reinspects"):
        text += " · " + str(_("re-inspection of %(nc)s") % {"nc": p["reinspects"]})
    if p.get("defects"):
        text += " · " + "、".join(p["defects"])
    return text


def _corrected(p) -> str:
    return _(
        "%(number)s corrects %(old)s: passed %(old_passed)s → %(passed)s, failed "
        "%(old_failed)s → %(failed)s"
    ) % {
        "number": p.get("inspection", ""),
        "old": p.get("corrects", ""),
        "old_passed": p.get("old_passed", 0),
        "passed": p.get("passed", 0),
        "old_failed": p.get("old_failed", 0),
        "failed": p.get("failed", 0),
    }


def _nc(p) -> str:
    text = f"{p.get('nonconformance', '')} × {p.get('quantity', '')}"
    if p.get("line"):
        text = str(_("line %(line)s") % {"line": p["line"]}) + " " + text
    return text


def _decided(p) -> str:
    return _(
        "%(nc)s: rework %(rework)s, scrap %(scrap)s, concession %(concession)s"
    ) % {
        "nc": p.get("nonconformance", ""),
        "rework": p.get("rework", 0),
        "scrap": p.get("scrap", 0),
        "concession": p.get("concession", 0),
    }


def _rework(p) -> str:
    return _("%(nc)s: rework slip %(slip)s × %(quantity)s") % {
        "nc": p.get("nonconformance", ""),
        "slip": p.get("slip", ""),
        "quantity": p.get("quantity", ""),
    }


def _signed(p) -> str:
    return str(p.get("nonconformance", ""))


def _status(p) -> str:
    return _("%(nc)s: %(old)s → %(new)s") % {
        "nc": p.get("nonconformance", ""),
        "old": _nc_status(p.get("old", "")),
        "new": _nc_status(p.get("new", "")),
    }


def _nc_status(code: str):
    from .models import Nonconformance

    return dict(Nonconformance.Status.choices).get(code, code)


def _passed(p) -> str:
    """The figures the order passed with, in the reader's language (an older line
    may still carry its words as "summary")."""
    lines = p.get("lines")
    if not isinstance(lines, list):
        return str(p.get("summary", ""))
    return "；".join(
        _("line %(line)s: accepted %(accepted)s of %(ordered)s")
        % {"line": line, "accepted": accepted, "ordered": ordered}
        for line, accepted, ordered in lines
    )


TYPES = (
    (INSPECTED, _("recorded an inspection"), _inspected, _("notes")),
    (
        INSPECTION_CORRECTED,
        _("corrected an inspection"),
        _corrected,
        _("why it was corrected"),
    ),
    (NC_OPENED, _("opened a nonconformance"), _nc, _("what is wrong")),
    (
        NC_SUBMITTED,
        _("sent the nonconformance to its reviewers"),
        _decided,
        _("what is wrong"),
    ),
    (NC_SIGNED, _("signed the nonconformance review"), _signed, _("opinion")),
    (NC_DECIDED, _("the reviewers agreed the disposition"), _decided, None),
    (NC_REWORK, _("had the nonconforming pieces reworked"), _rework, None),
    (
        NC_CONSENT,
        _("recorded the customer's consent to the concession"),
        _signed,
        _("customer's consent"),
    ),
    (NC_CLOSED, _("closed the nonconformance"), _status, None),
    (
        NC_WITHDRAWN,
        _("withdrew the nonconformance"),
        _status,
        _("why it was withdrawn"),
    ),
)


def register_event_types() -> None:
    for code, label, detail, reason_label in TYPES:
        registry.event_type(
            registry.EventType(
                code, label, app=APP, detail=detail, reason_label=reason_label
            )
        )
    registry.move_detail(MOVE, _passed)
