"""Reads for the contract review sheet, GM approvals and quotes."""

QUEUES = ()


def review_sections(*, order, user) -> dict:
    """Context for the review sheet, approval and quote sections of the order page."""
    return {}
