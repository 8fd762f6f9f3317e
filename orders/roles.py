"""What orders grants each role (accounts.roles.grant, from OrdersConfig.ready()):
taking and entering orders, the review, the quote, the contract, the drawings, the
approvals — and reading orders, customers and the catalogue, which every office role
but sales (who see only their own orders) and the workshop leads (who work from
their dispatch slips) holds."""

from __future__ import annotations

APP = "orders"


def _orders(*codenames: str) -> tuple[str, ...]:
    return tuple(f"orders.{name}" for name in codenames)


READ = _orders("view_all_orders", "view_customer", "view_product")

GRANTS: dict[str, tuple[str, ...]] = {
    "sales": _orders(
        "enter_order",
        "submit_order",
        "request_change",
        "manage_contract",
        "accept_quote",
        "view_customer",
        "add_customer",
        "view_product",
    ),
    "quoter": READ + _orders("manage_quote", "accept_quote"),
    "production_manager": READ
    + _orders("conclude_review", "approve_change", "cancel_order"),
    "dept_reviewer": READ + _orders("sign_review"),
    "general_manager": READ
    + _orders(
        "approve_order", "approve_large_change", "cancel_order", "delegate_approval"
    ),
    "chairman": READ,
    "technical": READ + _orders("issue_drawings"),
    "purchasing": READ,
    "production_planner": READ + _orders("complete_production"),
    "qc_inspector": READ + _orders("pass_inspection"),
    "warehouse": READ + _orders("confirm_delivery"),
    "finance": READ + _orders("approve_credit", "settle_order", "change_customer"),
    "after_sales": READ,
    "system_admin": READ
    + _orders("add_customer", "change_customer", "add_product", "change_product"),
}
