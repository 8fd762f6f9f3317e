"""Orders walked to quality's situations by the demo users, through the services."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Department
from production import services as production
from quality import services as quality
from tests.walk import slip_of, walk

# a 1×1 PNG
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def photo(name="p.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def in_inspection(users):
    """An order of 1,000 GB-D1060 whose production finished: every slip done."""
    order = walk(users, "slip_started")
    for shop, lead in (
        ("cutting", "lead_cutting"),
        ("maintenance", "lead_maint"),
        ("line", "lead_line1"),
    ):
        slip = slip_of(order, shop)
        if slip.status == "waiting":
            production.slip_start(actor=users[lead], slip=slip)
        production.slip_report(
            actor=users[lead], slip=slip, token=uuid.uuid4(), good=slip.quantity
        )
    order.refresh_from_db()
    assert order.stage == "inspection"
    return order


def inspect(users, order, passed, failed, who="qc1", **extra):
    extra.setdefault("defects", ["burr"] if failed else [])
    return quality.inspection_record(
        actor=users[who],
        order=order,
        line=order.lines.get(),
        inspected=passed + failed,
        passed=passed,
        failed=failed,
        **extra,
    )


def rework_all(users, nc):
    """The reviewers decide rework for every piece and sign; the production
    manager has it made on a slip; the line's lead finishes it."""
    nc = quality.nonconformance_submit(
        actor=users["qc1"],
        nonconformance=nc,
        description="毛刺超标",
        cause="quality",
        responsible_department=Department.objects.get(code="line"),
        reviewers=[users["qcmgr"], users["prodmgr"]],
        rework=nc.quantity,
    )
    quality.nonconformance_sign(actor=users["qcmgr"], nonconformance=nc, opinion="同意")
    quality.nonconformance_sign(actor=users["prodmgr"], nonconformance=nc)
    nc = quality.nonconformance_rework(
        actor=users["prodmgr"],
        nonconformance=nc,
        workshop=Department.objects.get(code="line"),
        operation="forming",
        due_date=timezone.localdate() + timedelta(days=3),
    )
    slip = nc.rework_slip
    production.slip_start(actor=users["lead_line1"], slip=slip)
    production.slip_report(
        actor=users["lead_line1"], slip=slip, token=uuid.uuid4(), good=slip.quantity
    )
    nc.refresh_from_db()
    return nc
