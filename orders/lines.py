"""Priced lines (型号 × 数量 × 单价), written once for orders and quotes: what a line
is, what makes it valid, and its amounts (one rounding rule: orders.money). The
browser shows what the server computes here (the lines' totals are an htmx
partial), never a second calculation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .money import amount_problems, cny, line_amounts


@dataclass
class LineInput:
    model_code: str
    quantity: Decimal
    unit_price: Decimal
    spec: str = ""
    unit: str = "件"
    price_includes_tax: bool = True
    vat_rate: Decimal = Decimal("0.13")
    product: object = None


@dataclass(frozen=True)
class PricedLine:
    line: LineInput
    unit_price: Decimal  # after any discount
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True)
class Priced:
    lines: list[PricedLine]
    net: Decimal
    tax: Decimal
    gross: Decimal


def line_problems(lines, *, check_vat: bool = True) -> list:
    """What is wrong with each line, in words (line numbers from 1); then, if the
    lines are fine, whether their amounts fit what the database keeps."""
    problems = []
    for n, line in enumerate(lines, start=1):
        if not (line.model_code or "").strip():
            problems.append(_("Line %(n)s: the model is missing.") % {"n": n})
        if line.quantity is None or Decimal(line.quantity) <= 0:
            problems.append(
                _("Line %(n)s: the quantity must be greater than 0.") % {"n": n}
            )
        if line.unit_price is None or Decimal(line.unit_price) < 0:
            problems.append(
                _("Line %(n)s: the unit price cannot be negative.") % {"n": n}
            )
        if check_vat and (
            line.vat_rate is None or not (0 <= Decimal(line.vat_rate) < 1)
        ):
            problems.append(
                _("Line %(n)s: the VAT rate must be between 0 and 1.") % {"n": n}
            )
    if not problems:
        problems = amount_problems(
            (x.quantity, x.unit_price, x.price_includes_tax, x.vat_rate or 0)
            for x in lines
        )
    return problems


def price(lines, *, discount_percent=0) -> Priced:
    """Each line's amounts (at its own tax basis and rate, after the discount) and
    the totals."""
    factor = (Decimal(100) - Decimal(discount_percent or 0)) / Decimal(100)
    rows = []
    for line in lines:
        unit_price = Decimal(line.unit_price) * factor
        net, tax, gross = line_amounts(
            line.quantity, unit_price, line.price_includes_tax, line.vat_rate
        )
        rows.append(PricedLine(line, unit_price, net, tax, gross))
    return Priced(
        rows,
        cny(sum((r.net for r in rows), Decimal(0))),
        cny(sum((r.tax for r in rows), Decimal(0))),
        cny(sum((r.gross for r in rows), Decimal(0))),
    )
