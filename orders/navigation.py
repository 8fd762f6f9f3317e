"""orders' entries in the navigation (accounts.navigation), registered from
OrdersConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

ITEMS = (
    NavItem(
        "orders",
        _("Orders"),
        "orders:list",
        "fa-list",
        ("orders.view_all_orders", "orders.enter_order"),
        position=100,
        app="orders",
    ),
    NavItem(
        "new_order",
        _("New order"),
        "orders:create",
        "fa-plus",
        "orders.enter_order",
        position=110,
        app="orders",
    ),
    NavItem(
        "contracts",
        _("Contracts"),
        "orders:contracts",
        "fa-file-signature",
        ("orders.view_all_orders", "orders.manage_contract"),
        position=120,
        app="orders",
    ),
    NavItem(
        "stand_ins",
        _("Stand-ins"),
        "orders:delegations",
        "fa-user-clock",
        "orders.delegate_approval",
        position=130,
        app="orders",
    ),
)
