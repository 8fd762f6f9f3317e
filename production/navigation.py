"""production's entries in the navigation (accounts.navigation), registered from
ProductionConfig.ready(); the slips and the board are the shop floor's menu."""

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem

ITEMS = (
    NavItem(
        "slips",
        _("Dispatch slips"),
        "production:slips",
        "fa-clipboard-list",
        (
            "production.report_slips",
            "production.manage_plans",
            "production.view_plans",
        ),
        shop_floor=True,
        position=200,
        app="production",
    ),
    NavItem(
        "plans",
        _("Production plans"),
        "production:plans",
        "fa-calendar-days",
        (
            "production.manage_plans",
            "production.view_plans",
            "production.receive_plan",
        ),
        position=210,
        app="production",
    ),
    NavItem(
        "plan_changes",
        _("Plan changes"),
        "production:plan_changes",
        "fa-pen-to-square",
        ("production.manage_plans", "production.approve_plan_changes"),
        position=220,
        app="production",
    ),
    NavItem(
        "board",
        _("Plan board"),
        "production:board",
        "fa-table-cells",
        (
            "production.manage_plans",
            "production.view_plans",
            "production.report_slips",
        ),
        shop_floor=True,
        position=230,
        app="production",
    ),
    NavItem(
        "routings",
        _("Routings"),
        "production:routings",
        "fa-route",
        "production.manage_routings",
        position=240,
        app="production",
    ),
    NavItem(
        "materials",
        _("Materials"),
        "production:materials_list",
        "fa-boxes-stacked",
        ("production.manage_materials", "production.manage_plans"),
        position=250,
        app="production",
    ),
)
