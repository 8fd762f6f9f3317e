"""imports' entry in the navigation, for whoever may import something."""

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

ITEMS = (
    NavItem(
        "imports",
        _("Import"),
        "imports:start",
        "fa-file-import",
        ("orders.enter_order", "orders.add_customer", "orders.add_product"),
        position=150,
        app="imports",
    ),
)
