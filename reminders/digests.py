"""The day's digests, written into the outbox as they will be sent: an e-mail per
person (a plain-text and an HTML part, in Chinese) and a markdown message per
department robot (WeCom and DingTalk take the same markdown)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Kind


def item_text(item, labels: dict[str, str]) -> str:
    """「派工单 PS-0001」: the source's label and the item's own words."""
    return f"{labels.get(item.source, item.source)} {item.label}".strip()


def _kind_words(kind: str, item) -> str:
    if kind == Kind.DUE:
        return _("due on %(date)s") % {"date": item.due_date.isoformat()}
    words = _("%(days)s working days overdue") % {"days": item.overdue}
    if kind == Kind.HEAD:
        return _("%(words)s, escalated to you as head") % {"words": words}
    if kind == Kind.MANAGERS:
        return _("%(words)s, escalated to the managers") % {"words": words}
    return words


def _lines(entries, labels) -> list[dict]:
    base = settings.REMINDERS_SITE_URL.rstrip("/")
    return [
        {
            "order": item.order_number,
            "item": item_text(item, labels),
            "state": _kind_words(kind, item),
            "overdue": item.overdue > 0,
            "url": base + reverse("orders:detail", args=[item.order_number]),
        }
        for item, kind in entries
    ]


def email(user, as_of: date, entries, labels) -> dict:
    """{"subject", "text", "html"} for one person's day."""
    lines = _lines(entries, labels)
    context = {
        "user": user,
        "name": user.display_name or user.get_username(),
        "day": as_of,
        "lines": lines,
        "overdue": sum(1 for line in lines if line["overdue"]),
        "preferences_url": settings.REMINDERS_SITE_URL.rstrip("/")
        + reverse("reminders:preferences"),
    }
    subject = _("Order reminders for %(day)s: %(count)s items") % {
        "day": as_of.isoformat(),
        "count": len(lines),
    }
    return {
        "subject": subject,
        "text": render_to_string("reminders/email_digest.txt", context),
        "html": render_to_string("reminders/email_digest.html", context),
    }


# The most a robot takes in one markdown message (bytes): WeCom 4096, DingTalk 20000.
ROBOT_LIMIT = {"wecom": 4096, "dingtalk": 20000}


def _md(text: str) -> str:
    """Markdown's own marks in a record's words would change the message."""
    for mark in ("\\", "*", "_", "`", "[", "]", "#", ">"):
        text = text.replace(mark, "\\" + mark)
    return text


def robot(robot, as_of: date, items, labels) -> dict:
    """{"title", "text"}: the department's open items of the day, most overdue
    first, one line each."""
    title = _("%(department)s: order reminders %(day)s") % {
        "department": robot.department.name,
        "day": as_of.isoformat(),
    }
    overdue = [i for i in items if i.overdue > 0]
    lines = [
        f"### {_md(title)}",
        _("%(count)s items, %(overdue)s overdue")
        % {"count": len(items), "overdue": len(overdue)},
        "",
    ]
    limit = ROBOT_LIMIT.get(robot.kind, 4000) - 200
    size = sum(len(line.encode()) + 1 for line in lines)
    for shown, item in enumerate(items):
        state = (
            _("**%(days)s working days overdue**") % {"days": item.overdue}
            if item.overdue > 0
            else _("due on %(date)s") % {"date": item.due_date.isoformat()}
        )
        line = f"- {_md(item.order_number)} {_md(item_text(item, labels))}: {state}"
        size += len(line.encode()) + 1
        if size > limit:
            # the robots refuse a longer message: the rest is in the system
            lines.append(
                _("… and %(count)s more: see the order system")
                % {"count": len(items) - shown}
            )
            break
        lines.append(line)
    return {"title": title, "text": "\n".join(lines)}
