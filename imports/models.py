from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import StoredFile


class ImportLog(StoredFile):
    """导入记录: one file someone imported — what it was, who, when, and what it
    held (new, updated, unchanged, invalid rows). The file is kept: the confirm (and
    a background run) reads it again, so what is written is what was previewed
    against the data as it is then."""

    class Kind(models.TextChoices):
        ORDERS = "orders", _("orders with their lines")
        CUSTOMERS = "customers", _("customers")
        PRODUCTS = "products", _("product catalogue")

    class Status(models.TextChoices):
        CHECKING = "checking", pgettext_lazy("import status", "checking")
        PREVIEWED = "previewed", pgettext_lazy("import status", "ready to import")
        REFUSED = "refused", pgettext_lazy("import status", "refused")
        RUNNING = "running", pgettext_lazy("import status", "importing")
        DONE = "done", pgettext_lazy("import status", "imported")
        NOTHING = "nothing", pgettext_lazy("import status", "nothing to import")
        FAILED = "failed", pgettext_lazy("import status", "failed")

    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CHECKING
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    encoding = models.CharField(_("text encoding"), max_length=16, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    new = models.PositiveIntegerField(pgettext_lazy("import rows", "new"), default=0)
    updated = models.PositiveIntegerField(
        pgettext_lazy("import rows", "updated"), default=0
    )
    unchanged = models.PositiveIntegerField(
        pgettext_lazy("import rows", "unchanged"), default=0
    )
    invalid = models.PositiveIntegerField(
        pgettext_lazy("import rows", "invalid"), default=0
    )
    records_new = models.PositiveIntegerField(_("records created"), default=0)
    records_updated = models.PositiveIntegerField(_("records updated"), default=0)
    # [{"row": n | None, "column": "…", "message": "…"}], the first few hundred
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("problems found"), default=0)
    # how far a background run has come, 0–100
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.RUNNING)
