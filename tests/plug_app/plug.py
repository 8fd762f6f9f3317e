"""What the test's app registers, as an app's AppConfig.ready() would — a move, a
role, a navigation entry, a queue, a due item, a line-quantity column, a check on
production's reports and a demo seed part — and takes away again."""

from __future__ import annotations

import rules
from django.db.models import F

from accounts import navigation, roles
from accounts.permissions import holds
from core import queues, seeds
from orders import registry
from orders.models import Order
from orders.stages import Stage

APP = "tests.plug_app"
ROLE = "trial_inspector"
RULE = "plug_app.release"
HOLD_PO = "PLUG-HOLD"

RELEASE = registry.Move(
    "trial_release",
    "Released after the trial inspection",
    frozenset({Stage.INSPECTION}),
    Stage.DELIVERY,
    "orders.pass_inspection",
    rule=RULE,
    app=APP,
)


def _trial_rows(user):
    return (
        Order.objects.filter(stage=Stage.INSPECTION)
        .select_related("customer")
        .annotate(due=F("due_date"))
        .order_by("number")
    )


def _trial_item(order, calendar):
    return queues.QueueItem(
        order, "Trial-inspect this order", order.due, order.get_absolute_url()
    )


QUEUE = queues.Queue(
    "trial_inspections",
    "Orders to trial-inspect",
    lambda user: ROLE in {r.code for r in roles.roles_of(user)},
    _trial_rows,
    _trial_item,
    lambda user: "/orders/?stage=inspection",
    position=95,
    app=APP,
)


def _items_for(order):
    if order.stage != Stage.INSPECTION:
        return []
    return [
        registry.DueItem(
            order_id=order.pk,
            source="trial_check",
            what="Trial check of the first pieces",
            due_date=order.due_date,
            stage=Stage.INSPECTION,
            object_id=order.pk,
        )
    ]


def _passed(order):
    if order.stage not in (Stage.INSPECTION, Stage.DELIVERY):
        return {}
    return {line.pk: {"trial_passed": 7} for line in order.lines.all()}


def _held(order, **context):
    if order.customer_po == HOLD_PO:
        return "The trial app holds this order's reports."
    return None


def seed_trial_demo():
    """The app's demo part: a customer of its own."""
    from orders.models import Customer

    Customer.objects.get_or_create(name="试用应用客户", defaults={"type": "new"})


def plug_in() -> None:
    registry.move(RELEASE)
    rules.add_rule(RULE, holds("orders.pass_inspection"))
    roles.role(
        roles.Role(ROLE, "试检员", "Trial inspector", "Trial-inspects orders"),
        app=APP,
    )
    roles.grant(
        APP,
        {
            ROLE: (
                "orders.view_all_orders",
                "orders.view_customer",
                "orders.view_product",
                "orders.pass_inspection",
            )
        },
    )
    navigation.register(
        navigation.NavItem(
            "trial_board",
            "Trial inspections",
            "orders:list",
            "fa-flask",
            "orders.pass_inspection",
            position=300,
            app=APP,
        )
    )
    queues.register(QUEUE)
    registry.due_source(
        registry.DueSource(
            "trial_check",
            "trial check",
            Stage.INSPECTION,
            APP,
            _items_for,
            lambda: iter(()),
            doc="the first pieces checked",
        )
    )
    registry.line_quantity_source(
        registry.LineQuantitySource(
            "trial",
            APP,
            (registry.LineQuantity("trial_passed", "trial passed", 45),),
            _passed,
            doc="pieces that passed the trial",
        )
    )
    registry.action_check("production.report", app=APP, doc="the trial app's hold")(
        _held
    )
    seeds.demo(APP, "tests.plug_app.plug.seed_trial_demo", position=60)


def plug_out() -> None:
    for forget in (
        registry.forget_app,
        roles.forget_app,
        navigation.forget_app,
        queues.forget_app,
        seeds.forget_app,
    ):
        forget(APP)
    if rules.rule_exists(RULE):
        rules.remove_rule(RULE)
