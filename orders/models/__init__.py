from .change import ChangeRequest
from .contract import Contract, Drawing, KeyRequirement
from .customer import Customer, Product
from .event import OrderEvent
from .order import (
    NumberSequence,
    Order,
    OrderAttachment,
    OrderLine,
    StageDeadline,
)
from .quote import Quote, QuoteLine
from .review import ApprovalDelegation, ContractReview, ReviewSignoff

__all__ = [
    "ApprovalDelegation",
    "ChangeRequest",
    "Contract",
    "ContractReview",
    "Customer",
    "Drawing",
    "KeyRequirement",
    "NumberSequence",
    "Order",
    "OrderAttachment",
    "OrderEvent",
    "OrderLine",
    "Product",
    "Quote",
    "QuoteLine",
    "ReviewSignoff",
    "StageDeadline",
]
