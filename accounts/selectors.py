from django.contrib.auth import get_user_model
from django.db.models import Q

from .roles import ROLE_BY_CODE


def user_admins():
    """Whom a user without a role should ask: the system administrators."""
    User = get_user_model()
    admin_group = ROLE_BY_CODE["system_admin"].group_name
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=admin_group))
        .select_related("department")
        .distinct()
        .order_by("username")
    )
