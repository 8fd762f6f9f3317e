"""交期预警: the early warning when a promised date cannot be met.

The rule: an order is at risk when the working days left between the latest date
something of its current stage is now due (the stage's own due date, an item of
the stage — a dispatch slip's date — or today, whichever is latest) and the
promised date are fewer than the working days still committed to the stages
after it on the review sheet (inspection's and delivery's days, say, while the
order is in production). Working days follow the company calendar
(accounts.workdays: weekends, holidays, make-up days).

Sales then agree a new date with the customer (delivery.services.date_agree):
the promised date moves, and with it the warning; lateness keeps counting against
the date first committed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from orders.models import Order, ReviewSignoff
from orders.stages import STAGE_SPECS, Stage

# The stages whose lateness can still be caught up, and the ones that follow each
# with days committed on the review sheet.
AFTER = {
    Stage.DRAWING: (Stage.PRODUCTION, Stage.INSPECTION, Stage.DELIVERY),
    Stage.PRODUCTION: (Stage.INSPECTION, Stage.DELIVERY),
    Stage.INSPECTION: (Stage.DELIVERY,),
    Stage.DELIVERY: (),
}
WATCHED = frozenset(AFTER)


@dataclass(frozen=True)
class DateRisk:
    """Why the promised date is out of reach: from `anchor` (the latest date now
    due in the current stage) only `left` working days remain until the promised
    date, while the stages after it were committed `needed`."""

    promised: date
    anchor: date
    left: int
    needed: int

    @property
    def short_by(self) -> int:
        return self.needed - self.left


def current_stage(order) -> str:
    return order.held_stage if order.stage == Stage.ON_HOLD else order.stage


def committed_after(days: dict[str, int], stage: str) -> int:
    """The working days the review committed to the stages after `stage`."""
    return sum(days.get(later, 0) for later in AFTER.get(stage, ()))


def days_by_stage(signoffs) -> dict[str, int]:
    """The days each stage was committed, from the review's rows (department code
    → days needed); delivery's from the setting when logistics did not sign."""
    by_code = dict(signoffs)
    days = {
        stage: by_code.get(spec.committed_by) or 0
        for stage, spec in STAGE_SPECS.items()
        if spec.committed_by
    }
    logistics = STAGE_SPECS[Stage.DELIVERY].committed_by
    if logistics not in by_code:
        days[Stage.DELIVERY] = settings.ORDER_DELIVERY_WORKING_DAYS
    return days


def committed_days_of(order_ids) -> dict[int, dict[str, int]]:
    """{order id: {stage: days}} in one query."""
    rows = defaultdict(list)
    for order_id, code, days in ReviewSignoff.objects.filter(
        review__order_id__in=list(order_ids)
    ).values_list("review__order_id", "department__code", "days_needed"):
        rows[order_id].append((code, days or 0))
    return {order_id: days_by_stage(rows.get(order_id, ())) for order_id in order_ids}


def date_risk(
    order,
    calendar,
    *,
    days: dict[str, int],
    today: date | None = None,
    items=(),
) -> DateRisk | None:
    """The order's risk, or None when its promised date is still reachable.
    `items` are its due items (orders.registry.due_items_for): the open ones of
    the current stage push the anchor."""
    stage = current_stage(order)
    if stage not in WATCHED or order.promised_date is None:
        return None
    today = today or timezone.localdate()
    dates = [today]
    if order.due_date:
        dates.append(order.due_date)
    dates.extend(
        item.due_date
        for item in items
        if item.due_date and item.done_at is None and item.stage == stage
    )
    anchor = max(dates)
    left = calendar.working_days_between(anchor, order.promised_date)
    needed = committed_after(days, stage)
    if left < needed:
        return DateRisk(order.promised_date, anchor, left, needed)
    return None


def at_risk_ids(queryset: QuerySet, calendar, today: date | None = None) -> list[int]:
    """The ids of the orders of `queryset` at risk, by the stage's own due date
    (the workbench's rule: two queries whatever the number of orders). Only
    orders promised within DELIVERY_WARNING_HORIZON_DAYS are weighed: further
    out, the days still committed fit."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.DELIVERY_WARNING_HORIZON_DAYS)
    rows = list(
        queryset.filter(
            stage__in=WATCHED | {Stage.ON_HOLD},
            promised_date__isnull=False,
            promised_date__lte=horizon,
        ).values("pk", "stage", "held_stage", "promised_date", "due_date")
    )
    if not rows:
        return []
    days = committed_days_of([row["pk"] for row in rows])
    found = []
    for row in rows:
        order = Order(
            pk=row["pk"],
            stage=row["stage"],
            held_stage=row["held_stage"],
            promised_date=row["promised_date"],
            due_date=row["due_date"],
        )
        if date_risk(order, calendar, days=days[row["pk"]], today=today):
            found.append(row["pk"])
    return found
