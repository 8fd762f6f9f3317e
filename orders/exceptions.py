from django.core.exceptions import PermissionDenied, ValidationError

__all__ = [
    "DuplicateSubmission",
    "InvalidMove",
    "PermissionDenied",
    "StaleEdit",
    "ValidationError",
]


class InvalidMove(Exception):
    """The move is not in the table from the order's stage, or its precondition is not
    met. The message says why, in the user's language."""


class StaleEdit(Exception):
    """Someone saved the order after this form was opened."""

    def __init__(self, message, events=()):
        super().__init__(message)
        self.events = list(events)


class DuplicateSubmission(Exception):
    """The same form was submitted twice; the first one did the work."""

    def __init__(self, result_url: str):
        super().__init__(result_url)
        self.result_url = result_url
