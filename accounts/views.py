from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from core.queues import workbench

from .forms import SignInForm
from .navigation import nav_entries, nav_for
from .permissions import has_role_perm
from .roles import roles_of
from .selectors import company_profile, user_admins
from .services import user_language_set
from .workdays import coming_years_warning, get_calendar


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def home(request):
    """Each role's home page. With no role, a page saying so and whom to ask."""
    user = request.user
    roles = roles_of(user)
    if not roles and not user.is_superuser:
        return render(
            request, "accounts/no_role.html", {"admins": user_admins()}, status=403
        )
    calendar = get_calendar()
    return render(
        request,
        "accounts/home.html",
        {
            "roles": roles,
            "nav_items": nav_for(user),
            "queues": workbench(user, calendar),
            # the calendar's coming years, to the one who loads them
            "calendar_warning": coming_years_warning(calendar, timezone.localdate())
            if has_role_perm(user, "accounts.load_calendar")
            else "",
            # the printed forms' heads stay blank until the company is entered
            "company_missing": has_role_perm(user, "accounts.change_companyprofile")
            and not company_profile().name,
        },
    )


@require_GET
def nav_badges(request):
    """The navigation's waiting counts, swapped in out of band after the page loads
    (and every two minutes while it stays open)."""
    return render(
        request, "accounts/_nav_badges.html", {"entries": nav_entries(request.user)}
    )


@require_POST
def language_set(request):
    """The language switch: Django's own (the pick of this browser session, and the
    redirect back), and for a signed-in user their profile, so the choice follows
    them to every page and every browser (accounts.middleware.LanguageMiddleware)."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response
