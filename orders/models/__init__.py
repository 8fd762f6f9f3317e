from .change import ChangeRequest
from .customer import Customer, Product
from .event import OrderEvent
from .order import (
    FormSubmission,
    NumberSequence,
    Order,
    OrderAttachment,
    OrderLine,
    StageDeadline,
)

__all__ = [
    "ChangeRequest",
    "Customer",
    "FormSubmission",
    "NumberSequence",
    "Order",
    "OrderAttachment",
    "OrderEvent",
    "OrderLine",
    "Product",
    "StageDeadline",
]
