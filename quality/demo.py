"""Demo quality: orders whose production finished, inspected through the services
as the QC inspectors, the reviewers, the production manager and the line's lead
would — one passed at once, one failed in part with its nonconformance waiting
for the reviewers' signatures, one reworked and re-inspected, one with pieces
conceded on the customer's written consent; the passed ones released to
delivery. Idempotent (keyed by the customer PO)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from orders.models import Customer, KeyRequirement, Order, Product
from production import demo as production_demo
from production import services as production

from . import defects, services
from .models import Nonconformance

USERNAMES = (*production_demo.USERNAMES, "qc1")
DEMO_PDF = production_demo.DEMO_PDF


def _produced(users, customer, products, po, code, quantity):
    """An order walked through production by production's demo steps: every slip
    finished in full, so it waits for the final inspection."""
    order = production_demo._to_production(
        users, customer, products, po, ((code, quantity),)
    )
    production_demo._ready(users, order)
    plan = production_demo._plan(users, order, finish_in=6)
    cutting, forming, mould = production_demo._three_slips(users, plan)
    production_demo._issue(users, plan)
    for lead, slip in (
        ("lead_cutting", cutting),
        ("lead_maint", mould),
        ("lead_line1", forming),
    ):
        production.slip_start(actor=users[lead], slip=slip)
        production.slip_report(
            actor=users[lead], slip=slip, token=uuid.uuid4(), good=slip.quantity
        )
    order.refresh_from_db()
    return order


def _inspect(users, order, passed, failed, *, who="qc1", **extra):
    line = order.lines.get()
    checks = [
        services.CheckResult(k.pk, True, "0.08mm" if "毛刺" in k.text else "")
        for k in KeyRequirement.objects.filter(order=order, kind="quality")
    ]
    return services.inspection_record(
        actor=users[who],
        order=order,
        line=line,
        inspected=passed + failed,
        passed=passed,
        failed=failed,
        defects=extra.pop("defects", ["burr"] if failed else []),
        checks=checks,
        note=extra.pop("note", ""),
        **extra,
    )


def _describe(users, nc, **disposition):
    return services.nonconformance_submit(
        actor=users["qc1"],
        nonconformance=nc,
        description=disposition.pop("description"),
        cause=disposition.pop("cause", "quality"),
        responsible_department=Department.objects.get(code="line"),
        reviewers=[users["qcmgr"], users["prodmgr"]],
        **disposition,
    )


def _sign(users, nc):
    nc = services.nonconformance_sign(
        actor=users["qcmgr"], nonconformance=nc, opinion="同意评审意见"
    )
    return services.nonconformance_sign(
        actor=users["prodmgr"], nonconformance=nc, opinion="安排处置"
    )


def _pass(users, order):
    order = Order.objects.get(pk=order.pk)
    return services.order_pass(actor=users["qc1"], order=order)


@transaction.atomic
def seed_quality():
    if Order.objects.filter(customer_po__startswith="DEMO-QC-").exists():
        return
    defects.ensure()
    customers = {c.name: c for c in Customer.objects.all()}
    products = {p.model_code: p for p in Product.objects.all()}
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    wanda = customers["浙江万达汽车制动系统有限公司"]
    luwei = customers["山东鲁威刹车片有限公司"]
    today = timezone.localdate()

    # passed at once and released to delivery
    clean = _produced(users, wanda, products, "DEMO-QC-01", "GB-D1060", 2000)
    _inspect(users, clean, 2000, 0, note="抽检 AQL 1.0 合格")
    _pass(users, clean)

    # failed in part: its nonconformance waits for the reviewers' signatures
    open_ = _produced(users, luwei, products, "DEMO-QC-02", "GB-D1092", 1500)
    found = _inspect(
        users, open_, 1480, 20, defects=["dimension"], note="孔位偏移 0.3mm"
    )
    _describe(
        users,
        Nonconformance.objects.get(inspection=found),
        description="20 件孔位偏移超差",
        cause="equipment",
        rework=12,
        scrap=8,
        make_up=True,
    )

    # reworked on a slip, re-inspected, passed
    reworked = _produced(users, wanda, products, "DEMO-QC-03", "GB-D1367", 1000)
    found = _inspect(users, reworked, 970, 30, note="毛刺超标")
    nc = _describe(
        users,
        Nonconformance.objects.get(inspection=found),
        description="30 件毛刺高度超标",
        rework=30,
    )
    nc = _sign(users, nc)
    nc = services.nonconformance_rework(
        actor=users["planner"],
        nonconformance=nc,
        workshop=Department.objects.get(code="line"),
        operation="forming",
        due_date=today + timedelta(days=2),
    )
    slip = nc.rework_slip
    production.slip_start(actor=users["lead_line1"], slip=slip)
    production.slip_report(
        actor=users["lead_line1"], slip=slip, token=uuid.uuid4(), good=30
    )
    nc.refresh_from_db()
    _inspect(users, reworked, 30, 0, nonconformance=nc, note="返工后复检合格")
    _pass(users, reworked)

    # conceded: the customer accepts pieces with light scratches, in writing
    conceded = _produced(users, luwei, products, "DEMO-QC-04", "GB-D2155", 1200)
    found = _inspect(
        users, conceded, 1190, 10, defects=["scratch"], note="表面轻微划伤"
    )
    nc = _describe(
        users,
        Nonconformance.objects.get(inspection=found),
        description="10 件表面轻微划伤，不影响装配",
        cause="quality",
        concession=10,
    )
    nc = _sign(users, nc)
    services.nonconformance_consent(
        actor=users["qcmgr"],
        nonconformance=nc,
        note="客户质量部王工书面同意让步接收 10 件",
        documents=[SimpleUploadedFile("让步接收确认.pdf", DEMO_PDF, "application/pdf")],
    )
    _pass(users, conceded)
