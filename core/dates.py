"""Dates a record of an order may carry: a plan finishing on 9999-12-31 or starting
on 1900-01-01 is a slip of the finger, not a plan, and a date past the calendar's
reach turns every later sum of working days into an error page. Each app anchors
the span on its own record (the order's dates, a slip's plan) and refuses what
falls outside it with the span in the message — before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DateSpan:
    earliest: date
    latest: date

    def __contains__(self, value: date) -> bool:
        return self.earliest <= value <= self.latest


def span_around(*dates: date | None, today: date) -> DateSpan:
    """From `settings.DATE_SLACK_BEFORE_DAYS` before the earliest of `dates` (and
    today) to `settings.DATE_SLACK_AFTER_DAYS` after the latest of them."""
    known = [d for d in dates if d is not None] + [today]
    return DateSpan(
        min(known) - timedelta(days=settings.DATE_SLACK_BEFORE_DAYS),
        max(known) + timedelta(days=settings.DATE_SLACK_AFTER_DAYS),
    )


def check_within(span: DateSpan, errors: dict, **values: date | None) -> None:
    """Add a refusal to `errors[name]` for each given date outside `span`."""
    for name, value in values.items():
        if value is not None and value not in span:
            errors.setdefault(name, []).append(
                _("Give a date between %(earliest)s and %(latest)s.")
                % {
                    "earliest": span.earliest.isoformat(),
                    "latest": span.latest.isoformat(),
                }
            )
