"""An order through quality by the services: inspected, failed in part, the
nonconformance reworked through production, re-inspected, passed to 交付."""

import pytest
from django.utils import translation

from core.exceptions import InvalidMove, PermissionDenied, ValidationError
from notifications.models import Notification
from orders import registry
from orders.history import detail
from quality import services as quality
from quality.models import Inspection, Nonconformance
from quality.selectors import line_figures
from tests.quality.helpers import in_inspection, inspect, rework_all

pytestmark = pytest.mark.django_db


def test_fail_rework_reinspect_pass(users, django_capture_on_commit_callbacks):
    order = in_inspection(users)
    first = inspect(users, order, 990, 10)
    nc = Nonconformance.objects.get(inspection=first)
    assert nc.quantity == 10 and nc.status == "open"
    # not passed yet: 990 of 1000 accepted, a nonconformance open
    with pytest.raises(InvalidMove, match=nc.number):
        quality.order_pass(actor=users["qc1"], order=order)
    nc = rework_all(users, nc)
    assert nc.status == "closed" and nc.rework_slip.status == "done"
    figures = line_figures(order)[0]
    assert (figures.inspected, figures.passed, figures.failed) == (1000, 990, 10)
    assert figures.rework == 10 and figures.accepted == 990
    again = inspect(users, order, 10, 0, nonconformance=nc)
    assert again.is_reinspection
    order.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        moved = quality.order_pass(actor=users["qc1"], order=order)
    assert moved.stage == "delivery"
    assert Notification.objects.filter(
        user=users["warehouse"], kind="inspection_passed"
    ).exists()
    order = type(order).objects.get(pk=order.pk)
    rolled = registry.line_quantities(order)[order.lines.get().pk]
    assert rolled["accepted"] == 1000 and rolled["re_passed"] == 10
    assert rolled["produced"] == 1000
    # the pass is kept as figures and read in the reader's language
    passed = order.events.get(type="moved", parameters__move="inspection_passed")
    assert passed.parameters["lines"] == [[1, 1000, "1000"]]
    assert detail(passed) == "第 1 行：接收 1000 / 1000"
    with translation.override("en"):
        assert detail(passed) == "line 1: accepted 1000 of 1000"
    types = list(order.events.values_list("type", "user__username"))
    assert ("inspected", "qc1") in types
    assert ("nonconformance_signed", "qcmgr") in types
    assert ("nonconformance_rework", "planner") in types


def test_bad_input_saves_nothing(users):
    order = in_inspection(users)
    line = order.lines.get()
    with pytest.raises(ValidationError) as caught:
        quality.inspection_record(
            actor=users["qc1"], order=order, line=line, inspected=10, passed=8, failed=1
        )
    assert caught.value.message_dict["failed"] == [
        "合格 8 与不合格 1 之和为 9，不等于检验数 10。"
    ]
    with pytest.raises(ValidationError):
        inspect(users, order, 1001, 0)
    with pytest.raises(PermissionDenied):
        inspect(users, order, 10, 0, who="planner")
    assert not Inspection.objects.exists()


def test_a_correction_is_a_new_record(users):
    order = in_inspection(users)
    first = inspect(users, order, 990, 10)
    new = quality.inspection_correct(
        actor=users["qc1"],
        inspection=first,
        inspected=1000,
        passed=995,
        failed=5,
        defects=["burr"],
        reason="复核计数",
    )
    assert new.corrects == first
    first.refresh_from_db()
    assert first.passed == 990  # kept as it was
    assert Nonconformance.objects.get(inspection=first).status == "withdrawn"
    assert Nonconformance.objects.get(inspection=new).quantity == 5
    figures = line_figures(order)[0]
    assert (figures.inspected, figures.passed, figures.failed) == (1000, 995, 5)


def test_a_concession_needs_the_customers_consent(users):
    from accounts.models import Department
    from tests.quality.helpers import photo

    order = in_inspection(users)
    first = inspect(users, order, 990, 10)
    nc = Nonconformance.objects.get(inspection=first)
    line = Department.objects.get(code="line")
    # without the quality manager among the reviewers: refused
    with pytest.raises(ValidationError, match="质量经理"):
        quality.nonconformance_submit(
            actor=users["qc1"],
            nonconformance=nc,
            description="轻微划伤",
            cause="quality",
            responsible_department=line,
            reviewers=[users["prodmgr"]],
            concession=10,
        )
    nc = quality.nonconformance_submit(
        actor=users["qc1"],
        nonconformance=nc,
        description="轻微划伤",
        cause="quality",
        responsible_department=line,
        reviewers=[users["qcmgr"], users["prodmgr"]],
        concession=10,
    )
    # only the reviewers named sign
    with pytest.raises(PermissionDenied):
        quality.nonconformance_sign(actor=users["techmgr"], nonconformance=nc)
    nc = quality.nonconformance_sign(actor=users["qcmgr"], nonconformance=nc)
    nc = quality.nonconformance_sign(actor=users["prodmgr"], nonconformance=nc)
    assert nc.status == "decided"
    # not released while the concession waits for the customer's consent
    with pytest.raises(InvalidMove, match=nc.number):
        quality.order_pass(actor=users["qc1"], order=order)
    # the consent without the customer's document, or by qc1: refused
    with pytest.raises(ValidationError):
        quality.nonconformance_consent(
            actor=users["qcmgr"], nonconformance=nc, note="电话同意"
        )
    with pytest.raises(PermissionDenied):
        quality.nonconformance_consent(
            actor=users["qc1"],
            nonconformance=nc,
            note="客户书面同意",
            documents=[photo()],
        )
    nc = quality.nonconformance_consent(
        actor=users["qcmgr"],
        nonconformance=nc,
        note="客户书面同意",
        documents=[photo()],
    )
    assert nc.status == "closed"
    moved = quality.order_pass(actor=users["qc1"], order=order)
    assert moved.stage == "delivery"
    figures = line_figures(moved)[0]
    assert figures.conceded == 10 and figures.accepted == 1000


def test_a_first_article_check_holds_the_slips_reports(users):
    import uuid

    from production import services as production
    from tests.walk import routing_for, slip_of, walk

    routing_for("GB-D1060")  # cutting asks for a first-article check
    order = walk(users, "slip_started")
    cutting = slip_of(order, "cutting")
    with pytest.raises(InvalidMove, match="首件检验"):
        production.slip_report(
            actor=users["lead_cutting"], slip=cutting, token=uuid.uuid4(), good=10
        )
    # the slip waits on the QC workbench
    from quality.selectors import first_article_slips

    assert cutting in first_article_slips()
    # a failed first article keeps it held; a passed one lets the batch go on
    quality.inspection_record(
        actor=users["qc1"],
        order=order,
        line=order.lines.get(),
        kind="first_article",
        slip=cutting,
        inspected=1,
        passed=0,
        failed=1,
        defects=["dimension"],
    )
    with pytest.raises(InvalidMove, match="首件检验"):
        production.slip_report(
            actor=users["lead_cutting"], slip=cutting, token=uuid.uuid4(), good=10
        )
    quality.inspection_record(
        actor=users["qc1"],
        order=order,
        line=order.lines.get(),
        kind="first_article",
        slip=cutting,
        inspected=1,
        passed=1,
        failed=0,
    )
    production.slip_report(
        actor=users["lead_cutting"], slip=cutting, token=uuid.uuid4(), good=10
    )
    assert cutting not in first_article_slips()


def test_due_items_show_in_the_tracker(users):
    order = in_inspection(users)
    first = inspect(users, order, 990, 10)
    nc = Nonconformance.objects.get(inspection=first)
    items = {i.key: i for i in registry.due_items_for(order)}
    line = order.lines.get()
    assert f"final_inspection:{line.pk}" in items
    assert f"nonconformance:{nc.pk}" in items
    assert items[f"nonconformance:{nc.pk}"].done_at is None
