"""The actions quality performs on an order inside its stages (orders.registry):
declared once, asked by the service that performs each, so that any app may hold
one with its own words — and an order on hold for a change request holds them
all."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from orders import registry

from .events import APP

INSPECT = "quality.inspect"
NONCONFORMANCE = "quality.nonconformance"

ACTIONS = (
    registry.Action(INSPECT, _("record or correct an inspection"), APP),
    registry.Action(NONCONFORMANCE, _("review or disposition a nonconformance"), APP),
)


def register() -> None:
    for action in ACTIONS:
        registry.action(action)
