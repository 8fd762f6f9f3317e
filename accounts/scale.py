"""Scale data (issue 11): the demo departments, the calendar, and 300 staff spread
over the declared roles as a mid-size factory has them. Leaves `ctx.shared["users"]`
({role code: [User, …]}) and `ctx.shared["departments"]` ({code: Department}) for the
later seeders."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from core.scale import ScaleContext

from .demo import DEMO_PASSWORD, seed_calendar, seed_departments
from .models import Department, User
from .roles import ROLE_BY_CODE
from .services import roles_sync

# role code, how many, department code(s) in turn, extra role for the first few
STAFF = (
    ("sales", 81, ("sales",), None),
    ("quoter", 8, ("sales",), None),
    ("production_manager", 2, ("production",), "dept_reviewer"),
    ("general_manager", 1, ("gm_office",), None),
    ("chairman", 1, ("gm_office",), None),
    ("technical", 25, ("technical",), "dept_reviewer"),
    ("purchasing", 18, ("purchasing",), "dept_reviewer"),
    ("production_planner", 12, ("production",), None),
    ("workshop_lead", 45, ("cutting", "line", "maintenance"), None),
    ("qc_inspector", 40, ("quality",), "dept_reviewer"),
    ("warehouse", 30, ("logistics",), None),
    ("finance", 14, ("finance",), "dept_reviewer"),
    ("after_sales", 20, ("after_sales",), None),
    ("system_admin", 3, ("gm_office",), None),
)
# How many of a role's first users also sign review rows for their department.
REVIEWERS_PER_DEPARTMENT = 2

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉"
    "力斌波宇鑫浩凯健俊帆帅旭宁龙林欣颖晨阳雪琳晶慧佳倩婷蕾萌"
)


def _name(rng) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def seed_scale_users(ctx: ScaleContext) -> None:
    roles_sync()
    departments = seed_departments()
    seed_calendar()
    groups = {g.name: g for g in Group.objects.all()}
    password = make_password(DEMO_PASSWORD)
    rng = ctx.rng
    existing = set(User.objects.values_list("username", flat=True))
    new_users, memberships = [], []
    for code, count, department_codes, extra in STAFF:
        for n in range(1, count + 1):
            username = f"{code}{n:03d}"
            if username in existing:
                continue
            department = departments[department_codes[(n - 1) % len(department_codes)]]
            user = User(
                username=username,
                display_name=_name(rng),
                department=department,
                email=f"{username}@example.com",
                password=password,
                is_staff=code == "system_admin",
                is_superuser=code == "system_admin" and n == 1,
            )
            new_users.append(user)
            roles = [code]
            if extra and n <= REVIEWERS_PER_DEPARTMENT:
                roles.append(extra)
            memberships.append((user, roles))
    User.objects.bulk_create(new_users)
    Through = User.groups.through
    Through.objects.bulk_create(
        Through(user_id=user.pk, group_id=groups[ROLE_BY_CODE[r].group_name].pk)
        for user, roles in memberships
        for r in roles
    )
    by_role: dict[str, list[User]] = {}
    staff = {code for code, *_rest in STAFF}
    for user in (
        User.objects.filter(username__regex=r"^[a-z_]+[0-9]{3}$")
        .select_related("department")
        .prefetch_related("groups")
        .order_by("username")
    ):
        for group in user.groups.all():
            for role in ROLE_BY_CODE.values():
                if role.group_name == group.name and role.code in staff | {
                    "dept_reviewer"
                }:
                    by_role.setdefault(role.code, []).append(user)
    # Each department's head: its first member (the demo heads stay if seeded).
    for department in departments.values():
        if department.head_id is None:
            first = next(
                (
                    u
                    for users in by_role.values()
                    for u in users
                    if u.department_id == department.pk
                ),
                None,
            )
            if first is not None:
                Department.objects.filter(pk=department.pk).update(head=first)
    ctx.shared["users"] = by_role
    ctx.shared["departments"] = departments
    ctx.counts["users"] = len(new_users)
