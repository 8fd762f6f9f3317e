"""orders' due items (orders.registry): what inside a stage has its own due date and
its own responsible party — each department's row of the review sheet, and the
materials milestone (备料) that purchasing committed on it. Reminders and lateness
points read these and the stage deadlines, nothing else."""

from __future__ import annotations

from django.db.models import DateField, F, IntegerField, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.workdays import get_calendar

from .models import ReviewSignoff, StageDeadline
from .registry import DueItem, DueSource, due_source
from .stages import MATERIALS_COMMITTED_BY, Stage


def _review_due(order) -> object:
    deadline = next((d for d in order.deadlines.all() if d.stage == Stage.REVIEW), None)
    return deadline.due_date if deadline else None


def _rows_of(order) -> list:
    """The order's review rows, read once for both sources (one query a page)."""
    rows = getattr(order, "_due_review_rows", None)
    if rows is None:
        rows = list(
            ReviewSignoff.objects.filter(review__order=order).select_related(
                "department", "review"
            )
        )
        order._due_review_rows = rows
    return rows


def _signoffs_for(order) -> list[DueItem]:
    due = _review_due(order)
    rows = _rows_of(order)
    return [
        DueItem(
            order_id=order.pk,
            source="review_signoff",
            what=_("%(department)s signs the review sheet")
            % {"department": row.department.name},
            due_date=due,
            department_id=row.department_id,
            user_id=row.signed_by_id,
            done_at=row.signed_at,
            stage=Stage.REVIEW,
            object_id=row.pk,
        )
        for row in rows
    ]


def _open_signoffs():
    """Unsigned rows of orders at the review, with the review's due date."""
    deadlines = StageDeadline.objects.filter(stage=Stage.REVIEW)
    dues = dict(deadlines.values_list("order_id", "due_date"))
    for row in ReviewSignoff.objects.filter(
        signed_at__isnull=True, review__order__stage=Stage.REVIEW
    ).select_related("review", "department"):
        yield DueItem(
            order_id=row.review.order_id,
            source="review_signoff",
            what=_("%(department)s signs the review sheet")
            % {"department": row.department.name},
            due_date=dues.get(row.review.order_id),
            department_id=row.department_id,
            stage=Stage.REVIEW,
            object_id=row.pk,
        )


def _open_signoff_rows(until):
    """The same items as `_open_signoffs`, due on or before `until`, as one query
    (orders.registry.DUE_ROW)."""
    due = Subquery(
        StageDeadline.objects.filter(
            order_id=OuterRef("review__order_id"), stage=Stage.REVIEW
        ).values("due_date")[:1],
        output_field=DateField(),
    )
    return (
        ReviewSignoff.objects.filter(
            signed_at__isnull=True, review__order__stage=Stage.REVIEW
        )
        .annotate(row_due=due)
        .filter(row_due__lte=until)
        .values(
            "department_id",
            object_id=F("pk"),
            order_id=F("review__order_id"),
            order_number=F("review__order__number"),
            due_date=F("row_due"),
            committed_date=F("row_due"),
            user_id=Value(None, output_field=IntegerField()),
            label=F("department__name"),
        )
    )


def _materials_item(row, calendar) -> DueItem:
    review = row.review
    start = timezone.localdate(review.concluded_at)
    return DueItem(
        order_id=review.order_id,
        source="materials",
        what=_("Materials ready (备料)"),
        due_date=calendar.add_working_days(start, row.days_needed or 0),
        department_id=row.department_id,
        stage=Stage.DRAWING,
        # one milestone per order, whichever app keeps it
        object_id=review.order_id,
    )


def _materials_rows():
    return ReviewSignoff.objects.filter(
        department__code=MATERIALS_COMMITTED_BY,
        days_needed__isnull=False,
        review__concluded_at__isnull=False,
    ).select_related("review")


def _materials_for(order) -> list[DueItem]:
    rows = [
        row
        for row in _rows_of(order)
        if row.department.code == MATERIALS_COMMITTED_BY
        and row.days_needed is not None
        and row.review.concluded_at is not None
    ]
    if not rows:
        return []
    calendar = get_calendar()
    return [_materials_item(row, calendar) for row in rows]


def _open_materials():
    """Until production records the materials as ready, the milestone stays open
    for orders on their way to production."""
    calendar = get_calendar()
    waiting = [Stage.APPROVAL, Stage.QUOTE, Stage.CONTRACT, Stage.DRAWING]
    for row in _materials_rows().filter(review__order__stage__in=waiting):
        yield _materials_item(row, calendar)


def register_due_sources() -> None:
    due_source(
        DueSource(
            "review_signoff",
            _("review sign-off"),
            Stage.REVIEW,
            "orders",
            _signoffs_for,
            _open_signoffs,
            doc=_("each department's row, due with the review itself"),
            open_rows=_open_signoff_rows,
        )
    )
    due_source(
        DueSource(
            "materials",
            _("materials (备料)"),
            Stage.DRAWING,
            "orders",
            _materials_for,
            _open_materials,
            doc=_(
                "purchasing's committed days after the review's conclusion; runs "
                "beside the drawings"
            ),
        )
    )
