"""How the order's history reads, in the reader's language: each event's action, the
figures that say what happened, the label of its free text and its changes old → new.
Also where orders' own event types are registered with their labels (an app registers
its own the same way, orders.registry.event_type)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import registry
from .models import OrderEvent
from .money import format_cny, format_price, plain

Type = OrderEvent.Type


def action_label(event: OrderEvent):
    """What the person did, in the reader's language: a move shows its own name from the
    workflow table (提交评审, 终止订单 …), other events their registered label."""
    if event.type == Type.MOVED:
        from .workflow import MOVES

        move = MOVES.get(event.parameters.get("move", ""))
        if move is not None:
            return move.label
    return event.type_label


def detail(event: OrderEvent) -> str:
    """The figures that say what exactly happened, in the reader's language: the
    event type's own reading (registered with it), or a move's."""
    if event.type == Type.MOVED:
        shown = registry.move_detail_of(event.parameters.get("move", ""))
    else:
        registered = registry.event_type_of(event.type)
        shown = registered.detail if registered else None
    return str(shown(event.parameters)) if shown else ""


def reason_label(event: OrderEvent):
    """What the event's free text is, as the history labels it: the risks of a
    review row, the GM's comment, the reason of a send-back …"""
    if event.type == Type.MOVED and event.parameters.get("move") in COMMENT_MOVES:
        return APPROVERS_COMMENT
    registered = registry.event_type_of(event.type)
    if registered is not None and registered.reason_label:
        return registered.reason_label
    return pgettext_lazy("why it was done", "reason")


# --- how each of orders' event types reads ------------------------------------------------


def _signed(p) -> str:
    from .models import ReviewSignoff

    opinion = dict(ReviewSignoff.Opinion.choices).get(p.get("opinion"), "")
    return _("%(department)s: %(days)s working days, %(opinion)s") % {
        "department": p.get("department"),
        "days": p.get("days"),
        "opinion": opinion,
    }


def _concluded(p) -> str:
    from .models import ContractReview

    conclusion = dict(ContractReview.Conclusion.choices).get(p.get("conclusion"), "")
    if p.get("promised_date"):
        return _("%(conclusion)s; promised delivery %(date)s") % {
            "conclusion": conclusion,
            "date": p["promised_date"],
        }
    return str(conclusion)


def _opened(p) -> str:
    return "、".join(p.get("departments", []))


def _quote(p) -> str:
    text = (
        f"{p.get('quote', '')} v{p.get('quote_version', '')} {_money(p.get('amount'))}"
    )
    if p.get("how"):
        from .models import Quote

        # Stored as a code (older rows hold the label as it was then).
        how = dict(Quote.AcceptedHow.choices).get(p["how"], p["how"])
        text += f" · {how} {p.get('accepted_on', '')}"
    return text


def _contract(p) -> str:
    return f"{p.get('contract', '')} {_money(p.get('amount'))}"


def _drawing(p) -> str:
    name = f" ({p['name']})" if p.get("name") else ""
    return f"{p.get('drawing', '')} v{p.get('drawing_version', '')}{name}"


def _attachment(p) -> str:
    return str(p.get("name", ""))


APPROVERS_COMMENT = pgettext_lazy("approver's words", "comment")
# Moves whose reason is the approver's comment rather than a reason.
COMMENT_MOVES = {"approve", "approval_send_back"}


def _imported(p) -> str:
    """An order entered or edited by an import names its file."""
    if p.get("imported_from"):
        return _("imported from %(file)s") % {"file": p["imported_from"]}
    return ""


_DETAILS = {
    Type.CREATED: _imported,
    Type.EDITED: _imported,
    Type.REVIEW_SIGNED: _signed,
    Type.REVIEW_CONCLUDED: _concluded,
    Type.REVIEW_OPENED: _opened,
    Type.QUOTE_PREPARED: _quote,
    Type.QUOTE_SUBMITTED: _quote,
    Type.QUOTE_APPROVED: _quote,
    Type.QUOTE_RETURNED: _quote,
    Type.QUOTE_ACCEPTED: _quote,
    Type.CONTRACT_RECORDED: _contract,
    Type.DRAWING_UPLOADED: _drawing,
    Type.DRAWINGS_REISSUED: _drawing,
    Type.ATTACHMENT_ADDED: _attachment,
}
_REASON_LABELS = {
    Type.REVIEW_SIGNED: _("risks and countermeasures"),
    Type.REVIEW_CONCLUDED: _("conclusion notes"),
    Type.QUOTE_APPROVED: APPROVERS_COMMENT,
    Type.QUOTE_RETURNED: APPROVERS_COMMENT,
    Type.CHANGE_APPROVED: APPROVERS_COMMENT,
    Type.CHANGE_REJECTED: APPROVERS_COMMENT,
    Type.CONTRACT_RECORDED: _("why the amount differs from the quote"),
}
_LABELS = (
    (Type.CREATED, _("entered the order")),
    (Type.COPIED, _("entered the order as a copy")),
    (Type.EDITED, _("edited the order")),
    (Type.ATTACHMENT_ADDED, _("attached a file")),
    (Type.MOVED, _("moved the order")),
    (Type.CREDIT_FLAGGED, _("over the credit limit")),
    (Type.CREDIT_APPROVED, _("approved the credit")),
    (Type.CHANGE_REQUESTED, _("entered a change request")),
    (Type.CHANGE_APPROVED, _("approved the change request")),
    (Type.CHANGE_REJECTED, _("rejected the change request")),
    (Type.CHANGE_APPLIED, _("applied the change")),
    (Type.REVIEW_OPENED, _("opened the contract review sheet")),
    (Type.REVIEW_SIGNED, _("signed the review sheet")),
    (Type.REVIEW_CONCLUDED, _("concluded the contract review")),
    (Type.QUOTE_PREPARED, _("prepared a quote")),
    (Type.QUOTE_SUBMITTED, _("submitted the quote for approval")),
    (Type.QUOTE_APPROVED, _("approved the quote")),
    (Type.QUOTE_RETURNED, _("sent the quote back")),
    (Type.QUOTE_ACCEPTED, _("recorded the customer's acceptance")),
    (Type.CONTRACT_RECORDED, _("recorded the signed contract")),
    (Type.DRAWING_UPLOADED, _("uploaded a drawing")),
    (Type.REQUIREMENTS_WRITTEN, _("wrote the key quality and process requirements")),
    (Type.DRAWINGS_RECALLED, _("recalled the drawings")),
    (Type.DRAWINGS_REISSUED, _("re-issued the drawings")),
)


def register_event_types() -> None:
    """orders' own event types, registered like any app's (orders.registry)."""
    for code, label in _LABELS:
        registry.event_type(
            registry.EventType(
                code,
                label,
                app="orders",
                detail=_DETAILS.get(code),
                reason_label=_REASON_LABELS.get(code),
            )
        )
    registry.move_detail("drawings_issued", _drawing)


def _money(value) -> str:
    try:
        return format_cny(value)
    except (ArithmeticError, TypeError, ValueError):
        return str(value or "")


def history(events) -> list[dict]:
    return [
        {
            "event": event,
            "action": action_label(event),
            "detail": detail(event),
            "reason_label": reason_label(event),
            "rows": change_rows(event.parameters.get("changes")),
        }
        for event in events
    ]


REQUIREMENT_LABELS = {
    "quality": _("key quality requirements"),
    "process": _("key process requirements"),
}


def change_rows(changes: list[dict]) -> list[dict]:
    """Turn stored changes into rows for display: label, old, new (translated now, in
    the reader's language, not when they were written)."""
    from .models import Order as OrderModel
    from .models import OrderLine

    rows = []
    for change in changes or []:
        name = change.get("field", "")
        if change.get("line"):
            try:
                attr = OrderLine._meta.get_field(name).verbose_name
            except Exception:  # noqa: BLE001 - a field since renamed still shows
                attr = name
            label = _("line %(n)s %(field)s") % {"n": change["line"], "field": attr}
        elif name in REQUIREMENT_LABELS:
            label = REQUIREMENT_LABELS[name]
        else:
            try:
                label = OrderModel._meta.get_field(name).verbose_name
            except Exception:  # noqa: BLE001
                label = name
        shown = _VALUE_FORMATS.get(name)
        old, new = change.get("old"), change.get("new")
        if shown is not None:
            old, new = (
                None if v in (None, "") else _safely(shown, v) for v in (old, new)
            )
        rows.append({"label": label, "old": old, "new": new})
    return rows


def _safely(shown, value):
    try:
        return shown(value)
    except (ArithmeticError, TypeError, ValueError):
        return value


def _percent_of_rate(value) -> str:
    from decimal import Decimal

    return f"{plain(Decimal(str(value)) * 100)}%"


# How a changed value reads: money with ¥ and separators, rates as percentages.
_VALUE_FORMATS = {
    "unit_price": format_price,
    "quantity": plain,
    "vat_rate": _percent_of_rate,
    "deposit_percent": lambda v: f"{plain(v)}%",
    "retention_percent": lambda v: f"{plain(v)}%",
}
