"""Who may see and who may act on an order (审批权限), declared once.

Each rule below is an action: the permission it needs (held through a role) **and**
the relation to the order that makes it the actor's business. A salesperson acts on
their own orders only, whatever else their other roles let them see; the roles that
manage an action for every order (the production manager organising reviews, the
general manager approving, the technical department issuing drawings …) say so here.

Views check these before calling a service, services check them again, templates ask
them through `{% may %}`. Rules say *who*; whether the order's stage allows the action
now is the service's refusal (InvalidMove), shown as a message.
"""

from __future__ import annotations

import rules
from django.conf import settings

from accounts.permissions import holds, role_permissions

# --- relations ------------------------------------------------------------------------
# Asked without an object (`may(user, "orders.edit_order")`), a relation holds: the
# answer is then whether the user's roles allow the action on some order at all, as
# the navigation and a view's first check want. With the object, it decides.


@rules.predicate
def is_salesperson(user, order) -> bool:
    """The order is this salesperson's own."""
    if order is None:
        return True
    return order.salesperson_id == user.pk


@rules.predicate
def in_sales_department(user, order) -> bool:
    """Seeing only: with SALES_SEE_DEPARTMENT_ORDERS a salesperson also sees the
    orders of their department. Acting stays with the order's own salesperson."""
    if order is None:
        return True
    return bool(
        settings.SALES_SEE_DEPARTMENT_ORDERS
        and user.department_id is not None
        and order.sales_department_id == user.department_id
    )


@rules.predicate
def row_of_own_department(user, signoff) -> bool:
    """A review row belongs to the reviewer's department."""
    if signoff is None:
        return True
    return signoff.department_id == user.department_id


@rules.predicate
def is_stand_in_for_approver(user) -> bool:
    """Named by the general manager as stand-in (代理审批) for today."""
    from .authority import acting_for

    return acting_for(user, "orders.approve_order")[0]


def _change_approver(user, change) -> bool:
    """The production manager decides a pending change, the general manager one
    awaiting them; without a change (or a decided one): either role."""
    held = role_permissions(user)
    status = getattr(change, "status", None)
    if status == "pending":
        return "orders.approve_change" in held
    if status == "awaiting_gm":
        return "orders.approve_large_change" in held
    return bool({"orders.approve_change", "orders.approve_large_change"} & held)


decides_change = rules.Predicate(_change_approver, name="decides_change")

# --- seeing ---------------------------------------------------------------------------

sees_order = holds("orders.view_all_orders") | (
    holds("orders.enter_order") & (is_salesperson | in_sales_department)
)
may_search = holds("orders.view_all_orders") | holds("orders.enter_order")

# --- acting ---------------------------------------------------------------------------

# The salesperson's own order.
owns = holds("orders.enter_order") & is_salesperson
approver = holds("orders.approve_order") | is_stand_in_for_approver

RULES = {
    "orders.view_order": sees_order,
    "orders.search": may_search,
    "orders.create_order": holds("orders.enter_order"),
    "orders.edit_order": owns,
    "orders.copy_order": owns,
    "orders.submit_order": holds("orders.submit_order") & is_salesperson,
    # Sales on their own orders; the production manager on any (review documents).
    "orders.attach_file": owns | holds("orders.conclude_review"),
    "orders.add_customer": holds("orders.add_customer"),
    "orders.approve_credit": holds("orders.approve_credit"),
    "orders.request_change": holds("orders.request_change") & is_salesperson,
    # obj: the change request; the production manager, then the GM above the limit.
    "orders.decide_change": decides_change,
    "orders.resume_after_change": holds("orders.approve_change")
    | holds("orders.approve_large_change"),
    "orders.cancel_order": holds("orders.cancel_order"),
    "orders.send_back": holds("orders.conclude_review"),
    "orders.open_review": holds("orders.conclude_review"),
    "orders.conclude_review": holds("orders.conclude_review"),
    # obj: the review row; a reviewer signs their own department's row only.
    "orders.sign_review": holds("orders.sign_review") & row_of_own_department,
    "orders.approve_order": approver,
    # The quoter prepares quotes for every order.
    "orders.prepare_quote": holds("orders.manage_quote"),
    "orders.decide_quote": approver,
    # The salesperson of the order, or the quoter who handles its quotes.
    "orders.accept_quote": holds("orders.accept_quote")
    & (is_salesperson | holds("orders.manage_quote")),
    "orders.record_contract": holds("orders.manage_contract") & is_salesperson,
    "orders.read_contracts": holds("orders.view_all_orders")
    | holds("orders.manage_contract"),
    "orders.manage_drawings": holds("orders.issue_drawings"),
    "orders.name_stand_in": holds("orders.delegate_approval"),
    # Later stages: their own apps add the relations (own workshop, own shipment …).
    "orders.complete_production": holds("orders.complete_production"),
    "orders.pass_inspection": holds("orders.pass_inspection"),
    "orders.confirm_delivery": holds("orders.confirm_delivery"),
    "orders.settle_order": holds("orders.settle_order"),
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
