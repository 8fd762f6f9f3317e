"""seed_demo brings production in every state, made through the services, and
running it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from orders.models import Order
from production.models import (
    DispatchSlip,
    MaterialRequirement,
    ProductionPlan,
    SlipReport,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_has_plans_and_slips_in_every_state(settings):
    settings.DEMO_DATA = True
    call_command("seed_demo", stdout=StringIO())
    counts = (
        ProductionPlan.objects.count(),
        DispatchSlip.objects.count(),
        SlipReport.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert counts == (
        ProductionPlan.objects.count(),
        DispatchSlip.objects.count(),
        SlipReport.objects.count(),
    )

    assert set(ProductionPlan.objects.values_list("status", flat=True)) == {
        "draft",
        "issued",
    }
    assert set(DispatchSlip.objects.values_list("status", flat=True)) == {
        "waiting",
        "started",
        "done",
        "closed",
    }
    started = DispatchSlip.objects.filter(status="started", good_qty__gt=0)
    assert started.exists()  # in progress, with progress
    assert SlipReport.objects.filter(anomaly=True, handled_at__isnull=True).exists()
    assert DispatchSlip.objects.filter(override_at__isnull=False).exists()
    assert any(slip.is_late for slip in DispatchSlip.objects.all())
    assert any(m.is_late for m in MaterialRequirement.objects.all())
    # the finished one went on to inspection by its last slip
    done = Order.objects.get(customer_po="DEMO-SC-05")
    assert done.stage == "inspection"
    assert done.events.get(type="moved", to_stage="inspection").automatic


def test_seed_demo_has_a_plan_change_waiting_and_one_applied(settings):
    from production.models import PlanChange

    settings.DEMO_DATA = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    changes = {c.status: c for c in PlanChange.objects.select_related("plan__order")}
    assert set(changes) == {"raised", "applied"}
    assert PlanChange.objects.count() == 2
    applied = changes["applied"]
    moved = DispatchSlip.objects.get(plan=applied.plan, workshop__code="line")
    # the date moved, the one first committed stays on record
    assert moved.due_date > moved.committed_due_date
    assert applied.plan.order.events.filter(type="plan_changed").exists()
