"""The import's and the export's figures for `manage.py bench` (issue 24), not run
in CI:

- `imports.orders.10k`: a 10,000-row spreadsheet of ≈3,333 orders with three
  lines each, read, checked row by row against orders' rules and imported
  all-or-nothing with the orders' history lines — next to a bare `bulk_create` of
  the same orders, lines and events in the same run (no reading, no checks). Both
  inside a transaction rolled back: the data stays as it was. Goal: ≥ 2,000 rows/s
  and ≥ 0.33× the bare rate; peak memory ≤ 300 MB.
- `exports.orders.100k`: 100,000 rows of the order list's columns written as CSV
  and as XLSX through core.exports (the database's orders; when it holds fewer,
  its rows given again until there are 100,000); peak memory ≤ 150 MB.

Peak memory is the process's peak resident set over the work, above what it held
before (Linux resets the peak through /proc/self/clear_refs); elsewhere Python's
own allocations (tracemalloc).
"""

from __future__ import annotations

import io
import time
import tracemalloc
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.bench import role_user
from core.bench import Bench, register
from core.exports import export_rows, stream_export
from orders.exports import ORDER_COLUMNS
from orders.models import Customer, Order, OrderEvent, OrderLine

from . import plans
from .kinds import ORDERS
from .reading import read_sheet

ROWS = 10_000
LINES = 3
EXPORT_ROWS = 100_000


class _Rollback(Exception):
    pass


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


class _Peak:
    """The process's peak resident memory over a block, above what it held when
    the block began (Linux: the peak is reset through /proc/self/clear_refs);
    elsewhere Python's own allocations (tracemalloc, much slower)."""

    def __enter__(self):
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
            self.base = _status_kb("VmRSS")
            self.how = "rss"
        except OSError:
            tracemalloc.start()
            self.how = "tracemalloc"
        self.process_mb = None
        return self

    def __exit__(self, *exc):
        if self.how == "rss":
            self.process_mb = _status_kb("VmHWM") / 1024
            self.mb = max(_status_kb("VmHWM") - self.base, 0) / 1024
        else:
            self.mb = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()


def _sheet_bytes(customers: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(
        ["客户", "客户订单号", "型号", "规格", "数量", "单位", "单价", "交货日期"]
    )
    due = timezone.localdate() + timedelta(days=40)
    for row in range(ROWS):
        order = row // LINES
        sheet.append(
            [
                customers[order % len(customers)],
                f"BENCH-{order:06d}",
                f"GB-D{1000 + row % LINES}",
                "6.0mm",
                100 + row % 7,
                "片",
                Decimal("3.20"),
                due,
            ]
        )
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _import(data: bytes, actor) -> dict:
    started = time.perf_counter()
    sheet = read_sheet(data, "bench.xlsx", limit=ROWS)
    read = time.perf_counter()
    # as the confirm runs it: the file read and planned again, orders' rules
    # asked by the service that writes
    result = plans.plan(ORDERS, sheet, actor=actor, source="bench.xlsx", preview=False)
    checked = time.perf_counter()
    assert result.valid, result.problems[:3]
    result.apply()
    done = time.perf_counter()
    return {
        "read_s": round(read - started, 2),
        "check_s": round(checked - read, 2),
        "write_s": round(done - checked, 2),
        "total_s": round(done - started, 2),
        "orders": result.records[plans.NEW],
    }


def _bare(actor, customers: list[Customer]) -> float:
    """The same orders, lines and events by bulk_create alone."""
    started = time.perf_counter()
    today = timezone.localdate()
    due = today + timedelta(days=40)
    count = ROWS // LINES + (1 if ROWS % LINES else 0)
    orders = [
        Order(
            number=f"BARE-{n:06d}",
            customer=customers[n % len(customers)],
            salesperson=actor,
            created_by=actor,
            channel="email",
            customer_po=f"BARE-{n:06d}",
            order_date=today,
            requested_date=due,
        )
        for n in range(count)
    ]
    Order.objects.bulk_create(orders)
    lines = []
    for row in range(ROWS):
        order = orders[row // LINES]
        amount = Decimal("3.20") * (100 + row % 7)
        lines.append(
            OrderLine(
                order=order,
                position=row % LINES + 1,
                model_code=f"GB-D{1000 + row % LINES}",
                spec="6.0mm",
                quantity=100 + row % 7,
                unit="片",
                unit_price=Decimal("3.20"),
                net_amount=amount,
                tax_amount=Decimal(0),
                gross_amount=amount,
            )
        )
    OrderLine.objects.bulk_create(lines, batch_size=2000)
    OrderEvent.objects.bulk_create(
        [OrderEvent(order=o, type="created", user=actor) for o in orders],
        batch_size=2000,
    )
    return time.perf_counter() - started


@register(
    "imports.orders.10k",
    group="imports",
    goal="≥ 2,000 rows/s, ≥ 0.33× bare bulk_create, peak ≤ 300 MB",
    check=lambda line, lines: (
        None
        if line.get("rows_per_s") is None
        else line["rows_per_s"] >= 2000
        and line["vs_bare"] >= 0.33
        and line["peak_mb"] <= 300
    ),
)
def import_orders(bench: Bench) -> dict:
    actor = role_user(bench, "sales")
    customers = list(Customer.objects.order_by("pk")[:50])
    if not customers:
        raise LookupError("No customers: seed the data first")
    data = _sheet_bytes([c.name for c in customers])
    # the preview (read and checked, nothing written)
    started = time.perf_counter()
    preview = plans.plan(
        ORDERS, read_sheet(data, "bench.xlsx", limit=ROWS), actor=actor, source="b"
    )
    preview_s = time.perf_counter() - started
    bench.out(f"imports.orders.10k: preview {preview_s:.1f} s")
    assert preview.valid, preview.problems[:3]
    # the import, timed, then again for its peak memory; each rolled back
    figures = {}
    try:
        with transaction.atomic():
            figures = _import(data, actor)
            bench.out(f"imports.orders.10k: import {figures}")
            raise _Rollback
    except _Rollback:
        pass
    with _Peak() as peak:
        try:
            with transaction.atomic():
                _import(data, actor)
                raise _Rollback
        except _Rollback:
            pass
    bench.out(f"imports.orders.10k: peak {peak.mb:.0f} MB ({peak.how})")
    try:
        with transaction.atomic():
            bare = _bare(actor, customers)
            bench.out(f"imports.orders.10k: bare bulk_create {bare:.1f} s")
            raise _Rollback
    except _Rollback:
        pass
    rate = ROWS / figures["total_s"]
    bare_rate = ROWS / bare
    return {
        "median_ms": round(figures["total_s"] * 1000),
        "rows": ROWS,
        "rows_per_s": round(rate),
        "bare_ms": round(bare * 1000),
        "bare_rows_per_s": round(bare_rate),
        "vs_bare": round(rate / bare_rate, 2),
        "peak_mb": round(peak.mb, 1),
        "peak_by": peak.how,
        "process_peak_mb": peak.process_mb and round(peak.process_mb),
        "preview_s": round(preview_s, 2),
        "runs": 1,
        **figures,
    }


def _rows(count: int):
    """`count` rows of the order list's columns: the database's orders in chunks;
    when it holds fewer, its rows given again until there are `count`."""
    queryset = Order.objects.order_by("pk")
    if queryset.count() >= count:
        yield from export_rows(queryset[:count], ORDER_COLUMNS)
        return
    some = list(export_rows(queryset, ORDER_COLUMNS))
    if not some:
        return
    for index in range(count):
        yield some[index % len(some)]


def _drain(response) -> int:
    size = 0
    if response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
    return size


@register(
    "exports.orders.100k",
    group="imports",
    goal="peak ≤ 150 MB",
    check=lambda line, lines: (
        None if line.get("peak_mb") is None else line["peak_mb"] <= 150
    ),
)
def export_orders(bench: Bench) -> list[dict]:
    results = []
    for extension in ("csv", "xlsx"):
        with _Peak() as peak:
            started = time.perf_counter()
            response = stream_export(
                _rows(EXPORT_ROWS), ORDER_COLUMNS, extension=extension, name="orders"
            )
            size = _drain(response)
            elapsed = time.perf_counter() - started
        response.close()
        bench.out(f"exports.orders.100k.{extension}: {elapsed:.1f} s, {peak.mb:.0f} MB")
        results.append(
            {
                "name": f"exports.orders.100k.{extension}",
                "median_ms": round(elapsed * 1000),
                "rows": EXPORT_ROWS,
                "bytes": size,
                "peak_mb": round(peak.mb, 1),
                "peak_by": peak.how,
                "process_peak_mb": peak.process_mb and round(peak.process_mb),
                "runs": 1,
            }
        )
    return results
