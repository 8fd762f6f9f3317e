"""Reads. Which orders a user may see, the filtered list, the order page, and each
role's "what needs me now" queue — each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Department
from accounts.permissions import has_role_perm, may
from accounts.workdays import WorkCalendar, get_calendar

from .. import registry
from ..models import (
    ChangeRequest,
    Customer,
    Order,
    OrderEvent,
    OrderLine,
    Product,
    StageDeadline,
)
from ..stages import OPEN, WALK, Stage


def orders_visible_to(user) -> QuerySet[Order]:
    """Sales see their own orders (their department's too, by setting); roles with
    `view_all_orders` see all; anyone else sees none."""
    orders = Order.objects.all()
    if has_role_perm(user, "orders.view_all_orders"):
        return orders
    if has_role_perm(user, "orders.enter_order"):
        mine = Q(salesperson=user)
        if settings.SALES_SEE_DEPARTMENT_ORDERS and user.department_id:
            mine |= Q(sales_department_id=user.department_id)
        return orders.filter(mine)
    return orders.none()


def order_visible_to(user, order: Order) -> bool:
    """The same rule as orders_visible_to, asked of one order without a query."""
    return may(user, "orders.view_order", order)


# What the list shows (of about seventy columns): its rows stay small at any depth.
LIST_COLUMNS = (
    "number",
    "stage",
    "held_stage",
    "order_date",
    "requested_date",
    "due_date",
    "gross_amount",
    "is_important",
    "special_requirements",
    "created_at",
    "customer__name",
    "salesperson__username",
    "salesperson__display_name",
    "salesperson__first_name",
    "salesperson__last_name",
)


def order_list(*, user, filters: dict | None = None) -> tuple[QuerySet[Order], object]:
    from ..filters import OrderFilter

    late = Q(stage__in=OPEN, due_date__lt=timezone.localdate())
    base = (
        orders_visible_to(user)
        .select_related("customer", "salesperson")
        .only(*LIST_COLUMNS)
        .annotate(is_late=ExpressionWrapper(late, output_field=BooleanField()))
    )
    filterset = OrderFilter(filters or None, queryset=base, request=None, user=user)
    return filterset.qs, filterset


def order_for_page(*, user, number: str) -> Order:
    """The order page's order with everything the page shows, prefetched."""
    order = (
        orders_visible_to(user)
        .select_related(
            "customer", "salesperson", "sales_department", "created_by", "copied_from"
        )
        .prefetch_related(
            # The first lines and the latest events only, one more than shown to
            # know whether there are others (orders.panels.order_page).
            Prefetch(
                "lines",
                queryset=OrderLine.objects.order_by("position")[
                    : settings.ORDER_PAGE_LINES + 1
                ],
                to_attr="first_lines",
            ),
            Prefetch(
                "attachments",
                queryset=Order.attachments.rel.related_model.objects.select_related(
                    "uploaded_by"
                ),
            ),
            Prefetch(
                "deadlines", queryset=StageDeadline.objects.select_related("department")
            ),
            Prefetch(
                "change_requests",
                queryset=ChangeRequest.objects.select_related(
                    "requested_by", "manager_approved_by", "gm_approved_by"
                ),
            ),
        )
        .get(number=number)
    )
    # The latest events, one more than shown to know whether there are others
    # (orders.panels.order_page) — those the user may read.
    order.latest_events = list(
        events_readable_by(user, order)
        .select_related("user", "on_behalf_of")
        .order_by("-created_at", "-id")[: settings.ORDER_PAGE_EVENTS + 1]
    )
    return order


def hidden_event_types(user, order: Order) -> list[str]:
    """The kinds of the order's history line the user may not read: their subject
    is not theirs to read (a plan change is production's and the order's
    salesperson's), whoever else may read the order (registry.EventType)."""
    return [
        t.code
        for t in registry.guarded_event_types()
        if not may(user, t.readable_by, order)
    ]


def events_readable_by(user, order: Order) -> QuerySet[OrderEvent]:
    """The order's history lines the user may read."""
    events = OrderEvent.objects.filter(order=order)
    hidden = hidden_event_types(user, order)
    return events.exclude(type__in=hidden) if hidden else events


def readable(user, order: Order, events) -> list[OrderEvent]:
    """Of the given history lines of the order, those the user may read."""
    hidden = set(hidden_event_types(user, order))
    return [event for event in events if event.type not in hidden]


def events_before(order: Order, before_id: int, size: int, *, user) -> list[OrderEvent]:
    """The `size` + 1 events before event `before_id` of the order, newest first
    (the order page's "earlier history"), of those the user may read."""
    before = OrderEvent.objects.filter(order=order, pk=before_id).first()
    if before is None:
        return []
    older = Q(created_at__lt=before.created_at) | Q(
        created_at=before.created_at, pk__lt=before.pk
    )
    return list(
        events_readable_by(user, order)
        .filter(older)
        .select_related("user", "on_behalf_of")
        .order_by("-created_at", "-id")[: size + 1]
    )


def lines_after(order: Order, position: int, size: int) -> list:
    """The `size` + 1 lines of the order after `position` (the order page's "more
    lines")."""
    return list(
        OrderLine.objects.filter(order=order, position__gt=position).order_by(
            "position"
        )[: size + 1]
    )


@dataclass
class TrackerRow:
    stage: str
    label: object
    department: Department | None
    due_date: date | None
    started_at: object
    completed_at: object
    is_current: bool
    is_late: bool
    days_late: int
    # The stage's own due items (sign-offs, milestones …: orders.registry).
    items: list = field(default_factory=list)


def stage_tracker(
    order: Order, calendar: WorkCalendar | None = None, due_items=()
) -> list[TrackerRow]:
    """Every stage of the walk with its due date (the stage deadline rows alone),
    actual dates, lateness and its due items. Uses the prefetched deadlines; one
    calendar for the whole page."""
    from ..workflow import STAGE_DEPARTMENTS

    calendar = calendar or get_calendar()
    deadlines = {d.stage: d for d in order.deadlines.all()}
    departments = {
        d.code: d
        for d in Department.objects.filter(code__in=set(STAGE_DEPARTMENTS.values()))
    }
    today = timezone.localdate()
    current = order.held_stage or order.stage
    rows = []
    for stage in WALK:
        deadline = deadlines.get(stage)
        due = deadline.due_date if deadline else None
        done = deadline.completed_at if deadline else None
        finished_on = timezone.localdate(done) if done else None
        late_days = 0
        if due:
            late_days = calendar.working_days_between(due, finished_on or today)
        rows.append(
            TrackerRow(
                stage=stage,
                label=Stage(stage).label,
                department=(
                    deadline.department
                    if deadline
                    else departments.get(STAGE_DEPARTMENTS.get(stage))
                ),
                due_date=due,
                started_at=deadline.started_at if deadline else None,
                completed_at=done,
                is_current=stage == current,
                is_late=late_days > 0 and (done is not None or stage == current),
                days_late=max(late_days, 0),
                items=[i for i in due_items if i.stage == stage],
            )
        )
    return rows


# --- autocomplete ----------------------------------------------------------------------


def customer_search(*, query: str, limit: int = 20) -> QuerySet[Customer]:
    query = (query or "").strip()
    customers = Customer.objects.all()
    if query:
        customers = customers.filter(
            Q(name__icontains=query)
            | Q(contact__icontains=query)
            | Q(tax_id__icontains=query)
        )
    return customers.order_by("name")[:limit]


def product_search(*, query: str, limit: int = 20) -> QuerySet[Product]:
    query = (query or "").strip()
    products = Product.objects.filter(is_active=True)
    if query:
        products = products.filter(
            Q(model_code__icontains=query)
            | Q(name__icontains=query)
            | Q(spec__icontains=query)
        )
    return products.order_by("model_code")[:limit]


def salesperson_search(*, query: str, limit: int = 20):
    from django.contrib.auth import get_user_model

    query = (query or "").strip()
    users = (
        get_user_model().objects.filter(is_active=True, orders__isnull=False).distinct()
    )
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(display_name__icontains=query)
        )
    return users.order_by("username")[:limit]
