"""orders' own sections of the order page, registered like any app's panels
(orders.registry): the review with the GM's approval and the quotes, and the contract
with the drawings."""

from .registry import ORDER_PAGE, Panel, panel
from .selectors.contract import technical_sections
from .selectors.review import review_sections


def register_panels() -> None:
    panel(
        Panel(
            "review",
            ORDER_PAGE,
            "orders/_review_section.html",
            lambda order, user: review_sections(order=order, user=user),
            position=10,
            app="orders",
        )
    )
    panel(
        Panel(
            "technical",
            ORDER_PAGE,
            "orders/_technical_panel.html",
            lambda order, user: technical_sections(order=order, user=user),
            position=30,
            app="orders",
        )
    )
