from django.conf import settings

from .navigation import nav_for


def navigation(request):
    context = {
        "company_name": settings.COMPANY_NAME,
        "company": {
            "name": settings.COMPANY_NAME,
            "address": settings.COMPANY_ADDRESS,
            "phone": settings.COMPANY_PHONE,
            "fax": settings.COMPANY_FAX,
            "tax_id": settings.COMPANY_TAX_ID,
            "bank_account": settings.COMPANY_BANK_ACCOUNT,
        },
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # The entries only: their waiting counts come after the page, through htmx
        # (accounts.views.nav_badges), so no page pays for them.
        context["nav_entries"] = [{"item": item} for item in nav_for(user)]
    return context
