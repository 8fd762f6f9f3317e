import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the unified social credit code (统一社会信用代码), 18 characters from
# this alphabet (no I, O, S, V, Z) with a check character at the end.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_LEGACY_TAX_ID = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-Z]{20}$")


def uscc_check_char(first17: str) -> str:
    total = sum(
        _USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_tax_id(value: str) -> None:
    """纳税人识别号: an 18-character unified social credit code with a valid check
    character, or a legacy 15/20-character taxpayer number."""
    code = (value or "").strip().upper()
    if not code:
        return
    if len(code) == 18:
        if (
            all(c in _USCC_ALPHABET for c in code)
            and uscc_check_char(code[:17]) == code[17]
        ):
            return
    elif _LEGACY_TAX_ID.match(code):
        return
    raise ValidationError(
        _(
            "“%(value)s” is not a valid taxpayer ID: expected the 18-character "
            "unified social credit code (or an old 15- or 20-character number)."
        ),
        code="invalid_tax_id",
        params={"value": value},
    )
