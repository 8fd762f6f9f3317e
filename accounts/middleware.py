from django.conf import settings
from django.contrib.auth.middleware import (
    LoginRequiredMiddleware as DjangoLoginRequiredMiddleware,
)
from django.utils import translation
from django.utils.cache import patch_vary_headers


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


def chosen_language(request) -> str:
    """The language a page is read in: the signed-in user's own choice (their
    profile), else the one picked in this browser session (the language cookie,
    which lasts as long as the browser session), else the product's — Chinese.
    What the browser asks for (Accept-Language) is never asked: a factory PC set up
    in English still shows Chinese until someone chooses otherwise."""
    languages = dict(settings.LANGUAGES)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in languages:
        return user.language
    picked = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if picked in languages:
        return picked
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Instead of Django's LocaleMiddleware (which follows Accept-Language): after
    AuthenticationMiddleware, so the user's profile can decide."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # The thread goes back to the product's language: a request refused
            # before this middleware (CSRF) is never read in the last user's.
            translation.deactivate()
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        return response
