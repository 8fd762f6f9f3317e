from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """站内通知: a message to one person, with the page it is about. Written after the
    action that caused it has committed (notifications.services.notify)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=255, blank=True)
    # What kind of notice (a code an app chooses: "order_sent_back" …), for filters.
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                name="notif_unread_idx",
                condition=models.Q(read_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.message

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
