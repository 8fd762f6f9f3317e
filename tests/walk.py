"""Orders of the demo salesperson `sales1`, walked through the services by the demo
users to a named situation, as the people in DOMAIN.md would get them there."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orders import services
from orders.models import Customer
from orders.services import LineData, QuoteLineData

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SIGNERS = {
    "technical": "techmgr",
    "purchasing": "purchasing",
    "production": "prodmgr",
    "quality": "qcmgr",
}
SITUATIONS = (
    "draft",
    "draft_over_credit",
    "review",
    "review_open",
    "review_signed",
    "approval",
    "quote",
    "quote_draft",
    "quote_submitted",
    "quote_approved",
    "contract",
    "drawing",
    "drawing_ready",
    "production",
    # production's own (tests/walk.py's plan_for): materials ready, a plan of three
    # slips — cutting → line, and mould repair beside them.
    "materials_ready",
    # a draft plan without slips yet; its catalogue item GB-D1060 has a routing
    "plan_empty",
    "plan_draft",
    # the planner submitted the plan; it awaits the production manager's review
    "plan_submitted",
    "plan_issued",
    "slip_started",
    "slip_anomaly",
    # the cutting slip finished short: 990 good and 10 scrapped of its 1000
    "slip_short",
    # a plan change (GS/G-SC-04) of the issued plan awaiting the production manager
    "plan_change_raised",
    "change_pending",
    "change_awaiting_gm",
    # quality's own (tests/quality/helpers.py's quality_walk): production finished
    "inspection",
    "process_check",
    "inspected_failed",
    "nc_review",
    "nc_rework",
    "nc_concession",
    "inspection_passed_ready",
    # delivery's own (tests/delivery/walk.py's delivery_walk): released to 交付
    "in_delivery",
    "in_stock",
    "shipped",
    "received_short",
)


def _customer(**extra) -> Customer:
    number = Customer.objects.count() + 1
    return Customer.objects.create(
        name=f"测试客户{number}有限公司", contact="王经理", type="regular", **extra
    )


def walk(users: dict, situation: str, *, amount: str = "3.80", lines=None):
    """An order of sales1 in `situation`; returns it re-read. `lines` (LineData)
    replaces the one line of 1,000 GB-D1060."""
    assert situation in SITUATIONS, situation
    from tests.quality.helpers import QUALITY_SITUATIONS, quality_walk

    if situation in QUALITY_SITUATIONS:
        return quality_walk(users, situation)
    from tests.delivery.walk import DELIVERY_SITUATIONS, delivery_walk

    if situation in DELIVERY_SITUATIONS:
        return delivery_walk(users, situation)
    sales1 = users["sales1"]
    customer = _customer(
        credit_limit=Decimal(100) if situation == "draft_over_credit" else None
    )
    important = situation == "approval"
    order = services.order_create(
        actor=sales1,
        customer=customer,
        channel="phone",
        requested_date=timezone.localdate() + timedelta(days=60),
        is_important=important,
        lines=lines
        or [
            LineData(
                model_code="GB-D1060",
                quantity=Decimal(1000),
                unit_price=Decimal(amount),
            )
        ],
    )
    if situation in ("draft", "draft_over_credit"):
        return order
    order = services.order_submit(actor=sales1, order=order)
    if situation == "review":
        return order
    if situation in ("change_pending", "change_awaiting_gm"):
        services.change_request_create(
            actor=sales1,
            order=order,
            version=order.version,
            reason="客户加量",
            lines=[
                LineData(
                    model_code="GB-D1060",
                    quantity=Decimal(
                        100000 if situation == "change_awaiting_gm" else 1200
                    ),
                    unit_price=Decimal(amount),
                )
            ],
        )
        if situation == "change_awaiting_gm":
            change = order.change_requests.get()
            services.change_request_approve(actor=users["prodmgr"], change=change)
        order.refresh_from_db()
        return order
    review = services.review_open(
        actor=users["prodmgr"], order=order, department_codes=list(SIGNERS)
    )
    if situation == "review_open":
        order.refresh_from_db()
        return order
    for row in review.signoffs.select_related("department"):
        services.review_sign(
            actor=users[SIGNERS[row.department.code]],
            signoff=row,
            content="已评审",
            days_needed=3,
            resources_ok=True,
            risks="",
            opinion="agree",
        )
    if situation == "review_signed":
        order.refresh_from_db()
        return order
    services.review_conclude(actor=users["prodmgr"], review=review, conclusion="accept")
    order.refresh_from_db()
    if situation in ("approval", "quote"):
        return order
    quote = services.quote_save(
        actor=users["sales2"],
        order=order,
        lines=[
            QuoteLineData(
                model_code=line.model_code,
                quantity=line.quantity,
                unit_price=line.unit_price,
            )
            for line in order.lines.all()
        ],
        prices_include_tax=True,
        vat_rate=Decimal("0.13"),
        discount_percent=Decimal(0),
        lead_time_days=20,
        payment_terms="月结60天",
        valid_until=timezone.localdate() + timedelta(days=10),
    )
    if situation == "quote_draft":
        order.refresh_from_db()
        return order
    services.quote_submit(actor=users["sales2"], quote=quote)
    if situation == "quote_submitted":
        order.refresh_from_db()
        return order
    services.quote_decide(actor=users["gm"], quote=quote, approve=True)
    if situation == "quote_approved":
        order.refresh_from_db()
        return order
    order = services.quote_accept(
        actor=sales1, quote=quote, accepted_on=timezone.localdate(), how="email"
    )
    if situation == "contract":
        return order
    services.contract_record(
        actor=sales1,
        order=order,
        number=f"HT-{order.number}",
        signed_on=timezone.localdate(),
        amount=quote.gross_amount,
        uploaded=SimpleUploadedFile("合同.pdf", PDF, "application/pdf"),
    )
    order.refresh_from_db()
    if situation == "drawing":
        return order
    techmgr = users["techmgr"]
    services.drawing_upload(
        actor=techmgr,
        order=order,
        title="钢背总图",
        uploaded=SimpleUploadedFile("总图.pdf", PDF, "application/pdf"),
    )
    services.requirements_write(
        actor=techmgr, order=order, quality=["平面度≤0.1"], process=["冲压后去毛刺"]
    )
    if situation == "drawing_ready":
        order.refresh_from_db()
        return order
    order = services.drawings_issue(actor=techmgr, order=order)
    if situation == "production":
        return order
    return production_walk(users, order, situation)


PRODUCTION_SITUATIONS = (
    "materials_ready",
    "plan_empty",
    "plan_draft",
    "plan_submitted",
    "plan_issued",
    "slip_started",
    "slip_anomaly",
    "slip_short",
    "plan_change_raised",
)


def production_walk(users: dict, order, situation: str):
    """From an order in production to `situation`, through production's services
    as purchasing, the planner and the cutting lead would get it there."""
    import uuid

    from accounts.models import Department
    from production import services as production

    production.materials_record(
        actor=users["purchasing"],
        order=order,
        lines=[
            production.MaterialLineData(
                material="Q235 钢板",
                spec="6.0mm",
                quantity=Decimal(2),
                unit="吨",
                supplier="鞍钢",
                po_number="CG-0001",
                arrived_now=Decimal(2),
            )
        ],
    )
    if situation == "materials_ready":
        order.refresh_from_db()
        return order
    planner = users["planner"]
    today = timezone.localdate()
    plan = production.plan_create(
        actor=planner,
        order=order,
        data=production.PlanData(
            line=order.lines.order_by("position").first(),
            quantity=Decimal(1000),
            planned_start=today,
            planned_finish=today + timedelta(days=20),
            thickness=Decimal("6.0"),
        ),
    )
    if situation == "plan_empty":
        routing_for("GB-D1060")
        order.refresh_from_db()
        return order
    workshops = {d.code: d for d in Department.objects.filter(kind="workshop")}
    cutting = production.slip_add(
        actor=planner,
        plan=plan,
        workshop=workshops["cutting"],
        operation="cutting",
        quantity=1000,
        due_date=today + timedelta(days=5),
    )
    production.slip_add(
        actor=planner,
        plan=plan,
        workshop=workshops["line"],
        operation="forming",
        quantity=1000,
        due_date=today + timedelta(days=15),
        predecessors=[cutting],
    )
    production.slip_add(
        actor=planner,
        plan=plan,
        workshop=workshops["maintenance"],
        operation="mould_repair",
        quantity=1,
        due_date=today + timedelta(days=5),
    )
    if situation == "plan_draft":
        order.refresh_from_db()
        return order
    production.plan_submit(actor=planner, plan=plan)
    if situation == "plan_submitted":
        order.refresh_from_db()
        return order
    # 审核: the production manager reviews and issues it
    production.plan_issue(actor=users["prodmgr"], plan=plan)
    if situation == "plan_issued":
        order.refresh_from_db()
        return order
    if situation == "plan_change_raised":
        line = plan.slips.get(workshop=workshops["line"])
        production.plan_change_raise(
            actor=planner,
            plan=plan,
            reason="客户要求分批交货",
            plan_values={},
            slip_values={
                line.pk: {"quantity": 900, "due_date": line.due_date + timedelta(3)}
            },
        )
        order.refresh_from_db()
        return order
    production.slip_start(actor=users["lead_cutting"], slip=cutting)
    if situation == "slip_short":
        production.slip_report(
            actor=users["lead_cutting"],
            slip=cutting,
            token=uuid.uuid4(),
            good=990,
            scrap=10,
        )
    if situation == "slip_anomaly":
        production.slip_report(
            actor=users["lead_cutting"],
            slip=cutting,
            token=uuid.uuid4(),
            good=100,
            anomaly=True,
            cause="equipment",
            note="剪板机故障",
        )
    order.refresh_from_db()
    return order


def routing_for(model_code: str):
    """The catalogue item `model_code` with a routing of three steps: cutting (2
    working days, first-article check) → forming on the line (5 days, process
    check) → surface treatment on the line (2 days)."""
    from accounts.models import Department
    from orders.models import Product
    from production.models import Routing, RoutingStep

    product, _new = Product.objects.get_or_create(
        model_code=model_code,
        defaults={
            "name": "盘式刹车片钢背",
            "kind": "backplate",
            "unit": "片",
            "unit_price": Decimal("3.80"),
            "material_thickness": Decimal("6.0"),
        },
    )
    routing, created = Routing.objects.get_or_create(product=product)
    if created:
        shops = {d.code: d for d in Department.objects.filter(kind="workshop")}
        for position, (shop, operation, days, first, process) in enumerate(
            (
                ("cutting", "cutting", 2, True, False),
                ("line", "forming", 5, False, True),
                ("line", "surface", 2, False, False),
            ),
            start=1,
        ):
            RoutingStep.objects.create(
                routing=routing,
                position=position,
                operation=operation,
                workshop=shops[shop],
                days=days,
                first_article_check=first,
                process_check=process,
            )
    return routing


def plan_of(order):
    return order.production_plans.get()


def slip_of(order, workshop: str):
    from production.models import DispatchSlip

    return DispatchSlip.objects.get(plan__order=order, workshop__code=workshop)


MATERIAL_FIELDS = (
    "id",
    "material",
    "spec",
    "quantity",
    "unit",
    "supplier",
    "po_number",
    "expected_quantity",
    "expected_date",
    "arrived_now",
)


def materials_post(order, *rows: dict, version=None, product: str = "") -> dict:
    """The materials form (备料) as purchasing posts it: one dict per line (the
    fields of MATERIAL_FIELDS, "DELETE": "on" to delete), the page's version (the
    current one unless given)."""
    from production.models import MaterialRequirement

    if version is None:
        current = MaterialRequirement.objects.filter(order=order).first()
        version = current.version if current else ""
    data = {
        "version": str(version),
        "product": product,
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
    }
    for index, row in enumerate(rows):
        for name in (*MATERIAL_FIELDS, "DELETE"):
            if name in row:
                data[f"lines-{index}-{name}"] = str(row[name])
            elif name != "DELETE":
                data[f"lines-{index}-{name}"] = ""
    return data


def steel(**extra) -> dict:
    """A materials line: 2 t of Q235 steel plate from 鞍钢 on order CG-0001."""
    return {
        "material": "Q235 钢板",
        "spec": "6.0mm",
        "quantity": "2",
        "unit": "吨",
        "supplier": "鞍钢",
        "po_number": "CG-0001",
        **extra,
    }
