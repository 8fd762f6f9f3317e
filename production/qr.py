"""The slip's QR code: an SVG drawn by segno (pure Python, no image service), inline
in the page with no style attribute, so the strict CSP lets it through."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def svg(url: str) -> SafeString:
    """The QR code of `url` as inline SVG markup (a white quiet zone included, so a
    phone's camera finds it on any paper), sized by the stylesheet (a viewBox, no
    width or height: print.css makes it 26 mm on the slip)."""
    code = segno.make(url, error="m")
    # segno escapes nothing it is given but the URL it encodes; the markup is its own.
    return mark_safe(  # noqa: S308
        code.svg_inline(scale=1, border=4, light="#fff", dark="#000", omitsize=True)
    )
