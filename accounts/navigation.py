"""The navigation, declared once: each entry names the permission that shows it, so a
user sees only what their roles may open. Later apps add their entries here."""

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


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(
        "home",
        _("My work"),
        "home",
        "fa-house",
        counter="core.queues.waiting_count",
    ),
    NavItem(
        "orders",
        _("Orders"),
        "orders:list",
        "fa-list",
        ("orders.view_all_orders", "orders.enter_order"),
    ),
    NavItem(
        "new_order", _("New order"), "orders:create", "fa-plus", "orders.enter_order"
    ),
    NavItem(
        "contracts",
        _("Contracts"),
        "orders:contracts",
        "fa-file-signature",
        ("orders.view_all_orders", "orders.manage_contract"),
    ),
    NavItem(
        "stand_ins",
        _("Stand-ins"),
        "orders:delegations",
        "fa-user-clock",
        "orders.delegate_approval",
    ),
    NavItem(
        "slips",
        _("Dispatch slips"),
        "production:slips",
        "fa-clipboard-list",
        (
            "production.report_slips",
            "production.manage_plans",
            "production.view_plans",
        ),
        shop_floor=True,
    ),
    NavItem(
        "plans",
        _("Production plans"),
        "production:plans",
        "fa-calendar-days",
        (
            "production.manage_plans",
            "production.view_plans",
            "production.receive_plan",
        ),
    ),
    NavItem(
        "plan_changes",
        _("Plan changes"),
        "production:plan_changes",
        "fa-pen-to-square",
        ("production.manage_plans", "production.approve_plan_changes"),
    ),
    NavItem(
        "board",
        _("Plan board"),
        "production:board",
        "fa-table-cells",
        (
            "production.manage_plans",
            "production.view_plans",
            "production.report_slips",
        ),
        shop_floor=True,
    ),
    NavItem(
        "routings",
        _("Routings"),
        "production:routings",
        "fa-route",
        "production.manage_routings",
    ),
    NavItem(
        "materials",
        _("Materials"),
        "production:materials_list",
        "fa-boxes-stacked",
        ("production.manage_materials", "production.manage_plans"),
    ),
    NavItem(
        "admin",
        _("Administration"),
        "admin:index",
        "fa-gear",
        "accounts.view_admin_console",
    ),
)


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
    items = [item for item in NAV_ITEMS if item.visible_to(user)]
    if roles and not user.is_superuser and {r.code for r in roles} <= SHOP_FLOOR_ROLES:
        items = [item for item in items if item.shop_floor]
    return items


def nav_entries(user) -> list[dict]:
    """Navigation with the waiting-item count beside each entry."""
    entries = []
    for item in nav_for(user):
        count = import_string(item.counter)(user) if item.counter else 0
        entries.append({"item": item, "count": count})
    return entries
