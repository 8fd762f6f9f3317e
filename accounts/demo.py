"""Demo departments, one user per role (password demo1234), the company's own
details and the working-day calendar from the calendar library. Idempotent."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import CompanyProfile, Department, User, WorkingWeek
from .roles import ROLE_BY_CODE
from .services import CalendarLoad, calendar_load_library, departments_sync

DEMO_PASSWORD = "demo1234"


USERS = (
    # username, display name, department code, roles, heads department
    ("admin", "系统管理员", "gm_office", ("system_admin",), False),
    ("sales1", "张伟", "sales", ("sales",), True),
    ("sales2", "李娜", "sales", ("sales", "quoter"), False),
    ("prodmgr", "王强", "production", ("production_manager", "dept_reviewer"), True),
    ("techmgr", "刘洋", "technical", ("technical", "dept_reviewer"), True),
    ("purchasing", "陈静", "purchasing", ("purchasing", "dept_reviewer"), True),
    ("qcmgr", "杨帆", "quality", ("qc_inspector", "dept_reviewer"), True),
    ("finance", "赵敏", "finance", ("finance", "dept_reviewer"), True),
    ("gm", "周建国", "gm_office", ("general_manager",), True),
    ("chairman", "吴志远", "gm_office", ("chairman",), False),
    ("planner", "孙磊", "production", ("production_planner",), False),
    ("lead_cutting", "马军", "cutting", ("workshop_lead",), True),
    ("lead_line1", "朱辉", "line", ("workshop_lead",), True),
    ("lead_maint", "胡斌", "maintenance", ("workshop_lead",), True),
    ("qc1", "郭亮", "quality", ("qc_inspector",), False),
    ("warehouse", "林涛", "logistics", ("warehouse",), True),
    ("aftersales", "何丽", "after_sales", ("after_sales",), True),
)


# Phone numbers the shop floor's screens offer to call (who to ask about materials,
# a shortfall, a late previous operation).
PHONES = {
    "purchasing": "13800000106",
    "planner": "13800000111",
    "prodmgr": "13800000104",
    "lead_cutting": "13800000112",
    "lead_line1": "13800000113",
    "lead_maint": "13800000114",
}


# A made-up company: the tax ID and the account number are shaped like real ones
# but belong to no one.
COMPANY = {
    "name": "示例机械制造有限公司",
    "address": "浙江省杭州市萧山区经济技术开发区示例路 88 号",
    "phone": "0571-82000000",
    "fax": "0571-82000001",
    "tax_id": "91330109MA2EXAMPL8",
    "bank_name": "中国工商银行杭州萧山支行",
    "bank_account": "1202 0000 0000 0000 000",
}


def seed_company() -> CompanyProfile:
    """The company's details as the administrator would enter them; kept as they
    are when already entered."""
    company, _created = CompanyProfile.objects.get_or_create(pk=1, defaults=COMPANY)
    return company


def seed_departments() -> dict[str, Department]:
    return departments_sync()


@transaction.atomic
def seed_users() -> list[User]:
    departments = seed_departments()
    users = []
    for username, display_name, dept_code, role_codes, is_head in USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "department": departments[dept_code],
                "email": f"{username}@example.com",
                "phone": PHONES.get(username, ""),
                "is_staff": username == "admin",
                "is_superuser": username == "admin",
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set(
            Group.objects.filter(
                name__in=[ROLE_BY_CODE[code].group_name for code in role_codes]
            )
        )
        if is_head:
            Department.objects.filter(pk=departments[dept_code].pk).update(head=user)
        users.append(user)
    return users


@transaction.atomic
def seed_calendar() -> CalendarLoad:
    """The public holidays and make-up working days from the calendar library, as
    `manage.py load_calendar` loads them; the working week stays as it is (Monday to
    Friday unless the admin changed it)."""
    WorkingWeek.current()
    return calendar_load_library()
