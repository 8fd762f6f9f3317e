"""The roles (角色), declared once. Each role is a Django group with exactly the named
permissions listed here; `manage.py setup_roles` builds them idempotently and removes any
permission that is not declared. A user may hold several roles."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    group_name: str  # the group's name in the database (Chinese, as the admin shows it)
    label: object  # translatable name for the UI
    duty: object
    permissions: tuple[str, ...] = ()


def _orders(*codenames: str) -> tuple[str, ...]:
    return tuple(f"orders.{name}" for name in codenames)


def _production(*codenames: str) -> tuple[str, ...]:
    return tuple(f"production.{name}" for name in codenames)


# Reading orders, customers and the catalogue: every office role but sales (who see
# only their own orders) and the workshop leads (who work from their dispatch slips).
_READ = _orders("view_all_orders", "view_customer", "view_product")

# The routings (工艺路线) in the admin: the planner and the system administrator.
_ROUTING_ADMIN = tuple(
    f"{action}_{model}"
    for model in ("routing", "routingstep")
    for action in ("view", "add", "change", "delete")
)

ROLES: tuple[Role, ...] = (
    Role(
        "sales",
        "业务员",
        _("Sales"),
        _("Takes and enters orders, talks to the customer, confirms delivery"),
        _orders(
            "enter_order",
            "submit_order",
            "request_change",
            "manage_contract",
            "accept_quote",
            "view_customer",
            "add_customer",
            "view_product",
        ),
    ),
    Role(
        "quoter",
        "报价员",
        _("Quoter"),
        _("Prepares quotes"),
        _READ + _orders("manage_quote", "accept_quote"),
    ),
    Role(
        "production_manager",
        "生产分管经理",
        _("Production manager"),
        _("Organises contract review, schedules orders, approves changes"),
        _READ
        + _orders("conclude_review", "approve_change", "cancel_order")
        + _production(
            "view_plans", "handle_anomalies", "approve_plan_changes", "review_plans"
        ),
    ),
    Role(
        "dept_reviewer",
        "部门评审人",
        _("Department reviewer"),
        _("Signs the department's row of the review sheet"),
        _READ + _orders("sign_review"),
    ),
    Role(
        "general_manager",
        "总经理",
        _("General manager"),
        _("Approves quotes and important orders; receives the monthly summary"),
        _READ
        + _orders(
            "approve_order", "approve_large_change", "cancel_order", "delegate_approval"
        )
        + _production("view_plans"),
    ),
    Role(
        "chairman",
        "董事长",
        _("Chairman"),
        _("Reads every order; receives the monthly summary"),
        _READ + _production("view_plans"),
    ),
    Role(
        "technical",
        "技术员",
        _("Technical"),
        _("Reviews and issues drawings"),
        _READ + _orders("issue_drawings") + _production("view_plans", "receive_plan"),
    ),
    Role(
        "purchasing",
        "采购员",
        _("Purchasing"),
        _("Prepares materials"),
        _READ + _production("manage_materials"),
    ),
    Role(
        "production_planner",
        "生产计划员",
        _("Production planner"),
        _("Makes production plans and dispatch slips"),
        _READ
        + _orders("complete_production")
        + _production(
            "manage_plans",
            "view_plans",
            "handle_anomalies",
            "manage_routings",
            *_ROUTING_ADMIN,
        ),
    ),
    Role(
        "workshop_lead",
        "车间主任",
        _("Workshop lead"),
        _("Reports progress and anomalies on the workshop's slips"),
        _production("report_slips", "receive_plan"),
    ),
    Role(
        "qc_inspector",
        "质检员",
        _("QC inspector"),
        _("Process and final inspection; records nonconformance"),
        _READ + _orders("pass_inspection") + _production("view_plans", "receive_plan"),
    ),
    Role(
        "warehouse",
        "仓管/物流",
        _("Warehouse / logistics"),
        _("Finished-goods receipt and shipping"),
        _READ + _orders("confirm_delivery"),
    ),
    Role(
        "finance",
        "财务",
        _("Finance"),
        _("Invoices, payment collection, credit sign-off"),
        _READ + _orders("approve_credit", "settle_order", "change_customer"),
    ),
    Role(
        "after_sales",
        "售后",
        _("After-sales"),
        _("Complaints, returns and customer feedback"),
        _READ,
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
            "production.view_workshopcapacity",
            "production.add_workshopcapacity",
            "production.change_workshopcapacity",
            *(f"production.{name}" for name in _ROUTING_ADMIN),
            "auth.view_group",
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
        )
        + _READ
        + _orders("add_customer", "change_customer", "add_product", "change_product"),
    ),
)

ROLE_BY_CODE = {role.code: role for role in ROLES}


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
