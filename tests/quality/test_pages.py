"""Quality's pages over HTTP: the workbench, the inspection screen, an inspection,
the nonconformance page, the prints and the order page, each in a fixed number of
queries; a posted inspection with bad input is answered with the Chinese message
and saves nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from quality.models import Inspection, Nonconformance
from tests.quality.helpers import PNG, in_inspection, inspect, rework_all

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_show_with_fixed_query_counts(users, django_assert_max_num_queries):
    order = in_inspection(users)
    first = inspect(users, order, 990, 10)
    nc = rework_all(users, Nonconformance.objects.get(inspection=first))
    inspect(users, order, 10, 0, nonconformance=nc)
    qc = signed_in(users["qc1"])
    pages = {
        reverse("quality:workbench"): 40,
        reverse("quality:inspect", kwargs={"number": order.number}): 40,
        first.get_absolute_url(): 30,
        nc.get_absolute_url(): 35,
        reverse("quality:nonconformance_print", kwargs={"number": nc.number}): 30,
        reverse("quality:order_report", kwargs={"number": order.number}): 30,
        order.get_absolute_url(): 90,
    }
    for url, most in pages.items():
        with django_assert_max_num_queries(most):
            response = qc.get(url)
        assert response.status_code == 200, url
    page = qc.get(order.get_absolute_url()).content.decode()
    assert 'data-test="quality-panel"' in page and nc.number in page


def test_bad_input_over_http(users):
    order = in_inspection(users)
    qc = signed_in(users["qc1"])
    url = reverse("quality:inspect", kwargs={"number": order.number})
    line = order.lines.get()

    def post(**data):
        base = {"line": line.pk, "seen": 0, "inspected": 10, "passed": 10, "failed": 0}
        return qc.post(url, {**base, **data})

    response = post(passed=8, failed=1)
    assert response.status_code == 400
    assert "合格" in response.content.decode()
    response = post(inspected=1001, passed=1001)
    assert response.status_code == 400 and "最多" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = post(photos=SimpleUploadedFile("x.png", b"not an image at all"))
    assert response.status_code == 400
    big = SimpleUploadedFile("big.png", PNG + b"0" * (11 * 1024 * 1024))
    response = post(photos=big)
    assert response.status_code == 400
    assert not Inspection.objects.exists()
    # a stale page: another inspector recorded since it was opened
    inspect(users, order, 5, 0, who="qcmgr")
    response = post(inspected=5, passed=5)
    assert Inspection.objects.count() == 1
    follow = (
        qc.get(response.url).content.decode() if response.status_code == 302 else ""
    )
    assert "另一位质检员" in follow or "另一" in follow
