"""delivery's kinds of history line on the order (orders.registry.event_type):
their codes, their labels and how each reads from its parameters. The services
write them through orders.services.record_event."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders import registry

APP = "delivery"
MOVE = "delivered"

STOCK_RECEIVED = "stock_received"
SHIPPED = "shipped"
CUSTOMER_RECEIVED = "customer_received"
SHORTFALL_CLOSED = "delivery_shortfall_closed"
DATE_AGREED = "date_agreed"


def _lines(p) -> str:
    return "；".join(
        f"{row['model']} × {row['quantity']}" for row in p.get("lines", ())
    )


def _received(p) -> str:
    text = _lines(p)
    if p.get("location"):
        text += " · " + str(_("location %(where)s") % {"where": p["location"]})
    return text


def _shipped(p) -> str:
    text = str(_("delivery note %(number)s") % {"number": p.get("shipment", "")})
    if p.get("lines"):
        text += ": " + _lines(p)
    if p.get("carrier"):
        text += " · " + str(p["carrier"])
        if p.get("tracking_number"):
            text += " " + str(p["tracking_number"])
    return text


def _receipt(p) -> str:
    text = str(
        _("delivery note %(number)s signed by %(who)s on %(date)s")
        % {
            "number": p.get("shipment", ""),
            "who": p.get("signed_by", ""),
            "date": p.get("signed_on", ""),
        }
    )
    if p.get("lines"):
        text += ": " + _lines(p)
    if p.get("short"):
        text += " · " + str(_("short: %(what)s") % {"what": p["short"]})
    return text


def _shortfall(p) -> str:
    text = _lines(p)
    if p.get("agreed_by"):
        text += " · " + str(_("agreed by %(who)s") % {"who": p["agreed_by"]})
    return text


def _date(p) -> str:
    return str(
        _("promised date %(old)s → %(new)s, agreed by %(who)s on %(on)s")
        % {
            "old": p.get("old_date") or "-",
            "new": p.get("new_date", ""),
            "who": p.get("agreed_by", ""),
            "on": p.get("agreed_on", ""),
        }
    )


TYPES = (
    (STOCK_RECEIVED, _("received goods into stock (入库)"), _received, _("notes")),
    (SHIPPED, _("shipped goods (发货)"), _shipped, _("notes")),
    (
        CUSTOMER_RECEIVED,
        _("recorded the customer's signed receipt (回单)"),
        _receipt,
        _("shortfall or damage"),
    ),
    (
        SHORTFALL_CLOSED,
        _("closed a shortfall agreed with the customer"),
        _shortfall,
        _("reason agreed with the customer"),
    ),
    (
        DATE_AGREED,
        _("recorded a delivery date agreed with the customer"),
        _date,
        pgettext_lazy("agreed date", "reason"),
    ),
)


def _delivered(p) -> str:
    if p.get("shipment"):
        return str(
            _("with the receipt of delivery note %(number)s")
            % {"number": p["shipment"]}
        )
    return ""


def register_event_types() -> None:
    for code, label, detail, reason_label in TYPES:
        registry.event_type(
            registry.EventType(
                code, label, app=APP, detail=detail, reason_label=reason_label
            )
        )
    registry.move_detail(MOVE, _delivered)
