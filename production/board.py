"""Reads of the plan board (计划看板) and the shop-floor screen (车间看板): data only,
each a fixed number of queries whatever the number of plans, slips and reports, and
a bounded number of rows — the board lists each workshop's most urgent slips with a
"more" link (one workshop chosen: a page of them), the screen its first ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from accounts.models import Department
from accounts.workdays import WorkCalendar, get_calendar
from core.pagination import BoundedPaginator

from .filters import BoardFilter
from .load import WorkshopLoad, workshop_loads
from .models import DispatchSlip, ProductionPlan, ScreenLink, SlipReport, late_on
from .selectors import OPEN_SLIP, plan_list, reads_all, slips_visible_to

BOARD_PAGE_SIZE = 25
SCREEN_ROWS = 8
SCREEN_ANOMALIES = 4
SCREEN_DAYS = 5


def board_workshops(user):
    """The workshops whose slips and load the user sees on the board: every one for
    production's readers, their own for a lead."""
    workshops = Department.objects.filter(kind=Department.Kind.WORKSHOP)
    if reads_all(user):
        return workshops
    if user.department_id:
        return workshops.filter(pk=user.department_id)
    return workshops.none()


def _open_anomalies():
    return Coalesce(
        Subquery(
            SlipReport.objects.filter(
                slip=OuterRef("pk"), anomaly=True, handled_at__isnull=True
            )
            .order_by()
            .values("slip")
            .annotate(n=Count("id"))
            .values("n")
        ),
        Value(0),
    )


@dataclass
class BoardSection:
    workshop: Department
    load: WorkshopLoad
    slips: list = field(default_factory=list)
    count: int = 0
    late: int = 0
    anomalies: int = 0

    @property
    def more(self) -> int:
        return max(self.count - len(self.slips), 0)


@dataclass
class Board:
    filter: BoardFilter
    sections: list[BoardSection]
    days: list[date]
    plans: list = field(default_factory=list)
    more_plans: bool = False
    page: object = None  # one workshop chosen: a page of its slips
    chosen: Department | None = None

    @property
    def loads(self) -> list[WorkshopLoad]:
        return [section.load for section in self.sections]


def board(*, user, filters=None, page_number=None) -> Board:
    """Every open slip the user sees (of plans not closed), by workshop, with its
    progress, due date and open anomalies; each workshop's load against its
    capacity; and, for production's readers, the open plans."""
    today = timezone.localdate()
    workshops = board_workshops(user)
    base = (
        slips_visible_to(user)
        .filter(status__in=OPEN_SLIP)
        .exclude(plan__status=ProductionPlan.Status.CLOSED)
    )
    filterset = BoardFilter(filters or None, queryset=base, workshops=workshops)
    slips = filterset.qs
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    chosen = cleaned.get("workshop")
    if chosen is not None:
        ids = [chosen.pk]
    elif reads_all(user):
        ids = None
    else:
        ids = [user.department_id] if user.department_id else []
    loads = workshop_loads(workshop_ids=ids)
    stats = {
        row["workshop_id"]: row
        for row in slips.order_by()
        .values("workshop_id")
        .annotate(n=Count("id"), late=Count("id", filter=late_on(today)))
    }
    anomalies = dict(
        SlipReport.objects.filter(
            slip__in=slips.order_by().values("pk"),
            anomaly=True,
            handled_at__isnull=True,
        )
        .order_by()
        .values("slip__workshop_id")
        .annotate(n=Count("id"))
        .values_list("slip__workshop_id", "n")
    )
    rows = (
        slips.select_related("plan__order__customer", "workshop")
        .annotate(open_anomalies=_open_anomalies())
        .order_by("due_date", "number")
    )
    sections = [
        BoardSection(
            workshop=load.workshop,
            load=load,
            count=stats.get(load.workshop.pk, {}).get("n", 0),
            late=stats.get(load.workshop.pk, {}).get("late", 0),
            anomalies=anomalies.get(load.workshop.pk, 0),
        )
        for load in loads
    ]
    page = None
    if chosen is not None:
        page = BoundedPaginator(rows, BOARD_PAGE_SIZE).get_page(page_number)
        for section in sections:
            section.slips = list(page)
    elif sections:
        limit = settings.PRODUCTION_BOARD_ROWS
        # each workshop's first rows ranked on the slips alone, then read with
        # their order and anomalies: the joins for a few rows, not every open one
        ranked = (
            slips.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("workshop_id")],
                    order_by=[F("due_date").asc(), F("number").asc()],
                )
            )
            .filter(rank__lte=limit)
            .values_list("pk", flat=True)
        )
        first = rows.filter(pk__in=list(ranked)).order_by(
            "workshop_id", "due_date", "number"
        )
        by_workshop: dict[int, list] = {}
        for slip in first:
            by_workshop.setdefault(slip.workshop_id, []).append(slip)
        for section in sections:
            section.slips = by_workshop.get(section.workshop.pk, [])
    plans, more_plans = [], False
    if reads_all(user) and chosen is None:
        # the first plans picked before their slips are counted (only theirs)
        picked = plan_list(user=user, show="open", counts=False)
        if cleaned.get("order"):
            picked = picked.filter(order__number__icontains=cleaned["order"])
        ids = list(
            picked.values_list("pk", flat=True)[: settings.PRODUCTION_BOARD_ROWS + 1]
        )
        plans = list(plan_list(user=user, show="all").filter(pk__in=ids))
        more_plans = len(plans) > settings.PRODUCTION_BOARD_ROWS
        plans = plans[: settings.PRODUCTION_BOARD_ROWS]
        for plan in plans:
            plan.is_late = plan.planned_finish < today
    return Board(
        filter=filterset,
        sections=sections,
        days=[d.day for d in loads[0].days] if loads else [],
        plans=plans,
        more_plans=more_plans,
        page=page,
        chosen=chosen,
    )


# --- the shop-floor screen (车间看板) ---------------------------------------------------


def screen_workshop(code: str) -> Department:
    """The workshop a screen shows, by its code (Department.DoesNotExist if none)."""
    return Department.objects.select_related("capacity").get(
        code=code, kind=Department.Kind.WORKSHOP
    )


def screen_link(token: str) -> ScreenLink | None:
    """The live link a wall TV opened, with its workshop; None for a token that is
    not one, or one revoked (the TV then shows the plain "no longer valid" page)."""
    if not token or len(token) > 64:
        return None
    return (
        ScreenLink.objects.select_related("workshop__capacity")
        .filter(
            token_hash=ScreenLink.hash_token(token),
            revoked_at__isnull=True,
            workshop__kind=Department.Kind.WORKSHOP,
        )
        .first()
    )


def screen_links():
    """Every workshop's live links, and the latest revoked ones, for the page the
    planner and the system administrator keep them on."""
    links = ScreenLink.objects.select_related("workshop", "created_by", "revoked_by")
    live = list(links.filter(revoked_at__isnull=True).order_by("workshop", "-id"))
    revoked = list(links.filter(revoked_at__isnull=False).order_by("-revoked_at")[:20])
    return live, revoked


def planned_percent(slip, today: date, calendar: WorkCalendar) -> int:
    """How far the slip should be by the end of today: the share of its working
    days (from its start, or the day it was made, through its due date) already
    begun."""
    start = slip.start_date or timezone.localdate(slip.created_at)
    if today >= slip.due_date:
        return 100
    if today < start:
        return 0
    total = calendar.working_days_between(start, slip.due_date) + (
        1 if calendar.is_working_day(start) else 0
    )
    gone = calendar.working_days_between(start, today) + (
        1 if calendar.is_working_day(start) else 0
    )
    if total <= 0:
        return 100
    return min(int(gone * 100 / total), 100)


@dataclass
class Screen:
    workshop: Department
    load: WorkshopLoad
    today: date
    slips: list
    count: int
    late: int
    anomalies: list
    open_anomalies: int
    good_today: int

    @property
    def today_load(self):
        return self.load.days[0] if self.load.days else None

    @property
    def more(self) -> int:
        return max(self.count - len(self.slips), 0)


def screen(*, workshop: Department) -> Screen:
    """What the workshop's wall screen shows: the slips on today (started — also
    one started early on the planner's leave, its planned start still ahead — or
    waiting with a start date reached, the late ones first) with their progress
    against plan, the late ones, the open anomalies, the day's good pieces and the
    load of the coming days against capacity."""
    today = timezone.localdate()
    calendar = get_calendar()
    base = DispatchSlip.objects.filter(
        workshop=workshop,
        status__in=OPEN_SLIP,
        plan__status=ProductionPlan.Status.ISSUED,
    ).filter(
        Q(status=DispatchSlip.Status.STARTED)
        | Q(start_date__isnull=True)
        | Q(start_date__lte=today)
    )
    stats = base.order_by().aggregate(
        n=Count("id"), late=Count("id", filter=late_on(today))
    )
    slips = list(
        base.select_related("plan__order__customer")
        .annotate(open_anomalies=_open_anomalies())
        .order_by("due_date", "number")[:SCREEN_ROWS]
    )
    for slip in slips:
        slip.planned = planned_percent(slip, today, calendar)
        slip.behind = slip.percent < slip.planned
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    open_anomaly = Q(anomaly=True, handled_at__isnull=True)
    # The factory's open anomalies and today's reports are few whatever the
    # years behind them (read down their indexes); which of them are this
    # workshop's is asked of their slips by key, not by joining every slip the
    # workshop ever had.
    recent = list(
        SlipReport.objects.filter(open_anomaly | Q(reported_at__gte=midnight))
        # a report taken back (报工撤回) no longer counts
        .filter(reversal__isnull=True)
        .order_by()
        .values_list("pk", "slip_id", "anomaly", "handled_at", "good", "reported_at")
    )
    ours = set(
        DispatchSlip.objects.filter(
            pk__in={r[1] for r in recent}, workshop=workshop
        ).values_list("pk", flat=True)
    )
    recent = [r for r in recent if r[1] in ours]
    open_ids = [r[0] for r in recent if r[2] and r[3] is None]
    good_today = sum(r[4] for r in recent if r[5] >= midnight)
    anomalies = list(
        SlipReport.objects.filter(pk__in=open_ids)
        .select_related("slip")
        .order_by("-reported_at", "-id")[:SCREEN_ANOMALIES]
    )
    load = workshop_loads(workshop_ids=[workshop.pk], days=SCREEN_DAYS)[0]
    return Screen(
        workshop=workshop,
        load=load,
        today=today,
        slips=slips,
        count=stats["n"],
        late=stats["late"],
        anomalies=anomalies,
        open_anomalies=len(open_ids),
        good_today=good_today,
    )
