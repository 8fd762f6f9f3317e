"""delivery's figures for `manage.py bench` on a little scale data: the
warehouse's workbench, the newest shipment's page and its printed 送货单."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.core.test_bench import bench


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", orders=60, force=True, stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_warehouse_figures(seeded, db):
    lines = {line["name"]: line for line in bench("warehouse", "shipment")}
    assert set(lines) == {"warehouse.workbench", "shipment.page", "shipment.print"}
    for line in lines.values():
        assert line["queries"] <= 16, line
