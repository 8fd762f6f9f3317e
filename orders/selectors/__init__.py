"""Reads, one module per part of the walk; callers import from here."""

from .order import (
    TrackerRow,
    customer_search,
    order_for_page,
    order_list,
    order_visible_to,
    orders_visible_to,
    product_search,
    salesperson_search,
    stage_tracker,
)
from .queues import Queue, QueueItem, queues_for, waiting_count

__all__ = [
    "Queue",
    "QueueItem",
    "TrackerRow",
    "customer_search",
    "order_for_page",
    "order_list",
    "order_visible_to",
    "orders_visible_to",
    "product_search",
    "queues_for",
    "salesperson_search",
    "stage_tracker",
    "waiting_count",
]
