"""Reads for the contract and the drawings."""

QUEUES = ()


def technical_sections(*, order, user) -> dict:
    """Context for the contract and drawings sections of the order page."""
    return {}
