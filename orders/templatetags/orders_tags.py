from decimal import Decimal

from django import template
from django.utils.html import format_html

from orders.money import format_cny, format_price, rmb_in_words
from orders.stages import colour
from orders.submissions import new_form_token

register = template.Library()


@register.filter
def cny(value):
    """¥1,234.50 — amounts with the yuan sign and thousands separators."""
    return format_cny(value)


@register.filter
def rmb_words(value):
    """人民币壹万贰仟叁佰肆拾伍元陆角柒分 — an amount in Chinese capitals (金额大写)."""
    return rmb_in_words(value)


@register.filter
def price(value):
    """¥68,000.00 — a unit price with thousands separators, 2 to 4 decimals."""
    return format_price(value)


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
def form_token():
    """A fresh one-time token for a form that must not act twice (orders.submissions)."""
    return format_html(
        '<input type="hidden" name="form_token" value="{}">', new_form_token()
    )


@register.simple_tag
def stage_tag(stage, label):
    return format_html(
        '<span class="tag tag-{}" data-stage="{}">{}</span>',
        colour(stage),
        stage,
        label,
    )


@register.simple_tag(takes_context=True)
def panel(context, rendered):
    """A registered panel (orders.registry), rendered with its own context on top of
    the page's, as {% include %} would."""
    template = context.template.engine.get_template(rendered.template)
    with context.push(**rendered.context):
        return template.render(context)
