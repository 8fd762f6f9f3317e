"""Demo customers, a catalogue of the policies' kind (steel backplates 钢背, moulds) and
orders in draft, submitted, on hold and cancelled — made through the services, so their
history is real. Idempotent: orders are made once (keyed by the customer PO)."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import services
from .models import Customer, Order, Product
from .services import LineData
from .validators import uscc_check_char

# A minimal, valid PDF standing in for a scanned contract or drawing.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


CUSTOMERS = (
    # name, type, contact, phone, credit limit
    (
        "浙江万达汽车制动系统有限公司",
        Customer.Type.KEY,
        "钱经理",
        "0571-86001234",
        Decimal("2000000"),
    ),
    (
        "山东鲁威刹车片有限公司",
        Customer.Type.REGULAR,
        "孔科长",
        "0531-88112233",
        Decimal("500000"),
    ),
    ("广州信达摩擦材料厂", Customer.Type.REGULAR, "黄工", "020-36223344", None),
    (
        "河北冀丰机械配件经销部",
        Customer.Type.NEW,
        "赵老板",
        "0311-85557788",
        Decimal("50000"),
    ),
    ("重庆长江模具有限公司", Customer.Type.KEY, "李总", "023-67891234", None),
)

PRODUCTS = (
    # model, name, kind, spec, unit, price, thickness
    (
        "GB-D1060",
        "盘式刹车片钢背",
        Product.Kind.BACKPLATE,
        "D1060 料厚6.0",
        "片",
        "3.80",
        "6.0",
    ),
    (
        "GB-D1092",
        "盘式刹车片钢背",
        Product.Kind.BACKPLATE,
        "D1092 料厚5.5",
        "片",
        "3.20",
        "5.5",
    ),
    (
        "GB-D1367",
        "盘式刹车片钢背",
        Product.Kind.BACKPLATE,
        "D1367 料厚6.5",
        "片",
        "4.60",
        "6.5",
    ),
    (
        "GB-D2155",
        "商用车刹车片钢背",
        Product.Kind.BACKPLATE,
        "D2155 料厚8.0",
        "片",
        "9.50",
        "8.0",
    ),
    (
        "GB-WVA29087",
        "商用车钢背",
        Product.Kind.BACKPLATE,
        "WVA29087 料厚10",
        "片",
        "12.80",
        "10.0",
    ),
    (
        "MJ-CB-01",
        "钢背冲压模具",
        Product.Kind.MOULD,
        "复合模 800T",
        "套",
        "68000.00",
        None,
    ),
    ("MJ-JX-02", "精冲模具", Product.Kind.MOULD, "精冲模 400T", "套", "45000.00", None),
    ("LJ-ZJ-10", "制动支架", Product.Kind.PART, "QT450 铸件加工", "件", "36.00", None),
)


def seed_catalogue():
    customers = {}
    for index, (name, type_, contact, phone, limit) in enumerate(CUSTOMERS):
        customers[name], _ = Customer.objects.update_or_create(
            name=name,
            defaults={
                "type": type_,
                "contact": contact,
                "phone": phone,
                "credit_limit": limit,
                "tax_id": _uscc(f"91330100MA2{index:02d}7KX9"[:17]),
                "address": name[:2] + "省",
            },
        )
    products = {}
    for code, name, kind, spec, unit, price, thickness in PRODUCTS:
        products[code], _ = Product.objects.update_or_create(
            model_code=code,
            defaults={
                "name": name,
                "kind": kind,
                "spec": spec,
                "unit": unit,
                "unit_price": Decimal(price),
                "material_thickness": Decimal(thickness) if thickness else None,
            },
        )
    return customers, products


def _lines(products, *items):
    return [
        LineData(
            product=products[code],
            model_code=code,
            spec=products[code].spec,
            unit=products[code].unit,
            quantity=Decimal(qty),
            unit_price=products[code].unit_price,
        )
        for code, qty in items
    ]


def _review(order, users, days, *, conclude=True, sign=True, skip=()):
    """Open the sheet as prodmgr, sign each row as its reviewer, conclude."""
    review = services.review_open(
        actor=users["prodmgr"],
        order=order,
        department_codes=["technical", "purchasing", "production", "quality"],
    )
    signer = {
        "technical": "techmgr",
        "purchasing": "purchasing",
        "production": "prodmgr",
        "quality": "qcmgr",
    }
    if sign:
        for row in review.signoffs.select_related("department"):
            code = row.department.code
            if code in skip:
                continue
            services.review_sign(
                actor=users[signer[code]],
                signoff=row,
                content={
                    "technical": "图纸及工艺可行",
                    "purchasing": "钢材库存充足",
                    "production": "产能可排",
                    "quality": "检具齐全",
                }[code],
                days_needed=days[code],
                resources_ok=True,
                risks="" if code != "purchasing" else "钢材价格波动，锁价采购",
                opinion="agree" if code != "purchasing" else "conditional",
            )
    if conclude:
        services.review_conclude(
            actor=users["prodmgr"], review=review, conclusion="accept"
        )
    return review


def _quote(order, users, *, submit=True, approve=False, accept=False):
    quote = services.quote_save(
        actor=users["sales2"],
        order=order,
        lines=[
            services.QuoteLineData(
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
    if submit:
        services.quote_submit(actor=users["sales2"], quote=quote)
    if approve:
        services.quote_decide(actor=users["gm"], quote=quote, approve=True)
    if accept:
        services.quote_accept(
            actor=users["sales1"],
            quote=quote,
            accepted_on=timezone.localdate(),
            how="signed",
        )
    return quote


@transaction.atomic
def seed_orders():
    customers, products = seed_catalogue()
    if Order.objects.filter(customer_po__startswith="DEMO-").exists():
        return
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "sales1",
                "sales2",
                "prodmgr",
                "gm",
                "techmgr",
                "purchasing",
                "qcmgr",
            ]
        )
    }
    sales1, sales2, prodmgr = users["sales1"], users["sales2"], users["prodmgr"]
    today = timezone.localdate()
    names = [c[0] for c in CUSTOMERS]

    def make(user, customer, po, days, lines, **extra):
        return services.order_create(
            actor=user,
            customer=customers[customer],
            channel=extra.pop("channel", Order.Channel.PHONE),
            customer_po=po,
            requested_date=today + timedelta(days=days),
            lines=lines,
            **extra,
        )

    # drafts
    make(
        sales1,
        names[0],
        "DEMO-WD-2611-01",
        45,
        _lines(products, ("GB-D1060", 20000), ("GB-D1092", 15000)),
        special_requirements="钢背表面磷化处理，包装每箱不超过 20 kg",
    )
    make(
        sales2,
        names[2],
        "DEMO-XD-0087",
        30,
        _lines(products, ("GB-D1367", 8000)),
        channel=Order.Channel.EMAIL,
    )
    # submitted, awaiting review
    submitted = []
    for po, customer, items, extra in (
        (
            "DEMO-WD-2611-02",
            names[0],
            (("GB-D2155", 30000), ("GB-WVA29087", 10000)),
            {"is_important": True, "deposit_percent": Decimal(30)},
        ),
        (
            "DEMO-LW-118",
            names[1],
            (("GB-D1092", 12000),),
            {"monthly_settlement_days": 60},
        ),
        (
            "DEMO-CJ-77",
            names[4],
            (("MJ-CB-01", 2), ("MJ-JX-02", 1)),
            {
                "quality_requirements": "模具寿命不低于 30 万次",
                "pay_before_shipment": True,
            },
        ),
    ):
        order = make(sales1, customer, po, 60, _lines(products, *items), **extra)
        submitted.append(services.order_submit(actor=sales1, order=order))
    days = {"technical": 2, "purchasing": 5, "production": 12, "quality": 2}
    # the important one: reviewed, awaiting the general manager
    _review(submitted[0], users, days)
    # one sheet half signed (purchasing and quality still to sign)
    _review(submitted[1], users, days, conclude=False, skip=("purchasing", "quality"))
    # one sheet signed by all, awaiting the production manager's conclusion
    _review(submitted[2], users, days, conclude=False)
    # a quote waiting for the GM, and an accepted quote waiting for the contract
    for po, qty, accept in (
        ("DEMO-WD-2611-05", 6000, False),
        ("DEMO-XD-0091", 9000, True),
    ):
        order = make(
            sales1,
            names[0] if accept else names[2],
            po,
            70,
            _lines(products, ("GB-D1092", qty)),
        )
        order = services.order_submit(actor=sales1, order=order)
        _review(order, users, days)
        order.refresh_from_db()
        _quote(order, users, approve=accept, accept=accept)
    # a signed contract waiting for drawings, and one issued to production
    for po, issue in (("DEMO-WD-2611-07", False), ("DEMO-WD-2611-08", True)):
        order = make(sales1, names[0], po, 80, _lines(products, ("GB-D1367", 12000)))
        order = services.order_submit(actor=sales1, order=order)
        _review(order, users, days)
        order.refresh_from_db()
        _quote(order, users, approve=True, accept=True)
        order.refresh_from_db()
        services.contract_record(
            actor=sales1,
            order=order,
            number=f"HT-{po[5:]}",
            signed_on=today,
            amount=order.quotes.get(status="accepted").gross_amount,
            uploaded=SimpleUploadedFile(f"{po}.pdf", DEMO_PDF, "application/pdf"),
        )
        if issue:
            services.drawing_upload(
                actor=users["techmgr"],
                order=order,
                title="GB-D1367 钢背总图",
                uploaded=SimpleUploadedFile("GB-D1367.pdf", DEMO_PDF),
            )
            services.requirements_write(
                actor=users["techmgr"],
                order=order,
                quality=["平面度≤0.15mm", "毛刺高度≤0.1mm"],
                process=["冲压后去应力退火", "磷化膜厚 3–5 μm"],
            )
            services.drawings_issue(actor=users["techmgr"], order=order)
    # over the credit limit: waits for finance
    make(
        sales2,
        names[3],
        "DEMO-JF-003",
        40,
        _lines(products, ("GB-D1060", 20000)),
        channel=Order.Channel.WALK_IN,
    )
    # on hold: a change request waiting for the production manager
    held = make(
        sales1, names[1], "DEMO-LW-119", 50, _lines(products, ("GB-D1367", 5000))
    )
    held = services.order_submit(actor=sales1, order=held)
    services.change_request_create(
        actor=sales1,
        order=held,
        version=held.version,
        reason="客户追加数量并推迟交期",
        requested_date=held.requested_date + timedelta(days=10),
        lines=_lines(products, ("GB-D1367", 6500)),
    )
    # cancelled
    gone = make(
        sales2,
        names[2],
        "DEMO-XD-0090",
        20,
        _lines(products, ("LJ-ZJ-10", 500)),
        channel=Order.Channel.FAX,
    )
    gone = services.order_submit(actor=sales2, order=gone)
    services.order_cancel(
        actor=prodmgr,
        order=gone,
        reason="客户项目取消",
        loss_measures="未投料；已通知采购停止备料",
    )
