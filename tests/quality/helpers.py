"""Orders walked to quality's situations by the demo users, through the services."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Department
from production import services as production
from quality import services as quality
from quality.models import Nonconformance
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
        actor=users["planner"],
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


# Quality's situations (tests/walk.py dispatches them here), each an order of
# sales1 of 1,000 GB-D1060 whose production finished.
QUALITY_SITUATIONS = (
    # waiting for its final inspection
    "inspection",
    # a finished slip whose routing step asks for a process check (过程检验)
    "process_check",
    # qc1 passed 990 and failed 10: a nonconformance to describe
    "inspected_failed",
    # the nonconformance sent to qcmgr and prodmgr for their signatures
    "nc_review",
    # both signed rework: waiting for the rework slip
    "nc_rework",
    # both signed a concession: waiting for the customer's consent
    "nc_concession",
    # every piece passed: ready to be released to delivery
    "inspection_passed_ready",
)


def _described(users, order, **disposition):
    first = inspect(users, order, 990, 10)
    nc = Nonconformance.objects.get(inspection=first)
    return quality.nonconformance_submit(
        actor=users["qc1"],
        nonconformance=nc,
        description="毛刺超标",
        cause="quality",
        responsible_department=Department.objects.get(code="line"),
        reviewers=[users["qcmgr"], users["prodmgr"]],
        **disposition,
    )


def quality_walk(users, situation: str):
    from quality.defects import ensure
    from tests.walk import routing_for

    ensure()
    order = in_inspection(users)
    if situation == "process_check":
        # the routing's forming step on the line asks for a process check; its
        # cutting step no first-article check, so that the next walk's cutting
        # report is not held
        routing_for("GB-D1060").steps.update(first_article_check=False)
    elif situation == "inspected_failed":
        inspect(users, order, 990, 10)
    elif situation in ("nc_review", "nc_rework", "nc_concession"):
        disposition = (
            {"concession": 10} if situation == "nc_concession" else {"rework": 10}
        )
        nc = _described(users, order, **disposition)
        if situation != "nc_review":
            nc = quality.nonconformance_sign(actor=users["qcmgr"], nonconformance=nc)
            quality.nonconformance_sign(actor=users["prodmgr"], nonconformance=nc)
    elif situation == "inspection_passed_ready":
        inspect(users, order, 1000, 0)
    return type(order).objects.get(pk=order.pk)


def forget_quality() -> None:
    """Every quality record gone (a test that clears production's records first
    clears those pointing at them); the re-inspections' link is cut first, since a
    nonconformance and its inspections protect each other."""
    from quality.models import (
        ConsentDocument,
        Inspection,
        InspectionCheck,
        InspectionPhoto,
        NonconformanceReview,
    )

    ConsentDocument.objects.all().delete()
    NonconformanceReview.objects.all().delete()
    InspectionCheck.objects.all().delete()
    InspectionPhoto.objects.all().delete()
    Inspection.objects.update(nonconformance=None)
    Nonconformance.objects.all().delete()
    Inspection.defects.through.objects.all().delete()
    Inspection.objects.update(corrects=None)
    Inspection.objects.all().delete()
