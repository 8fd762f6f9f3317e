"""production's kinds of history line on the order (orders.registry.event_type):
their codes, their labels and how each reads from its parameters. The services
write them through orders.services.record_event; the order page's history reads them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders import registry

APP = "production"

MATERIALS_RECORDED = "materials_recorded"
PLAN_CREATED = "plan_created"
PLAN_SUBMITTED = "plan_submitted"
PLAN_RETURNED = "plan_returned"
PLAN_ISSUED = "plan_issued"
PLAN_EDITED = "plan_edited"
PLAN_DELETED = "plan_deleted"
SLIPS_FROM_ROUTING = "slips_from_routing"
SLIP_EDITED = "slip_edited"
SLIP_REMOVED = "slip_removed"
PLAN_CLOSED = "plan_closed"
PLAN_RECEIVED = "plan_received"
SLIP_ADDED = "slip_added"
SLIP_STARTED = "slip_started"
SLIP_EARLY_START = "slip_early_start"
SLIP_DONE = "slip_done"
SLIP_CLOSED = "slip_closed"
ANOMALY = "slip_anomaly"
ANOMALY_HANDLED = "anomaly_handled"
# A report taken back (报工撤回): a reversing record, never an edit of the report.
REPORT_REVERSED = "slip_report_reversed"
PLAN_CHANGE_RAISED = "plan_change_raised"
PLAN_CHANGED = "plan_changed"
PLAN_CHANGE_REJECTED = "plan_change_rejected"
SLIP_MADE_UP = "slip_made_up"
SLIP_REWORK = "slip_rework"
SHORTFALL_CLOSED = "shortfall_closed"
# The first version's "planner reports production complete": no longer written (the
# last finished slip moves the order), still read in the history of older orders.
REPORTED = "production_reported"


def _status(code: str):
    from .models import MaterialRequirement

    return dict(MaterialRequirement.Status.choices).get(code, code)


def _operation(code: str):
    from .models import DispatchSlip

    return dict(DispatchSlip.Operation.choices).get(code, code)


def _cause(code: str):
    from .models import SlipReport

    return dict(SlipReport.Cause.choices).get(code, code)


def _materials(p) -> str:
    text = str(_status(p.get("status", "")))
    if p.get("status_old"):
        text = f"{_status(p['status_old'])} → {text}"
    if p.get("expected_date") or p.get("expected_old"):
        expected = p.get("expected_date") or "-"
        if p.get("expected_old"):
            expected = f"{p['expected_old']} → {expected}"
        text += " · " + str(_("expected %(date)s") % {"date": expected})
    if p.get("arrivals"):
        text += " · " + str(_("arrived: %(what)s") % {"what": "；".join(p["arrivals"])})
    if p.get("removed"):
        text += " · " + str(_("removed: %(what)s") % {"what": "；".join(p["removed"])})
    return text


def _plan(p) -> str:
    parts = [p.get("plan", ""), p.get("model", "")]
    if p.get("quantity"):
        parts.append(f"× {p['quantity']}")
    return " ".join(str(x) for x in parts if x)


def _issued(p) -> str:
    return f"{p.get('plan', '')} → {'、'.join(p.get('distribution', []))}"


def _slip(p) -> str:
    text = f"{p.get('slip', '')} {p.get('workshop', '')} {_operation(p.get('operation', ''))}"
    if p.get("quantity") is not None:
        text += f" × {p['quantity']}"
    return text.strip()


def _made_up(p) -> str:
    return _("%(slip)s for %(short)s short on %(short_slip)s") % {
        "slip": _slip(p),
        "short": p.get("short", ""),
        "short_slip": p.get("short_slip", ""),
    }


def _shortfall(p) -> str:
    return _("%(slip)s: good %(good)s, %(short)s short closed") % {
        "slip": _slip({**p, "quantity": None}),
        "good": p.get("good", 0),
        "short": p.get("short", 0),
    }


def _done(p) -> str:
    return _("%(slip)s: good %(good)s, scrapped %(scrap)s") % {
        "slip": _slip({**p, "quantity": None}),
        "good": p.get("good", 0),
        "scrap": p.get("scrap", 0),
    }


def _anomaly(p) -> str:
    return f"{p.get('slip', '')} {_cause(p.get('cause', ''))}"


def _why(code: str):
    from .models import ReportReversal

    return dict(ReportReversal.Why.choices).get(code, code)


def _reversed(p) -> str:
    """ "PG-… 下料车间 下料: 撤回 12-03 14:05 马军 的报工（合格 400，报废 3），数量报错；
    合格 1000 → 600" — and 「恢复为进行中」 when the slip was finished."""
    text = _(
        "%(slip)s: took back the report of %(when)s by %(who)s (good %(good)s, "
        "scrapped %(scrap)s), %(why)s; good %(old_good)s → %(new_good)s, scrapped "
        "%(old_scrap)s → %(new_scrap)s"
    ) % {
        "slip": _slip({**p, "quantity": None}),
        "when": p.get("reported_at", ""),
        "who": p.get("reported_by", ""),
        "good": p.get("good", 0),
        "scrap": p.get("scrap", 0),
        "why": _why(p.get("why", "")),
        "old_good": p.get("old_good", ""),
        "new_good": p.get("new_good", ""),
        "old_scrap": p.get("old_scrap", ""),
        "new_scrap": p.get("new_scrap", ""),
    }
    if p.get("reopened"):
        text += " · " + str(_("the slip is in progress again"))
    return text


def _received(p) -> str:
    return f"{p.get('plan', '')} · {p.get('department', '')}"


def _note(p) -> str:
    return str(p.get("note") or "")


def _finished_by_slip(p) -> str:
    """The move production_done, made by the report that finished the last slip."""
    if not p.get("slip"):
        return ""
    return _("last slip finished: %(slip)s (plan %(plan)s)") % {
        "slip": _slip({**p, "quantity": None}),
        "plan": p.get("plan", ""),
    }


def _field(code: str):
    from .models import PlanChangeItem

    return dict(PlanChangeItem.Field.choices).get(code, code)


def _value(field: str, value: str) -> str:
    if not value:
        return "-"
    return str(_operation(value)) if field == "operation" else value


def changes_text(changes) -> str:
    """A plan change's lines in words: "plan quantity 1000 → 800; PG-… finish by
    2026-12-01 → 2026-12-05" (the stored codes read in the reader's language)."""
    return "；".join(
        f"{c.get('target') or _('plan')} {_field(c.get('field', ''))} "
        f"{_value(c.get('field', ''), c.get('old', ''))} → "
        f"{_value(c.get('field', ''), c.get('new', ''))}"
        for c in changes or ()
    )


def _plan_change(p) -> str:
    text = f"{p.get('change', '')} · {p.get('plan', '')}"
    if p.get("lines"):
        text += "：" + changes_text(p["lines"])
    return text


# The plan's and slip's fields as a draft's edit names them (PLAN_EDITED, SLIP_EDITED).
EDIT_LABELS = {
    "line": pgettext_lazy("plan field", "order line"),
    "batch_number": pgettext_lazy("plan field", "batch number"),
    "model_code": pgettext_lazy("plan field", "model"),
    "maker": pgettext_lazy("plan field", "maker"),
    "thickness": pgettext_lazy("plan field", "material thickness"),
    "quantity": pgettext_lazy("plan field", "quantity"),
    "planned_start": pgettext_lazy("plan field", "start"),
    "planned_finish": pgettext_lazy("plan field", "completion"),
    "notes": pgettext_lazy("plan field", "notes"),
    "workshop": pgettext_lazy("plan field", "workshop / line"),
    "operation": pgettext_lazy("plan field", "operation"),
    "start_date": pgettext_lazy("plan field", "start by"),
    "due_date": pgettext_lazy("plan field", "finish by"),
    "predecessors": pgettext_lazy("plan field", "previous operations"),
}


def edits_text(edits) -> str:
    """A draft's edits in words: "model GB-D1060 → GB-D1092；quantity 1000 → 400"."""
    return "；".join(
        f"{EDIT_LABELS.get(e.get('field', ''), e.get('field', ''))} "
        f"{_value(e.get('field', ''), e.get('old', ''))} → "
        f"{_value(e.get('field', ''), e.get('new', ''))}"
        for e in edits or ()
    )


def _plan_edited(p) -> str:
    return f"{p.get('plan', '')}：{edits_text(p.get('edits'))}"


def _plan_deleted(p) -> str:
    text = _plan(p)
    if p.get("slips"):
        text += " · " + str(
            _("with slips %(slips)s") % {"slips": "、".join(p["slips"])}
        )
    return text


def _slip_edited(p) -> str:
    return f"{_slip({**p, 'quantity': None})}：{edits_text(p.get('edits'))}"


def _from_routing(p) -> str:
    return str(
        _("%(plan)s: %(count)s slips from the routing of %(product)s: %(steps)s")
        % {
            "plan": p.get("plan", ""),
            "count": len(p.get("slips", [])),
            "product": p.get("product", ""),
            "steps": " → ".join(
                f"{s.get('slip', '')} {s.get('workshop', '')} "
                f"{_operation(s.get('operation', ''))}"
                for s in p.get("slips", [])
            ),
        }
    )


TYPES = (
    (MATERIALS_RECORDED, _("recorded the materials (备料)"), _materials, None),
    (PLAN_CREATED, _("made a production plan"), _plan, None),
    (PLAN_SUBMITTED, _("submitted the production plan for review"), _plan, None),
    (
        PLAN_RETURNED,
        _("sent the production plan back"),
        _plan,
        _("why it was sent back"),
    ),
    (PLAN_ISSUED, _("reviewed and issued the production plan"), _issued, None),
    (PLAN_EDITED, _("edited the draft production plan"), _plan_edited, None),
    (
        PLAN_DELETED,
        _("deleted the draft production plan"),
        _plan_deleted,
        pgettext_lazy("why it was done", "reason"),
    ),
    (
        SLIPS_FROM_ROUTING,
        _("made the plan's slips from the routing"),
        _from_routing,
        None,
    ),
    (SLIP_EDITED, _("edited a slip of the draft plan"), _slip_edited, None),
    (SLIP_REMOVED, _("removed a slip from the draft plan"), _slip, None),
    (
        PLAN_CLOSED,
        _("closed the production plan"),
        _plan,
        pgettext_lazy("why it was done", "reason"),
    ),
    (PLAN_RECEIVED, _("signed for the production plan"), _received, None),
    (SLIP_ADDED, _("made a dispatch slip"), _slip, None),
    (SLIP_STARTED, _("started the dispatch slip"), _slip, None),
    (
        SLIP_EARLY_START,
        _("allowed the slip to start early"),
        _slip,
        _("why it may start early"),
    ),
    (SLIP_DONE, _("finished the dispatch slip"), _done, None),
    (
        SLIP_CLOSED,
        _("closed the dispatch slip"),
        _done,
        pgettext_lazy("why it was done", "reason"),
    ),
    (SLIP_MADE_UP, _("made a make-up slip (补派)"), _made_up, None),
    (
        SLIP_REWORK,
        _("made a rework slip (返工)"),
        _slip,
        _("why the pieces are reworked"),
    ),
    (
        SHORTFALL_CLOSED,
        _("closed the slip's shortfall"),
        _shortfall,
        _("why the shortfall was closed"),
    ),
    (ANOMALY, _("reported an anomaly"), _anomaly, _("anomaly note")),
    (ANOMALY_HANDLED, _("handled the anomaly"), _anomaly, _("how it was handled")),
    (
        REPORT_REVERSED,
        _("took back a progress report"),
        _reversed,
        pgettext_lazy("report taken back", "note"),
    ),
    (REPORTED, _("reported production complete"), _note, _("notes")),
    (
        PLAN_CHANGE_RAISED,
        _("raised a plan change (计划更改单)"),
        _plan_change,
        _("why the plan changes"),
    ),
    (
        PLAN_CHANGED,
        _("approved and applied the plan change"),
        _plan_change,
        _("why the plan changes"),
    ),
    (
        PLAN_CHANGE_REJECTED,
        _("rejected the plan change"),
        _plan_change,
        _("why it was rejected"),
    ),
)


# A plan change is read by production's readers and the order's salesperson only
# (production.permissions): so are the lines of the order's history that tell it.
READABLE_BY = {
    code: "production.view_order_plan_changes"
    for code in (PLAN_CHANGE_RAISED, PLAN_CHANGED, PLAN_CHANGE_REJECTED)
}


def register_event_types() -> None:
    for code, label, detail, reason_label in TYPES:
        registry.event_type(
            registry.EventType(
                code,
                label,
                app=APP,
                detail=detail,
                reason_label=reason_label,
                readable_by=READABLE_BY.get(code),
            )
        )
    registry.move_detail("production_done", _finished_by_slip)
