from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.stamps import Stamp
from orders.stages import Stage


class OrderEvent(models.Model):
    """订单记录 (数据记录制度): who, when, what, old → new, why. The order's history page
    is built from these rows alone; they are never edited or deleted."""

    class Type:
        """The event types of the first half of the walk, as constants. A type's
        label and how its line reads are registered (orders.events, through
        orders.registry), so an app adds its own without a migration."""

        CREATED = "created"
        COPIED = "copied"
        EDITED = "edited"
        ATTACHMENT_ADDED = "attachment_added"
        MOVED = "moved"
        CREDIT_FLAGGED = "credit_flagged"
        CREDIT_APPROVED = "credit_approved"
        CHANGE_REQUESTED = "change_requested"
        CHANGE_APPROVED = "change_approved"
        CHANGE_REJECTED = "change_rejected"
        CHANGE_APPLIED = "change_applied"
        REVIEW_OPENED = "review_opened"
        REVIEW_SIGNED = "review_signed"
        REVIEW_CONCLUDED = "review_concluded"
        QUOTE_PREPARED = "quote_prepared"
        QUOTE_SUBMITTED = "quote_submitted"
        QUOTE_APPROVED = "quote_approved"
        QUOTE_RETURNED = "quote_returned"
        QUOTE_ACCEPTED = "quote_accepted"
        CONTRACT_RECORDED = "contract_recorded"
        DRAWING_UPLOADED = "drawing_uploaded"
        REQUIREMENTS_WRITTEN = "requirements_written"
        DRAWINGS_RECALLED = "drawings_recalled"
        DRAWINGS_REISSUED = "drawings_reissued"

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    type = models.CharField(_("event"), max_length=32)
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

    @property
    def stamp(self) -> Stamp:
        """Who did it (for whom, when a stand-in acted) and when."""
        return Stamp(self.user, self.created_at, self.on_behalf_of)

    @property
    def type_label(self):
        """The type's label, as its app registered it (the code if none did)."""
        from orders.registry import event_type_of

        registered = event_type_of(self.type)
        return registered.label if registered else self.type
