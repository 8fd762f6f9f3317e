from django.contrib.auth.models import Group, Permission

from accounts.roles import ROLES
from accounts.services import roles_sync


def _perm_labels(group):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_every_declared_role_is_a_group_with_exactly_its_permissions(db):
    roles_sync()

    assert set(Group.objects.values_list("name", flat=True)) == {
        r.group_name for r in ROLES
    }
    for role in ROLES:
        group = Group.objects.get(name=role.group_name)
        assert _perm_labels(group) == set(role.permissions), role.code


def test_setup_roles_is_idempotent_and_removes_undeclared_permissions(db):
    roles_sync()
    sales = Group.objects.get(name="业务员")
    sales.permissions.add(Permission.objects.get(codename="delete_user"))

    roles_sync()
    roles_sync()

    assert Group.objects.filter(name="业务员").count() == 1
    assert "accounts.delete_user" not in _perm_labels(Group.objects.get(name="业务员"))


def test_a_user_may_hold_several_roles(make_user):
    from accounts.roles import roles_of

    user = make_user("sales", "quoter")

    assert [r.code for r in roles_of(user)] == ["sales", "quoter"]
