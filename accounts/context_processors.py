from django.conf import settings

from .navigation import nav_entries


def navigation(request):
    context = {"company_name": settings.COMPANY_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_entries"] = nav_entries(user)
    return context
