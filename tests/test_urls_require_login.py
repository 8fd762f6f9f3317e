"""Walks the whole URLconf, so every view added later is covered: an anonymous visitor
is sent to sign-in everywhere except the URLs on the one declared public list."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "path": "x",
}


def _route_to_path(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return re.sub(
            r"<(?:(\w+):)?(\w+)>",
            lambda m: SAMPLES.get(m.group(1) or "str", "1"),
            str(pattern),
        )
    assert isinstance(pattern, RegexPattern)
    regex = str(pattern).lstrip("^").rstrip("$").replace("\\Z", "")

    def group(match):
        body = match.group(2)
        # An alternation of literals, as the admin uses for app labels: take the first.
        alt = re.fullmatch(r"[\w|]+", body)
        return body.split("|")[0] if alt else "1"

    return re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)", group, regex)


def _walk(patterns, prefix=""):
    for p in patterns:
        path = prefix + _route_to_path(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, path)
        elif isinstance(p, URLPattern):
            yield "/" + path.replace("?", "")


ALL_URLS = sorted(set(_walk(get_resolver().url_patterns)))
# Public URLs that open only with a secret in the address (the wall TV's link).
SECRET_LINKS = {"production:wall", "production:wall_live"}


def test_the_walk_finds_the_known_urls():
    assert "/login/" in ALL_URLS
    assert "/" in ALL_URLS
    assert any(url.startswith("/admin/") for url in ALL_URLS)


@pytest.mark.parametrize("url", ALL_URLS)
def test_anonymous_visitor_is_sent_to_sign_in_unless_url_is_public(client, db, url):
    match = resolve(url)
    response = client.get(url)

    if match.view_name in SECRET_LINKS:
        # public, but only with a live token: a made-up one opens nothing
        assert response.status_code == 404, url
        assert 'data-test="wall-gone"' in response.content.decode()
    elif match.view_name in settings.PUBLIC_URL_NAMES:
        assert response.status_code in (200, 302, 405), url
        if response.status_code == 302:
            assert not response.url.startswith("/login/")
    else:
        assert response.status_code == 302, url
        assert response.url.startswith("/login/?next="), url
