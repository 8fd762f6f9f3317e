"""production's "what needs whom now" queues (core.queues), registered from
ProductionConfig.ready().

- purchasing: the orders whose materials are not ready, by the date purchasing
  committed on the review sheet;
- the planner: orders in production awaiting a plan (or its review); anomalies
  (with the production manager); slips past their date (with the production
  manager);
- the reviewer (the production manager): submitted plans to review and issue;
- each workshop lead: their workshop's open slips, the ones that may start first,
  then by date;
- the plan's distribution list (QC, technical, cutting, maintenance, line): issued
  plans to sign for.

A row is one thing to do (an order, a slip, an anomaly); one person never finds the
same row in two queues: a late slip with an open anomaly is under "anomalies", a
plan whose workshop also has a slip reaches the lead through the slip.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.db.models import (
    DateField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Least, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import has_role_perm
from core.queues import Queue, QueueItem, register
from orders.models import Order, OrderLine
from orders.stages import Stage

from .models import (
    DISTRIBUTED_TO,
    DispatchSlip,
    PlanChange,
    PlanReceipt,
    ProductionPlan,
    SlipReport,
)
from .selectors import OPEN_SLIP, materials_open, short_slips, waits_for_earlier


def _holds(permission):
    return lambda user: has_role_perm(user, permission)


def _slips_url(show: str):
    def url(user) -> str:
        return f"{reverse('production:slips')}?show={show}"

    return url


def _orders_url(key: str):
    def url(user) -> str:
        return f"{reverse('orders:list')}?queue={key}"

    return url


# --- purchasing: materials due ------------------------------------------------------------


def _materials_rows(user) -> QuerySet:
    return (
        materials_open()
        .select_related("order__customer")
        .annotate(due=F("due_date"))
        .order_by(F("due").asc(nulls_last=True), "order__number")
    )


def _materials_item(row, calendar) -> QueueItem:
    what = _("Materials: %(status)s") % {"status": row.get_status_display()}
    if row.expected_date:
        what += " · " + _("expected %(date)s") % {"date": row.expected_date.isoformat()}
    return QueueItem(
        row.order,
        what,
        row.due,
        reverse("production:materials", kwargs={"number": row.order.number}),
    )


# --- the planner: orders awaiting a plan --------------------------------------------------


def _unplanned_lines():
    """The lines of the order (OuterRef) whose ordered quantity the plans not closed
    do not cover yet, by position."""
    planned = (
        ProductionPlan.objects.filter(line=OuterRef("pk"))
        .exclude(status=ProductionPlan.Status.CLOSED)
        .order_by()
        .values("line")
        .annotate(q=Sum("quantity"))
        .values("q")
    )
    return (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .annotate(planned=Coalesce(Subquery(planned), Value(Decimal(0))))
        .filter(quantity__gt=F("planned"))
        .order_by("position")
    )


def _plan_rows(user) -> QuerySet:
    """Orders in production with a plan in draft, or a line not planned in full:
    the order stays here until every line is (one issued plan is not enough)."""
    draft = ProductionPlan.objects.filter(
        order=OuterRef("pk"), status=ProductionPlan.Status.DRAFT
    ).order_by("id")
    unplanned = _unplanned_lines()
    return (
        Order.objects.filter(stage=Stage.PRODUCTION)
        .filter(Exists(draft) | Exists(unplanned))
        .annotate(
            draft_plan=Subquery(draft.values("number")[:1]),
            unplanned_line=Subquery(unplanned.values("pk")[:1]),
            unplanned_position=Subquery(unplanned.values("position")[:1]),
            any_plan=Exists(ProductionPlan.objects.filter(order=OuterRef("pk"))),
            due=F("due_date"),
        )
        .select_related("customer")
        .order_by(F("due").asc(nulls_last=True), "number")
    )


def _plan_item(order, calendar) -> QueueItem:
    if order.draft_plan:
        what = _("Submit plan %(plan)s for review (draft)") % {"plan": order.draft_plan}
        url = reverse("production:plan", kwargs={"number": order.draft_plan})
    else:
        url = reverse("production:plan_create", kwargs={"number": order.number})
        url += f"?line={order.unplanned_line}"
        if order.any_plan:
            what = _("Plan the rest of line %(line)s") % {
                "line": order.unplanned_position
            }
        else:
            what = _("Make the production plan")
    return QueueItem(order, what, order.due, url)


# --- the planner: short slips to make up or close ------------------------------------


def _shortfall_rows(user) -> QuerySet:
    return (
        short_slips(DispatchSlip.objects.filter(plan__order__stage=Stage.PRODUCTION))
        .annotate(due=Cast(TruncDate("done_at"), DateField()))
        .select_related("plan__order__customer", "workshop")
        .order_by("done_at", "number")
    )


def _shortfall_item(slip, calendar) -> QueueItem:
    return QueueItem(
        slip.plan.order,
        _(
            "Short: %(slip)s %(workshop)s %(operation)s, %(good)s good of "
            "%(quantity)s — make up or close %(left)s"
        )
        % {
            "slip": slip.number,
            "workshop": slip.workshop.name,
            "operation": slip.get_operation_display(),
            "good": slip.good_qty,
            "quantity": slip.quantity,
            "left": slip.left,
        },
        slip.due,
        slip.get_absolute_url() + "#shortfall",
    )


# --- the planner and the production manager: anomalies ------------------------------------


def _open_anomalies():
    return SlipReport.objects.filter(anomaly=True, handled_at__isnull=True)


def _anomaly_rows(user) -> QuerySet:
    return (
        _open_anomalies()
        .select_related("slip__plan__order__customer", "slip__workshop")
        .annotate(due=Cast(TruncDate("reported_at"), DateField()))
        .order_by("reported_at", "id")
    )


def _anomaly_item(report, calendar) -> QueueItem:
    slip = report.slip
    return QueueItem(
        slip.plan.order,
        _("Anomaly on %(slip)s (%(workshop)s): %(cause)s")
        % {
            "slip": slip.number,
            "workshop": slip.workshop.name,
            "cause": report.get_cause_display(),
        },
        report.due,
        slip.get_absolute_url() + "#anomalies",
    )


# --- the planner: late slips ---------------------------------------------------------------


def _late_rows(user) -> QuerySet:
    anomaly = _open_anomalies().filter(slip=OuterRef("pk"))
    # Late against the date first committed (or an earlier one a change asked
    # for): a plan change to a later date does not excuse it.
    return (
        DispatchSlip.objects.annotate(
            due=Least("due_date", Coalesce("committed_due_date", "due_date"))
        )
        .filter(
            status__in=OPEN_SLIP,
            plan__status=ProductionPlan.Status.ISSUED,
            plan__order__stage=Stage.PRODUCTION,
            due__lt=timezone.localdate(),
        )
        .exclude(Exists(anomaly))
        .select_related("plan__order__customer", "workshop")
        .order_by("due", "number")
    )


def _late_item(slip, calendar) -> QueueItem:
    return QueueItem(
        slip.plan.order,
        _("Late: %(slip)s %(workshop)s %(operation)s, %(good)s of %(quantity)s")
        % {
            "slip": slip.number,
            "workshop": slip.workshop.name,
            "operation": slip.get_operation_display(),
            "good": slip.good_qty,
            "quantity": slip.quantity,
        },
        slip.due,
        slip.get_absolute_url(),
    )


# --- each workshop lead: their slips ---------------------------------------------------------


def _leads(user) -> bool:
    return (
        has_role_perm(user, "production.report_slips")
        and user.department_id is not None
    )


def _my_slip_rows(user) -> QuerySet:
    return (
        DispatchSlip.objects.filter(
            workshop_id=user.department_id,
            status__in=OPEN_SLIP,
            plan__status=ProductionPlan.Status.ISSUED,
            # an order on hold or cancelled takes no report: its slips wait off
            # the workbench
            plan__order__stage=Stage.PRODUCTION,
        )
        .select_related("plan__order__customer", "workshop")
        .annotate(blocked=waits_for_earlier(), due=F("due_date"))
        .order_by("blocked", "due_date", "number")
    )


def _my_slip_item(slip, calendar) -> QueueItem:
    values = {
        "slip": slip.number,
        "operation": slip.get_operation_display(),
        "good": slip.good_qty,
        "quantity": slip.quantity,
    }
    if slip.status == DispatchSlip.Status.STARTED:
        what = _("Report on %(slip)s %(operation)s: %(good)s of %(quantity)s") % values
    elif slip.blocked and slip.override_at is None:
        what = (
            _(
                "%(slip)s %(operation)s × %(quantity)s: waiting for the previous operation"
            )
            % values
        )
    else:
        what = _("Start %(slip)s %(operation)s × %(quantity)s") % values
    return QueueItem(slip.plan.order, what, slip.due, slip.get_absolute_url())


# --- the distribution list: issued plans to sign for ----------------------------------------


def _receives(user) -> bool:
    if not has_role_perm(user, "production.receive_plan") or not user.department_id:
        return False
    return getattr(user.department, "code", None) in DISTRIBUTED_TO


def _receive_rows(user) -> QuerySet:
    signed = PlanReceipt.objects.filter(
        plan=OuterRef("pk"), department_id=user.department_id
    )
    own_slip = DispatchSlip.objects.filter(
        plan=OuterRef("pk"), workshop_id=user.department_id
    )
    return (
        ProductionPlan.objects.filter(
            status=ProductionPlan.Status.ISSUED, order__stage=Stage.PRODUCTION
        )
        .exclude(Exists(signed))
        .exclude(Exists(own_slip))
        .select_related("order__customer")
        .annotate(due=F("planned_start"))
        .order_by("planned_start", "number")
    )


def _receive_item(plan, calendar) -> QueueItem:
    return QueueItem(
        plan.order,
        _("Sign for production plan %(plan)s (%(model)s × %(quantity)s)")
        % {
            "plan": plan.number,
            "model": plan.model_code,
            "quantity": _plain(plan.quantity),
        },
        plan.due,
        reverse("production:plan_print", kwargs={"number": plan.number}),
    )


# --- the reviewer (the production manager): plans to review and issue ----------------------


def _review_rows(user) -> QuerySet:
    return (
        ProductionPlan.objects.filter(
            status=ProductionPlan.Status.SUBMITTED, order__stage=Stage.PRODUCTION
        )
        # never their own: a plan they prepared is another reviewer's
        .exclude(created_by=user)
        .exclude(submitted_by=user)
        .select_related("order__customer", "submitted_by")
        .annotate(due=Cast(TruncDate("submitted_at"), DateField()))
        .order_by("submitted_at", "id")
    )


def _review_item(plan, calendar) -> QueueItem:
    return QueueItem(
        plan.order,
        _("Review plan %(plan)s (%(model)s × %(quantity)s, prepared by %(who)s)")
        % {
            "plan": plan.number,
            "model": plan.model_code,
            "quantity": _plain(plan.quantity),
            "who": plan.submitted_by,
        },
        plan.due,
        plan.get_absolute_url(),
    )


# --- the production manager: plan changes to approve ----------------------------------------


def _change_rows(user) -> QuerySet:
    return (
        PlanChange.objects.filter(status=PlanChange.Status.RAISED)
        .select_related("plan__order__customer", "raised_by")
        .annotate(due=Cast(TruncDate("raised_at"), DateField()))
        .order_by("raised_at", "id")
    )


def _change_item(change, calendar) -> QueueItem:
    return QueueItem(
        change.plan.order,
        _("Approve plan change %(change)s of %(plan)s (raised by %(who)s)")
        % {
            "change": change.number,
            "plan": change.plan.number,
            "who": change.raised_by,
        },
        change.due,
        change.get_absolute_url(),
    )


def _plain(value) -> str:
    from core.money import plain

    return plain(value)


QUEUES = (
    Queue(
        "plans_to_review",
        gettext_lazy("Production plans to review (审核)"),
        _holds("production.review_plans"),
        _review_rows,
        _review_item,
        lambda user: f"{reverse('production:plans')}?status=submitted",
        position=88,
        order_field="order",
    ),
    Queue(
        "plan_changes",
        gettext_lazy("Plan changes awaiting approval"),
        _holds("production.approve_plan_changes"),
        _change_rows,
        _change_item,
        lambda user: f"{reverse('production:plan_changes')}?status=raised",
        position=89,
        order_field="plan__order",
    ),
    Queue(
        "materials_due",
        gettext_lazy("Materials due (备料)"),
        _holds("production.manage_materials"),
        _materials_rows,
        _materials_item,
        _orders_url("materials_due"),
        position=85,
        order_field="order",
    ),
    Queue(
        "production_plans",
        gettext_lazy("Orders awaiting a production plan"),
        _holds("production.manage_plans"),
        _plan_rows,
        _plan_item,
        _orders_url("production_plans"),
        position=90,
    ),
    Queue(
        "production_shortfalls",
        gettext_lazy("Short slips to make up or close"),
        _holds("production.manage_plans"),
        _shortfall_rows,
        _shortfall_item,
        _slips_url("short"),
        position=90,
        order_field="plan__order",
    ),
    Queue(
        "production_anomalies",
        gettext_lazy("Anomalies reported from the workshops"),
        _holds("production.handle_anomalies"),
        _anomaly_rows,
        _anomaly_item,
        _slips_url("anomalies"),
        position=91,
        order_field="slip__plan__order",
    ),
    Queue(
        "late_slips",
        gettext_lazy("Late dispatch slips"),
        # the planner chases them; the production manager sees them too
        lambda user: (
            has_role_perm(user, "production.manage_plans")
            or has_role_perm(user, "production.review_plans")
        ),
        _late_rows,
        _late_item,
        _slips_url("late"),
        position=92,
        order_field="plan__order",
    ),
    Queue(
        "my_slips",
        gettext_lazy("My workshop's dispatch slips"),
        _leads,
        _my_slip_rows,
        _my_slip_item,
        _slips_url("open"),
        position=93,
        order_field="plan__order",
    ),
    Queue(
        "plans_to_receive",
        gettext_lazy("Production plans issued to my department"),
        _receives,
        _receive_rows,
        _receive_item,
        lambda user: reverse("production:plans"),
        position=94,
        order_field="order",
    ),
)


def register_all() -> None:
    for queue in QUEUES:
        register(replace(queue, app="production"))
