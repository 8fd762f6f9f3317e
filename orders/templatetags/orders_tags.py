from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html

from orders.stages import colour

register = template.Library()


@register.filter
def cny(value):
    """¥1,234.50 — amounts with the yuan sign and thousands separators."""
    if value in (None, ""):
        return "-"
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    whole, _dot, cents = f"{abs(amount):.2f}".partition(".")
    return f"{sign}¥{intcomma(int(whole), use_l10n=False)}.{cents}"


@register.filter
def qty(value):
    if value in (None, ""):
        return "-"
    value = Decimal(value).normalize()
    return f"{value:f}"


@register.filter
def percent(rate):
    if rate in (None, ""):
        return "-"
    return f"{(Decimal(rate) * 100).normalize():f}%"


@register.simple_tag
def stage_tag(stage, label):
    return format_html(
        '<span class="tag tag-{}" data-stage="{}">{}</span>',
        colour(stage),
        stage,
        label,
    )
