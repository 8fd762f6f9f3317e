"""The navigation, declared once: each entry names the permission that shows it, so a
user sees only what their roles may open. Later apps add their entries here."""

from dataclasses import dataclass

from django.utils.module_loading import import_string

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: object
    url_name: str
    icon: str
    permission: str | None = None  # None: every user holding a role
    # Dotted path of `f(user) -> int`: how many items wait for this user there.
    counter: str | None = None

    def visible_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("home", _("My work"), "home", "fa-house"),
    NavItem(
        "admin",
        _("Administration"),
        "admin:index",
        "fa-gear",
        "accounts.view_admin_console",
    ),
)


def nav_for(user) -> list[NavItem]:
    from .roles import roles_of

    if not user.is_authenticated:
        return []
    if not (roles_of(user) or user.is_superuser):
        return []
    return [item for item in NAV_ITEMS if item.visible_to(user)]


def nav_entries(user) -> list[dict]:
    """Navigation with the waiting-item count beside each entry."""
    entries = []
    for item in nav_for(user):
        count = import_string(item.counter)(user) if item.counter else 0
        entries.append({"item": item, "count": count})
    return entries
