"""core's records: the form tokens every app's double-submit guard claims
(core.submissions; the table keeps the name it was created with in `orders`), and
the abstract stored file every app's uploads are kept as (core.uploads)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """One row per submitted form token: a double-submitted form does nothing twice."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    result_url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_formsubmission"
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return str(self.token)


class StoredFile(models.Model):
    """A file a person uploaded, checked by its content (core.uploads): its name
    as they gave it, its type as found, its size. The file itself is each model's
    own `file` field (its place on disk differs)."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))

    class Meta:
        abstract = True
