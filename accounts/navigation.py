"""The navigation: each entry names the permission that shows it, so a user sees only
what their roles may open. accounts declares the workbench and the administration;
each app registers its own entries from its AppConfig.ready() (`register`)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .permissions import has_role_perm


@dataclass(frozen=True)
class NavItem:
    key: str
    label: object
    url_name: str
    icon: str
    # None: every user holding a role; a tuple: any one of them.
    permission: str | tuple[str, ...] | None = None
    # Dotted path of `f(user) -> int`: how many items wait for this user there.
    counter: str | None = None
    # Kept in the menu of the shop floor's roles (a workshop lead's phone).
    shop_floor: bool = False
    # Its place in the menu (accounts' home 0, orders' 100–199, production's
    # 200–299 …, the administration last).
    position: int = 500
    # The app that registered it.
    app: str = "accounts"

    def visible_to(self, user) -> bool:
        if self.permission is None:
            return True
        wanted = (
            (self.permission,) if isinstance(self.permission, str) else self.permission
        )
        return any(has_role_perm(user, p) for p in wanted)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# accounts' own entries; each app registers its own (`register`) from its
# AppConfig.ready(), with its place in the menu.
_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem, *, override: bool = False) -> NavItem:
    """An app's entry in the navigation. A key registered twice is refused unless
    `override` says the app means it."""
    if item.key in _ITEMS and _ITEMS[item.key] != item and not override:
        raise ValueError(f"Navigation entry {item.key!r} is registered twice")
    _ITEMS[item.key] = item
    return item


def forget_app(app: str) -> None:
    """The entries `app` registered, gone."""
    for key in [k for k, item in _ITEMS.items() if item.app == app]:
        del _ITEMS[key]


def items() -> list[NavItem]:
    """Every entry, in menu order."""
    return sorted(_ITEMS.values(), key=lambda i: (i.position, i.key))


for _item in (
    NavItem(
        "home",
        _("My work"),
        "home",
        "fa-house",
        counter="core.queues.waiting_count",
        position=0,
    ),
    NavItem(
        "admin",
        _("Administration"),
        "admin:index",
        "fa-gear",
        "accounts.view_admin_console",
        position=900,
    ),
):
    register(_item)


# Roles that work on the shop floor, from a phone: their menu holds only the shop
# floor's entries (their slips, the board); the brand leads to their workbench and
# the bell to their inbox.
SHOP_FLOOR_ROLES = frozenset({"workshop_lead"})


def nav_for(user) -> list[NavItem]:
    from .roles import roles_of

    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    if not (roles or user.is_superuser):
        return []
    shown = [item for item in items() if item.visible_to(user)]
    if roles and not user.is_superuser and {r.code for r in roles} <= SHOP_FLOOR_ROLES:
        shown = [item for item in shown if item.shop_floor]
    return shown


def nav_entries(user) -> list[dict]:
    """Navigation with the waiting-item count beside each entry."""
    entries = []
    for item in nav_for(user):
        count = import_string(item.counter)(user) if item.counter else 0
        entries.append({"item": item, "count": count})
    return entries
