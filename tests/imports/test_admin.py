"""The admin's import and export (django-import-export) for administrators: a GBK
CSV of customers read as the import pages read it; every export neutralised."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from imports.models import ImportLog
from orders.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(demo_users["admin"])
    return client


def test_the_admin_imports_a_gbk_csv_of_customers(admin_client):
    data = "name,contact,phone\n温州瑞安制动配件厂,陈经理,+86 577 6500 0000\n".encode(
        "gbk"
    )
    page = admin_client.post(
        "/admin/orders/customer/import/",
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("customers.csv", data),
        },
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "温州瑞安制动配件厂" in html, html[:2000]
    assert not Customer.objects.filter(name="温州瑞安制动配件厂").exists()
    form = page.context["confirm_form"]
    done = admin_client.post(
        "/admin/orders/customer/process_import/",
        {**form.initial, "resource": "0"},
    )
    assert done.status_code == 302
    customer = Customer.objects.get(name="温州瑞安制动配件厂")
    assert customer.phone == "+86 577 6500 0000"


def test_the_admin_exports_the_import_log_neutralised(admin_client, demo_users):
    ImportLog.objects.create(
        kind="orders",
        user=demo_users["sales1"],
        original_name="=cmd|' /C calc'!A0.csv",
        content_type="text/csv",
        size=1,
        file="imports/x.csv",
        status="done",
    )
    from imports.admin import ImportLogResource

    fields = {
        f"importlogresource_{name}": "on"
        for name in ImportLogResource().get_export_order()
    }
    response = admin_client.post(
        "/admin/imports/importlog/export/",
        {"format": "0", "resource": "0", **fields},
    )
    body = response.content.decode("utf-8-sig")
    assert "'=cmd" in body
