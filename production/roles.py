"""What production grants each role (accounts.roles.grant, from
ProductionConfig.ready()): the planner makes plans and slips, the production
manager approves plan changes, purchasing records the materials, a workshop lead
reports on their own workshop's slips, the departments on the distribution list
sign for a plan, production's readers read every plan and slip, the system
administrator keeps the workshops' capacities."""

from __future__ import annotations

APP = "production"


def _production(*codenames: str) -> tuple[str, ...]:
    return tuple(f"production.{name}" for name in codenames)


# The routings (工艺路线) in the admin: the planner and the system administrator.
ROUTING_ADMIN = tuple(
    f"production.{action}_{model}"
    for model in ("routing", "routingstep")
    for action in ("view", "add", "change", "delete")
)

GRANTS: dict[str, tuple[str, ...]] = {
    "production_manager": _production(
        "view_plans", "handle_anomalies", "approve_plan_changes", "review_plans"
    ),
    "general_manager": _production("view_plans"),
    "chairman": _production("view_plans"),
    "technical": _production("view_plans", "receive_plan"),
    "purchasing": _production("manage_materials"),
    "production_planner": _production(
        "manage_plans",
        "view_plans",
        "handle_anomalies",
        "manage_screen_links",
        "manage_routings",
        "add_rework_slips",
    )
    + ROUTING_ADMIN,
    "workshop_lead": _production("report_slips", "receive_plan"),
    "qc_inspector": _production("view_plans", "receive_plan"),
    "system_admin": _production(
        "view_workshopcapacity",
        "add_workshopcapacity",
        "change_workshopcapacity",
        "manage_screen_links",
    )
    + ROUTING_ADMIN,
}
