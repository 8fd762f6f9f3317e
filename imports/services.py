"""Writes of an import. Upload → check (the preview, nothing written) → confirm →
apply (every row in one transaction, or none). A file over
settings.IMPORT_INLINE_BYTES is checked and applied in the background (Celery);
its page polls the progress. Each step is kept on the ImportLog."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import may, require
from core.concurrency import lock_row
from core.exceptions import InvalidMove, ValidationError
from core.uploads import discarded_on_failure, keep_upload

from . import runs
from .kinds import KINDS
from .models import ImportLog
from .reading import extension_of

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def in_background(log: ImportLog) -> bool:
    return log.size > settings.IMPORT_INLINE_BYTES


def import_upload(*, actor, kind: str, uploaded) -> ImportLog:
    """Keep the file and check it (inline when small, else in the background)."""
    if kind not in KINDS:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    require(actor, KINDS[kind].permission)
    if uploaded is None:
        raise ValidationError({"file": _("Please choose a file.")})
    if uploaded.size > settings.IMPORT_MAX_MB * 1024 * 1024:
        raise ValidationError(
            {
                "file": _("The file is %(size).1f MB; the limit is %(limit)d MB.")
                % {"size": uploaded.size / 1024 / 1024, "limit": settings.IMPORT_MAX_MB}
            }
        )
    log = ImportLog(kind=kind, user=actor)
    content_type = CONTENT_TYPES.get(
        extension_of(uploaded.name), "application/octet-stream"
    )
    with transaction.atomic():
        keep_upload(log, uploaded, content_type)
        with discarded_on_failure(log):
            log.save()
    if in_background(log):
        from .tasks import check_task

        check_task.delay(log.pk)
    else:
        runs.import_check(log.pk)
        log.refresh_from_db()
    return log


def import_confirm(*, actor, log: ImportLog, version) -> ImportLog:
    """Import what the preview showed: inline, or queued for the background. A
    second confirm (a double click, a page opened before) is refused by the
    version."""
    require(actor, "imports.view_import", log)
    require(actor, KINDS[log.kind].permission)
    with transaction.atomic():
        locked = lock_row(ImportLog, log.pk, version)
        if locked.status != ImportLog.Status.PREVIEWED:
            raise InvalidMove(_("This import is not waiting for a confirmation."))
        locked.status = ImportLog.Status.RUNNING
        locked.progress = 60
        locked.version += 1
        locked.save(update_fields=["status", "progress", "version"])
    if in_background(locked):
        from .tasks import apply_task

        apply_task.delay(locked.pk)
        return locked
    return runs.import_apply(locked.pk)


def may_import(user) -> list[str]:
    """The kinds this user may import."""
    return [code for code, kind in KINDS.items() if may(user, kind.permission)]
