"""Reading and applying a kept import file: the check (the preview) and the apply
(every row in one transaction, or none). Called inline by the services for a small
file, by the Celery tasks for a large one."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import InvalidMove, PermissionDenied, ValidationError

from .kinds import KINDS
from .models import ImportLog
from .plans import INVALID, NEW, UNCHANGED, UPDATED, Plan, plan
from .reading import Unreadable, read_sheet

# Problems kept on the log for the preview (the count says how many there were).
KEEP_PROBLEMS = 500


def _read(log: ImportLog):
    with log.file.open("rb") as stream:
        data = stream.read()
    return read_sheet(data, log.original_name, limit=settings.IMPORT_MAX_ROWS)


def _progress(log_pk: int, percent: int) -> None:
    ImportLog.objects.filter(pk=log_pk).update(progress=percent)


def _plan(log: ImportLog, *, preview: bool = True) -> Plan | None:
    """The file read and planned against the data as it is now; None (the log says
    why) when the file cannot be read."""
    try:
        sheet = _read(log)
    except Unreadable as exc:
        log.status = ImportLog.Status.REFUSED
        log.message = exc.message
        log.problems = [{"row": None, "column": "", "message": exc.message}]
        log.problem_count = 1
        return None
    log.encoding = sheet.encoding
    return plan(
        KINDS[log.kind],
        sheet,
        actor=log.user,
        source=log.original_name,
        preview=preview,
    )


def _keep(log: ImportLog, result: Plan) -> None:
    log.rows = result.rows
    log.new = result.counts[NEW]
    log.updated = result.counts[UPDATED]
    log.unchanged = result.counts[UNCHANGED]
    log.invalid = result.counts[INVALID]
    log.problem_count = len(result.problems)
    log.problems = [p.as_dict() for p in result.problems[:KEEP_PROBLEMS]]


def import_check(log_pk: int) -> ImportLog:
    """The preview: what the file would do; nothing of it is written."""
    log = ImportLog.objects.select_related("user").get(pk=log_pk)
    _progress(log.pk, 10)
    result = _plan(log)
    if result is not None:
        _keep(log, result)
        if not result.valid:
            log.status = ImportLog.Status.REFUSED
            log.message = _(
                "%(n)s rows are invalid; nothing was imported. Correct them and "
                "upload the file again."
            ) % {"n": log.invalid or log.problem_count}
        elif result.to_write:
            log.status = ImportLog.Status.PREVIEWED
        else:
            log.status = ImportLog.Status.NOTHING
            log.message = _("Every row is already stored as it is; nothing to import.")
    log.progress = 100 if log.status != ImportLog.Status.PREVIEWED else 50
    log.save()
    return log


def import_apply(log_pk: int) -> ImportLog:
    """Every row in one transaction, or none: the file is read and checked again
    against the data as it is now, so a row someone changed since the preview
    is refused, not overwritten."""
    log = ImportLog.objects.select_related("user").get(pk=log_pk)
    try:
        with transaction.atomic():
            result = _plan(log, preview=False)
            if result is not None and result.valid and result.apply:
                result.apply()
    except (ValidationError, InvalidMove, PermissionDenied) as exc:
        log.status = ImportLog.Status.REFUSED
        text = " ".join(getattr(exc, "messages", [str(exc)]))
        log.message = _("The import was refused; nothing was imported: %(why)s") % {
            "why": text
        }
        log.progress = 100
        log.save()
        return log
    if result is not None:
        _keep(log, result)
        if not result.valid:
            log.status = ImportLog.Status.REFUSED
            log.message = _(
                "Since the preview, %(n)s rows became invalid; nothing was imported."
            ) % {"n": log.invalid or log.problem_count}
        else:
            log.status = ImportLog.Status.DONE
            log.records_new = result.records[NEW]
            log.records_updated = result.records[UPDATED]
            log.message = ""
            log.finished_at = timezone.now()
    log.progress = 100
    log.save()
    return log
