"""What delivery grants each role (accounts.roles.grant, from
DeliveryConfig.ready()): the warehouse keeps the stock and ships; a salesperson
records a date the customer agreed to; finance, the production manager, the GM,
the chairman, QC and after-sales read the stock and shipments."""

from __future__ import annotations

APP = "delivery"


def _delivery(*codenames: str) -> tuple[str, ...]:
    return tuple(f"delivery.{name}" for name in codenames)


GRANTS: dict[str, tuple[str, ...]] = {
    "warehouse": _delivery("manage_warehouse", "view_delivery"),
    "sales": _delivery("agree_date"),
    "finance": _delivery("view_delivery"),
    "production_manager": _delivery("view_delivery"),
    "general_manager": _delivery("view_delivery"),
    "chairman": _delivery("view_delivery"),
    "qc_inspector": _delivery("view_delivery"),
    "after_sales": _delivery("view_delivery"),
}
