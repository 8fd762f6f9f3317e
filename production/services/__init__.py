"""Writes of the production app, one module per subject: materials readiness
(`materials`), plans and their slips (`plans`), plan changes (`plan_changes`),
starting and closing slips (`slips`), the progress reported on them (`reports`) and
the order's move out of production (`completion`). Each function takes keyword
arguments, checks the actor (production.permissions), locks the order's row first
and then the plan's or slip's, and writes the order's history
(orders.services.record_event). Callers import from here.

An order moves on only through the orders service for the move production owns:
the report (or the planner's close) that finishes the last slip makes the move
`production_done` in the same transaction, automatically, on behalf of that person.
"""

from .common import (
    AFTER_PRODUCTION,
    APP,
    IN_PRODUCTION,
    MOVE,
    PlanData,
    overrun_limit,
    planned_quantity,
)
from .completion import production_refusal
from .materials import (
    MaterialLineData,
    materials_due,
    materials_open,
    materials_record,
)
from .plan_changes import plan_change_approve, plan_change_raise, plan_change_reject
from .plans import (
    plan_close,
    plan_create,
    plan_delete,
    plan_edit,
    plan_issue,
    plan_receive,
    plan_return,
    plan_submit,
    slip_add,
    slip_edit,
    slip_remove,
)
from .reports import ReportOutcome, anomaly_handle, report_reverse, slip_report
from .rework import rework_slip_add
from .routings import (
    FROM_FINISH,
    FROM_START,
    StepData,
    routing_of,
    routing_save,
    slips_from_routing,
)
from .screens import (
    NewScreenLink,
    screen_link_create,
    screen_link_revoke,
    screen_link_seen,
)
from .shortfalls import slip_make_up, slip_shortfall_close, uncovered_shortfall
from .slips import slip_allow_early_start, slip_close, slip_start, start_blockers

__all__ = [
    "AFTER_PRODUCTION",
    "APP",
    "IN_PRODUCTION",
    "FROM_FINISH",
    "FROM_START",
    "MaterialLineData",
    "StepData",
    "MOVE",
    "NewScreenLink",
    "PlanData",
    "ReportOutcome",
    "anomaly_handle",
    "materials_due",
    "materials_open",
    "materials_record",
    "overrun_limit",
    "plan_change_approve",
    "plan_change_raise",
    "plan_change_reject",
    "plan_close",
    "plan_create",
    "plan_delete",
    "plan_edit",
    "plan_issue",
    "plan_receive",
    "plan_return",
    "plan_submit",
    "planned_quantity",
    "production_refusal",
    "report_reverse",
    "screen_link_create",
    "screen_link_revoke",
    "screen_link_seen",
    "rework_slip_add",
    "routing_of",
    "routing_save",
    "slip_add",
    "slip_edit",
    "slip_remove",
    "slips_from_routing",
    "slip_allow_early_start",
    "slip_close",
    "slip_make_up",
    "slip_shortfall_close",
    "slip_report",
    "slip_start",
    "start_blockers",
    "uncovered_shortfall",
]
