"""The stages of an order's walk (订单流程), with the label and colour the UI shows and
the named groups every query reuses ("which orders are open")."""

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
