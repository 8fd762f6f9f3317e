import pytest
from django.urls import reverse

from accounts.demo import seed_users


def test_a_user_without_a_role_sees_the_no_role_page_and_whom_to_ask(client, make_user):
    admin = make_user("system_admin", display_name="管理员老陈")
    lonely = make_user()
    client.force_login(lonely)

    response = client.get(reverse("home"))

    assert response.status_code == 403
    body = response.content.decode()
    assert "您的账号尚未分配角色" in body
    assert "管理员老陈" in body
    assert str(admin.department) in body
    assert 'data-nav="home"' not in body  # no navigation without a role


def test_home_shows_name_department_roles_and_what_the_user_can_open(client, roles):
    users = {u.username: u for u in seed_users()}
    client.force_login(users["sales1"])

    body = client.get(reverse("home")).content.decode()

    assert "张伟，您好" in body
    assert "业务部" in body
    assert "业务员" in body
    assert "系统管理" not in body  # sales may not open the admin


def test_system_admin_sees_the_admin_entry(client, roles):
    users = {u.username: u for u in seed_users()}
    client.force_login(users["admin"])

    body = client.get(reverse("home")).content.decode()

    assert 'data-nav="admin"' in body
    assert client.get("/admin/").status_code == 200


def test_english_is_switchable_and_the_frame_has_no_chinese_left(client, roles):
    users = {u.username: u for u in seed_users()}
    client.force_login(users["sales1"])

    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, follow=True
    )

    body = response.content.decode()
    assert "Hello, 张伟" in body
    assert "My work" in body
    for chinese in ("您好", "我的工作台", "退出", "修改密码", "我的职责"):
        assert chinese not in body


@pytest.mark.parametrize("url", ["/login/", "/healthz/"])
def test_public_pages_answer_anonymous_visitors(client, db, url):
    assert client.get(url).status_code == 200


def test_sign_in_page_is_chinese_by_default(client, db):
    body = client.get(reverse("login")).content.decode()

    assert '<html lang="zh-hans">' in body
    assert "登录" in body and "用户名" in body
