"""The reminders' writes.

`send_reminders(as_of)` reads the scan (reminders.scan) and, in one transaction,
writes each reminder once (item, kind, day, recipient), the in-app notices, and the
outbox rows: one e-mail digest per person per day, one robot digest per department
robot per day. Two runs of one day — one after the other or at once — take the
day's row lock in turn; the second finds the first's reminders and writes none.

`deliver_outbox()` sends what the outbox holds, one row at a time under its own row
lock: a failure is recorded with the next attempt's time (backoff doubling) and
never stops the others; a crash between sending and marking repeats one message at
most (at least once), never loses one."""

from __future__ import annotations

import logging
import traceback
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Department
from accounts.workdays import get_calendar
from notifications.models import Notification
from orders.registry import due_sources

from . import conf, digests, senders
from .digests import item_text
from .models import Kind, Outbox, Preference, Reminder, RobotChannel, RunDay, RunLog
from .scan import STAGE_SOURCE, OpenItem, open_items

log = logging.getLogger(__name__)

NOTICE_KIND = "reminder"


# --- who is told what -------------------------------------------------------------------


def _source_labels() -> dict[str, str]:
    labels = {s.key: str(s.label) for s in due_sources()}
    labels[STAGE_SOURCE] = _("stage")
    return labels


def _managers() -> list[int]:
    """Whoever sees the escalation list: the roles granted it (the production
    manager and the general manager)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__permissions__codename="view_escalations",
            groups__permissions__content_type__app_label="reminders",
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


def plan(items: list[OpenItem]) -> list[tuple[OpenItem, str, int]]:
    """(item, kind, recipient id) for every reminder the items call for: the
    responsible person or, when none, the department's head; the head too after M
    working days overdue; the managers after K."""
    heads = dict(
        Department.objects.filter(head__is_active=True).values_list("pk", "head_id")
    )
    named = {i.user_id for i in items if i.user_id is not None}
    active = set(
        get_user_model()
        .objects.filter(pk__in=named, is_active=True)
        .values_list("pk", flat=True)
    )
    managers = (
        _managers() if any(i.overdue >= conf.managers_after() for i in items) else []
    )
    planned = []
    for item in items:
        head = heads.get(item.department_id)
        responsible = item.user_id if item.user_id in active else head
        kind = Kind.DUE if item.overdue <= 0 else Kind.OVERDUE
        if responsible is not None:
            planned.append((item, kind, responsible))
        if item.overdue >= conf.head_after() and head and head != responsible:
            planned.append((item, Kind.HEAD, head))
        if item.overdue >= conf.managers_after():
            planned.extend((item, Kind.MANAGERS, m) for m in managers)
    return planned


def _message(item: OpenItem, kind: str, labels) -> str:
    values = {
        "item": item_text(item, labels),
        "number": item.order_number,
        "date": item.due_date.isoformat(),
        "days": item.overdue,
    }
    if kind == Kind.DUE:
        return _("Reminder: %(item)s of order %(number)s is due on %(date)s.") % values
    if kind == Kind.OVERDUE:
        return (
            _(
                "Overdue: %(item)s of order %(number)s was due on %(date)s, "
                "%(days)s working days ago."
            )
            % values
        )
    return (
        _(
            "Escalated to you as the department's head: %(item)s of order %(number)s "
            "is %(days)s working days overdue (due %(date)s)."
        )
        % values
    )


# --- the daily run ------------------------------------------------------------------


def send_reminders(
    as_of: date | None = None, *, trigger: str = RunLog.Trigger.TASK, force=False
) -> RunLog:
    """Remind everyone of the open items due by `as_of` + N working days or overdue.
    A rest day of the company calendar is skipped (logged) unless `force`."""
    as_of = as_of or timezone.localdate()
    run = RunLog.objects.create(as_of=as_of, trigger=trigger)
    try:
        if not force and not get_calendar().is_working_day(as_of):
            run.skipped = True
        else:
            _run(run, as_of)
    except Exception:
        run.errors = traceback.format_exc()[-4000:]
        run.finished_at = timezone.now()
        run.save()
        log.exception("reminders for %s failed", as_of)
        raise
    run.finished_at = timezone.now()
    run.save()
    return run


def _run(run: RunLog, as_of: date) -> None:
    items = open_items(as_of)
    planned = plan(items)
    labels = _source_labels()
    run.items = len(items)
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        RunDay.objects.get_or_create(day=as_of)
        RunDay.objects.select_for_update().get(day=as_of)
        done = set(
            Reminder.objects.filter(day=as_of).values_list(
                "key", "kind", "recipient_id"
            )
        )
        new = [
            (item, kind, uid)
            for item, kind, uid in planned
            if (item.key, kind, uid) not in done
        ]
        Reminder.objects.bulk_create(
            (
                Reminder(
                    key=item.key,
                    kind=kind,
                    day=as_of,
                    recipient_id=uid,
                    source=item.source,
                    order_id=item.order_id,
                    order_number=item.order_number,
                    label=item.label,
                    department_id=item.department_id,
                    due_date=item.due_date,
                    committed_date=item.committed_date,
                    overdue_days=item.overdue,
                )
                for item, kind, uid in new
            ),
            batch_size=1000,
        )
        _notices(new, labels)
        run.reminders = len(new)
        run.outbox = _queue_digests(as_of, items, planned, labels)


def _notices(new, labels) -> None:
    """The inbox: one notice per new reminder (the managers: one a day saying how
    many wait in the escalation list), in the run's transaction."""
    notices = []
    escalated = defaultdict(int)
    for item, kind, uid in new:
        if kind == Kind.MANAGERS:
            escalated[uid] += 1
            continue
        notices.append(
            Notification(
                user_id=uid,
                message=_message(item, kind, labels)[:500],
                link=reverse("orders:detail", kwargs={"number": item.order_number}),
                kind=NOTICE_KIND,
            )
        )
    link = reverse("reminders:escalations")
    for uid, count in sorted(escalated.items()):
        message = ngettext(
            "%(count)s item is more than %(days)s working days overdue: see the "
            "escalation list.",
            "%(count)s items are more than %(days)s working days overdue: see the "
            "escalation list.",
            count,
        ) % {"count": count, "days": conf.managers_after() - 1}
        notices.append(
            Notification(user_id=uid, message=message, link=link, kind=NOTICE_KIND)
        )
    Notification.objects.bulk_create(notices, batch_size=1000)


def _queue_digests(as_of: date, items, planned, labels) -> int:
    """The day's e-mail digest for each person with reminders (unless muted or
    without an address) and the robot digest for each department's robot. Written
    once a day each; a second run of the day rewrites a digest not yet sent."""
    by_user = defaultdict(list)
    for item, kind, uid in planned:
        by_user[uid].append((item, kind))
    users = {
        u.pk: u
        for u in get_user_model()
        .objects.filter(pk__in=by_user, is_active=True)
        .exclude(email="")
        .exclude(pk__in=Preference.objects.filter(email_muted=True).values("user_id"))
    }
    rows = []
    for uid, user in users.items():
        rows.append(
            Outbox(
                channel=Outbox.Channel.EMAIL,
                dedupe=f"email:{uid}:{as_of}",
                day=as_of,
                recipient_id=uid,
                target=user.email,
                payload=digests.email(user, as_of, by_user[uid], labels),
            )
        )
    by_department = defaultdict(list)
    for item in items:
        by_department[item.department_id].append(item)
    robots = RobotChannel.objects.filter(
        active=True, department_id__in=[d for d in by_department if d]
    ).select_related("department")
    for robot in robots:
        rows.append(
            Outbox(
                channel=robot.kind,
                dedupe=f"robot:{robot.pk}:{as_of}",
                day=as_of,
                robot=robot,
                target=robot.webhook_url,
                payload=digests.robot(
                    robot, as_of, by_department[robot.department_id], labels
                ),
            )
        )
    queued = {
        o.dedupe: o for o in Outbox.objects.filter(dedupe__in=[r.dedupe for r in rows])
    }
    fresh = [r for r in rows if r.dedupe not in queued]
    Outbox.objects.bulk_create(fresh, batch_size=500)
    for row in rows:
        old = queued.get(row.dedupe)
        if old is not None and old.sent_at is None and old.payload != row.payload:
            Outbox.objects.filter(pk=old.pk, sent_at__isnull=True).update(
                payload=row.payload
            )
    return len(fresh)


# --- delivering ------------------------------------------------------------------------


def _pending(now):
    return Outbox.objects.filter(sent_at__isnull=True, failed=False).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def deliver_outbox(*, ids=None, limit: int = 500) -> dict:
    """Send the outbox rows that are due (or `ids`): each under its own lock and
    transaction, so a failure — recorded, retried later with backoff, given up after
    REMINDERS_SEND_ATTEMPTS — never blocks the others."""
    counts = {"sent": 0, "failed": 0}
    queue = _pending(timezone.now())
    if ids is not None:
        queue = queue.filter(pk__in=ids)
    for pk in list(queue.order_by("id").values_list("pk", flat=True)[:limit]):
        outcome = deliver_one(pk)
        if outcome:
            counts[outcome] += 1
    return counts


def deliver_one(pk: int) -> str | None:
    with transaction.atomic():
        row = (
            _pending(timezone.now())
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk)
            .select_related("robot", "recipient")
            .first()
        )
        if row is None:  # sent, given up, or another sender has it
            return None
        row.attempts += 1
        try:
            senders.send(row)
        except Exception as error:  # noqa: BLE001 — every failure is recorded
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            if row.attempts >= settings.REMINDERS_SEND_ATTEMPTS:
                row.failed = True
            else:
                wait = settings.REMINDERS_RETRY_SECONDS * 2 ** (row.attempts - 1)
                row.next_attempt_at = timezone.now() + timedelta(seconds=wait)
            row.save(
                update_fields=["attempts", "last_error", "failed", "next_attempt_at"]
            )
            log.warning("outbox %s: attempt %s failed: %s", pk, row.attempts, error)
            return "failed"
        row.sent_at = timezone.now()
        row.save(update_fields=["attempts", "sent_at"])
        return "sent"


def preference_email_mute(*, user, muted: bool) -> Preference:
    """A person's own choice: no reminder e-mails (the inbox still gets them)."""
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email_muted": muted}
    )
    return preference
