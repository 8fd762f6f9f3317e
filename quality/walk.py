"""Everything quality brings to the walk, registered from QualityConfig.ready() —
no line of `orders` or `production` names it:

- its permissions granted to the roles (quality.roles) and its menu entry;
- its move `inspection_passed` (质检 → 交付), its precondition (every line
  accepted, or short only by what the customer agreed to; no nonconformance open)
  and its effect (the warehouse told); the actions it performs (quality.actions);
- a hold on production's reports: a slip whose routing step asks for a
  first-article check (首件检验) waits for it before further reports;
- its event types (quality.events) and its queues: the QC workbench's and the
  production manager's nonconformances waiting for rework;
- its section of the order page;
- its due items: the final inspection of each line and each nonconformance;
- its columns of each order line's quantities (positions 40–59);
- its part of the demo and of the scale data.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem
from accounts.navigation import register as register_nav
from accounts.permissions import has_role_perm, may
from accounts.roles import ROLE_BY_CODE, grant
from core import queues, seeds
from core.submissions import new_form_token
from notifications.services import notify
from orders import registry
from orders.stages import Stage

from . import roles, selectors
from .actions import register as register_actions
from .events import APP, MOVE, register_event_types
from .models import Nonconformance
from .services import inspection_refusal

# --- the move and its effects ---------------------------------------------------------


def tell_warehouse(t) -> None:
    people = [
        u
        for u in get_user_model()
        .objects.filter(
            is_active=True, groups__name=ROLE_BY_CODE["warehouse"].group_name
        )
        .distinct()
    ]
    notify(
        users=people,
        message=_(
            "Order %(number)s passed the final inspection: its goods may go to the "
            "warehouse."
        )
        % {"number": t.order.number},
        link=t.order.get_absolute_url(),
        kind="inspection_passed",
    )


INSPECTION_PASSED = registry.Move(
    MOVE,
    _("Final inspection passed"),
    frozenset({Stage.INSPECTION}),
    Stage.DELIVERY,
    "orders.pass_inspection",
    rule="quality.pass_order",
    app=APP,
)


# --- a hold on production's reports -----------------------------------------------------


def first_article_hold(order, *, action, slip=None, **context):
    """Reports on a slip whose routing step asks for a first-article check wait
    for it to pass (production asks this through orders.registry)."""
    if slip is None or not selectors.waits_for_first_article(slip):
        return None
    return gettext(
        "Slip %(slip)s waits for its first-article check (首件检验): QC inspects "
        "the first piece before the batch goes on."
    ) % {"slip": slip.number}


# --- the order page ---------------------------------------------------------------------


def _order_panel(order, user):
    stage = order.held_stage if order.stage == Stage.ON_HOLD else order.stage
    # from the final inspection on (a process check in production is read on the
    # slip's inspection pages): an order in production pays no query here
    if stage not in selectors.QUALITY_STAGES or stage == Stage.PRODUCTION:
        return None
    if not may(user, "quality.view_quality"):
        return None
    inspections = list(selectors.order_inspections(order))
    nonconformances = list(selectors.order_nonconformances(order))
    if not (inspections or nonconformances or stage == Stage.INSPECTION):
        return None
    in_inspection = order.stage == Stage.INSPECTION
    return {
        "inspections": inspections,
        "nonconformances": nonconformances,
        "in_inspection": in_inspection,
        "can_inspect": in_inspection and may(user, "quality.inspect"),
        "can_pass": in_inspection and may(user, "quality.pass_order", order),
        "refusal": inspection_refusal(order) if in_inspection else None,
        "pass_token": new_form_token(),
    }


# --- queues -------------------------------------------------------------------------------


def _holds(permission):
    return lambda user: has_role_perm(user, permission)


def _order_item(order, calendar):
    return queues.QueueItem(
        order,
        gettext("Final inspection (终检)"),
        order.due_date,
        reverse("quality:inspect", kwargs={"number": order.number}),
    )


def _slip_item(what):
    def item(slip, calendar):
        return queues.QueueItem(
            slip.plan.order,
            f"{what} · {slip.number} {slip.workshop.name} "
            f"{slip.get_operation_display()}",
            slip.due_date,
            reverse("quality:inspect_slip", kwargs={"number": slip.number}),
        )

    return item


def _nc_item(what):
    def item(nc, calendar):
        return queues.QueueItem(
            nc.order,
            f"{what} · {nc.number} × {nc.quantity}",
            timezone.localdate(nc.opened_at) + timedelta(days=3),
            nc.get_absolute_url(),
        )

    return item


def _reinspect_item(nc, calendar):
    return queues.QueueItem(
        nc.order,
        gettext("Re-inspect the rework of %(nc)s") % {"nc": nc.number},
        nc.rework_slip.due_date,
        reverse("quality:inspect", kwargs={"number": nc.order.number})
        + f"?line={nc.line_id}&nc={nc.number}",
    )


def _list(show: str):
    return lambda user: f"{reverse('quality:workbench')}#{show}"


QUEUES = (
    queues.Queue(
        "qc_final",
        _("Orders waiting for the final inspection (终检)"),
        _holds("quality.inspect"),
        lambda user: selectors.orders_to_inspect(),
        _order_item,
        _list("final"),
        position=95,
    ),
    queues.Queue(
        "qc_process",
        _("Finished slips for a process check (过程检验)"),
        _holds("quality.inspect"),
        lambda user: selectors.process_check_slips(),
        _slip_item(_("Process check")),
        _list("process"),
        position=96,
        order_field="plan__order",
    ),
    queues.Queue(
        "qc_first_article",
        _("Slips waiting for a first-article check (首件检验)"),
        _holds("quality.inspect"),
        lambda user: selectors.first_article_slips(),
        _slip_item(_("First-article check")),
        _list("first_article"),
        position=97,
        order_field="plan__order",
    ),
    queues.Queue(
        "qc_reinspect",
        _("Reworked pieces to re-inspect (复检)"),
        _holds("quality.inspect"),
        lambda user: selectors.reworked_to_reinspect(),
        _reinspect_item,
        _list("reinspect"),
        position=98,
        order_field="order",
    ),
    queues.Queue(
        "qc_nonconformances",
        _("Nonconformances to describe and send for review"),
        _holds("quality.inspect"),
        lambda user: selectors.open_nonconformances().filter(
            status=Nonconformance.Status.OPEN
        ),
        _nc_item(_("Describe")),
        _list("nonconformances"),
        position=99,
        order_field="order",
    ),
    queues.Queue(
        "nc_to_sign",
        _("Nonconformances to sign (不合格品评审)"),
        _holds("quality.sign_nonconformance"),
        selectors.to_sign,
        _nc_item(_("Sign")),
        _list("nonconformances"),
        position=100,
        order_field="order",
    ),
    queues.Queue(
        "nc_rework",
        _("Nonconformances waiting for rework (返工)"),
        # the planner makes the slip; the production manager sees them waiting
        lambda user: (
            has_role_perm(user, "production.manage_plans")
            or has_role_perm(user, "production.add_rework_slips")
            or has_role_perm(user, "production.review_plans")
        ),
        lambda user: selectors.waiting_for_rework(),
        _nc_item(_("Make the rework slip")),
        _list("nonconformances"),
        position=101,
        order_field="order",
    ),
    queues.Queue(
        "nc_consent",
        _("Concessions waiting for the customer's consent"),
        lambda user: may(user, "quality.approve_concession"),
        lambda user: selectors.open_nonconformances().filter(
            status=Nonconformance.Status.DECIDED,
            concession_qty__gt=0,
            consent_at__isnull=True,
        ),
        _nc_item(_("Record the customer's consent")),
        _list("nonconformances"),
        position=102,
        order_field="order",
    ),
)


# --- due items ----------------------------------------------------------------------------

NC_DAYS = 3  # working days a nonconformance takes to be dispositioned


def _quality_id():
    from accounts.models import Department

    return (
        Department.objects.filter(code="quality").values_list("pk", flat=True).first()
    )


def _inspection_due(order):
    row = order.deadlines.filter(stage=Stage.INSPECTION).first()
    return (row.due_date if row else None), (row.completed_at if row else None)


def _nc_item_due(nc) -> registry.DueItem:
    from accounts.workdays import get_calendar

    opened = timezone.localdate(nc.opened_at)
    due = get_calendar().add_working_days(opened, NC_DAYS)
    return registry.DueItem(
        order_id=nc.order_id,
        source="nonconformance",
        what=_("Nonconformance %(nc)s × %(quantity)s")
        % {"nc": nc.number, "quantity": nc.quantity},
        due_date=due,
        department_id=nc.responsible_department_id or _quality_id(),
        done_at=nc.closed_at,
        stage=Stage.INSPECTION,
        object_id=nc.pk,
    )


def _inspections_for(order) -> list[registry.DueItem]:
    if order.stage not in selectors.QUALITY_STAGES or order.stage == Stage.PRODUCTION:
        return []
    due, completed = _inspection_due(order)
    department = _quality_id()
    items = []
    for row in selectors.line_figures(order):
        done = completed
        if done is None and row.covered:
            done = timezone.now()
        items.append(
            registry.DueItem(
                order_id=order.pk,
                source="final_inspection",
                what=_("Final inspection of line %(line)s (%(model)s)")
                % {"line": row.line.position, "model": row.line.model_code},
                due_date=due,
                department_id=department,
                done_at=done,
                stage=Stage.INSPECTION,
                object_id=row.line.pk,
            )
        )
    return items


def _open_inspections():
    from orders.models import Order

    department = _quality_id()
    for order in Order.objects.filter(stage=Stage.INSPECTION).prefetch_related(
        "lines", "deadlines"
    ):
        due = next(
            (d.due_date for d in order.deadlines.all() if d.stage == Stage.INSPECTION),
            None,
        )
        for line in order.lines.all():
            yield registry.DueItem(
                order_id=order.pk,
                source="final_inspection",
                what=_("Final inspection of line %(line)s (%(model)s)")
                % {"line": line.position, "model": line.model_code},
                due_date=due,
                department_id=department,
                stage=Stage.INSPECTION,
                object_id=line.pk,
            )


def _past_production(order) -> bool:
    stage = order.held_stage if order.stage == Stage.ON_HOLD else order.stage
    return stage in selectors.QUALITY_STAGES and stage != Stage.PRODUCTION


def _ncs_for(order) -> list[registry.DueItem]:
    # an order still in production pays no query for them (a process check's
    # nonconformance shows on the workbench and its own page)
    if not _past_production(order):
        return []
    return [
        _nc_item_due(nc)
        for nc in Nonconformance.objects.filter(order=order).exclude(
            status=Nonconformance.Status.WITHDRAWN
        )
    ]


def _open_ncs():
    for nc in selectors.open_nonconformances():
        yield _nc_item_due(nc)


# --- line quantities ------------------------------------------------------------------

COLUMNS = (
    ("inspected", pgettext_lazy("line quantity", "inspected"), 40),
    ("passed", pgettext_lazy("line quantity", "passed"), 42),
    ("failed", pgettext_lazy("line quantity", "failed"), 44),
    ("rework", pgettext_lazy("line quantity", "in rework"), 46),
    ("re_inspected", pgettext_lazy("line quantity", "re-inspected"), 48),
    ("re_passed", pgettext_lazy("line quantity", "re-passed"), 50),
    ("scrapped", pgettext_lazy("line quantity", "scrapped"), 52),
    ("conceded", pgettext_lazy("line quantity", "conceded"), 54),
    ("accepted", pgettext_lazy("line quantity", "accepted"), 58),
)


def _line_quantities(order) -> dict:
    stage = order.held_stage if order.stage == Stage.ON_HOLD else order.stage
    if stage not in selectors.QUALITY_STAGES or stage == Stage.PRODUCTION:
        return {}
    return {
        row.line.pk: {code: getattr(row, code) for code, _label, _p in COLUMNS}
        for row in selectors.line_figures(order, produced=False)
    }


LINE_QUANTITIES = registry.LineQuantitySource(
    "quality",
    APP,
    tuple(registry.LineQuantity(code, label, p) for code, label, p in COLUMNS),
    _line_quantities,
    doc=_(
        "inspected, passed, failed: the first-pass final inspections; in rework, "
        "scrapped, conceded: the nonconformances' dispositions; re-inspected, "
        "re-passed: the reworked pieces inspected again; accepted = passed + "
        "re-passed + conceded"
    ),
)

NAVIGATION = (
    NavItem(
        "quality",
        _("Quality (质检)"),
        "quality:workbench",
        "fa-magnifying-glass",
        ("quality.inspect", "quality.view_quality"),
        position=260,
        app=APP,
    ),
)


def register() -> None:
    # who may do quality's work, and its menu entry
    grant(APP, roles.GRANTS)
    for item in NAVIGATION:
        register_nav(item)
    # its move and the actions it performs inside the stages
    registry.move(INSPECTION_PASSED)
    register_actions()
    registry.precondition(
        MOVE,
        app=APP,
        doc=_(
            "no nonconformance of the order open, and every line accepted in full — "
            "passed, re-passed after rework and conceded pieces — or short only by "
            "scrapped pieces whose shortfall the customer agreed to (recorded with "
            "their document)"
        ),
    )(inspection_refusal)
    registry.effect(MOVE, app=APP, doc=_("tells the warehouse, in its inbox"))(
        tell_warehouse
    )
    registry.action_check(
        "production.report",
        app=APP,
        doc=_(
            "a slip whose routing step asks for a first-article check waits for it "
            "to pass before further reports"
        ),
    )(first_article_hold)
    register_event_types()
    for queue in QUEUES:
        queues.register(replace(queue, app=APP))
    registry.panel(
        registry.Panel(
            "quality",
            registry.ORDER_PAGE,
            "quality/_order_panel.html",
            _order_panel,
            position=50,
            app=APP,
        )
    )
    registry.due_source(
        registry.DueSource(
            "final_inspection",
            _("final inspection"),
            Stage.INSPECTION,
            APP,
            _inspections_for,
            _open_inspections,
            doc=_(
                "each line of an order in inspection: the quality department "
                "answers for it by the stage's date; done when the line is accepted"
            ),
        )
    )
    registry.due_source(
        registry.DueSource(
            "nonconformance",
            _("nonconformance"),
            Stage.INSPECTION,
            APP,
            _ncs_for,
            _open_ncs,
            doc=_(
                "each nonconformance: the party responsible answers for it within "
                "three working days of its opening; done when it closes"
            ),
        )
    )
    registry.line_quantity_source(LINE_QUANTITIES)
    seeds.demo(APP, "quality.demo.seed_quality", position=50)
    seeds.scale(APP, "quality.scale.seed_scale_quality", position=50)
