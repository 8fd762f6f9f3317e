from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.stamps import Stamp, stamp, stamp_fields

USER = settings.AUTH_USER_MODEL


class ContractReview(models.Model):
    """合同评审表 / 订单评审单 (GS/G-SC-01). Organised by the production manager; each
    department involved signs its row with the days its work needs; the conclusion
    fixes the promised date and each later stage's due date."""

    class Conclusion(models.TextChoices):
        ACCEPT = "accept", _("accept")
        CONDITIONAL = "conditional", _("accept with conditions")
        DECLINE = "decline", _("decline")

    class GMDecision(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("decision", "approved")
        SENT_BACK = "sent_back", pgettext_lazy("decision", "sent back")

    order = models.OneToOneField(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="review",
    )
    number = models.CharField(_("review sheet number"), max_length=32, unique=True)
    opened_by = models.ForeignKey(
        USER, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    conclusion = models.CharField(
        _("how to take the order"),
        max_length=16,
        choices=Conclusion.choices,
        blank=True,
    )
    raise_price = models.BooleanField(_("at a higher price"), default=False)
    extend_lead_time = models.BooleanField(_("with a longer lead time"), default=False)
    conditions = models.TextField(_("conditions"), blank=True)
    note = models.TextField(_("conclusion notes"), blank=True)
    promised_date = models.DateField(_("promised delivery date"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        USER,
        verbose_name=_("production manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    needs_gm = models.BooleanField(_("needs the general manager"), default=False)
    gm_decision = models.CharField(
        _("general manager's decision"),
        max_length=16,
        choices=GMDecision.choices,
        blank=True,
    )
    gm_by, gm_on_behalf_of, gm_at = stamp_fields()
    gm_comment = models.TextField(_("general manager's comment"), blank=True)

    class Meta:
        verbose_name = _("contract review sheet")
        verbose_name_plural = _("contract review sheets")
        ordering = ["-opened_at"]

    def __str__(self):
        return self.number

    @property
    def is_concluded(self) -> bool:
        return bool(self.conclusion)

    @property
    def gm_stamp(self) -> Stamp:
        """The general manager's (or stand-in's) signature on the sheet."""
        return stamp(self, "gm_")


class ReviewSignoff(models.Model):
    """One department's row of the review sheet: what it reviewed, the days its work
    needs, whether resources suffice, risks and countermeasures, its opinion."""

    class Opinion(models.TextChoices):
        AGREE = "agree", _("agree")
        CONDITIONAL = "conditional", _("agree with conditions")
        DISAGREE = "disagree", _("disagree")

    review = models.ForeignKey(
        ContractReview,
        verbose_name=_("review sheet"),
        on_delete=models.CASCADE,
        related_name="signoffs",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("row"), default=0)
    content = models.TextField(_("what was reviewed"), blank=True)
    days_needed = models.PositiveSmallIntegerField(
        _("working days needed"), null=True, blank=True
    )
    resources_ok = models.BooleanField(_("resources sufficient"), null=True)
    risks = models.TextField(_("risks and countermeasures"), blank=True)
    opinion = models.CharField(
        _("opinion"), max_length=16, choices=Opinion.choices, blank=True
    )
    signed_by = models.ForeignKey(
        USER,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review sign-off")
        verbose_name_plural = _("review sign-offs")
        ordering = ["review", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "department"], name="review_signoff_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(days_needed__isnull=True)
                | models.Q(days_needed__gt=0),
                name="review_signoff_days_positive",
            ),
        ]

    def __str__(self):
        return f"{self.review_id} {self.department_id}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class ApprovalDelegation(models.Model):
    """代理审批: the general manager names a stand-in for a period; approvals made by
    the stand-in are recorded as on the GM's behalf."""

    principal = models.ForeignKey(
        USER,
        verbose_name=_("general manager"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        USER,
        verbose_name=_("stand-in"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    starts_on = models.DateField(pgettext_lazy("period", "from"))
    ends_on = models.DateField(pgettext_lazy("period", "until"))
    reason = models.CharField(
        pgettext_lazy("why it was done", "reason"), max_length=255, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval stand-in")
        verbose_name_plural = _("approval stand-ins")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="delegation_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.delegate} ← {self.principal}"
