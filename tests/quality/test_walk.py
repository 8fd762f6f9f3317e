"""An order through quality by the services: inspected, failed in part, the
nonconformance reworked through production, re-inspected, passed to 交付."""

import pytest

from core.exceptions import InvalidMove, PermissionDenied, ValidationError
from notifications.models import Notification
from orders import registry
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
    types = list(order.events.values_list("type", "user__username"))
    assert ("inspected", "qc1") in types
    assert ("nonconformance_signed", "qcmgr") in types
    assert ("nonconformance_rework", "prodmgr") in types


def test_bad_input_saves_nothing(users):
    order = in_inspection(users)
    line = order.lines.get()
    with pytest.raises(ValidationError) as caught:
        quality.inspection_record(
            actor=users["qc1"], order=order, line=line, inspected=10, passed=8, failed=1
        )
    assert "不是检验的 10" in " ".join(caught.value.messages) or caught.value.messages
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
