"""Uploaded files are checked by what they contain, not by their name: a size limit, an
allowed extension, and the file's own signature (filetype) must match that extension."""

import os
import uuid
from contextlib import contextmanager

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


def upload_problems(uploaded, allowed=None) -> tuple[str, list]:
    """(content type, []) for a good file, ("", [messages]) otherwise."""
    try:
        return validate_upload(uploaded, allowed=allowed), []
    except ValidationError as exc:
        return "", exc.messages


def keep_upload(instance, uploaded, content_type: str) -> None:
    """Put a checked upload on `instance` (a models.files.StoredFile): its name as
    given, its type as found, its size, and the file under a name of its own."""
    instance.original_name = uploaded.name[:255]
    instance.content_type = content_type
    instance.size = uploaded.size
    instance.file.save(
        f"{uuid.uuid4().hex}-{uploaded.name[-80:]}", uploaded, save=False
    )


@contextmanager
def discarded_on_failure(instance):
    """The stored file goes when the record it belongs to is not saved after all."""
    try:
        yield
    except Exception:
        instance.file.delete(save=False)
        raise
