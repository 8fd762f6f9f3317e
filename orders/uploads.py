"""Uploaded files are checked by what they contain, not by their name: a size limit, an
allowed extension, and the file's own signature (filetype) must match that extension."""

import os

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# extension → extensions filetype may report for genuine files of that kind
ALLOWED = {
    "pdf": {"pdf"},
    "png": {"png"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "gif": {"gif"},
    "webp": {"webp"},
    "doc": {"doc"},
    "xls": {"xls"},
    "docx": {"docx", "zip"},
    "xlsx": {"xlsx", "zip"},
    "dwg": {"dwg"},
}


def validate_upload(
    uploaded, allowed: dict[str, set[str]] | None = None, max_mb: int | None = None
) -> str:
    """Return the content type to store, or raise ValidationError."""
    allowed = allowed or ALLOWED
    max_mb = max_mb or settings.ORDER_ATTACHMENT_MAX_MB
    if uploaded is None:
        raise ValidationError(_("Please choose a file."), code="required")
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if uploaded.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": uploaded.size / 1024 / 1024, "limit": max_mb},
            code="too_big",
        )
    extension = os.path.splitext(uploaded.name)[1].lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            _("Files of type “.%(ext)s” are not accepted. Allowed: %(allowed)s.")
            % {"ext": extension, "allowed": ", ".join(sorted(allowed))},
            code="extension",
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in allowed[extension]:
        raise ValidationError(
            _(
                "“%(name)s” is not really a .%(ext)s file; its content does not match "
                "its name."
            )
            % {"name": uploaded.name, "ext": extension},
            code="content",
        )
    return kind.mime
