"""delivery's entries in the navigation (accounts.navigation), registered from
DeliveryConfig.ready(): the warehouse's stock and the shipments."""

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

ITEMS = (
    NavItem(
        "warehouse",
        _("Warehouse"),
        "delivery:warehouse",
        "fa-warehouse",
        "delivery.manage_warehouse",
        position=400,
        app="delivery",
    ),
    NavItem(
        "shipments",
        _("Shipments"),
        "delivery:shipments",
        "fa-truck",
        ("delivery.manage_warehouse", "delivery.view_delivery"),
        position=410,
        app="delivery",
    ),
)
