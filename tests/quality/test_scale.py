"""`manage.py seed_scale` for quality: inspections and nonconformances for the
orders past production, adding up as the services would have them — first-pass
inspected ≤ produced, re-inspected ≤ reworked, failed = rework + scrap +
concession once closed — numbers unique and the counters past them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from orders.models import NumberSequence, Order
from orders.stages import Stage
from quality.models import Inspection, Nonconformance
from tests.quality.quantities import check_every_line

ORDERS = 300


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", orders=ORDERS, force=True, seed=7, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def scale(seeded, db):
    return seeded


def test_quality_records_add_up(scale):
    past = Order.objects.filter(
        stage__in=(Stage.DELIVERY, Stage.SETTLEMENT, Stage.COMPLETED)
    )
    assert past.exists()
    assert (
        not past.exclude(inspections__isnull=False)
        .filter(production_plans__isnull=False)
        .exists()
    )
    assert Nonconformance.objects.filter(status="closed", rework_qty__gt=0).exists()
    assert Inspection.objects.filter(nonconformance__isnull=False).exists()
    checked = check_every_line(
        Order.objects.filter(inspections__isnull=False).distinct()
    )
    assert checked > 10
    numbers = list(Inspection.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    top = max(
        (int(n.rsplit("-", 1)[1]) for n in numbers if n.startswith("JY-")), default=0
    )
    assert (
        max(
            NumberSequence.objects.filter(key__startswith="inspection:").values_list(
                "last", flat=True
            )
        )
        >= top
    )


def test_seeding_quality_again_adds_nothing(scale):
    count = Inspection.objects.count()
    out = StringIO()
    call_command(
        "seed_scale", only=["quality"], append=True, orders=0, force=True, stdout=out
    )
    assert Inspection.objects.count() == count
