"""The refusals every app's services raise and every view answers the same way:
a step that is not possible now (InvalidMove, with the words the user reads), a
page opened before someone else's save (StaleEdit), a form posted twice
(DuplicateSubmission), and Django's PermissionDenied and ValidationError."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = [
    "DuplicateSubmission",
    "InvalidMove",
    "PermissionDenied",
    "StaleEdit",
    "ValidationError",
]


class InvalidMove(Exception):
    """The step is not possible now — a move not in the table from the order's stage,
    a precondition not met, an action a check holds. The message says why, in the
    user's language."""


class StaleEdit(Exception):
    """Someone saved the record after this form was opened; `events` are what
    happened since, when the record keeps a history."""

    def __init__(self, message, events=()):
        super().__init__(message)
        self.events = list(events)


class DuplicateSubmission(Exception):
    """The same form was submitted twice; the first one did the work."""

    def __init__(self, result_url: str):
        super().__init__(result_url)
        self.result_url = result_url
