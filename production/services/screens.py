"""车间看板链接: making and revoking the address a workshop's wall TV opens its
screen from (production.models.ScreenLink). The token is shown once, when it is
made, and only its hash is kept; revoking is immediate — the next poll of a TV
using it shows the plain "link no longer valid" page."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.exceptions import InvalidMove, ValidationError
from core.submissions import claim_token, record_result

from ..models import ScreenLink
from .common import _require, _text

logger = logging.getLogger(__name__)

# 160 random bits, 27 characters in the address.
TOKEN_BYTES = 20
# How often a TV's poll records that the link is in use (at most).
SEEN_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class NewScreenLink:
    link: ScreenLink
    token: str  # shown once, never stored

    @property
    def path(self) -> str:
        return reverse("production:wall", kwargs={"token": self.token})


@transaction.atomic
def screen_link_create(
    *, actor, workshop: Department | None, label: str = "", form_token=None
) -> NewScreenLink:
    """A new address for a workshop's wall TV. Other links of the workshop stay
    valid (one per TV); revoke the one a TV no longer needs."""
    _require(actor, "production.manage_screen_links")
    submission = claim_token(form_token, actor)
    if workshop is None or workshop.kind != Department.Kind.WORKSHOP:
        raise ValidationError({"workshop": [_("Please choose a workshop or line.")]})
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ScreenLink(
        workshop=workshop,
        label=_text(label, 64),
        token_hash=ScreenLink.hash_token(token),
        created_by=actor,
    )
    link.full_clean(validate_unique=False)
    link.save()
    record_result(submission, reverse("production:screen_links"))
    logger.info("wall screen link %s made for %s by %s", link.pk, workshop.code, actor)
    return NewScreenLink(link=link, token=token)


@transaction.atomic
def screen_link_revoke(*, actor, link: ScreenLink, reason: str = "") -> ScreenLink:
    """The link stops working at once, for good."""
    _require(actor, "production.manage_screen_links")
    link = ScreenLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        raise InvalidMove(_("This link is already revoked."))
    link.revoked_at = timezone.now()
    link.revoked_by = actor
    link.revoked_reason = _text(reason, 200)
    link.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    logger.info("wall screen link %s revoked by %s", link.pk, actor)
    return link


def screen_link_seen(link: ScreenLink) -> None:
    """Record that a TV opened the link (at most every few minutes), so the planner
    sees which links are in use — and notices one used where no TV should be."""
    now = timezone.now()
    if link.last_seen_at is None or now - link.last_seen_at >= SEEN_EVERY:
        ScreenLink.objects.filter(pk=link.pk).update(last_seen_at=now)
