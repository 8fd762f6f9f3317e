"""Chinese by default for everyone (issue 17): whatever language the browser asks for,
the product speaks Chinese; English only for who picks it — kept on a signed-in
user's profile, so every page after sign-in, on any browser, is in it; on the
anonymous pages (sign-in) only for this browser session."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


def test_a_browser_asking_for_english_gets_chinese(client, make_user):
    # the sign-in page, to an anonymous visitor
    body = client.get(reverse("login"), headers=ENGLISH_BROWSER).content.decode()
    assert '<html lang="zh-hans">' in body and "登录" in body
    # and every page after sign-in
    client.force_login(make_user("sales"))
    response = client.get(reverse("home"), headers=ENGLISH_BROWSER)
    assert '<html lang="zh-hans">' in response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in response.get("Vary", "")


def test_a_visitor_who_picks_english_on_the_sign_in_page_has_it_this_session(db):
    visitor = Client()
    response = visitor.post(
        reverse("set_language"), {"language": "en", "next": "/login/"}, follow=True
    )
    assert '<html lang="en">' in response.content.decode()
    assert "Sign in" in response.content.decode()
    # a session cookie: gone with the browser session
    assert visitor.cookies["django_language"]["max-age"] == ""
    # another browser is not touched
    other = Client().get(reverse("login"), headers=ENGLISH_BROWSER)
    assert '<html lang="zh-hans">' in other.content.decode()


def test_a_user_who_picks_english_gets_english_on_every_page_after_sign_in(
    make_user,
):
    user = make_user("production_planner")
    office = Client()
    office.force_login(user)

    # when they pick English in the header's switch
    office.post(reverse("set_language"), {"language": "en", "next": "/"})

    # then it is kept on their profile
    user.refresh_from_db()
    assert user.language == "en"
    # and on another browser, asking for Chinese, every page after sign-in is English
    other = Client()
    other.force_login(User.objects.get(pk=user.pk))
    for url in ("/", "/orders/", "/production/plans/", "/production/board/"):
        response = other.get(url, headers={"Accept-Language": "zh-CN"})
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.content.decode(), url
    # and a colleague on that browser's next sign-in is back in Chinese
    other.force_login(make_user("sales"))
    assert '<html lang="zh-hans">' in other.get("/").content.decode()

    # when they pick Chinese again, it is Chinese everywhere
    other.force_login(User.objects.get(pk=user.pk))
    other.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert User.objects.get(pk=user.pk).language == "zh-hans"
    assert '<html lang="zh-hans">' in office.get("/").content.decode()


def test_a_language_the_product_does_not_offer_changes_nothing(make_user):
    user = make_user("sales")
    client = Client()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    client.post(reverse("set_language"), {"language": "x" * 500, "next": "/"})
    user.refresh_from_db()
    assert user.language == ""
    assert '<html lang="zh-hans">' in client.get("/").content.decode()
