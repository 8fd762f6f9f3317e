"""Who may see and act in delivery, declared once (django-rules predicates, asked
through accounts.permissions.may / require and `{% may %}`).

The warehouse (仓管/物流) receives goods into stock, ships them and records the
customer's signed receipt (回单) and a shortfall the customer agreed to; the order's
salesperson records a new date the customer agreed to; finance, the production
manager, the GM, the chairman, QC and after-sales read the stock and the
shipments; a salesperson reads their own orders'. Asked without an object, a
relation holds (the view's first check)."""

from __future__ import annotations

import rules

from accounts.permissions import holds


@rules.predicate
def salesperson_of_order(user, order) -> bool:
    """The order is the user's own (its salesperson)."""
    if order is None:
        return True
    return order.salesperson_id == user.pk


@rules.predicate
def salesperson_of_shipment(user, shipment) -> bool:
    if shipment is None:
        return True
    return shipment.order.salesperson_id == user.pk


warehouse = holds("delivery.manage_warehouse")
reads_all = holds("delivery.view_delivery") | warehouse
sales = holds("orders.enter_order")

RULES = {
    # The warehouse's pages at all (workbench lists, shipments).
    "delivery.view_delivery": reads_all,
    # obj: a shipment. Its page, its printed 送货单 and the certificate.
    "delivery.view_shipment": reads_all | (sales & salesperson_of_shipment),
    # obj: an order. Its stock, shipments and agreed dates on the order page.
    "delivery.view_order": reads_all | (sales & salesperson_of_order),
    # Receive goods into stock (入库), ship (发货), record the 回单, close a
    # shortfall the customer agreed to.
    "delivery.manage": warehouse,
    # obj: an order. Record the new date the customer agreed to: its salesperson.
    "delivery.agree_date": holds("delivery.agree_date") & salesperson_of_order,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
