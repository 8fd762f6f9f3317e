from django.conf import settings
from django.contrib.auth.middleware import (
    LoginRequiredMiddleware as DjangoLoginRequiredMiddleware,
)


def is_public(request) -> bool:
    """True for the URLs on the one declared public list (settings.PUBLIC_URL_NAMES)."""
    if request.path_info.startswith(settings.PUBLIC_URL_PREFIXES):
        return True
    match = request.resolver_match
    return match is not None and match.view_name in settings.PUBLIC_URL_NAMES


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's own middleware, but the public URLs come from the declared list rather
    than from decorators scattered over the views (and third-party views such as the
    admin's login do not become public by their own say-so)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated or is_public(request):
            return None
        return self.handle_no_permission(request, view_func)

    def get_login_url(self, view_func):
        # One sign-in page for everything, the admin included.
        return str(settings.LOGIN_URL)
