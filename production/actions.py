"""The actions production performs on an order inside its stages (orders.registry):
declared once, asked by the service that performs each (through
orders.services.action_require), so that any app may hold one with its own words —
and an order on hold for a change request holds them all."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from orders import registry

from .events import APP

RECORD_MATERIALS = "production.record_materials"
PLAN = "production.plan"  # make, edit, delete, submit or close a plan
ISSUE_PLAN = "production.issue_plan"
ADD_SLIP = "production.add_slip"
START_SLIP = "production.start_slip"
REPORT = "production.report"
REVERSE_REPORT = "production.reverse_report"
CLOSE_SLIP = "production.close_slip"
MAKE_UP = "production.make_up"
REWORK = "production.rework"
CLOSE_SHORTFALL = "production.close_shortfall"
CHANGE_PLAN = "production.change_plan"

ACTIONS = (
    registry.Action(RECORD_MATERIALS, _("record the materials (备料)"), APP),
    registry.Action(PLAN, _("make, submit or close a production plan"), APP),
    registry.Action(ISSUE_PLAN, _("review and issue a production plan"), APP),
    registry.Action(ADD_SLIP, _("add or change a dispatch slip"), APP),
    registry.Action(START_SLIP, _("start a dispatch slip"), APP),
    registry.Action(REPORT, _("report progress on a dispatch slip"), APP),
    registry.Action(REVERSE_REPORT, _("take a report back"), APP),
    registry.Action(CLOSE_SLIP, _("close a dispatch slip"), APP),
    registry.Action(MAKE_UP, _("make up a short slip (补派)"), APP),
    registry.Action(REWORK, _("have pieces reworked (返工)"), APP),
    registry.Action(CLOSE_SHORTFALL, _("close a slip's shortfall"), APP),
    registry.Action(CHANGE_PLAN, _("raise or approve a plan change"), APP),
)


def register() -> None:
    for action in ACTIONS:
        registry.action(action)
