"""The stages of an order's walk (订单流程), with the label and colour the UI shows and
the named groups every query reuses ("which orders are open")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("contract review")
    APPROVAL = "approval", _("GM approval")
    QUOTE = "quote", _("quote")
    CONTRACT = "contract", _("contract")
    DRAWING = "drawing", _("drawings")
    PRODUCTION = "production", _("production")
    INSPECTION = "inspection", _("inspection")
    DELIVERY = "delivery", _("delivery")
    SETTLEMENT = "settlement", _("invoice and payment")
    COMPLETED = "completed", _("completed")
    ON_HOLD = "on_hold", _("on hold (change pending)")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled")


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
