"""Reading one cell: text, a number, an amount, a date, yes/no, one of a field's
choices. A cell that cannot be read raises CellError with what is wrong in words;
the numbers go through django-import-export's widgets."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import override
from import_export import widgets


class CellError(ValueError):
    pass


def empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(max_length: int | None = None):
    def parse(value):
        if empty(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        shown = value.isoformat() if isinstance(value, date) else str(value).strip()
        if max_length and len(shown) > max_length:
            raise CellError(
                _("Too long: at most %(n)s characters (this has %(len)s).")
                % {"n": max_length, "len": len(shown)}
            )
        return shown

    return parse


_DECIMAL = widgets.DecimalWidget()
_INTEGER = widgets.IntegerWidget()


def decimal(value):
    if empty(value):
        return None
    if isinstance(value, (bool, date)):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, str):
        value = value.replace(",", "").replace("，", "").replace("¥", "").strip()
    try:
        number = _DECIMAL.clean(str(value) if isinstance(value, float) else value)
    except (InvalidOperation, ValueError, TypeError):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if number is None or not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    return number


def integer(value):
    number = decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    return int(_INTEGER.clean(str(int(number))))


def percent(value):
    """13%, 13 or 0.13 — a rate between 0 and 1 comes back."""
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        number = decimal(value.strip()[:-1])
        return None if number is None else number / 100
    number = decimal(value)
    if number is None:
        return None
    return number / 100 if number >= 1 else number


def percent_points(value):
    """A percentage as the order keeps it (30 for 30%)."""
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        return decimal(value.strip()[:-1])
    number = decimal(value)
    if number is not None and 0 < number < 1:
        return number * 100
    return number


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def day(value):
    if empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    shown = str(value).strip()
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(shown, form).date()
        except ValueError:
            continue
    raise CellError(
        _("“%(value)s” is not a date; write it as 2026-12-31.") % {"value": value}
    )


_YES = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_NO = {"否", "n", "no", "false", "0", "×", "无", ""}


def yes_no(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    shown = str(value).strip().lower()
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if shown in _YES:
        return True
    if shown in _NO:
        return None if shown == "" else False
    raise CellError(_("“%(value)s” is neither 是 nor 否.") % {"value": value})


def choice(field):
    """One of a model field's choices, by its code or its label in either language."""

    def names():
        found = {}
        for code, label in field.choices:
            found[str(code).lower()] = code
            for language in ("zh-hans", "en"):
                with override(language):
                    found[str(label).lower()] = code
        return found

    def parse(value):
        if empty(value):
            return None
        code = names().get(str(value).strip().lower())
        if code is None:
            labels = "、".join(str(label) for _code, label in field.choices)
            raise CellError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": labels}
            )
        return code

    return parse


_MONTHLY = re.compile(r"^(?:月结|monthly|net)\s*(\d+)\s*(?:天|日|days?)?$", re.I)
_BEFORE = {"款到发货", "先款后货", "现款", "payment before shipment", "prepaid"}


def payment(value):
    """付款方式: 款到发货, or 月结 N 天 — the order's terms."""
    if empty(value):
        return {}
    shown = str(value).strip().lower()
    if shown in _BEFORE:
        return {"pay_before_shipment": True}
    found = _MONTHLY.match(shown.replace(" ", ""))
    if found:
        return {"monthly_settlement_days": int(found.group(1))}
    raise CellError(
        _("“%(value)s”: write the payment terms as 款到发货 or 月结30天.")
        % {"value": value}
    )


def money(value):
    number = decimal(value)
    return None if number is None else Decimal(number)
