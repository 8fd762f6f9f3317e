from django.contrib.auth import get_user_model
from django.db.models import Q

from core.memo import memo

from .models import CompanyProfile
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


COMPANY = "accounts.company"


def company_profile():
    """The company's own details (accounts.CompanyProfile), read once per request
    and only by a page that shows them: the printed forms and the sign-in page."""
    return memo(COMPANY, CompanyProfile.current)
