"""Bad input through the real pages: each refusal is a clear message on the page and
nothing is saved (no order, line, customer, attachment, change request, form token or
event); odd but harmless input is saved as typed and shown escaped."""

import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from core.models import FormSubmission
from orders import services
from orders.models import (
    ChangeRequest,
    Customer,
    Order,
    OrderAttachment,
    OrderEvent,
    OrderLine,
)
from orders.stages import Stage
from orders.validators import uscc_check_char
from tests.orders.conftest import line

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
# A real, if minimal, PDF: header, one empty page, cross-reference table, trailer.
SMALL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


# --- helpers --------------------------------------------------------------------------


def english(user) -> Client:
    """A signed-in browser reading the English msgids (the zh-Hans catalogue is being
    filled in; English assertions do not depend on it)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def body(response) -> str:
    return response.content.decode()


def saved() -> dict:
    """Everything a refused form could have left behind."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Order,
            OrderLine,
            Customer,
            OrderAttachment,
            ChangeRequest,
            OrderEvent,
            FormSubmission,
        )
    }


def in_a_month() -> str:
    return (timezone.localdate() + timedelta(days=30)).isoformat()


LINE = {
    "product": "",
    "model_code": "GB-D1060",
    "spec": "料厚6.0",
    "quantity": "100",
    "unit": "片",
    "unit_price": "3.80",
    "price_includes_tax": "on",
    "vat_percent": "13",
}


def order_form(for_customer=None, lines=(LINE,), **fields) -> dict:
    """The new/edit order form as the browser posts it: OrderForm plus the "lines"
    formset. An unchecked checkbox is simply absent; pass None to leave a field out."""
    data = {
        "form_token": str(uuid.uuid4()),
        "version": "",
        "customer": for_customer.pk if for_customer else "",
        "channel": "phone",
        "customer_po": "PO-2026-118",
        "requested_date": in_a_month(),
        "deposit_percent": "30",
        "monthly_settlement_days": "",
        "retention_percent": "",
        "quality_requirements": "",
        "special_requirements": "",
        "notes": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
    }
    for index, values in enumerate(lines):
        for name, value in values.items():
            data[f"lines-{index}-{name}"] = value
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def hidden(page: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)
    assert match, f"no hidden {name} on the page"
    return match.group(1)


@pytest.fixture
def client(sales) -> Client:
    return english(sales)


@pytest.fixture
def manager(make_user):
    return make_user("production_manager", username="prodmgr", display_name="李强")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- the new-order form: each refusal is 400 with its message, nothing saved ----------


BAD_ORDERS = {
    "missing customer": (
        {"customer": ""},
        "Please choose or create the customer.",
    ),
    "quantity 0": (
        {"lines-0-quantity": "0"},
        "The quantity must be greater than 0.",
    ),
    "negative quantity": (
        {"lines-0-quantity": "-5"},
        "The quantity must be greater than 0.",
    ),
    "negative price": (
        {"lines-0-unit_price": "-3.80"},
        "The unit price cannot be negative.",
    ),
    "requested date in the past": (
        {"requested_date": (timezone.localdate() - timedelta(days=1)).isoformat()},
        "The requested delivery date is in the past.",
    ),
    "no requested date": (
        {"requested_date": ""},
        "Please give the requested delivery date.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_ORDERS))
def test_a_bad_new_order_is_refused_with_its_message_and_nothing_saved(
    case, client, customer
):
    fields, message = BAD_ORDERS[case]
    before = saved()
    # when the salesperson saves the form with the bad field
    response = client.post("/orders/new/", order_form(customer, **fields))
    # then the form comes back (400) with the message beside the field
    assert response.status_code == 400
    page = body(response)
    assert f'<div class="error">{message}</div>' in page
    # and what they typed is still there to correct
    assert 'value="PO-2026-118"' in page
    # and nothing was saved
    assert saved() == before


def test_an_order_without_lines_is_refused_and_nothing_saved(client, customer):
    before = saved()
    # when the only line was removed before saving
    response = client.post("/orders/new/", order_form(customer, lines=()))
    # then the form comes back with an error over the lines
    assert response.status_code == 400
    assert re.search(
        r'role="alert" data-test="line-errors"><div>[^<]+</div>', body(response)
    )
    assert saved() == before


def test_an_order_without_lines_says_so_in_the_domains_words(client, customer):
    response = client.post("/orders/new/", order_form(customer, lines=()))
    assert "An order needs at least one line." in body(response)


def test_a_blank_line_is_refused_beside_its_cells(client, customer):
    blank = {**LINE, "model_code": "", "quantity": "", "unit_price": ""}
    before = saved()
    response = client.post("/orders/new/", order_form(customer, lines=(blank,)))
    assert response.status_code == 400
    assert body(response).count('<div class="error">This field is required.</div>') == 3
    assert saved() == before


# --- the new-customer dialog (inline, JSON) -------------------------------------------


def customer_form(**fields) -> dict:
    data = {
        "name": "杭州新锐制动材料有限公司",
        "contact": "陈经理",
        "phone": "0571-86000000",
        "address": "杭州市余杭区",
        "type": "new",
        "tax_id": "",
        "bank_account": "",
        "invoice_address_phone": "",
        "credit_limit": "",
    }
    data.update(fields)
    return {f"customer-{name}": value for name, value in data.items()}


USCC_FIRST17 = "91330110MA2H3K4L5"


def valid_uscc() -> str:
    return USCC_FIRST17 + uscc_check_char(USCC_FIRST17)


def wrong_check_character() -> str:
    right = uscc_check_char(USCC_FIRST17)
    return USCC_FIRST17 + next(c for c in "0123456789" if c != right)


@pytest.mark.parametrize(
    "tax_id",
    [wrong_check_character(), "9133011OMA2H3K4L55", "123", USCC_FIRST17 + "00"],
    ids=["wrong check character", "letter O", "too short", "19 characters"],
)
def test_an_invalid_taxpayer_id_is_refused_with_its_message(client, tax_id):
    before = saved()
    # when the salesperson creates a customer from the order form with a bad tax ID
    response = client.post("/orders/customers/new/", customer_form(tax_id=tax_id))
    # then the dialog gets the error for that field, and no customer is created
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["tax_id"]
    assert errors["tax_id"] == [
        f"“{tax_id}” is not a valid taxpayer ID: expected the 18-character unified "
        "social credit code (or an old 15- or 20-character number)."
    ]
    assert saved() == before


def test_a_valid_unified_social_credit_code_is_accepted(client):
    code = valid_uscc()
    # when typed in lower case with stray spaces, as people do
    response = client.post(
        "/orders/customers/new/", customer_form(tax_id=f" {code.lower()} ")
    )
    # then the customer is created and offered to the form
    assert response.status_code == 200
    created = Customer.objects.get(pk=response.json()["id"])
    assert response.json()["text"] == created.name == "杭州新锐制动材料有限公司"
    assert created.tax_id == code


def test_a_customer_without_a_name_is_refused(client):
    before = saved()
    response = client.post("/orders/customers/new/", customer_form(name=""))
    assert response.status_code == 400
    assert response.json()["errors"]["name"] == ["This field is required."]
    assert saved() == before


# --- attachments ----------------------------------------------------------------------


@pytest.fixture
def draft(sales, make_order):
    return make_order(sales)


def attach(client, order, name, content, content_type="application/pdf"):
    return client.post(
        f"/orders/{order.number}/attach/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        follow=True,
    )


def test_a_30_mb_file_is_refused_with_the_limit_and_nothing_stored(
    client, draft, media
):
    before = saved()
    big = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024 - 9)
    # when a 30 MB PDF is attached (more than DATA_UPLOAD_MAX_MEMORY_SIZE and
    # FILE_UPLOAD_MAX_MEMORY_SIZE: Django streams it to a temporary file, the app
    # judges it)
    response = attach(client, draft, "图纸.pdf", big)
    # then the order page says what the limit is
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    page = body(response)
    assert (
        f"The file is 30.0 MB; the limit is {settings.ORDER_ATTACHMENT_MAX_MB} MB."
        in page
    )
    # and nothing was stored
    assert saved() == before
    assert not any(media.rglob("*"))


def test_a_program_renamed_pdf_is_refused(client, draft, media):
    before = saved()
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 2048
    response = attach(client, draft, "invoice.pdf", exe)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert (
        "“invoice.pdf” is not really a .pdf file; its content does not match its name."
    ) in body(response)
    assert saved() == before
    assert not any(media.rglob("*"))


def test_a_file_type_not_on_the_list_is_refused(client, draft, media):
    before = saved()
    response = attach(
        client,
        draft,
        "setup.exe",
        b"MZ\x90\x00" + b"\x00" * 512,
        "application/octet-stream",
    )
    assert "Files of type “.exe” are not accepted." in body(response)
    assert saved() == before


def test_a_real_pdf_is_attached_and_listed_on_the_order_page(
    client, sales, draft, media
):
    # when a small real PDF is attached
    response = attach(client, draft, "客户订单PO-118.pdf", SMALL_PDF)
    # then the order page says so and lists it
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    page = body(response)
    assert "File attached." in page
    attachment = OrderAttachment.objects.get(order=draft)
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "客户订单PO-118.pdf",
        "application/pdf",
        len(SMALL_PDF),
    )
    assert (
        f'<a href="/orders/{draft.number}/attachments/{attachment.pk}/">'
        "客户订单PO-118.pdf</a>"
    ) in page
    # stored under MEDIA_ROOT, and downloadable as it was uploaded
    assert attachment.file.path.startswith(str(media))
    download = client.get(f"/orders/{draft.number}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == SMALL_PDF
    # and the history records it
    event = draft.events.latest("id")
    assert (event.type, event.user, event.parameters["name"]) == (
        OrderEvent.Type.ATTACHMENT_ADDED,
        sales,
        "客户订单PO-118.pdf",
    )


def test_attaching_without_a_file_says_so(client, draft):
    before = saved()
    response = client.post(f"/orders/{draft.number}/attach/", {}, follow=True)
    assert "Please choose a file." in body(response)
    assert saved() == before


# --- markup in every text field: saved as typed, shown escaped ------------------------


def test_markup_is_saved_as_text_and_shown_escaped_everywhere(client, sales):
    # given a customer created from the order form with markup in every text field
    customer_fields = (
        "name",
        "contact",
        "phone",
        "address",
        "bank_account",
        "invoice_address_phone",
    )
    response = client.post(
        "/orders/customers/new/",
        customer_form(**dict.fromkeys(customer_fields, SCRIPT)),
    )
    assert response.status_code == 200, response.content
    customer = Customer.objects.get(pk=response.json()["id"])
    assert all(getattr(customer, name) == SCRIPT for name in customer_fields)

    # when an order is saved with markup in every text field of the form and its line
    header_fields = (
        "customer_po",
        "quality_requirements",
        "special_requirements",
        "notes",
    )
    response = client.post(
        "/orders/new/",
        order_form(
            customer,
            lines=({**LINE, "model_code": SCRIPT, "spec": SCRIPT},),
            **dict.fromkeys(header_fields, SCRIPT),
        ),
    )
    assert response.status_code == 302, body(response)

    # then it is saved exactly as typed
    order = Order.objects.get(customer=customer)
    assert all(getattr(order, name) == SCRIPT for name in header_fields)
    saved_line = order.lines.get()
    assert (saved_line.model_code, saved_line.spec) == (SCRIPT, SCRIPT)

    # and every page that shows it shows it as text
    for url in (
        order.get_absolute_url(),
        "/orders/",
        f"/orders/{order.number}/edit/",
        "/",
    ):
        page = body(client.get(url))
        assert ESCAPED in page, url
        assert "<script>alert(1)" not in page, url


# --- a stale edit ---------------------------------------------------------------------


def test_a_stale_edit_is_refused_with_what_changed_and_saves_nothing(sales, make_order):
    order = make_order(sales, customer_po="PO-1")
    client = english(sales)
    # given the salesperson opened the edit form
    page = body(client.get(f"/orders/{order.number}/edit/"))
    opened_at = hidden(page, "version")
    assert opened_at == str(order.version)
    # and then saved a change from another tab (only the order's own salesperson
    # edits it; a colleague who sees it by SALES_SEE_DEPARTMENT_ORDERS may not)
    services.order_update(
        actor=sales,
        order=order,
        version=order.version,
        lines=[line(model="GB-D1000", qty="250")],
        customer=order.customer,
        channel="phone",
        requested_date=order.requested_date,
        customer_po="PO-2",
    )
    order.refresh_from_db()
    after_colleague = (order.version, order.customer_po, order.updated_at)
    before = saved()

    # when the salesperson saves the form they opened
    response = client.post(
        f"/orders/{order.number}/edit/",
        order_form(
            order.customer,
            lines=({**LINE, "model_code": "GB-D1000", "quantity": "90"},),
            version=opened_at,
            form_token=hidden(page, "form_token"),
            customer_po="PO-3",
        ),
    )

    # then they get the "someone else saved first" page listing what changed and who
    assert response.status_code == 409
    page = body(response)
    assert "Someone else saved this order after you opened it." in page
    assert "张伟" in page
    assert "customer PO number: PO-1 → PO-2" in page
    assert "line 1 quantity: 10 → 250" in page
    # and their second save changed nothing
    order.refresh_from_db()
    assert (order.version, order.customer_po, order.updated_at) == after_colleague
    assert [x.quantity for x in order.lines.all()] == [Decimal("250")]
    assert saved() == before


# --- double submissions ---------------------------------------------------------------


def test_a_double_submitted_new_order_form_saves_one_order(client, customer):
    data = order_form(customer)
    before = saved()
    # when the same form (same token) is posted twice
    first = client.post("/orders/new/", data)
    second = client.post("/orders/new/", data, follow=True)
    # then there is exactly one order, and the second post lands on it, told so
    assert Order.objects.count() == before["Order"] + 1
    order = Order.objects.latest("id")
    assert first.status_code == 302 and first.url == order.get_absolute_url()
    assert second.redirect_chain == [(order.get_absolute_url(), 302)]
    assert "This form was already submitted; it was saved once." in body(second)
    assert order.events.count() == 1
    assert order.lines.count() == 1


def test_a_double_submitted_move_moves_once_and_says_why_the_second_did_not(
    client, draft
):
    data = {"version": draft.version}
    url = f"/orders/{draft.number}/move/submit/"
    # when "submit for review" is pressed twice
    client.post(url, data)
    response = client.post(url, data, follow=True)
    # then the second press is told the order has already moved on
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert (
        "The order is at “contract review”: “Submit for review” is not possible "
        "from there."
    ) in body(response)
    # and the order moved once, with one event
    draft.refresh_from_db()
    assert draft.stage == Stage.REVIEW
    assert draft.events.filter(type=OrderEvent.Type.MOVED).count() == 1


# --- change requests and cancellation -------------------------------------------------


def test_a_change_request_that_changes_nothing_is_refused(client, sales, make_order):
    # given a submitted order
    order = make_order(sales, submit=True)
    page = body(client.get(f"/orders/{order.number}/changes/new/"))
    before = saved()
    # when the change form is saved as it was opened
    response = client.post(
        f"/orders/{order.number}/changes/new/",
        {
            "form_token": hidden(page, "form_token"),
            "version": hidden(page, "version"),
            "reason": "客户来电确认",
            "requested_date": order.requested_date.isoformat(),
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "200",
            "lines-0-model_code": "GB-D1000",
            "lines-0-spec": "",
            "lines-0-quantity": "10",
            "lines-0-unit": "件",
            "lines-0-unit_price": "3.8",
            "lines-0-price_includes_tax": "on",
            "lines-0-vat_percent": "13",
        },
    )
    # then the form says nothing was changed; no change request, the order not held
    assert response.status_code == 400
    assert re.search(r'role="alert"><div>Nothing was changed.</div>', body(response))
    assert saved() == before
    order.refresh_from_db()
    assert order.stage == Stage.REVIEW


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"reason": "", "loss_measures": "已通知采购停止备料"},
            "Please give the reason.",
        ),
        (
            {"reason": "   ", "loss_measures": "已通知采购停止备料"},
            "Please give the reason.",
        ),
        (
            {"reason": "客户取消", "loss_measures": ""},
            "Please fill in “measures to limit the loss”.",
        ),
    ],
    ids=["no reason", "blank reason", "no loss measures"],
)
def test_a_cancellation_needs_its_reason_and_loss_measures(
    fields, message, manager, sales, make_order
):
    order = make_order(sales, submit=True)
    before = saved()
    # when the production manager cancels without saying why or what limits the loss
    response = english(manager).post(
        f"/orders/{order.number}/move/cancel/",
        {"version": order.version, **fields},
        follow=True,
    )
    # then the order page says what is missing and the order is not cancelled
    assert response.redirect_chain == [(order.get_absolute_url(), 302)]
    assert f'<li class="msg msg-error">{message}</li>' in body(response)
    order.refresh_from_db()
    assert (order.stage, order.cancel_reason, order.loss_measures) == (
        Stage.REVIEW,
        "",
        "",
    )
    assert saved() == before


# --- the default language -------------------------------------------------------------


def test_a_refused_form_shows_its_errors_in_the_default_language(sales, customer):
    """The Chinese wording is asserted once the zh-Hans catalogue is filled in; until
    then: the page is Chinese and the refusal is shown as a field error."""
    client = Client()
    client.force_login(sales)
    before = saved()
    response = client.post("/orders/new/", order_form(customer, customer=""))
    assert response.status_code == 400
    page = body(response)
    assert '<html lang="zh-hans">' in page
    assert re.search(
        r'data-field="customer">.*?<div class="error">[^<]+</div>', page, re.S
    )
    assert saved() == before
