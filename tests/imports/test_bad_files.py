"""Every bad file of the issue: refused with a clear Chinese message naming the row
and column where there is one, and nothing of it saved."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from imports import services
from imports.models import ImportLog
from orders.models import Customer, Order, OrderEvent, OrderLine, Product

from .conftest import HEADERS, csv_bytes, later, order_rows, upload, xlsx

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def world():
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        OrderEvent.objects.count(),
        Customer.objects.count(),
        Product.objects.count(),
    )


def refused(actor, name, data, kind="orders") -> ImportLog:
    """The file is refused at the preview and again at a forced apply; nothing
    anywhere changed."""
    before = world()
    log = services.import_upload(actor=actor, kind=kind, uploaded=upload(name, data))
    assert log.status == ImportLog.Status.REFUSED, (log.status, log.problems)
    assert log.problems and log.message
    assert world() == before
    # even applied behind the preview's back, nothing is written
    from imports import runs

    runs.import_apply(log.pk)
    assert world() == before
    return log


def chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def messages(log):
    return [p["message"] for p in log.problems]


@pytest.mark.parametrize(
    "name,data",
    [
        ("orders.xlsx", PDF),
        ("orders.csv", PNG),
        ("orders.pdf", PDF),
        ("orders.xlsx", b"PK\x03\x04 not really a zip"),
        ("orders.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
    ],
)
def test_not_a_spreadsheet(sales, huadong, name, data):
    log = refused(sales, name, data)
    assert chinese(log.message), log.message
    assert log.problems[0]["row"] is None


@pytest.mark.parametrize(
    "name,data",
    [
        ("empty.csv", b""),
        ("blank.csv", b"\xef\xbb\xbf\r\n\r\n"),
        ("headers-only.xlsx", xlsx(HEADERS, [])),
    ],
)
def test_empty(sales, huadong, name, data):
    log = refused(sales, name, data)
    assert chinese(log.message), log.message


def test_a_misspelt_header_is_named_with_the_nearest_one(sales, huadong):
    headers = list(HEADERS)
    headers[1] = "客户定单号"  # 订 → 定
    log = refused(sales, "typo.xlsx", xlsx(headers, order_rows()))
    text = " ".join(messages(log))
    assert "客户定单号" in text  # the header it does not know
    assert "客户订单号" in text  # the required one missing, named
    assert chinese(text)


def test_a_missing_required_header_is_named(sales, huadong):
    headers = [h for h in HEADERS if h != "数量"]
    rows = [r[:4] + r[5:] for r in order_rows()]
    log = refused(sales, "noqty.csv", csv_bytes(headers, rows))
    assert any("数量" in m for m in messages(log))


def test_a_wrong_type_in_a_cell(sales, huadong):
    rows = order_rows()
    rows[2][4] = "一百"
    rows[3][7] = "下周三"
    log = refused(sales, "types.xlsx", xlsx(HEADERS, rows))
    found = {(p["row"], p["column"]) for p in log.problems}
    assert (4, "数量") in found and (5, "交货日期") in found, log.problems
    assert all(chinese(m) for m in messages(log))


def test_a_negative_quantity(sales, huadong):
    rows = order_rows()
    rows[1][4] = -5
    log = refused(sales, "neg.xlsx", xlsx(HEADERS, rows))
    (problem,) = log.problems
    assert (problem["row"], problem["column"]) == (3, "数量")
    assert "数量" in problem["message"] and chinese(problem["message"])


def test_a_delivery_date_in_the_past_on_a_new_order(sales, huadong):
    rows = order_rows(n_orders=1)
    for row in rows:
        row[7] = timezone.localdate() - timedelta(days=1)
    log = refused(sales, "past.xlsx", xlsx(HEADERS, rows))
    assert log.problems[0]["column"] == "交货日期"
    assert chinese(log.problems[0]["message"])


def test_an_unchanged_order_whose_date_has_since_passed_is_still_unchanged(
    sales, huadong
):
    rows = order_rows(n_orders=1)
    log = services.import_upload(
        actor=sales, kind="orders", uploaded=upload("a.xlsx", xlsx(HEADERS, rows))
    )
    services.import_confirm(actor=sales, log=log, version=log.version)
    # weeks later the delivery date has passed; the same file comes again
    past = timezone.localdate() - timedelta(days=3)
    Order.objects.update(requested_date=past)
    for row in rows:
        row[7] = past
    again = services.import_upload(
        actor=sales, kind="orders", uploaded=upload("a.xlsx", xlsx(HEADERS, rows))
    )
    assert again.status == ImportLog.Status.NOTHING, again.problems
    assert again.unchanged == 2
    # but a row that changes the draft to a date in the past is refused (keeping
    # the date it has is the edit form's rule too)
    for row in rows:
        row[7] = past - timedelta(days=1)
    log = refused(sales, "b.xlsx", xlsx(HEADERS, rows))
    assert any(p["column"] == "交货日期" for p in log.problems), log.problems


def test_an_unknown_customer(sales, huadong):
    rows = order_rows() + order_rows(n_orders=1, customer="不存在的客户", start=9)
    log = refused(sales, "who.xlsx", xlsx(HEADERS, rows))
    assert {p["row"] for p in log.problems} == {6, 7}
    assert all("不存在的客户" in m for m in messages(log))


def test_rows_over_the_limit(sales, huadong, settings):
    settings.IMPORT_MAX_ROWS = 5
    log = refused(sales, "big.csv", csv_bytes(HEADERS, order_rows(n_orders=3)))
    assert "5" in log.message and chinese(log.message)


def _with_stored_values(data: bytes, value: str | None) -> bytes:
    """openpyxl writes formulas without the value Excel stores beside them; put
    one in (or leave it out) as Excel would have."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and value is not None:
                content = content.replace(b"<v />", f"<v>{value}</v>".encode())
            target.writestr(item, content)
    return out.getvalue()


def test_a_formula_cell_is_read_as_its_stored_value(sales, huadong):
    rows = order_rows(n_orders=1)
    rows[0][4] = "=50*2"
    data = _with_stored_values(xlsx(HEADERS, rows), "100")
    log = services.import_upload(
        actor=sales, kind="orders", uploaded=upload("f.xlsx", data)
    )
    assert log.status == ImportLog.Status.PREVIEWED, log.problems
    services.import_confirm(actor=sales, log=log, version=log.version)
    assert Order.objects.get().lines.get(position=1).quantity == 100


def test_a_formula_cell_without_a_stored_value_is_invalid(sales, huadong):
    rows = order_rows(n_orders=1)
    rows[1][4] = "=50*2"
    log = refused(sales, "f.xlsx", xlsx(HEADERS, rows))
    (problem,) = log.problems
    assert (problem["row"], problem["column"]) == (3, "数量")
    assert "公式" in problem["message"]


def test_one_invalid_row_among_999_valid_ones(sales, huadong):
    rows = (
        order_rows(n_orders=500, lines=2)[:999] + order_rows(n_orders=1, start=900)[:1]
    )
    rows[637][4] = -1  # the sheet's row 639
    log = refused(sales, "big.xlsx", xlsx(HEADERS, rows))
    assert log.rows == 1000 and log.invalid == 1
    (problem,) = log.problems
    assert problem["row"] == 639 and problem["column"] == "数量"
    assert "639" in log.message or log.invalid == 1


def test_a_row_that_disagrees_with_its_order(sales, huadong):
    rows = order_rows(n_orders=1)
    rows[1][7] = later(40)
    log = refused(sales, "split.xlsx", xlsx(HEADERS, rows))
    (problem,) = log.problems
    assert (problem["row"], problem["column"]) == (3, "交货日期")


def test_a_po_number_is_required(sales, huadong):
    rows = order_rows(n_orders=1)
    rows[0][1] = ""
    log = refused(sales, "nopo.xlsx", xlsx(HEADERS, rows))
    assert (log.problems[0]["row"], log.problems[0]["column"]) == (2, "客户订单号")


def test_only_who_may_create_the_rows_may_import(make_user, huadong):
    from core.exceptions import PermissionDenied

    planner = make_user("production_planner", username="planner_i")
    with pytest.raises(PermissionDenied):
        services.import_upload(
            actor=planner,
            kind="orders",
            uploaded=upload("a.xlsx", xlsx(HEADERS, order_rows())),
        )
    sales = make_user("sales", username="sales_x")
    with pytest.raises(PermissionDenied):
        services.import_upload(
            actor=sales,
            kind="products",
            uploaded=upload("p.xlsx", xlsx(["型号", "产品名称"], [["GB-1", "钢背"]])),
        )
    assert not ImportLog.objects.exists()
