"""The reminders' figure for `manage.py bench` (issue 22): the daily scan — every
open due item due within N working days or overdue, from the stage deadlines and
every registered due source — against the raw SQL of the same selection (its
statements replayed through a bare cursor: the floor), with its peak memory."""

from __future__ import annotations

import tracemalloc

from django.utils import timezone

from core.bench import Bench, register

from . import scan

PEAK_MB = 200


def _met(line: dict, lines: dict) -> bool | None:
    if line.get("ratio") is None:
        return None
    return line["ratio"] <= 2 and line.get("peak_mb", 0) <= PEAK_MB


@register(
    "reminders.scan",
    group="reminders",
    goal=f"≤ 2× floor; peak ≤ {PEAK_MB} MB",
    check=_met,
)
def reminder_scan(bench: Bench) -> dict:
    as_of = timezone.localdate()
    found = []

    def run(day):
        found[:] = [len(scan.open_items(day))]

    result = bench.call(lambda: as_of, run, explain=True)
    tracemalloc.start()
    try:
        scan.open_items(as_of)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    peak_mb = round(peak / 1024 / 1024, 1)
    result.update(
        items=found[0],
        peak_mb=peak_mb,
        # the report's "page" column shows what this figure has instead of a page
        page=f"{found[0]} items, peak {peak_mb} MB",
        user="-",
    )
    return result
