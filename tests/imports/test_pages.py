"""The import pages over HTTP: upload → preview → confirm; the template; the
progress of a background run; who sees what; fixed query counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from imports.models import ImportLog
from orders.models import Order

from .conftest import HEADERS, order_rows, xlsx

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "zh-hans"
    return client


def _post_file(client, data, name="orders.xlsx", kind="orders"):
    return client.post(
        "/imports/", {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


def test_upload_preview_confirm(sales, huadong, django_assert_max_num_queries):
    client = _client(sales)
    response = _post_file(client, xlsx(HEADERS, order_rows()))
    assert response.status_code == 302
    log = ImportLog.objects.get()
    with django_assert_max_num_queries(8):
        page = client.get(response["Location"])
    html = page.content.decode()
    assert 'data-status="previewed"' in html and 'data-test="confirm"' in html
    assert not Order.objects.exists()
    done = client.post(f"/imports/{log.pk}/confirm/", {"version": log.version})
    assert done.status_code == 302
    assert Order.objects.count() == 2
    # a second confirm (a double click) writes nothing more
    again = client.post(f"/imports/{log.pk}/confirm/", {"version": log.version})
    assert again.status_code == 302
    assert Order.objects.count() == 2
    log.refresh_from_db()
    assert log.status == "done" and log.records_new == 2


def test_a_refused_file_shows_its_rows_and_columns(sales, huadong):
    rows = order_rows()
    rows[1][4] = -3
    client = _client(sales)
    response = _post_file(client, xlsx(HEADERS, rows))
    html = client.get(response["Location"]).content.decode()
    assert 'data-status="refused"' in html
    assert 'data-row="3"' in html and "数量" in html
    assert 'data-test="confirm"' not in html


def test_the_template_is_the_import_s_columns_and_imports_as_is(sales, huadong):
    client = _client(sales)
    response = client.get("/imports/template/orders/")
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:10] == tuple(
        f"{h}*"
        if h in ("客户", "客户订单号", "型号", "数量", "单价", "交货日期")
        else h
        for h in HEADERS
    )
    # the example row, uploaded unchanged, is one new order
    response = _post_file(client, body, name="模板.xlsx")
    log = ImportLog.objects.get()
    assert log.status == "previewed", log.problems
    assert log.new == 1


def test_a_large_file_runs_in_the_background_with_progress(sales, huadong, settings):
    settings.IMPORT_INLINE_BYTES = 0  # every file "large"; Celery runs eagerly here
    client = _client(sales)
    response = _post_file(client, xlsx(HEADERS, order_rows()))
    log = ImportLog.objects.get()
    assert log.status == "previewed"
    client.post(f"/imports/{log.pk}/confirm/", {"version": log.version})
    log.refresh_from_db()
    assert log.status == "done" and Order.objects.count() == 2
    # while it runs the bar polls; when done the page reloads
    ImportLog.objects.filter(pk=log.pk).update(status="running", progress=60)
    running = client.get(f"/imports/{log.pk}/progress/")
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Refresh" not in running
    ImportLog.objects.filter(pk=log.pk).update(status="done", progress=100)
    assert client.get(f"/imports/{log.pk}/progress/")["HX-Refresh"] == "true"
    assert response.status_code == 302


def test_an_import_is_its_uploader_s(sales, huadong, make_user):
    client = _client(sales)
    _post_file(client, xlsx(HEADERS, order_rows()))
    log = ImportLog.objects.get()
    other = _client(make_user("sales", username="sales_other"))
    assert other.get(f"/imports/{log.pk}/").status_code == 404
    assert other.post(f"/imports/{log.pk}/confirm/", {"version": 1}).status_code == 404
    assert not Order.objects.exists()


def test_who_may_not_import_is_refused(make_user):
    planner = _client(make_user("production_planner", username="planner_p"))
    assert planner.get("/imports/").status_code == 403
    assert planner.get("/imports/template/orders/").status_code == 403
    sales = _client(make_user("sales", username="sales_p"))
    assert sales.get("/imports/template/products/").status_code == 403
    assert _post_file(sales, b"x", kind="products", name="p.csv").status_code == 403


def test_the_start_page_query_count(sales, huadong, django_assert_max_num_queries):
    client = _client(sales)
    for i in range(3):
        _post_file(client, xlsx(HEADERS, order_rows(start=i * 10)), name=f"{i}.xlsx")
    with django_assert_max_num_queries(8):
        page = client.get("/imports/")
    assert page.status_code == 200
    assert page.content.decode().count("/imports/") >= 3
