from django.db.models import QuerySet

from .models import Notification


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)
