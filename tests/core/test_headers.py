"""Issue 7 item 3: a Content-Security-Policy on every page, no inline script or style
that would need 'unsafe-inline', and signed-in pages never kept in a cache."""

import re

import pytest
from django.test import Client

from tests.walk import walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return walk(demo_users, "drawing_ready")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pages(order):
    return (
        "/",
        "/orders/",
        "/orders/new/",
        f"/orders/{order.number}/",
        f"/orders/{order.number}/edit/",
        f"/orders/{order.number}/review/",
        f"/orders/{order.number}/review/print/",
        f"/orders/{order.number}/quotes/1/print/",
        "/orders/contracts/",
    )


def test_every_page_carries_a_strict_content_security_policy(demo_users, order):
    client = signed_in(demo_users["sales1"])
    for path in (*pages(order), "/login/"):
        response = client.get(path)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy, path
        assert "style-src 'self'" in policy, path
        assert "frame-ancestors 'none'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path


INLINE = (
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # inline script
    re.compile(r"\son[a-z]+\s*=", re.I),  # onclick= …
    re.compile(r"\sstyle\s*=", re.I),  # style attributes
    re.compile(r"<style", re.I),
    re.compile(r"javascript:", re.I),
)


def test_no_page_has_inline_script_or_style(demo_users, order):
    for username in ("sales1", "prodmgr", "techmgr", "gm"):
        client = signed_in(demo_users[username])
        for path in pages(order):
            response = client.get(path)
            if response.status_code != 200:
                continue
            html = response.content.decode()
            for pattern in INLINE:
                found = pattern.search(html)
                assert found is None, (username, path, found and found.group(0))


def test_signed_in_pages_are_private_and_not_stored(demo_users, order):
    client = signed_in(demo_users["sales1"])
    for path in pages(order):
        cache = client.get(path).headers.get("Cache-Control", "")
        assert "private" in cache and "no-store" in cache, (path, cache)
    # a download of the signed contract too
    cache = client.get(f"/orders/{order.number}/contract/file/").headers[
        "Cache-Control"
    ]
    assert "no-store" in cache
