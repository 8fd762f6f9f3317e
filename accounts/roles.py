"""The roles (角色), declared once: who the company's people are. Each role is a
Django group holding exactly its declared permissions: accounts' own, listed here,
and what each app grants it from its AppConfig.ready() (`grant`: orders gives the
salesperson `orders.enter_order`, production gives the planner
`production.manage_plans` …); an app may bring a role of its own (`role`).
`manage.py setup_roles` builds the groups idempotently and removes any permission
that is not declared. A user may hold several roles."""

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    group_name: str  # the group's name in the database (Chinese, as the admin shows it)
    label: object  # translatable name for the UI
    duty: object
    permissions: tuple[str, ...] = ()


ROLES: list[Role] = [
    Role(
        "sales",
        "业务员",
        _("Sales"),
        _("Takes and enters orders, talks to the customer, confirms delivery"),
    ),
    Role(
        "quoter",
        "报价员",
        _("Quoter"),
        _("Prepares quotes"),
    ),
    Role(
        "production_manager",
        "生产分管经理",
        _("Production manager"),
        _("Organises contract review, schedules orders, approves changes"),
    ),
    Role(
        "dept_reviewer",
        "部门评审人",
        _("Department reviewer"),
        _("Signs the department's row of the review sheet"),
    ),
    Role(
        "general_manager",
        "总经理",
        _("General manager"),
        _("Approves quotes and important orders; receives the monthly summary"),
    ),
    Role(
        "chairman",
        "董事长",
        _("Chairman"),
        _("Reads every order; receives the monthly summary"),
    ),
    Role(
        "technical",
        "技术员",
        _("Technical"),
        _("Reviews and issues drawings"),
    ),
    Role(
        "purchasing",
        "采购员",
        _("Purchasing"),
        _("Prepares materials"),
    ),
    Role(
        "production_planner",
        "生产计划员",
        _("Production planner"),
        _("Makes production plans and dispatch slips"),
    ),
    Role(
        "workshop_lead",
        "车间主任",
        _("Workshop lead"),
        _("Reports progress and anomalies on the workshop's slips"),
    ),
    Role(
        "qc_inspector",
        "质检员",
        _("QC inspector"),
        _("Process and final inspection; records nonconformance"),
    ),
    Role(
        "warehouse",
        "仓管/物流",
        _("Warehouse / logistics"),
        _("Finished-goods receipt and shipping"),
    ),
    Role(
        "finance",
        "财务",
        _("Finance"),
        _("Invoices, payment collection, credit sign-off"),
    ),
    Role(
        "after_sales",
        "售后",
        _("After-sales"),
        _("Complaints, returns and customer feedback"),
    ),
    Role(
        "system_admin",
        "系统管理员",
        _("System admin"),
        _("Manages users, roles, departments and settings"),
        (
            "accounts.view_admin_console",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_user",
            "accounts.add_department",
            "accounts.change_department",
            "accounts.view_department",
            "accounts.view_calendarday",
            "accounts.add_calendarday",
            "accounts.change_calendarday",
            "accounts.delete_calendarday",
            "accounts.load_calendar",
            "accounts.view_calendaryear",
            "accounts.add_calendaryear",
            "accounts.change_calendaryear",
            "accounts.delete_calendaryear",
            "accounts.view_workingweek",
            "accounts.change_workingweek",
            "accounts.view_companyprofile",
            "accounts.add_companyprofile",
            "accounts.change_companyprofile",
            "auth.view_group",
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
        ),
    ),
]

ROLE_BY_CODE = {role.code: role for role in ROLES}
# Who granted what: {(app, role code): permissions}, so that a grant repeated (a
# test's app registered twice) adds nothing twice.
_GRANTED: dict[tuple[str, str], tuple[str, ...]] = {}


# The roles as accounts declares them, and those an app brought ({code: app}).
_DECLARED: dict[str, Role] = dict(ROLE_BY_CODE)
_BROUGHT_BY: dict[str, str] = {}


def role(new: Role, *, app: str) -> Role:
    """An app's own role (a later app's quality manager, say), with its label and
    duty; its permissions come from grants like any other role's."""
    if new.code in ROLE_BY_CODE:
        if _DECLARED.get(new.code) == new:
            return ROLE_BY_CODE[new.code]
        raise ValueError(f"Role {new.code!r} is declared twice")
    ROLES.append(new)
    ROLE_BY_CODE[new.code] = new
    _DECLARED[new.code] = new
    _BROUGHT_BY[new.code] = app
    return new


def grant(app: str, grants: dict[str, tuple[str, ...]]) -> None:
    """The app's permissions, given to the roles that hold them: {role code:
    ("app.codename", …)}. Called from the app's AppConfig.ready()."""
    for code, permissions in grants.items():
        if code not in ROLE_BY_CODE:
            raise LookupError(f"{app} grants permissions to an unknown role {code!r}")
        key = (app, code)
        if key in _GRANTED:
            if _GRANTED[key] == tuple(permissions):
                continue
            raise ValueError(f"{app} grants {code!r} twice")
        _GRANTED[key] = tuple(permissions)
        current = ROLE_BY_CODE[code]
        added = tuple(p for p in permissions if p not in current.permissions)
        updated = replace(current, permissions=current.permissions + added)
        ROLES[ROLES.index(current)] = updated
        ROLE_BY_CODE[code] = updated


def forget_app(app: str) -> None:
    """The roles `app` brought and the permissions it granted, gone (the others'
    grants stay)."""
    for code in [c for c, owner in _BROUGHT_BY.items() if owner == app]:
        ROLES.remove(ROLE_BY_CODE.pop(code))
        del _DECLARED[code], _BROUGHT_BY[code]
    for key in [k for k in _GRANTED if k[0] == app]:
        del _GRANTED[key]
    for index, current in enumerate(ROLES):
        permissions = list(_DECLARED[current.code].permissions)
        for (_app, code), granted in _GRANTED.items():
            if code == current.code:
                permissions += [p for p in granted if p not in permissions]
        ROLES[index] = replace(current, permissions=tuple(permissions))
        ROLE_BY_CODE[current.code] = ROLES[index]


def roles_of(user) -> list[Role]:
    """The declared roles a user holds, in declaration order."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_declared_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = [role for role in ROLES if role.group_name in names]
        user._declared_roles = cached
    return cached
