import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from tests.factories import CustomerFactory

HEADERS = [
    "客户",
    "客户订单号",
    "型号",
    "规格",
    "数量",
    "单位",
    "单价",
    "交货日期",
    "付款方式",
    "特殊要求",
]


def later(days=30):
    return timezone.localdate() + timedelta(days=days)


def order_rows(n_orders=2, lines=2, customer="华东制动器有限公司", start=1):
    rows = []
    for o in range(start, start + n_orders):
        for i in range(lines):
            rows.append(
                [
                    customer,
                    f"PO-{o:05d}",
                    f"GB-D{1000 + i}",
                    "6.0mm",
                    100 + i,
                    "片",
                    "3.20",
                    later(),
                    "月结30天",
                    "",
                ]
            )
    return rows


def xlsx(headers, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def csv_bytes(headers, rows, encoding="utf-8-sig") -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([v.isoformat() if hasattr(v, "isoformat") else v for v in row])
    return stream.getvalue().encode(encoding)


def upload(name, data):
    return SimpleUploadedFile(name, data)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sales(make_user):
    return make_user("sales", username="sales_i", display_name="李娜")


@pytest.fixture
def huadong(db):
    return CustomerFactory(name="华东制动器有限公司")
