from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """A file a person uploaded, checked by its content (orders.uploads): its name
    as they gave it, its type as found, its size. The file itself is each model's
    own `file` field (its place on disk differs)."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))

    class Meta:
        abstract = True
