from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .roles import ROLES


def _permission(label: str) -> Permission:
    app_label, codename = label.split(".", 1)
    try:
        return Permission.objects.get(
            content_type__app_label=app_label, codename=codename
        )
    except Permission.DoesNotExist as exc:
        raise ImproperlyConfigured(f"Role permission {label!r} does not exist") from exc


@transaction.atomic
def roles_sync() -> list[tuple[str, int]]:
    """Make every declared role a group holding exactly its declared permissions.
    Idempotent; returns (group name, permission count) per role."""
    result = []
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set([_permission(label) for label in role.permissions])
        result.append((group.name, len(role.permissions)))
    return result
