"""Everything production brings to the walk, registered from ProductionConfig.ready():
the precondition and effect of its move (production complete), its queue, its
panels on the order page and the review sheet, its event type and its due item."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_role_perm, may
from core.queues import Queue, QueueItem
from core.queues import register as register_queue
from notifications.services import notify
from orders import registry
from orders.models import Order, OrderEvent, StageDeadline
from orders.stages import Stage

from . import selectors
from .services import APP, REPORTED

MOVE = "production_done"


def _reported(order: Order):
    """The reports made since the order last entered its stage."""
    if order.stage_entered_at is None:
        return OrderEvent.objects.none()
    return OrderEvent.objects.filter(
        order=order, type=REPORTED, created_at__gte=order.stage_entered_at
    )


def reported_complete(order: Order):
    if order.stage_entered_at is None or not _reported(order).exists():
        return _("Production has not reported the order complete.")
    return None


def tell_quality(t) -> None:
    from django.contrib.auth import get_user_model

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


# --- the planner's queue ---------------------------------------------------------------


def _rows(user):
    reported = OrderEvent.objects.filter(
        order=OuterRef("pk"),
        type=REPORTED,
        created_at__gte=OuterRef("stage_entered_at"),
    )
    return (
        Order.objects.filter(stage=Stage.PRODUCTION)
        .exclude(Exists(reported))
        .select_related("customer")
        .annotate(due=F("due_date"))
        .order_by(F("due").asc(nulls_last=True), "number")
    )


def _item(order, calendar) -> QueueItem:
    return QueueItem(
        order,
        _("Report production complete when it is"),
        order.due,
        order.get_absolute_url() + "#production",
    )


# --- panels -------------------------------------------------------------------------------


def _order_panel(order, user):
    # Only for an order that has been in production (its deadlines are prefetched
    # on the order page: no query for any other order).
    deadline = next(
        (
            d
            for d in order.deadlines.all()
            if d.stage == Stage.PRODUCTION and d.started_at
        ),
        None,
    )
    if deadline is None:
        return None
    return {
        "production_due": deadline.due_date if deadline else None,
        "reports": selectors.reports_of(order),
        "can_report": order.stage == Stage.PRODUCTION
        and may(user, "production.report_complete", order),
    }


def _review_panel(order, user):
    if order.stage != Stage.REVIEW:
        return None
    return {"load": selectors.production_load()}


# --- the event type and the due item -----------------------------------------------------


def _report_detail(p) -> str:
    return str(p.get("note") or "")


def _items_for(order) -> list[registry.DueItem]:
    deadline = next(
        (d for d in order.deadlines.all() if d.stage == Stage.PRODUCTION), None
    )
    if deadline is None:
        return []
    return [
        registry.DueItem(
            order_id=order.pk,
            source="production_report",
            what=_("Production reported complete"),
            due_date=deadline.due_date,
            department_id=deadline.department_id,
            # the report moves the order on: done when the stage was completed
            done_at=deadline.completed_at,
            stage=Stage.PRODUCTION,
        )
    ]


def _open_items():
    for deadline in StageDeadline.objects.filter(
        stage=Stage.PRODUCTION,
        completed_at__isnull=True,
        order__stage=Stage.PRODUCTION,
    ):
        yield registry.DueItem(
            order_id=deadline.order_id,
            source="production_report",
            what=_("Production reported complete"),
            due_date=deadline.due_date,
            department_id=deadline.department_id,
            stage=Stage.PRODUCTION,
        )


def register() -> None:
    registry.precondition(MOVE, app=APP, doc=_("production reported complete"))(
        reported_complete
    )
    registry.effect(MOVE, app=APP, doc=_("tells the QC inspectors, in their inbox"))(
        tell_quality
    )
    register_queue(
        Queue(
            "production",
            _("Orders in production"),
            lambda user: has_role_perm(user, "orders.complete_production"),
            _rows,
            _item,
            lambda user: f"{reverse('orders:list')}?queue=production",
            position=90,
        )
    )
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
    registry.event_type(
        registry.EventType(
            REPORTED,
            _("reported production complete"),
            app=APP,
            detail=_report_detail,
            reason_label=_("notes"),
        )
    )
    registry.due_source(
        registry.DueSource(
            "production_report",
            _("production report"),
            Stage.PRODUCTION,
            APP,
            _items_for,
            _open_items,
            doc=_("due with the production stage; done when the planner reports"),
        )
    )
