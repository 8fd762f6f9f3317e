"""Who may approve, including a stand-in (代理审批) in their period. The gate and the
services ask here; nothing else decides it."""

from __future__ import annotations

from django.utils import timezone

from accounts.permissions import role_permissions

from .models import ApprovalDelegation


def active_delegations(delegate, today=None):
    today = today or timezone.localdate()
    return ApprovalDelegation.objects.filter(
        delegate=delegate,
        starts_on__lte=today,
        ends_on__gte=today,
        revoked_at__isnull=True,
    ).select_related("principal")


def acting_for(actor, permission: str):
    """(allowed, on_behalf_of): the actor's own permission, or that of the principal
    whose stand-in they are today (then on_behalf_of names the principal)."""
    if permission in role_permissions(actor):
        return True, None
    for delegation in active_delegations(actor):
        principal = delegation.principal
        if principal.is_active and permission in role_permissions(principal):
            return True, delegation.principal
    return False, None


def is_stand_in(actor, principal, today=None) -> bool:
    return active_delegations(actor, today).filter(principal=principal).exists()
