"""What every request and response goes through before any view sees it."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.core.exceptions import BadRequest
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def _bad(text) -> BadRequest:
    return BadRequest(text)


def _check_urlencoded(raw: str | bytes) -> None:
    """Strict UTF-8 and no NUL byte in a query string or an urlencoded body."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _bad(_("The request is not valid UTF-8 text.")) from None
    try:
        pairs = parse_qsl(
            raw, keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except UnicodeDecodeError:
        raise _bad(_("The request is not valid UTF-8 text.")) from None
    except ValueError:
        raise _bad(_("The request could not be read.")) from None
    for key, value in pairs:
        if "\x00" in key or "\x00" in value:
            raise _bad(_("The request contains a NUL character, which no field takes."))


class RequestHygieneMiddleware:
    """Refuse, with a clear message and before any view, what no field may hold: NUL
    characters (PostgreSQL cannot store them) and text that is not valid UTF-8
    (Django would store it as mojibake). Django turns BadRequest into the 400 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise _bad(_("The address contains a NUL character."))
        _check_urlencoded(request.META.get("QUERY_STRING", ""))
        if request.method == "POST":
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith(URLENCODED):
                _check_urlencoded(request.body)
            elif content_type.startswith(MULTIPART):
                self._check_multipart(request)
        return self.get_response(request)

    @staticmethod
    def _check_multipart(request) -> None:
        # Django decodes multipart fields with errors="replace": a replacement
        # character is what undecodable bytes leave behind.
        names = [f.name or "" for files in request.FILES.lists() for f in files[1]]
        for key, values in request.POST.lists():
            for text in (key, *values):
                if "\x00" in text:
                    raise _bad(
                        _("The request contains a NUL character, which no field takes.")
                    )
                if "\ufffd" in text:
                    raise _bad(_("The request is not valid UTF-8 text."))
        for name in names:
            if "\x00" in name or "\ufffd" in name:
                raise _bad(_("The file name is not valid UTF-8 text."))


class PrivatePagesMiddleware:
    """A signed-in page is never kept by a browser or a proxy cache: a shared
    workshop PC's back button must not show the last person's orders."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
