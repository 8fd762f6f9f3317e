"""Reads, one module per part of the walk; callers import from here."""

from .order import (
    TrackerRow,
    customer_search,
    events_before,
    events_readable_by,
    hidden_event_types,
    lines_after,
    order_for_page,
    order_list,
    order_visible_to,
    orders_visible_to,
    product_search,
    readable,
    salesperson_search,
    stage_tracker,
)

__all__ = [
    "TrackerRow",
    "customer_search",
    "events_before",
    "events_readable_by",
    "hidden_event_types",
    "lines_after",
    "order_for_page",
    "order_list",
    "order_visible_to",
    "orders_visible_to",
    "product_search",
    "readable",
    "salesperson_search",
    "stage_tracker",
]
