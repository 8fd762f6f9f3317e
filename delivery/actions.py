"""The actions delivery performs on an order inside its stage (orders.registry):
declared once, asked by the service that performs each (through
orders.services.action_require), so that any app may hold one with its own words —
finance holding a 款到发货 order's shipment until it is paid, an order on hold for a
change request holding them all — without delivery knowing that app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from orders import registry

from .events import APP

RECEIVE = "delivery.receive"
SHIP = "delivery.ship"
RECORD_RECEIPT = "delivery.record_receipt"
CLOSE_SHORTFALL = "delivery.close_shortfall"
AGREE_DATE = "delivery.agree_date"

ACTIONS = (
    registry.Action(RECEIVE, _("receive goods into stock (入库)"), APP),
    registry.Action(SHIP, _("ship goods with a delivery note (发货)"), APP),
    registry.Action(RECORD_RECEIPT, _("record the customer's signed receipt"), APP),
    registry.Action(
        CLOSE_SHORTFALL, _("close a shortfall agreed with the customer"), APP
    ),
    registry.Action(AGREE_DATE, _("record a date agreed with the customer"), APP),
)


def _address_given(order, *, action, address=None, **context):
    """Delivery's own check on a shipment: it goes to an address."""
    if address is not None and not str(address).strip():
        return _("The shipment has no delivery address: enter the customer's.")
    return None


def register() -> None:
    for action in ACTIONS:
        registry.action(action)
    registry.action_check(
        SHIP, app=APP, doc=_("a shipment goes to a delivery address")
    )(_address_given)
