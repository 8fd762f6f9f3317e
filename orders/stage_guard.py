"""Only the gate writes an order's stage — enforced when it happens, not by a grep.

`Order.save()`, `update()`, `bulk_update()` and `bulk_create()` refuse to write a
changed stage (or a new order that is not a draft) unless the write happens inside
`stage_writes()`. The gate (orders.workflow) opens it for the one save it makes;
the bulk seeding of benchmark data (orders.scale) and tests that build orders at
given stages are the only other callers allowed to open it.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from contextvars import ContextVar

# Modules allowed to write stages directly, besides tests.
ALLOWED_MODULES = frozenset({"orders.workflow", "orders.scale"})
STAGE_FIELDS = frozenset({"stage", "held_stage"})

_writer: ContextVar[str | None] = ContextVar("stage_writer", default=None)


class StageWriteRefused(RuntimeError):
    """Something other than the gate tried to change an order's stage."""


@contextmanager
def stage_writes():
    """Allow stage writes for the block; only the declared modules may ask."""
    caller = sys._getframe(2).f_globals.get("__name__", "")
    if caller not in ALLOWED_MODULES and not caller.startswith("tests."):
        raise StageWriteRefused(
            f"{caller} may not write an order's stage: only orders.workflow.order_move "
            "does (and the benchmark seeder)."
        )
    token = _writer.set(caller)
    try:
        yield
    finally:
        _writer.reset(token)


def check(what: str) -> None:
    if _writer.get() is None:
        raise StageWriteRefused(
            f"{what}: an order's stage changes only through its move "
            "(orders.workflow.order_move), which records who, when and why."
        )
