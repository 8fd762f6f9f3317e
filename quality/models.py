"""Quality's records (质检): inspections — final (终检), process (过程检验) and
first-article (首件检验) — with their checklist against the drawings' key
requirements, their defects and photos; and nonconformance (不合格品评审) with its
reviewers' signatures and its disposition: rework (返工), scrap (报废) or concession
(让步接收, with the customer's consent and its document).

Results are recorded, never overwritten: a correction is a new inspection that
names the one it corrects (`corrects`); the corrected one stays, superseded. Each
line's figures are sums of these records (quality.selectors.line_figures), never a
counter typed in. Rules live in quality.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import StoredFile
from production.models import SlipReport

USER = settings.AUTH_USER_MODEL

# GS/G-SC-02's cause codes (未完成原因查找与考核标准), the one list production's
# anomalies use too.
Cause = SlipReport.Cause


class DefectType(models.Model):
    """缺陷类型: the kept list of defects an inspection names (尺寸超差, 毛刺 …),
    kept in the admin; a type no longer used is made inactive, never deleted."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("defect"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("defect type (缺陷类型)")
        verbose_name_plural = _("defect types")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class Inspection(models.Model):
    """检验记录: one inspection of part of an order line — how many inspected, passed
    and failed, the defects, the checklist, photos, the inspector and the time. A
    final inspection (终检) of the line's produced pieces, a re-inspection of the
    pieces a nonconformance had reworked (`nonconformance`), a process check of a
    finished slip or the first article of a slip's operation (`slip`)."""

    class Kind(models.TextChoices):
        FINAL = "final", pgettext_lazy("inspection kind", "final inspection (终检)")
        PROCESS = (
            "process",
            pgettext_lazy("inspection kind", "process check (过程检验)"),
        )
        FIRST_ARTICLE = (
            "first_article",
            pgettext_lazy("inspection kind", "first-article check (首件检验)"),
        )

    number = models.CharField(_("inspection number"), max_length=32, unique=True)
    kind = models.CharField(_("inspection kind"), max_length=16, choices=Kind.choices)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    slip = models.ForeignKey(
        "production.DispatchSlip",
        verbose_name=_("dispatch slip"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    # A re-inspection (复检) of the pieces this nonconformance had reworked.
    nonconformance = models.ForeignKey(
        "quality.Nonconformance",
        verbose_name=_("re-inspects the rework of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinspections",
    )
    inspected = models.PositiveIntegerField(_("inspected"))
    passed = models.PositiveIntegerField(pgettext_lazy("inspection", "passed"))
    failed = models.PositiveIntegerField(pgettext_lazy("inspection", "failed"))
    defects = models.ManyToManyField(
        DefectType, verbose_name=_("defects"), blank=True, related_name="+"
    )
    note = models.TextField(_("notes"), blank=True)
    inspector = models.ForeignKey(
        USER, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(_("inspected at"))
    # A correction is a new record naming the one it corrects; that one stays.
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    correction_reason = models.TextField(_("why it was corrected"), blank=True)

    class Meta:
        verbose_name = _("inspection (检验记录)")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_at", "-id"]
        indexes = [
            models.Index(fields=["line", "kind"], name="inspection_line_kind"),
            models.Index(fields=["inspected_at"], name="inspection_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(passed__lte=models.F("inspected"))
                & models.Q(failed=models.F("inspected") - models.F("passed")),
                name="inspection_passed_failed_add_up",
            ),
            models.CheckConstraint(
                condition=models.Q(inspected__gt=0), name="inspection_not_empty"
            ),
        ]
        permissions = [
            ("inspect", _("Can inspect and record inspections (质检)")),
            ("view_quality", _("Can read inspections and nonconformances")),
            ("approve_concession", _("Can approve a concession (让步接收)")),
            ("sign_nonconformance", _("Can sign a nonconformance review")),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("quality:inspection", kwargs={"number": self.number})

    @property
    def is_reinspection(self) -> bool:
        return self.nonconformance_id is not None


def inspection_photo_path(instance, filename):
    return f"inspections/{instance.inspection_id}/{filename}"


class InspectionPhoto(StoredFile):
    """A photo taken at the inspection, checked as an image by its content."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        related_name="photos",
    )
    file = models.FileField(_("file"), upload_to=inspection_photo_path, max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["inspection", "position", "id"]


class InspectionCheck(models.Model):
    """One line of the inspection's checklist: a key requirement of the drawings
    (its text kept as it read then), whether it was met, and the value measured
    where it has one."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        related_name="checks",
    )
    requirement = models.ForeignKey(
        "orders.KeyRequirement",
        verbose_name=_("key requirement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.CharField(_("requirement"), max_length=500)
    ok = models.BooleanField(_("met"))
    measured = models.CharField(_("measured value"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["inspection", "id"]

    def __str__(self):
        return self.text


class Nonconformance(models.Model):
    """不合格品评审单: the failed pieces of an inspection (or found in a process
    check, later a complaint) — what is wrong, how many, the cause (GS/G-SC-02's
    codes), the party responsible, the reviewers who sign, and the disposition:
    rework, scrap or concession, with quantities that add up to the whole. It
    closes when every piece is dispositioned: the scrap recorded, the rework slip
    made, the concession consented to by the customer."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("nonconformance", "to describe")
        REVIEW = "review", pgettext_lazy("nonconformance", "under review")
        DECIDED = "decided", pgettext_lazy("nonconformance", "being dispositioned")
        CLOSED = "closed", pgettext_lazy("nonconformance", "closed")
        WITHDRAWN = "withdrawn", pgettext_lazy("nonconformance", "withdrawn")

    number = models.CharField(_("nonconformance number"), max_length=32, unique=True)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="nonconformances",
    )
    line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="nonconformances",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("found by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nonconformances",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    quantity = models.PositiveIntegerField(_("nonconforming pieces"))
    description = models.TextField(_("what is wrong"), blank=True)
    cause = models.CharField(
        _("cause"), max_length=16, choices=Cause.choices, blank=True
    )
    responsible_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("party responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewers = models.ManyToManyField(
        USER,
        verbose_name=_("reviewers"),
        through="NonconformanceReview",
        related_name="+",
    )
    # The disposition the reviewers sign: quantities adding up to `quantity`.
    rework_qty = models.PositiveIntegerField(_("rework (返工)"), default=0)
    scrap_qty = models.PositiveIntegerField(_("scrap (报废)"), default=0)
    concession_qty = models.PositiveIntegerField(_("concession (让步接收)"), default=0)
    # A make-up for the scrapped pieces, asked of the planner.
    make_up_asked = models.BooleanField(
        _("make-up asked of the planner"), default=False
    )
    # the rework slip production made (production.services.rework_slip_add)
    rework_slip = models.ForeignKey(
        "production.DispatchSlip",
        verbose_name=_("rework slip"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The customer's consent to a concession (or to a scrapped shortfall shipped
    # short): what they agreed, who recorded it, when, and the document.
    consent_note = models.TextField(_("customer's consent"), blank=True)
    consent_by = models.ForeignKey(
        USER,
        verbose_name=_("consent recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        USER, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("nonconformance (不合格品评审单)")
        verbose_name_plural = _("nonconformances")
        ordering = ["-opened_at", "-id"]
        indexes = [
            # the open ones — the few the workbenches read among ten years
            models.Index(
                fields=["opened_at"],
                condition=models.Q(status__in=["open", "review", "decided"]),
                name="nonconformance_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="nonconformance_not_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    rework_qty__lte=models.F("quantity"),
                    scrap_qty__lte=models.F("quantity"),
                    concession_qty__lte=models.F("quantity"),
                ),
                name="nonconformance_disposition_within",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("quality:nonconformance", kwargs={"number": self.number})

    @property
    def is_open(self) -> bool:
        return self.status in (
            self.Status.OPEN,
            self.Status.REVIEW,
            self.Status.DECIDED,
        )

    @property
    def dispositioned(self) -> int:
        return self.rework_qty + self.scrap_qty + self.concession_qty

    @property
    def waits_for_rework(self) -> bool:
        return (
            self.status == self.Status.DECIDED
            and self.rework_qty > 0
            and self.rework_slip_id is None
        )

    @property
    def waits_for_consent(self) -> bool:
        return (
            self.status == self.Status.DECIDED
            and self.concession_qty > 0
            and self.consent_at is None
        )


OPEN_NONCONFORMANCE = (
    Nonconformance.Status.OPEN,
    Nonconformance.Status.REVIEW,
    Nonconformance.Status.DECIDED,
)


class NonconformanceReview(models.Model):
    """A reviewer named on the nonconformance and their signature (评审签字): the
    opinion and when they signed — or nothing yet."""

    nonconformance = models.ForeignKey(
        Nonconformance,
        verbose_name=_("nonconformance"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewer = models.ForeignKey(
        USER, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField(_("opinion"), blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nonconformance reviewer")
        verbose_name_plural = _("nonconformance reviewers")
        ordering = ["nonconformance", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nonconformance", "reviewer"], name="nc_reviewer_once"
            ),
        ]

    def __str__(self):
        return f"{self.nonconformance} · {self.reviewer}"


def consent_path(instance, filename):
    return f"nonconformance/{instance.nonconformance_id}/{filename}"


class ConsentDocument(StoredFile):
    """The customer's written consent to a concession (客户让步接收确认), kept."""

    nonconformance = models.ForeignKey(
        Nonconformance,
        verbose_name=_("nonconformance"),
        on_delete=models.PROTECT,
        related_name="consent_documents",
    )
    file = models.FileField(_("file"), upload_to=consent_path, max_length=255)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer's consent document")
        verbose_name_plural = _("customer's consent documents")
        ordering = ["nonconformance", "id"]
