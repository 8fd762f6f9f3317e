"""What the reminders keep: each reminder sent (once per item, kind, day and
recipient — the unique constraint is what makes a run safe to repeat or to run
twice at once), each run's log, the outbox of e-mails and robot messages still to
send, the departments' group robots, and a person's e-mail mute."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    DUE = "due", pgettext_lazy("reminder kind", "due soon")
    OVERDUE = "overdue", pgettext_lazy("reminder kind", "overdue")
    HEAD = "escalated_head", pgettext_lazy("reminder kind", "escalated to the head")
    MANAGERS = (
        "escalated_managers",
        pgettext_lazy("reminder kind", "escalated to the managers"),
    )


class RunDay(models.Model):
    """One row per day the reminders ran: the lock two runs of one day take in
    turn, so the second finds the first's reminders and writes none."""

    day = models.DateField(_("day"), unique=True)

    class Meta:
        verbose_name = _("reminder day")
        verbose_name_plural = _("reminder days")

    def __str__(self):
        return str(self.day)


class Reminder(models.Model):
    """One reminder of one due item to one person on one day."""

    key = models.CharField(_("due item"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    day = models.DateField(_("day"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=32)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    order_number = models.CharField(_("order number"), max_length=32)
    label = models.CharField(_("item"), max_length=200, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    committed_date = models.DateField(_("committed date"), null=True, blank=True)
    # working days past the due date (0 or less: not overdue yet)
    overdue_days = models.IntegerField(_("working days overdue"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-day", "-overdue_days", "order_number", "id"]
        permissions = [
            ("view_escalations", _("Can see the escalation list")),
            ("run_reminders", _("Can run the reminders now")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "kind", "day", "recipient"],
                name="reminder_once_a_day",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "kind", "day"], name="reminder_by_kind"),
            models.Index(fields=["day", "department"], name="reminder_by_department"),
        ]

    def __str__(self):
        return f"{self.key} {self.kind} {self.day} {self.recipient_id}"


class RunLog(models.Model):
    """One run of the reminders: when, for which day, what it wrote, what failed."""

    class Trigger(models.TextChoices):
        BEAT = "beat", pgettext_lazy("reminder run", "schedule")
        COMMAND = "command", pgettext_lazy("reminder run", "command")
        BUTTON = "button", pgettext_lazy("reminder run", "run now")
        TASK = "task", pgettext_lazy("reminder run", "task")

    as_of = models.DateField(_("as of"))
    trigger = models.CharField(
        _("started by"), max_length=10, choices=Trigger.choices, default="task"
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    items = models.PositiveIntegerField(_("open items"), default=0)
    reminders = models.PositiveIntegerField(_("reminders written"), default=0)
    outbox = models.PositiveIntegerField(_("messages queued"), default=0)
    skipped = models.BooleanField(_("skipped (rest day)"), default=False)
    errors = models.TextField(_("errors"), blank=True)

    class Meta:
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.as_of} {self.started_at:%Y-%m-%d %H:%M}"


class RobotChannel(models.Model):
    """A department's group robot (群机器人) in WeCom or DingTalk: one markdown
    digest a day of the department's items."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom (企业微信)")
        DINGTALK = "dingtalk", _("DingTalk (钉钉)")

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    webhook_url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk's 加签 secret (SEC…); empty for WeCom."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["department", "kind"]

    def __str__(self):
        return f"{self.department} · {self.get_kind_display()}"


class Outbox(models.Model):
    """A message to send, written in the transaction of the reminders it carries;
    `deliver_outbox` sends it and marks it sent (at least once, never lost)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        WECOM = "wecom", _("WeCom (企业微信)")
        DINGTALK = "dingtalk", _("DingTalk (钉钉)")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # what makes it one a day: "email:<user>:<day>", "robot:<robot>:<day>"
    dedupe = models.CharField(max_length=80, unique=True)
    day = models.DateField(_("day"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    robot = models.ForeignKey(
        RobotChannel,
        verbose_name=_("group robot"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    target = models.CharField(pgettext_lazy("message", "to"), max_length=500)
    payload = models.JSONField(_("message"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed = models.BooleanField(_("given up"), default=False)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_pending",
                condition=models.Q(sent_at__isnull=True, failed=False),
            )
        ]

    def __str__(self):
        return f"{self.channel} → {self.target}"


class Preference(models.Model):
    """A person's choice: no reminder e-mails (the inbox always gets them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    email_muted = models.BooleanField(_("no reminder e-mails"), default=False)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return str(self.user)
