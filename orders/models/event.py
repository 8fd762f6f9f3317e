from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders.stages import Stage


class OrderEvent(models.Model):
    """订单记录 (数据记录制度): who, when, what, old → new, why. The order's history page
    is built from these rows alone; they are never edited or deleted."""

    class Type(models.TextChoices):
        CREATED = "created", _("entered the order")
        COPIED = "copied", _("entered the order as a copy")
        EDITED = "edited", _("edited the order")
        ATTACHMENT_ADDED = "attachment_added", _("attached a file")
        MOVED = "moved", _("moved the order")
        CREDIT_FLAGGED = "credit_flagged", _("over the credit limit")
        CREDIT_APPROVED = "credit_approved", _("approved the credit")
        CHANGE_REQUESTED = "change_requested", _("entered a change request")
        CHANGE_APPROVED = "change_approved", _("approved the change request")
        CHANGE_REJECTED = "change_rejected", _("rejected the change request")
        CHANGE_APPLIED = "change_applied", _("applied the change")
        REVIEW_OPENED = "review_opened", _("opened the contract review sheet")
        REVIEW_SIGNED = "review_signed", _("signed the review sheet")
        REVIEW_CONCLUDED = "review_concluded", _("concluded the contract review")
        QUOTE_PREPARED = "quote_prepared", _("prepared a quote")
        QUOTE_SUBMITTED = "quote_submitted", _("submitted the quote for approval")
        QUOTE_APPROVED = "quote_approved", _("approved the quote")
        QUOTE_RETURNED = "quote_returned", _("sent the quote back")
        QUOTE_ACCEPTED = "quote_accepted", _("recorded the customer's acceptance")
        CONTRACT_RECORDED = "contract_recorded", _("recorded the signed contract")
        DRAWING_UPLOADED = "drawing_uploaded", _("uploaded a drawing")
        REQUIREMENTS_WRITTEN = (
            "requirements_written",
            _("wrote the key quality and process requirements"),
        )
        DRAWINGS_RECALLED = "drawings_recalled", _("recalled the drawings")
        DRAWINGS_REISSUED = "drawings_reissued", _("re-issued the drawings")

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    type = models.CharField(_("event"), max_length=32, choices=Type.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("event", "by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    automatic = models.BooleanField(_("automatic"), default=False)
    from_stage = models.CharField(
        pgettext_lazy("stage moved", "from"),
        max_length=16,
        choices=Stage.choices,
        blank=True,
    )
    to_stage = models.CharField(
        pgettext_lazy("stage moved", "to"),
        max_length=16,
        choices=Stage.choices,
        blank=True,
    )
    reason = models.TextField(pgettext_lazy("why it was done", "reason"), blank=True)
    parameters = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(
        pgettext_lazy("event", "at"), auto_now_add=True, db_index=True
    )

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.order_id} {self.type}"
