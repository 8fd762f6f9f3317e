"""Demo production: plans and dispatch slips in every state — waiting, started with
progress, done, closed by the planner, one with an anomaly, one started early by the
planner's leave, materials late, a plan change waiting for the production manager
and one applied — made through the services as purchasing, the
planner and the workshop leads would. Idempotent (keyed by the customer PO)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from orders import services as orders
from orders.models import Customer, Order, Product

from . import services

USERNAMES = (
    "sales1",
    "sales2",
    "prodmgr",
    "gm",
    "techmgr",
    "purchasing",
    "qcmgr",
    "planner",
    "lead_cutting",
    "lead_line1",
    "lead_maint",
)
DAYS = {"technical": 2, "purchasing": 4, "production": 10, "quality": 2}
# Who signs each row of the review sheet, and what they write.
SIGNERS = {
    "technical": ("techmgr", "图纸及工艺可行"),
    "purchasing": ("purchasing", "钢材库存充足"),
    "production": ("prodmgr", "产能可排"),
    "quality": ("qcmgr", "检具齐全"),
}
# The smallest PDF a viewer opens: the demo's contracts and drawings.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _lines(products, *items):
    return [
        orders.LineData(
            product=products[code],
            model_code=code,
            spec=products[code].spec,
            unit=products[code].unit,
            quantity=Decimal(qty),
            unit_price=products[code].unit_price,
        )
        for code, qty in items
    ]


def _review(order, users):
    """The review sheet opened by the production manager, each row signed by its
    department with the days it needs, concluded: accept."""
    review = orders.review_open(
        actor=users["prodmgr"], order=order, department_codes=list(SIGNERS)
    )
    for row in review.signoffs.select_related("department"):
        username, content = SIGNERS[row.department.code]
        orders.review_sign(
            actor=users[username],
            signoff=row,
            content=content,
            days_needed=DAYS[row.department.code],
            resources_ok=True,
            risks="",
            opinion="agree",
        )
    orders.review_conclude(actor=users["prodmgr"], review=review, conclusion="accept")


def _quote(order, users):
    """A quote of the order's lines, approved by the GM and accepted."""
    quote = orders.quote_save(
        actor=users["sales2"],
        order=order,
        lines=[
            orders.QuoteLineData(
                model_code=line.model_code,
                spec=line.spec,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
            )
            for line in order.lines.all()
        ],
        prices_include_tax=True,
        vat_rate=Decimal("0.13"),
        discount_percent=Decimal(0),
        lead_time_days=30,
        payment_terms="预付30%，余款月结60天",
        valid_until=timezone.localdate() + timedelta(days=15),
    )
    orders.quote_submit(actor=users["sales2"], quote=quote)
    orders.quote_decide(actor=users["gm"], quote=quote, approve=True)
    orders.quote_accept(
        actor=users["sales1"],
        quote=quote,
        accepted_on=timezone.localdate(),
        how="signed",
    )


def _to_production(users, customer, products, po, items, *, requirements=True):
    """An order of sales1 walked to production: reviewed, quoted, contracted,
    drawings issued with their key requirements."""
    today = timezone.localdate()
    sales1 = users["sales1"]
    order = orders.order_create(
        actor=sales1,
        customer=customer,
        channel=Order.Channel.PHONE,
        customer_po=po,
        requested_date=today + timedelta(days=60),
        lines=_lines(products, *items),
    )
    order = orders.order_submit(actor=sales1, order=order)
    _review(order, users)
    order.refresh_from_db()
    _quote(order, users)
    order.refresh_from_db()
    orders.contract_record(
        actor=sales1,
        order=order,
        number=f"HT-{po[5:]}",
        signed_on=today,
        amount=order.quotes.get(status="accepted").gross_amount,
        uploaded=SimpleUploadedFile(f"{po}.pdf", DEMO_PDF, "application/pdf"),
    )
    techmgr = users["techmgr"]
    orders.drawing_upload(
        actor=techmgr,
        order=order,
        title=f"{items[0][0]} 钢背总图",
        uploaded=SimpleUploadedFile(f"{items[0][0]}.pdf", DEMO_PDF),
    )
    orders.requirements_write(
        actor=techmgr,
        order=order,
        quality=["平面度≤0.15mm", "毛刺高度≤0.1mm"] if requirements else ["外观无划伤"],
        process=["冲压后去应力退火", "磷化膜厚 3–5 μm"],
    )
    return orders.drawings_issue(actor=techmgr, order=order)


def _ready(users, order, status="ready", expected=None):
    """备料 as lines: steel and phosphating liquid from their suppliers — ordered
    (expected on `expected`), partly arrived, or all arrived (ready)."""
    arrived = {"ready": (8, 200), "arrived": (5, 0)}.get(status, (0, 0))
    return services.materials_record(
        actor=users["purchasing"],
        order=order,
        lines=[
            services.MaterialLineData(
                material="Q235 热轧钢板",
                spec="6.0mm",
                quantity=Decimal(8),
                unit="吨",
                supplier="鞍钢集团",
                po_number=f"CG-{order.number[-5:]}-1",
                expected_date=expected,
                arrived_now=Decimal(arrived[0]) or None,
            ),
            services.MaterialLineData(
                material="磷化液",
                quantity=Decimal(200),
                unit="升",
                supplier="杭州表面处理材料厂",
                po_number=f"CG-{order.number[-5:]}-2" if status != "needed" else "",
                expected_date=expected,
                arrived_now=Decimal(arrived[1]) or None,
            ),
        ],
    )


def _plan(users, order, *, finish_in=12, quantity=None):
    today = timezone.localdate()
    line = order.lines.first()
    return services.plan_create(
        actor=users["planner"],
        order=order,
        data=services.PlanData(
            line=line,
            quantity=quantity or line.quantity,
            planned_start=today,
            planned_finish=today + timedelta(days=finish_in),
            thickness=line.product.material_thickness if line.product else None,
            notes="按图纸关键要求首件送检",
        ),
    )


def _three_slips(users, plan, *, cutting_due=3, line_due=9):
    """Cutting → line forming, and the mould repair beside them."""
    today = timezone.localdate()
    shops = {d.code: d for d in Department.objects.filter(kind="workshop")}
    quantity = int(plan.quantity)
    planner = users["planner"]
    cutting = services.slip_add(
        actor=planner,
        plan=plan,
        workshop=shops["cutting"],
        operation="cutting",
        quantity=quantity,
        start_date=today + timedelta(days=min(cutting_due, 0)),
        due_date=today + timedelta(days=cutting_due),
    )
    forming = services.slip_add(
        actor=planner,
        plan=plan,
        workshop=shops["line"],
        operation="forming",
        quantity=quantity,
        due_date=today + timedelta(days=line_due),
        predecessors=[cutting],
    )
    mould = services.slip_add(
        actor=planner,
        plan=plan,
        workshop=shops["maintenance"],
        operation="mould_repair",
        quantity=1,
        due_date=today + timedelta(days=cutting_due),
        notes="冲模刃口修磨",
    )
    return cutting, forming, mould


def _issue(users, plan):
    """编制 by the planner, 审核 and issue by the production manager."""
    services.plan_submit(actor=users["planner"], plan=plan)
    return services.plan_issue(actor=users["prodmgr"], plan=plan)


def shops_of() -> dict:
    return {d.code: d for d in Department.objects.filter(kind="workshop")}


def _report(user, slip, good=0, scrap=0, **anomaly):
    return services.slip_report(
        actor=user, slip=slip, token=uuid.uuid4(), good=good, scrap=scrap, **anomaly
    )


@transaction.atomic
def seed_production():
    if Order.objects.filter(customer_po__startswith="DEMO-SC-").exists():
        return
    # the catalogue orders' demo seeded before (core.seeds: orders runs first)
    customers = {c.name: c for c in Customer.objects.all()}
    products = {p.model_code: p for p in Product.objects.all()}
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    today = timezone.localdate()
    wanda = customers["浙江万达汽车制动系统有限公司"]
    luwei = customers["山东鲁威刹车片有限公司"]

    # orders' own demo order in production: awaiting a plan, its materials late
    waiting = Order.objects.filter(customer_po="DEMO-WD-2611-08").first()
    if waiting is not None:
        _ready(users, waiting, "ordered", expected=today + timedelta(days=30))

    # in progress: cutting done, the line halfway with an anomaly, mould repair done
    busy = _to_production(users, wanda, products, "DEMO-SC-01", (("GB-D1060", 12000),))
    _ready(users, busy)
    plan = _plan(users, busy)
    cutting, forming, mould = _three_slips(users, plan)
    _issue(users, plan)
    services.plan_receive(actor=users["qcmgr"], plan=plan)
    services.slip_start(actor=users["lead_cutting"], slip=cutting)
    _report(users["lead_cutting"], cutting, good=6000, scrap=12)
    _report(users["lead_cutting"], cutting, good=6000, scrap=8)
    services.slip_start(actor=users["lead_maint"], slip=mould)
    _report(users["lead_maint"], mould, good=1)
    services.slip_start(actor=users["lead_line1"], slip=forming)
    _report(users["lead_line1"], forming, good=2500, scrap=30)
    _report(
        users["lead_line1"],
        forming,
        good=1200,
        scrap=15,
        anomaly=True,
        cause="equipment",
        note="2 号压力机液压系统漏油，停机待修",
    )

    # issued, nothing started yet; the cutting slip is already late
    late = _to_production(users, luwei, products, "DEMO-SC-02", (("GB-D1092", 8000),))
    _ready(users, late)
    plan = _plan(users, late, finish_in=15)
    cutting, _forming, _mould = _three_slips(users, plan, cutting_due=-1)

    _issue(users, plan)

    # the customer wants the line's part later: a plan change waits for prodmgr
    line_slip = plan.slips.get(workshop=shops_of()["line"])
    services.plan_change_raise(
        actor=users["planner"],
        plan=plan,
        reason="客户要求分两批交货，第二批顺延一周",
        plan_values={},
        slip_values={
            line_slip.pk: {
                "quantity": line_slip.quantity,
                "due_date": line_slip.due_date + timedelta(days=7),
            }
        },
    )

    # a draft plan waiting for its slips and its issue
    draft = _to_production(users, wanda, products, "DEMO-SC-03", (("GB-D1367", 5000),))
    _ready(users, draft, "arrived")
    _plan(users, draft, quantity=Decimal(5000))

    # materials late, so the planner let the mould repair start early
    early = _to_production(users, luwei, products, "DEMO-SC-04", (("GB-D2155", 6000),))
    _ready(users, early, "ordered", expected=today + timedelta(days=20))
    plan = _plan(users, early, finish_in=20)
    _cutting, _forming, mould = _three_slips(users, plan, cutting_due=8, line_due=18)
    _issue(users, plan)
    services.slip_allow_early_start(
        actor=users["planner"], slip=mould, reason="模具维修不需要订单钢材，先修模"
    )
    services.slip_start(actor=users["lead_maint"], slip=mould)
    # the line's date moved three days by an approved plan change (its first
    # committed date stays on record), and sales1 was told
    line_slip = plan.slips.get(workshop=shops_of()["line"])
    change = services.plan_change_raise(
        actor=users["planner"],
        plan=plan,
        reason="钢材到货推迟，成型顺延",
        plan_values={},
        slip_values={
            line_slip.pk: {"due_date": line_slip.due_date + timedelta(days=3)}
        },
    )
    services.plan_change_approve(actor=users["prodmgr"], change=change)

    # done: every slip finished or closed short — the order went on to inspection
    done = _to_production(users, wanda, products, "DEMO-SC-05", (("GB-D1060", 3000),))
    _ready(users, done)
    plan = _plan(users, done, finish_in=6)
    cutting, forming, mould = _three_slips(users, plan)
    _issue(users, plan)
    services.slip_start(actor=users["lead_cutting"], slip=cutting)
    _report(users["lead_cutting"], cutting, good=3000, scrap=6)
    services.slip_start(actor=users["lead_line1"], slip=forming)
    _report(users["lead_line1"], forming, good=3050, scrap=4)
    services.slip_close(
        actor=users["planner"], slip=mould, reason="模具状态良好，无需维修"
    )
