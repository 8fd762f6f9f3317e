"""The line figures checked against the records, summed here independently."""

from __future__ import annotations

from collections import defaultdict

from production.selectors import line_output
from quality.models import Inspection, Nonconformance
from quality.selectors import line_figures


def independent(order) -> dict:
    """{line id: figures} summed straight from the rows, in Python."""
    out = defaultdict(lambda: defaultdict(int))
    corrected = set(
        Inspection.objects.filter(corrects__isnull=False).values_list(
            "corrects_id", flat=True
        )
    )
    for i in Inspection.objects.filter(order=order, kind="final"):
        if i.pk in corrected:
            continue
        row = out[i.line_id]
        if i.nonconformance_id:
            row["re_inspected"] += i.inspected
            row["re_passed"] += i.passed
        else:
            row["inspected"] += i.inspected
            row["passed"] += i.passed
            row["failed"] += i.failed
    for nc in Nonconformance.objects.filter(order=order, inspection__kind="final"):
        row = out[nc.line_id]
        if nc.status in ("decided", "closed"):
            row["rework"] += nc.rework_qty
            row["scrapped"] += nc.scrap_qty
            row["conceded"] += nc.concession_qty
        if nc.status not in ("closed", "withdrawn"):
            row["open"] += 1
    return out


def check_every_line(orders) -> int:
    checked = 0
    for order in orders:
        produced = {row.line.pk: row.produced for row in line_output(order)}
        mine = independent(order)
        for f in line_figures(order, produced=False):
            row = mine[f.line.pk]
            for code in (
                "inspected",
                "passed",
                "failed",
                "re_inspected",
                "re_passed",
                "rework",
                "scrapped",
                "conceded",
            ):
                assert getattr(f, code) == row[code], (order.number, code)
            # first-pass inspected ≤ produced; re-inspected ≤ reworked
            assert row["inspected"] <= produced.get(f.line.pk, 0), order.number
            assert row["re_inspected"] <= row["rework"], order.number
            assert row["inspected"] == row["passed"] + row["failed"]
            if not row["open"]:
                assert row["failed"] + row["re_inspected"] - row["re_passed"] == (
                    row["rework"] + row["scrapped"] + row["conceded"]
                ), order.number
            # accepted counts a conceded piece once
            assert f.accepted == row["passed"] + row["re_passed"] + row["conceded"]
            checked += 1
    return checked
