"""Writes of the quality app, one module per subject: inspections
(`inspections`), nonconformances and their disposition (`nonconformance`) and the
order's move out of inspection (`passing`). Each function takes keyword
arguments, checks the actor (quality.permissions), locks the order's row first,
then the lines it draws on, then its own rows, and writes the order's history
(orders.services.record_event). Callers import from here."""

from .common import APP, MOVE, photo_limits
from .inspections import (
    CheckResult,
    inspection_correct,
    inspection_record,
    line_seen,
)
from .nonconformance import (
    nonconformance_consent,
    nonconformance_rework,
    nonconformance_sign,
    nonconformance_submit,
    quality_manager,
)
from .passing import inspection_refusal, order_pass

__all__ = [
    "APP",
    "MOVE",
    "CheckResult",
    "inspection_correct",
    "inspection_record",
    "inspection_refusal",
    "line_seen",
    "nonconformance_consent",
    "nonconformance_rework",
    "nonconformance_sign",
    "nonconformance_submit",
    "order_pass",
    "photo_limits",
    "quality_manager",
]
