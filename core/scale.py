"""Scale data for measuring (issue 11): what `manage.py seed_scale` hands each app's
scale seeder, and the bulk writer they share.

Each app that keeps records declares a seeder `f(ctx: ScaleContext) -> None` in its
`scale.py` and is listed in `core.management.commands.seed_scale.SEEDERS`; a seeder
reads what earlier ones left in `ctx.shared` (the users by role, the departments …)
and leaves its own for the next.

The writer appends rows with ids it hands out itself, so that an order's lines,
events and review sheet can be written in the same batch without reading anything
back: on PostgreSQL through `COPY … FROM STDIN` (the fastest way in), elsewhere
(SQLite, in the tests) through `executemany`. Fields such as `created_at` are
written as given: `auto_now_add` is a model-save rule and does not apply here, which
is what lets the data spread over ten years.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection as default_connection
from django.db import models

# The busy order every size holds (200 lines, 500 events, in production): its
# customer PO, by which orders' seeder marks it and the others and the bench find it.
BUSY_PO = "BENCH-BUSY"


@dataclass
class ScaleContext:
    orders: int
    batch: int
    rng: random.Random
    now: datetime
    append: bool = False
    out: Callable[[str], None] = print
    # What one seeder leaves for the next (users by role, departments, customers …).
    shared: dict = field(default_factory=dict)
    # What each seeder wrote, for the command's summary: {"orders": 1000, …}.
    counts: dict = field(default_factory=dict)


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        return "t" if value else "f"
    elif isinstance(value, (int, float, Decimal)):
        return str(value)
    elif isinstance(value, (datetime, date)):
        return value.isoformat()
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class Table:
    def __init__(self, model: type[models.Model], fields: tuple[str, ...]):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        self.columns = [f.column for f in self.fields]
        self.rows: list[tuple] = []
        self.written = 0


class BulkWriter:
    """Rows collected per table and written on `flush()` in dependency order (the
    order in which the tables were declared)."""

    def __init__(self, connection=None):
        self.connection = connection or default_connection
        self.tables: dict[type[models.Model], Table] = {}
        self._next_id: dict[type[models.Model], int] = {}

    def declare(self, model, fields: tuple[str, ...]) -> Table:
        table = Table(model, fields)
        self.tables[model] = table
        return table

    def next_id(self, model) -> int:
        """The next free primary key of `model`: ids are handed out here, and the
        database's sequence is moved past them by `reset_sequences()`."""
        if model not in self._next_id:
            top = model.objects.aggregate(top=models.Max("pk"))["top"] or 0
            self._next_id[model] = top + 1
        value = self._next_id[model]
        self._next_id[model] = value + 1
        return value

    def add(self, model, row: tuple) -> None:
        self.tables[model].rows.append(row)

    def pending(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())

    def flush(self) -> None:
        postgres = self.connection.vendor == "postgresql"
        with self.connection.cursor() as cursor:
            for table in self.tables.values():
                if not table.rows:
                    continue
                if postgres:
                    self._copy(cursor, table)
                else:
                    self._insert(cursor, table)
                table.written += len(table.rows)
                table.rows = []

    def _copy(self, cursor, table: Table) -> None:
        buffer = io.StringIO()
        write = buffer.write
        for row in table.rows:
            write("\t".join([_copy_text(v) for v in row]))
            write("\n")
        buffer.seek(0)
        quote = self.connection.ops.quote_name
        sql = "COPY {} ({}) FROM STDIN".format(
            quote(table.model._meta.db_table),
            ", ".join(quote(c) for c in table.columns),
        )
        # The psycopg2 cursor under Django's wrapper.
        cursor.cursor.copy_expert(sql, buffer)

    def _insert(self, cursor, table: Table) -> None:
        quote = self.connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(table.model._meta.db_table),
            ", ".join(quote(c) for c in table.columns),
            ", ".join(["%s"] * len(table.columns)),
        )
        fields = table.fields
        prepared = [
            tuple(
                f.get_db_prep_save(v, self.connection)
                for f, v in zip(fields, row, strict=True)
            )
            for row in table.rows
        ]
        cursor.executemany(sql, prepared)

    def reset_sequences(self) -> None:
        """Move each table's id sequence past the ids handed out here."""
        statements = self.connection.ops.sequence_reset_sql(
            no_style(), list(self.tables)
        )
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def written(self) -> dict[str, int]:
        return {
            t.model._meta.label: t.written for t in self.tables.values() if t.written
        }
