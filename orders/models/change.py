from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .order import MONEY


class ChangeRequest(models.Model):
    """订单变更单: a customer's change (lines, quantities, dates, prices), shown old → new.
    The order is held (变更中) while it waits; the production manager approves, the GM
    too when the amount moves by more than ORDER_CHANGE_GM_APPROVAL_AMOUNT."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting production manager")
        AWAITING_GM = "awaiting_gm", _("awaiting general manager")
        APPLIED = "applied", _("approved and applied")
        REJECTED = "rejected", _("rejected")
        # Closed without a decision because the order was cancelled.
        WITHDRAWN = "withdrawn", _("closed: the order was cancelled")

    # Tag colours for the UI: orange waiting, green applied, grey closed.
    COLOURS = {
        Status.PENDING: "orange",
        Status.AWAITING_GM: "orange",
        Status.APPLIED: "green",
    }

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="change_requests",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("why the customer asks"))
    proposed = models.JSONField(_("proposed order"), default=dict)
    changes = models.JSONField(_("changes"), default=list)
    amount_before = models.DecimalField(_("amount before"), **MONEY)
    amount_after = models.DecimalField(_("amount after"), **MONEY)
    needs_gm = models.BooleanField(_("needs the general manager"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    manager_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by production manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    manager_approved_at = models.DateTimeField(null=True, blank=True)
    gm_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by general manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gm_approved_at = models.DateTimeField(null=True, blank=True)
    decided_comment = models.TextField(
        pgettext_lazy("approver's words", "comment"), blank=True
    )

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.order_id} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.AWAITING_GM)

    @property
    def status_colour(self) -> str:
        return self.COLOURS.get(self.status, "grey")
