"""Who may import what (django-rules, asked through accounts.permissions.may /
require): only the roles that may create the rows — sales enter orders and add
customers, the system administrator keeps the catalogue; changing an existing
customer or product takes the right to change it (finance, the administrator).
Each user sees their own imports; the administrator every one."""

from __future__ import annotations

import rules

from accounts.permissions import holds


@rules.predicate
def own_import(user, log) -> bool:
    if log is None:
        return True
    return log.user_id == user.pk


import_orders = holds("orders.enter_order")
import_customers = holds("orders.add_customer")
import_products = holds("orders.add_product")

RULES = {
    "imports.import_orders": import_orders,
    "imports.import_customers": import_customers,
    "imports.update_customers": holds("orders.change_customer"),
    "imports.import_products": import_products,
    "imports.update_products": holds("orders.change_product"),
    # the catalogue out, in the import's own columns (export, edit, import again)
    "imports.export_customers": holds("orders.view_customer"),
    "imports.export_products": holds("orders.view_product"),
    "imports.import_any": import_orders | import_customers | import_products,
    "imports.view_import": (import_orders | import_customers | import_products)
    & own_import,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
