"""`{% may "orders.edit_order" order as can_edit %}`: templates ask the same declared
rules as views and services (accounts.permissions)."""

from django import template

from accounts.permissions import may as _may

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action, obj=None):
    return _may(context["request"].user, action, obj)
