"""`notify(users=…, message=…, link=…)`: the one way any app tells people something.

The notices are written when the transaction that caused them commits — never for
an action that was rolled back — in the product's language (records keep the text
as sent, like a letter). E-mail and WeCom/DingTalk channels will hang off the same
call."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification


def notify(*, users: Iterable, message, link: str = "", kind: str = "") -> None:
    """Tell each of `users` (users or ids; duplicates and None are dropped)."""
    ids = sorted({getattr(u, "pk", u) for u in users if u is not None})
    if not ids:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)[:500]

    def write():
        Notification.objects.bulk_create(
            Notification(user_id=uid, message=text, link=link[:255], kind=kind)
            for uid in ids
        )

    transaction.on_commit(write)


def notification_read(*, user, notification_id: int) -> Notification | None:
    """Mark one of the user's own notices read; None when it is not theirs."""
    notice = Notification.objects.filter(pk=notification_id, user=user).first()
    if notice is not None and notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notifications_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
