import pytest

pytestmark = pytest.mark.browser


def _sign_in(page, username, password):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_sales_signs_in_switches_language_and_signs_out(page, demo_users):
    page.goto("/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text().strip().endswith("订单管理")

    _sign_in(page, "sales1", "demo1234")
    page.wait_for_selector("text=张伟，您好")
    assert page.locator("[data-test=department]").inner_text() == "业务部"
    assert "业务员" in page.locator("[data-test=roles]").inner_text()

    page.click("[data-test=lang-en]")
    page.wait_for_selector("text=Hello, 张伟")
    assert page.locator("[data-test=logout]").inner_text() == "Sign out"

    page.click("[data-test=lang-zh-hans]")
    page.wait_for_selector("text=张伟，您好")

    page.click("[data-test=logout]")
    page.wait_for_url("**/login/")
    page.goto("/")
    assert "/login/" in page.url


def test_wrong_password_shows_the_error_and_the_sixth_attempt_is_locked(
    page, demo_users
):
    _sign_in(page, "sales1", "not-the-password")
    error = page.locator("[data-test=login-error]")
    assert "用户名或密码错误" in error.inner_text()

    for _ in range(4):
        _sign_in(page, "sales1", "still-wrong")
    _sign_in(page, "sales1", "demo1234")

    assert (
        "账号已临时锁定"
        in page.locator("[data-test=locked-out]").inner_text()
        + page.locator("h1").inner_text()
    )
