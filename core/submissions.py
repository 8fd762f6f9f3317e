"""A form posted twice does its work once.

Every page that writes carries a one-time token (a UUID in a hidden field). The
service claims it in the same transaction as the work: the first post does the work
and records where it led; a second post of the same token (a double click, a resent
form) raises DuplicateSubmission with that address, and the view answers as the first
one did. A failed post rolls its claim back with everything else, so it can be
retried."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from .exceptions import DuplicateSubmission
from .models import FormSubmission


def new_form_token() -> str:
    return str(uuid.uuid4())


def claim_token(token, actor) -> FormSubmission | None:
    """Claim a posted token; None when the form carried none (or junk)."""
    if not token:
        return None
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return None
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(token=token, user=actor)
    except IntegrityError:
        done = FormSubmission.objects.filter(token=token).first()
        raise DuplicateSubmission(done.result_url if done else "") from None


def record_result(submission: FormSubmission | None, url: str) -> None:
    if submission is not None:
        submission.result_url = url
        submission.save(update_fields=["result_url"])
