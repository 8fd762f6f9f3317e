from django.urls import reverse

from accounts.demo import seed_users


def _attempt(client, password, ip):
    return client.post(
        reverse("login"),
        {"username": "sales1", "password": password},
        REMOTE_ADDR=ip,
    )


def test_five_failures_lock_that_user_on_that_ip_but_not_on_another(client, roles):
    seed_users()
    for _ in range(4):
        response = _attempt(client, "wrong", "10.0.0.1")
        assert "用户名或密码错误" in response.content.decode()
    fifth = _attempt(client, "wrong", "10.0.0.1")
    assert fifth.status_code == 429

    locked = _attempt(client, "demo1234", "10.0.0.1")
    other_ip = _attempt(client, "demo1234", "10.0.0.2")

    assert locked.status_code == 429
    assert "账号已临时锁定" in locked.content.decode()
    assert other_ip.status_code == 302
    assert other_ip.url == reverse("home")


def test_four_failures_do_not_lock(client, roles):
    seed_users()
    for _ in range(4):
        _attempt(client, "wrong", "10.0.0.1")

    assert _attempt(client, "demo1234", "10.0.0.1").status_code == 302
