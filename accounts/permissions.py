"""Who may act, asked in one way by views, services and templates.

Seeing is not acting. An action on an object needs the action's permission, held
through a declared role (accounts.roles), **and** a declared relation to the object
(its salesperson, a role that manages that action for every order, the department
of a review row …). Each app declares its actions as named rules (django-rules
predicates) in its own `permissions.py`; everything asks `may()` / `require()` here,
and templates ask `{% may "orders.edit_order" order as can_edit %}`.

Permissions come from the user's roles only: the superuser flag opens the admin site,
it does not make the system administrator a salesperson or a general manager.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

__all__ = ["has_role_perm", "holds", "may", "require", "role_permissions"]


def role_permissions(user) -> frozenset[str]:
    """Every "app.codename" the user holds through their roles (and any permission
    given to them directly), cached on the user object for the request. A superuser
    holds only what their roles give."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_permissions", None)
    if cached is None:
        if not user.is_active:
            cached = frozenset()
        elif user.is_superuser:
            from .roles import roles_of

            cached = frozenset(p for role in roles_of(user) for p in role.permissions)
        else:
            cached = frozenset(user.get_all_permissions())
        user._role_permissions = cached
    return cached


def has_role_perm(user, permission: str) -> bool:
    """`user.has_perm` without the superuser's blanket yes."""
    return permission in role_permissions(user)


def holds(permission: str) -> rules.Predicate:
    """A predicate: the user holds `permission` through a role."""

    def check(user) -> bool:
        return permission in role_permissions(user)

    return rules.Predicate(check, name=f"holds:{permission}")


def may(user, action: str, obj=None) -> bool:
    """True when `user` may do `action` (a declared rule) to `obj`. Without `obj`,
    whether the user's roles allow the action on some object at all (every relation
    is taken to hold). An undeclared action is a programming error, not a silent
    "no"."""
    if not rules.rule_exists(action):
        raise LookupError(f"No rule declared for {action!r}")
    return rules.test_rule(action, user, obj)


def require(user, action: str, obj=None, message=None) -> None:
    """Raise PermissionDenied unless `may(user, action, obj)`."""
    if not may(user, action, obj):
        raise PermissionDenied(message or _("You may not do this."))
