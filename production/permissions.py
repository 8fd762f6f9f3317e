"""Who may see and act in production, declared once (django-rules predicates, asked
like orders.permissions through accounts.permissions.may / require and `{% may %}`).

Seeing is not acting here either. The production planner (生产部) makes, issues and
closes plans and slips and is the only one who may allow a slip to start early; a
workshop lead (车间主任) sees and reports on their own workshop's slips only — another
workshop's slip does not exist for them (404); purchasing records the materials; the
production manager, the GM, QC and the technical department read every plan and
slip. A lead takes back their own report for a while after making it, the planner
any report at any time; a lead opens the issued drawing of their own slips. A plan
changes only through a plan change form: the planner raises it, the production
manager approves it, the order's salesperson reads it. Asked without an object, a
relation holds (the view's first check).
"""

from __future__ import annotations

from datetime import timedelta

import rules
from django.conf import settings
from django.utils import timezone

from accounts.permissions import holds

from .models import DISTRIBUTED_TO


@rules.predicate
def own_workshop(user, slip) -> bool:
    """The slip is given to the user's own workshop (派工单的车间/产线)."""
    if slip is None:
        return True
    return user.department_id is not None and slip.workshop_id == user.department_id


@rules.predicate
def on_distribution_list(user, plan) -> bool:
    """The user's department gets a copy of the plan (分发)."""
    if plan is None:
        return True
    department = getattr(user, "department", None)
    return department is not None and department.code in DISTRIBUTED_TO


@rules.predicate
def plan_issued(user, plan) -> bool:
    if plan is None:
        return True
    return plan.status != "draft"


@rules.predicate
def not_its_preparer(user, plan) -> bool:
    """The user did not prepare the plan (编制): its review (审核) is another
    person's."""
    if plan is None:
        return True
    return user.pk not in plan.prepared_by_ids()


@rules.predicate
def salesperson_of_change(user, change) -> bool:
    """The change's order is the user's own (the salesperson it is notified to)."""
    if change is None:
        return True
    return change.plan.order.salesperson_id == user.pk


@rules.predicate
def salesperson_of_order(user, order) -> bool:
    """The order is the user's own (its salesperson)."""
    if order is None:
        return True
    return order.salesperson_id == user.pk


@rules.predicate
def own_department(user, workshop) -> bool:
    """The workshop is the user's own department (车间主任's own shop)."""
    if workshop is None:
        return True
    return user.department_id is not None and workshop.pk == user.department_id


@rules.predicate
def report_of_own_workshop(user, report) -> bool:
    """The report is on a slip of the user's own workshop."""
    if report is None:
        return True
    return (
        user.department_id is not None and report.slip.workshop_id == user.department_id
    )


@rules.predicate
def own_report_in_time(user, report) -> bool:
    """The user made the report, less than PRODUCTION_REPORT_CORRECTION_MINUTES ago
    (a lead corrects their own slip of the finger; later it is the planner's)."""
    if report is None:
        return True
    if report.reported_by_id != user.pk:
        return False
    window = timedelta(minutes=settings.PRODUCTION_REPORT_CORRECTION_MINUTES)
    return timezone.now() - report.reported_at <= window


manages = holds("production.manage_plans")
approves_changes = holds("production.approve_plan_changes")
reads_all = holds("production.view_plans") | manages
reports = holds("production.report_slips")

RULES = {
    # The production pages at all (navigation, lists).
    "production.view_production": reads_all
    | reports
    | holds("production.manage_materials"),
    # obj: a plan. The full plan with all its slips.
    "production.view_plan": reads_all,
    # obj: a plan. The printed copy: readers, and the departments it is issued to.
    "production.read_plan_copy": reads_all
    | (holds("production.receive_plan") & on_distribution_list & plan_issued),
    # obj: a plan. Sign for the department's copy.
    "production.receive_plan": holds("production.receive_plan")
    & on_distribution_list
    & plan_issued,
    # obj: a slip. Readers see every slip; a lead only their workshop's.
    "production.view_slip": reads_all | (reports & own_workshop),
    # obj: a slip. Start it and report progress and anomalies.
    "production.report_slip": reports & own_workshop,
    # obj: a report. Take it back (a reversing record): its own lead, on their
    # workshop's slip, within the correction window; the planner at any time.
    "production.reverse_report": manages
    | (reports & report_of_own_workshop & own_report_in_time),
    # obj: a slip. Open the order's issued drawing from the slip: who sees the slip
    # (a lead does not read orders, but works to the drawing of their slips).
    "production.open_slip_drawing": reads_all | (reports & own_workshop),
    # Make, submit and close plans and slips; allow an early start (only production
    # changes a plan).
    "production.manage_plan": manages,
    # Have pieces reworked (返工) on a slip for a workshop: the planner, and whoever
    # a later app grants it to (quality's nonconformance reviewers).
    "production.add_rework_slip": manages | holds("production.add_rework_slips"),
    # obj: a plan. Review it (审核) and so issue it, or send it back: the production
    # manager, never the person who prepared it.
    "production.review_plan": holds("production.review_plans") & not_its_preparer,
    # Plans and slips change only through a plan change (计划更改单, GS/G-SC-04):
    # the planner raises it, the production manager approves or rejects it.
    "production.raise_plan_change": manages,
    "production.approve_plan_change": approves_changes,
    # obj: a change. Readers of plans, and the order's salesperson it is told to.
    "production.view_plan_change": reads_all
    | approves_changes
    | (holds("orders.enter_order") & salesperson_of_change),
    # obj: an order. Its plan changes — on the order page and as lines of its
    # history: the same readers as a change of it.
    "production.view_order_plan_changes": reads_all
    | approves_changes
    | (holds("orders.enter_order") & salesperson_of_order),
    # The plan board (计划看板): readers see every workshop, a lead their own.
    "production.view_board": reads_all | reports,
    # obj: a workshop (Department). Its shop-floor screen (车间看板) on the wall TV:
    # production's readers (planner, production manager, GM, QC, technical) for any
    # workshop; a lead for their own only — another workshop's screen does not
    # exist for them (404).
    "production.view_screen": reads_all | (reports & own_department),
    # The wall TVs' links (车间看板链接), opened with no one signed in: the planner
    # and the system administrator make and revoke them.
    "production.manage_screen_links": holds("production.manage_screen_links"),
    "production.handle_anomaly": holds("production.handle_anomalies"),
    # The routings (工艺路线): the planner keeps them; production's readers read them.
    "production.manage_routing": holds("production.manage_routings"),
    "production.view_routing": holds("production.manage_routings") | reads_all,
    "production.manage_materials": holds("production.manage_materials"),
    "production.view_materials": holds("production.manage_materials") | reads_all,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
