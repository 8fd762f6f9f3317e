"""Everything production brings to the walk, registered from ProductionConfig.ready()
— no line of `orders` or `accounts` names it:

- its permissions granted to the roles (production.roles) and its menu entries
  (production.navigation);
- its move `production_done` (every line planned and produced), its precondition
  and its effect (the QC inspectors are told), and the actions it performs inside
  the stages (production.actions), which any app may hold;
- an effect on the review's conclusion (`accept`, `accept_direct`): the order's
  materials record opens with the date purchasing committed;
- its event types and how the move's own history line reads (production.events);
- its queues (production.queues);
- its sections of the order page and of the contract review sheet;
- its due items: each dispatch slip (the workshop answers for it by the slip's date),
  and the materials milestone (备料), which it takes over from `orders` because
  production is where readiness is recorded;
- its columns of each order line's quantities (planned, produced, closed short);
- its part of the demo and of the scale data.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F, IntegerField, Value
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.navigation import register as register_nav
from accounts.permissions import has_role_perm, may
from accounts.roles import grant
from core import seeds
from notifications.services import notify
from orders import registry
from orders.stages import Stage

from . import navigation, roles, selectors
from .actions import register as register_actions
from .events import APP, register_event_types
from .load import workshop_loads
from .models import DispatchSlip, MaterialRequirement, ProductionPlan
from .queues import register_all as register_queues
from .services import MOVE, materials_open, production_refusal

# --- the move and its effects ---------------------------------------------------------


def tell_quality(t) -> None:
    inspectors = [
        u
        for u in get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename="pass_inspection")
        .distinct()
        if has_role_perm(u, "orders.pass_inspection")
    ]
    notify(
        users=inspectors,
        message=_("Order %(number)s is ready for the final inspection.")
        % {"number": t.order.number},
        link=t.order.get_absolute_url(),
        kind="ready_for_inspection",
    )


def open_materials(t) -> None:
    materials_open(order=t.order, now=t.now)


# --- panels ------------------------------------------------------------------------------


def _order_panel(order, user):
    """The order page's production section, from the day the order could need
    materials: plan, slips, progress per workshop, anomalies, materials."""
    if order.stage in (Stage.DRAFT, Stage.DECLINED):
        return None
    section = selectors.production_section(order)
    # a plan change is read by production's readers and the order's salesperson
    # only, not by everyone who may open the order
    if not may(user, "production.view_order_plan_changes", order):
        section.changes = []
    in_production = order.stage == Stage.PRODUCTION
    if not (section.plans or section.materials or in_production):
        return None
    can_plan = in_production and may(user, "production.manage_plan")
    return {
        "lines_to_plan": selectors.lines_to_plan(order) if can_plan else [],
        "section": section,
        "in_production": in_production,
        "production_due": selectors.production_due(order) if in_production else None,
        "can_plan": can_plan,
        "can_record_materials": may(user, "production.manage_materials"),
        "can_see_slips": may(user, "production.view_plan"),
    }


def _review_panel(order, user):
    if order.stage != Stage.REVIEW:
        return None
    return {"load": selectors.production_load(), "strip": workshop_loads()}


# --- due items ----------------------------------------------------------------------------


def _slip_item(slip) -> registry.DueItem:
    return registry.DueItem(
        order_id=slip.plan.order_id,
        source="dispatch_slip",
        what=_("%(slip)s %(workshop)s %(operation)s")
        % {
            "slip": slip.number,
            "workshop": slip.workshop.name,
            "operation": slip.get_operation_display(),
        },
        # now due: what reminders chase (a plan change moves it); first committed,
        # or an earlier date a change asked for: what lateness counts against
        due_date=slip.due_date,
        committed_date=slip.late_from,
        department_id=slip.workshop_id,
        done_at=slip.done_at,
        stage=Stage.PRODUCTION,
        object_id=slip.pk,
    )


def _slips_for(order) -> list[registry.DueItem]:
    if order.stage in selectors.PLANNING_STAGES:
        return []
    return [
        _slip_item(slip)
        for slip in selectors.order_slips(order)
        if slip.plan.status == ProductionPlan.Status.ISSUED
    ]


def _open_slips():
    for slip in DispatchSlip.objects.filter(
        status__in=selectors.OPEN_SLIP,
        plan__status=ProductionPlan.Status.ISSUED,
        plan__order__stage=Stage.PRODUCTION,
    ).select_related("plan", "workshop"):
        yield _slip_item(slip)


def _open_slip_rows(until):
    """The same slips as `_open_slips`, due on or before `until`, as one query
    (orders.registry.DUE_ROW); the committed date is the slip's `late_from`."""
    return DispatchSlip.objects.filter(
        status__in=selectors.OPEN_SLIP,
        plan__status=ProductionPlan.Status.ISSUED,
        plan__order__stage=Stage.PRODUCTION,
        due_date__lte=until,
    ).values(
        "due_date",
        object_id=F("pk"),
        order_id=F("plan__order_id"),
        order_number=F("plan__order__number"),
        committed_date=Least(Coalesce("committed_due_date", "due_date"), "due_date"),
        user_id=Value(None, output_field=IntegerField()),
        department_id=F("workshop_id"),
        label=F("number"),
    )


def _purchasing_id():
    from accounts.models import Department
    from orders.stages import MATERIALS_COMMITTED_BY

    return (
        Department.objects.filter(code=MATERIALS_COMMITTED_BY)
        .values_list("pk", flat=True)
        .first()
    )


def _materials_item(row: MaterialRequirement, department_id=None) -> registry.DueItem:
    return registry.DueItem(
        order_id=row.order_id,
        source="materials",
        what=_("Materials ready (备料)"),
        due_date=row.due_date,
        department_id=department_id,
        user_id=row.updated_by_id if row.is_ready else None,
        done_at=row.ready_at,
        stage=Stage.DRAWING,
        object_id=row.order_id,
    )


def _open_materials_rows(until):
    """The same milestones as `_open_materials`, due on or before `until`, as one
    query (orders.registry.DUE_ROW)."""
    return (
        selectors.materials_open()
        .filter(due_date__lte=until)
        .values(
            "due_date",
            "order_id",
            object_id=F("order_id"),
            order_number=F("order__number"),
            committed_date=F("due_date"),
            user_id=Value(None, output_field=IntegerField()),
            department_id=Value(_purchasing_id(), output_field=IntegerField()),
            label=Value(""),
        )
    )


def _materials_for(order) -> list[registry.DueItem]:
    row = selectors.order_materials(order)
    return [_materials_item(row, row.purchasing_id)] if row else []


def _open_materials():
    department_id = _purchasing_id()
    for row in selectors.materials_open():
        yield _materials_item(row, department_id)


PRODUCTION_DONE = registry.Move(
    MOVE,
    _("Production complete"),
    frozenset({Stage.PRODUCTION}),
    Stage.INSPECTION,
    "orders.complete_production",
    rule="orders.complete_production",
    app=APP,
)


# --- line quantities ------------------------------------------------------------------


def _line_quantities(order) -> dict:
    """Each line's planned and produced pieces and the shortfall the planner closed
    (production.selectors.line_output), from the day the order is in production."""
    stage = order.held_stage if order.stage == Stage.ON_HOLD else order.stage
    if stage not in selectors.PRODUCED_STAGES:
        return {}
    return {
        row.line.pk: {
            "planned": row.planned,
            "produced": row.produced,
            "closed_short": row.closed_short,
        }
        for row in selectors.line_output(order)
    }


LINE_QUANTITIES = registry.LineQuantitySource(
    "production",
    APP,
    (
        registry.LineQuantity("planned", pgettext_lazy("line quantity", "planned"), 20),
        registry.LineQuantity(
            "produced", pgettext_lazy("line quantity", "produced"), 30
        ),
        registry.LineQuantity(
            "closed_short", pgettext_lazy("line quantity", "closed short"), 35
        ),
    ),
    _line_quantities,
    doc=_(
        "planned: the plans not closed; produced: the good pieces of the plans' last "
        "operation, make-up slips included; closed short: what the planner closed "
        "with a reason"
    ),
)


def register() -> None:
    # who may do production's work: its permissions, granted to the company's roles,
    # and its entries in the menu
    grant(APP, roles.GRANTS)
    for item in navigation.ITEMS:
        register_nav(item)
    # its move, and the actions it performs inside the stages
    registry.move(PRODUCTION_DONE)
    register_actions()
    registry.line_quantity_source(LINE_QUANTITIES)
    registry.precondition(
        MOVE,
        app=APP,
        doc=_(
            "every line of the order planned, every dispatch slip of its issued plans "
            "finished, and every line produced in full — the good pieces of its last "
            "operation, make-up slips included — or short by what the planner closed "
            "with a reason; made automatically by the report or the close that "
            "completes it"
        ),
    )(production_refusal)
    registry.effect(MOVE, app=APP, doc=_("tells the QC inspectors, in their inbox"))(
        tell_quality
    )
    for move in ("accept", "accept_direct"):
        registry.effect(
            move,
            app=APP,
            doc=_("opens the order's materials record (备料) with purchasing's date"),
        )(open_materials)
    register_event_types()
    register_queues()
    registry.panel(
        registry.Panel(
            "production",
            registry.ORDER_PAGE,
            "production/_order_panel.html",
            _order_panel,
            position=40,
            app=APP,
        )
    )
    registry.panel(
        registry.Panel(
            "production_load",
            registry.REVIEW_SHEET,
            "production/_review_panel.html",
            _review_panel,
            position=40,
            app=APP,
        )
    )
    registry.due_source(
        registry.DueSource(
            "dispatch_slip",
            _("dispatch slip"),
            Stage.PRODUCTION,
            APP,
            _slips_for,
            _open_slips,
            open_rows=_open_slip_rows,
            doc=_(
                "each slip of an issued plan: its workshop answers for it by the "
                "slip's date; done when finished or closed"
            ),
        )
    )
    # Replaces orders' own "materials" source (same key, registered after it: the
    # apps are ready in INSTALLED_APPS order): production records when materials are
    # ready, so the milestone closes then.
    registry.due_source(
        registry.DueSource(
            "materials",
            _("materials (备料)"),
            Stage.DRAWING,
            APP,
            _materials_for,
            _open_materials,
            open_rows=_open_materials_rows,
            doc=_(
                "purchasing's committed days after the review's conclusion; runs "
                "beside the drawings; done when purchasing records the materials ready"
            ),
        ),
        override=True,
    )
    # its part of the demo data and of the scale data
    seeds.demo(APP, "production.demo.seed_production", position=40)
    seeds.scale(APP, "production.scale.seed_scale_production", position=40)
