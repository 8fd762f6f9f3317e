"""`manage.py seed_scale` on the shop floor: the plans, slips and reports it writes
are what the services could have written — every order that reached production has
its plan, an order past production has every slip finished, reports add up to the
slips' quantities, a slip started only after its previous operation and its
materials, numbers unique and the counters past them — and the pages read them."""

import re
from collections import defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.test import Client
from django.utils import timezone

from accounts.models import Department, User
from accounts.roles import ROLE_BY_CODE
from orders.models import NumberSequence, Order
from orders.stages import Stage
from production import services
from production.models import (
    DispatchSlip,
    MaterialRequirement,
    ProductionPlan,
    SlipReport,
)
from production.scale import BUSY_REPORTS, BUSY_SLIP, PRODUCED

ORDERS = 400
S = DispatchSlip.Status


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", orders=ORDERS, force=True, seed=5, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def scale(seeded, db):
    return seeded


def test_every_order_that_reached_production_has_its_plan_and_materials(scale):
    produced = Order.objects.filter(stage__in=PRODUCED)
    assert produced.count() > ORDERS // 2
    for order in produced:
        plans = list(order.production_plans.all())
        assert len(plans) == 1, order.number
        plan = plans[0]
        assert plan.status == ProductionPlan.Status.ISSUED
        assert plan.line.order_id == order.pk
        assert plan.quantity == plan.line.quantity
        assert plan.planned_finish >= plan.planned_start
        assert MaterialRequirement.objects.filter(order=order).exists()
    earlier = Order.objects.exclude(stage__in=PRODUCED).exclude(held_stage="production")
    assert not ProductionPlan.objects.filter(order__in=earlier).exists()


def test_an_order_past_production_has_every_slip_done_and_reported(scale):
    past = Order.objects.filter(stage__in=PRODUCED).exclude(stage=Stage.PRODUCTION)
    assert past.exists()
    slips = DispatchSlip.objects.filter(plan__order__in=past)
    assert not slips.exclude(status=S.DONE).exists()
    for slip in slips.annotate(g=Sum("reports__good"), s=Sum("reports__scrap")):
        assert slip.good_qty == slip.quantity == slip.g, slip.number
        assert slip.scrap_qty == slip.s
        assert slip.started_by_id and slip.done_at and slip.started_at <= slip.done_at
        # no plan change in the scale data: each slip's date is the one committed
        assert slip.committed_due_date == slip.due_date


def test_open_production_is_spread_over_the_states_a_shop_floor_holds(scale):
    busy = DispatchSlip.objects.get(notes=BUSY_SLIP)
    open_slips = DispatchSlip.objects.filter(
        plan__order__stage=Stage.PRODUCTION
    ).exclude(pk=busy.pk)
    states = set(open_slips.values_list("status", flat=True)) | {busy.status}
    assert {S.WAITING, S.STARTED} <= states
    for slip in open_slips.filter(status__in=[S.STARTED, S.DONE]).prefetch_related(
        "predecessors"
    ):
        # nobody started before the previous operation or the materials
        assert all(p.status == S.DONE for p in slip.predecessors.all()), slip.number
        assert slip.plan.order.materials.is_ready
        total = slip.reports.aggregate(g=Sum("good"))["g"] or 0
        assert slip.good_qty == total
        assert slip.good_qty <= slip.quantity
    # open anomalies for the planner's queue, each with its cause
    anomalies = SlipReport.objects.filter(anomaly=True, handled_at__isnull=True)
    assert anomalies.exists()
    assert not anomalies.filter(cause="").exists()
    # and a busy slip for the report screen's figure
    assert busy.status == S.STARTED
    assert busy.reports.count() >= BUSY_REPORTS


def test_numbers_are_unique_and_a_new_slip_gets_a_fresh_one(scale):
    plans = list(ProductionPlan.objects.values_list("number", flat=True))
    slips = list(DispatchSlip.objects.values_list("number", flat=True))
    assert len(plans) == len(set(plans)) and len(slips) == len(set(slips))
    assert all(re.fullmatch(r"JH-\d{6}-\d{4,}", n) for n in plans)
    assert all(re.fullmatch(r"PG-\d{6}-\d{5,}", n) for n in slips)
    counters = dict(NumberSequence.objects.values_list("key", "last"))
    last = defaultdict(int)
    for number in slips:
        _pg, month, seq = number.split("-")
        last[month] = max(last[month], int(seq))
    for month, seq in last.items():
        assert counters[f"slip:{month}"] >= seq
    plan = ProductionPlan.objects.filter(order__stage=Stage.PRODUCTION).first()
    # Slips are added to a draft plan only (an issued one changes through a plan
    # change form): the plan is taken back to a draft for this.
    ProductionPlan.objects.filter(pk=plan.pk).update(status=ProductionPlan.Status.DRAFT)
    plan.refresh_from_db()
    planner = User.objects.get(username="production_planner001")
    slip = services.slip_add(
        actor=planner,
        plan=plan,
        workshop=Department.objects.get(code="maintenance"),
        operation="mould_repair",
        quantity=1,
        due_date=timezone.localdate() + timedelta(days=3),
    )
    assert slip.number not in slips


def test_a_lead_reads_the_own_workshop_and_the_busy_report_screen(scale):
    counts = dict(
        DispatchSlip.objects.values_list("workshop__code").annotate(n=Count("id"))
    )
    assert {"cutting", "line"} <= set(counts)
    lead = User.objects.filter(
        groups__name=ROLE_BY_CODE["workshop_lead"].group_name, department__code="line"
    ).first()
    client = Client()
    client.force_login(lead)
    page = client.get("/production/slips/")
    assert page.status_code == 200
    busy = DispatchSlip.objects.get(notes=BUSY_SLIP)
    screen = client.get(busy.get_absolute_url())
    assert screen.status_code == 200
    assert busy.number in screen.content.decode()
    cutting = DispatchSlip.objects.filter(workshop__code="cutting").first()
    assert client.get(cutting.get_absolute_url()).status_code == 404


def test_only_production_runs_over_orders_seeded_earlier(scale):
    from django.apps import apps

    if apps.is_installed("quality"):
        # quality's records point at the slips: they go first
        from tests.quality.helpers import forget_quality

        forget_quality()
    SlipReport.objects.all().delete()
    DispatchSlip.predecessors.through.objects.all().delete()
    DispatchSlip.objects.all().delete()
    ProductionPlan.objects.all().delete()
    MaterialRequirement.objects.all().delete()
    out = StringIO()
    call_command("seed_scale", only=["production"], force=True, seed=5, stdout=out)
    assert "production.ProductionPlan" in out.getvalue()
    assert (
        ProductionPlan.objects.count()
        == Order.objects.filter(stage__in=PRODUCED).count()
    )
    # a second run adds nothing: every order has its plan
    call_command("seed_scale", only=["production"], force=True, seed=5, stdout=out)
    assert (
        ProductionPlan.objects.count()
        == Order.objects.filter(stage__in=PRODUCED).count()
    )


def test_only_refuses_an_unknown_app_and_orders_stay_guarded(scale):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="prodution"):
        call_command(
            "seed_scale",
            only=["production", "prodution"],
            force=True,
            stdout=StringIO(),
        )
    # writing orders into a database that holds orders still needs --append
    with pytest.raises(CommandError, match="already holds orders"):
        call_command(
            "seed_scale", only=["orders"], orders=5, force=True, stdout=StringIO()
        )
