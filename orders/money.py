"""Amounts, the Chinese way: prices entered tax-inclusive (含税) or not, with the VAT
rate; amounts in CNY to 2 decimals, rounded half up as invoices are."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cny(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amounts(quantity, unit_price, includes_tax: bool, vat_rate):
    """(net, tax, gross) for one line."""
    quantity, unit_price, vat_rate = (
        Decimal(quantity),
        Decimal(unit_price),
        Decimal(vat_rate),
    )
    if includes_tax:
        gross = cny(quantity * unit_price)
        net = cny(gross / (1 + vat_rate))
        return net, gross - net, gross
    net = cny(quantity * unit_price)
    tax = cny(net * vat_rate)
    return net, tax, net + tax
