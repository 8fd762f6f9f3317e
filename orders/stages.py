"""The stages of an order's walk (订单流程), with the label and colour the UI shows and
the named groups every query reuses ("which orders are open")."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("stage", "draft")
    REVIEW = "review", pgettext_lazy("stage", "contract review")
    APPROVAL = "approval", pgettext_lazy("stage", "GM approval")
    QUOTE = "quote", pgettext_lazy("stage", "quote")
    CONTRACT = "contract", pgettext_lazy("stage", "contract")
    DRAWING = "drawing", pgettext_lazy("stage", "drawings")
    PRODUCTION = "production", pgettext_lazy("stage", "production")
    INSPECTION = "inspection", pgettext_lazy("stage", "inspection")
    DELIVERY = "delivery", pgettext_lazy("stage", "delivery")
    SETTLEMENT = "settlement", _("invoice and payment")
    COMPLETED = "completed", pgettext_lazy("stage", "completed")
    ON_HOLD = "on_hold", _("on hold (change pending)")
    DECLINED = "declined", pgettext_lazy("stage", "declined")
    CANCELLED = "cancelled", pgettext_lazy("stage", "cancelled")


# The main walk in order; the stage tracker shows these.
WALK = (
    Stage.DRAFT,
    Stage.REVIEW,
    Stage.APPROVAL,
    Stage.QUOTE,
    Stage.CONTRACT,
    Stage.DRAWING,
    Stage.PRODUCTION,
    Stage.INSPECTION,
    Stage.DELIVERY,
    Stage.SETTLEMENT,
    Stage.COMPLETED,
)
CLOSED = frozenset({Stage.COMPLETED, Stage.DECLINED, Stage.CANCELLED})
OPEN = frozenset(set(Stage) - CLOSED)
# Submitted and still moving: what "in progress" means in lists and reports.
IN_PROGRESS = frozenset(OPEN - {Stage.DRAFT})

# Tag colours: grey drafts and closed, blue in progress, green done, orange held.
COLOURS = {
    Stage.DRAFT: "grey",
    Stage.COMPLETED: "green",
    Stage.ON_HOLD: "orange",
    Stage.DECLINED: "grey",
    Stage.CANCELLED: "grey",
}


def colour(stage: str) -> str:
    return COLOURS.get(stage, "blue")


# --- who answers for each stage, and how its due date is set ---------------------------


@dataclass(frozen=True)
class StageSpec:
    """One stage's truth: the department that answers for it (by code, declared in
    accounts.departments), how its due date is set, and which row of the contract
    review sheet commits its working days to the promised date.

    - `due_on_entry`: the setting naming the working days after the order enters the
      stage; `entry_resets` says whether entering again (a resubmission, a drawing
      that arrives) sets it anew, or whether a date planned by the review stands.
    - `committed_by`: the department whose signed days the review conclusion turns
      into this stage's planned due date (promised = conclusion + max(drawing,
      materials) + production + inspection + delivery).
    """

    stage: str
    department: str | None
    due_on_entry: str | None = None
    entry_resets: bool = False
    committed_by: str | None = None


STAGE_SPECS: dict[str, StageSpec] = {
    spec.stage: spec
    for spec in (
        StageSpec(Stage.DRAFT, "sales"),
        StageSpec(
            Stage.REVIEW,
            "production",
            due_on_entry="ORDER_REVIEW_DUE_WORKING_DAYS",
            entry_resets=True,
        ),
        StageSpec(
            Stage.APPROVAL, "gm_office", due_on_entry="ORDER_APPROVAL_DUE_WORKING_DAYS"
        ),
        StageSpec(Stage.QUOTE, "sales", due_on_entry="ORDER_QUOTE_DUE_WORKING_DAYS"),
        StageSpec(
            Stage.CONTRACT, "sales", due_on_entry="ORDER_CONTRACT_DUE_WORKING_DAYS"
        ),
        # 技术部 issues the drawings within a working day of their arrival (the policy's
        # clock); the technical reviewer's days budget that work inside the promise.
        StageSpec(
            Stage.DRAWING,
            "technical",
            due_on_entry="ORDER_DRAWING_CLOCK_WORKING_DAYS",
            entry_resets=True,
            committed_by="technical",
        ),
        StageSpec(Stage.PRODUCTION, "production", committed_by="production"),
        StageSpec(Stage.INSPECTION, "quality", committed_by="quality"),
        StageSpec(Stage.DELIVERY, "logistics", committed_by="logistics"),
        StageSpec(Stage.SETTLEMENT, "finance"),
    )
}
# The materials milestone (备料) runs beside the drawings: purchasing commits its days.
MATERIALS_COMMITTED_BY = "purchasing"
