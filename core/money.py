"""Amounts, the Chinese way: prices entered tax-inclusive (含税) or not, with the VAT
rate; amounts in CNY to 2 decimals, rounded half up as invoices are. The one place
that computes a line's amounts, checks them against what the database keeps, and
writes them as ¥1,234.50."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
# The largest amount a money column keeps (14 digits, 2 of them decimals).
MAX_AMOUNT = Decimal("999999999999.99")


def cny(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_cny(value) -> str:
    """¥1,234.50: the yuan sign, thousands separators, two decimals."""
    if value in (None, ""):
        return "-"
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def rmb_in_words(value) -> str:
    """金额大写 as cheques, invoices and contracts write it: 人民币壹万贰仟叁佰肆拾伍元
    陆角柒分. The digits come from cn2an (its "rmb" mode keeps the usual rules: one 零
    for a run of zeros, 壹拾 for a leading ten, 整 after 元); this adds the 人民币
    prefix and 整 after 角 when there is no 分, so nothing can be written after it."""
    if value in (None, ""):
        return ""
    import cn2an  # a quarter of a second to import: only pages that print it pay

    amount = cny(value)
    words = cn2an.an2cn(f"{amount:f}", "rmb")
    if words.endswith("角"):
        words += "整"
    return f"人民币{words}"


def plain(value) -> str:
    """A number as people type it: no exponent, no trailing zeros (68000, 3.8)."""
    if value in (None, ""):
        return ""
    number = Decimal(value)
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def format_price(value) -> str:
    """A unit price as read: ¥68,000.00, ¥3.805 — two to four decimals."""
    if value in (None, ""):
        return "-"
    number = Decimal(value)
    decimals = max(2, min(4, -number.normalize().as_tuple().exponent))
    sign = "-" if number < 0 else ""
    return f"{sign}¥{abs(number):,.{decimals}f}"


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


def amount_problems(lines) -> list:
    """What the database could not keep, in words: a line whose amount, or a total,
    is over MAX_AMOUNT. `lines` are (quantity, unit_price, includes_tax, vat_rate)."""
    problems = []
    gross_total = net_total = Decimal(0)
    for number, (quantity, unit_price, includes_tax, vat_rate) in enumerate(
        lines, start=1
    ):
        try:
            net, _tax, gross = line_amounts(
                quantity, unit_price, includes_tax, vat_rate
            )
        except (InvalidOperation, ArithmeticError):
            net = gross = None
        if gross is None or max(net, gross) > MAX_AMOUNT:
            problems.append(
                _(
                    "Line %(n)s: its amount is over the largest amount the system "
                    "keeps (%(max)s); the amount is too large."
                )
                % {"n": number, "max": format_cny(MAX_AMOUNT)}
            )
            continue
        gross_total += gross
        net_total += net
    if not problems and max(gross_total, net_total) > MAX_AMOUNT:
        problems.append(
            _(
                "The total of %(total)s is over the largest amount the system keeps "
                "(%(max)s); split it into several orders."
            )
            % {"total": format_cny(gross_total), "max": format_cny(MAX_AMOUNT)}
        )
    return problems
