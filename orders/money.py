"""Money is everyone's: core.money (kept importable from here for orders' own
modules)."""

from core.money import (
    CENT,
    MAX_AMOUNT,
    amount_problems,
    cny,
    format_cny,
    format_price,
    line_amounts,
    plain,
    rmb_in_words,
)

__all__ = [
    "CENT",
    "MAX_AMOUNT",
    "amount_problems",
    "cny",
    "format_cny",
    "format_price",
    "line_amounts",
    "plain",
    "rmb_in_words",
]
