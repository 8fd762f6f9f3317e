"""seed_demo's quality part: inspections passed, failed in part, reworked and
conceded — and every line's figures add up, summed independently of the
selectors from the records themselves."""

import pytest
from django.db.models import Sum

from orders.models import Order
from quality.models import Inspection, Nonconformance
from tests.quality.quantities import check_every_line

pytestmark = pytest.mark.django_db


def test_demo_quality(users):
    from core import seeds

    for seeder in seeds.demo_seeders():
        seeder()
    by_po = {
        o.customer_po: o
        for o in Order.objects.filter(customer_po__startswith="DEMO-QC-")
    }
    # released to delivery — or further, where a later app's demo (delivery's)
    # took it on
    released = ("delivery", "settlement", "completed")
    assert by_po["DEMO-QC-01"].stage in released
    assert by_po["DEMO-QC-02"].stage == "inspection"
    assert by_po["DEMO-QC-03"].stage in released
    assert by_po["DEMO-QC-04"].stage in released
    assert Nonconformance.objects.filter(status="review").exists()
    assert Inspection.objects.filter(nonconformance__isnull=False).exists()
    assert (
        Nonconformance.objects.filter(status="closed").aggregate(
            c=Sum("concession_qty")
        )["c"]
        == 10
    )
    check_every_line(Order.objects.filter(inspections__isnull=False).distinct())
    # seeding again adds nothing
    count = Inspection.objects.count()
    for seeder in seeds.demo_seeders():
        seeder()
    assert Inspection.objects.count() == count
