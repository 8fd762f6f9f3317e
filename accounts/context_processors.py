from django.utils.functional import SimpleLazyObject, lazy

from .navigation import nav_for
from .selectors import company_profile


def _company_name() -> str:
    return company_profile().name


def navigation(request):
    context = {
        # Lazy: only a page that shows them (the printed forms' heads, the sign-in
        # page) reads the company's details; every other page pays nothing.
        "company": SimpleLazyObject(company_profile),
        "company_name": lazy(_company_name, str)(),
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # The entries only: their waiting counts come after the page, through htmx
        # (accounts.views.nav_badges), so no page pays for them.
        context["nav_entries"] = [{"item": item} for item in nav_for(user)]
    return context
