"""The background runs of a large import (Celery)."""

from celery import shared_task

from . import runs
from .models import ImportLog


def _failed(log_pk: int, exc: Exception) -> None:
    from django.utils.translation import gettext as _

    ImportLog.objects.filter(pk=log_pk).update(
        status=ImportLog.Status.FAILED,
        progress=100,
        message=_("The import stopped on an error; nothing was imported."),
    )


@shared_task
def check_task(log_pk: int) -> None:
    try:
        runs.import_check(log_pk)
    except Exception as exc:
        _failed(log_pk, exc)
        raise


@shared_task
def apply_task(log_pk: int) -> None:
    try:
        runs.import_apply(log_pk)
    except Exception as exc:
        _failed(log_pk, exc)
        raise
