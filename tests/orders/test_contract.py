"""The signed contract (合同签订): recording it moves the order on to the drawings; the
contract register (合同台账) lists, filters and exports every contract a user may see."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from orders import services
from orders.exceptions import InvalidMove, PermissionDenied, ValidationError
from orders.models import Contract, ContractReview, Order, OrderEvent, Quote
from orders.workflow import order_move

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
QUOTE_AMOUNT = Decimal("3800.00")


def walk(order, people, stage, *, important=False, contract_number=None):
    """Walk a submitted order to `stage` as the right people would. The records each
    move needs (the concluded review sheet, the GM's approval, the accepted quote) are
    written directly, so that these tests do not lean on the review and quote pages;
    the moves themselves go through the one gate, so the history is real."""
    prodmgr, gm, sales = people["prodmgr"], people["gm"], order.salesperson
    now = timezone.now()
    ContractReview.objects.create(
        order=order,
        number=f"PS-{order.number}",
        opened_by=prodmgr,
        conclusion=ContractReview.Conclusion.ACCEPT,
        needs_gm=important,
        concluded_by=prodmgr,
        concluded_at=now,
    )
    if important:
        order = order_move(order=order, actor=prodmgr, move="accept")
        ContractReview.objects.filter(order=order).update(
            gm_decision=ContractReview.GMDecision.APPROVED, gm_by=gm, gm_at=now
        )
        order = order_move(order=order, actor=gm, move="approve")
    else:
        order = order_move(order=order, actor=prodmgr, move="accept_direct")
    if stage == "quote":
        return order
    Quote.objects.create(
        order=order,
        number=f"BJ-{order.number}",
        version=1,
        status=Quote.Status.ACCEPTED,
        lead_time_days=20,
        payment_terms="月结60天",
        valid_until=timezone.localdate() + timedelta(days=10),
        net_amount=Decimal("3362.83"),
        tax_amount=Decimal("437.17"),
        gross_amount=QUOTE_AMOUNT,
        prepared_by=people["quoter"],
        approved_by=gm,
        approved_at=now,
        accepted_on=timezone.localdate(),
        accepted_how=Quote.AcceptedHow.EMAIL,
        accepted_by=sales,
    )
    order = order_move(order=order, actor=sales, move="quote_accepted")
    if stage == "contract":
        return order
    services.contract_record(
        actor=sales,
        order=order,
        number=contract_number or f"HT-{order.number}",
        signed_on=timezone.localdate(),
        amount=QUOTE_AMOUNT,
        uploaded=SimpleUploadedFile("合同.pdf", PDF, "application/pdf"),
    )
    order.refresh_from_db()
    assert order.stage == stage == "drawing"
    return order


@pytest.fixture
def order_at(make_order, people):
    """order_at("contract"), order_at("drawing", important=True) → an order of
    people["sales"] (or of `salesperson`) walked there."""

    def make(stage, *, salesperson=None, **kwargs):
        order = make_order(salesperson or people["sales"], submit=True)
        return walk(order, people, stage, **kwargs)

    return make


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def form(number="HT-2026-001", amount="3800.00", reason="", content=PDF, name=None):
    return {
        "number": number,
        "signed_on": timezone.localdate().isoformat(),
        "amount": amount,
        "amount_reason": reason,
        "file": SimpleUploadedFile(name or "合同.pdf", content),
    }


def record(order, actor, **kwargs):
    data = {
        "number": "HT-9",
        "signed_on": timezone.localdate(),
        "amount": QUOTE_AMOUNT,
        "uploaded": SimpleUploadedFile("c.pdf", PDF),
    }
    data.update(kwargs)
    return services.contract_record(actor=actor, order=order, **data)


def url(order, tail="contract/"):
    return f"/orders/{order.number}/{tail}"


# --- recording the contract ------------------------------------------------------------


def test_sales_records_the_contract_and_the_order_moves_to_drawings(
    english, order_at, people
):
    # given an order at the contract stage, whose customer accepted a ¥3,800.00 quote
    order = order_at("contract", important=True)
    sales = people["sales"]
    english.force_login(sales)
    page = english.get(order.get_absolute_url()).content.decode()
    assert 'data-test="contract-form"' in page and "¥3,800.00" in page
    assert english.get(url(order)).status_code == 200  # the form on its own page

    # when the salesperson records the signed contract with its scanned file
    response = english.post(url(order), form(), follow=True)

    # then the order is at the drawing stage, and the history says who did what
    order.refresh_from_db()
    assert order.stage == "drawing"
    contract = Contract.objects.get()
    assert (contract.number, contract.amount, contract.recorded_by) == (
        "HT-2026-001",
        QUOTE_AMOUNT,
        sales,
    )
    recorded, moved = list(order.events.order_by("id"))[-2:]
    assert (recorded.type, recorded.user) == ("contract_recorded", sales)
    assert recorded.parameters["contract"] == "HT-2026-001"
    assert (moved.type, moved.user, moved.from_stage, moved.to_stage) == (
        "moved",
        sales,
        "contract",
        "drawing",
    )
    page = response.content.decode()
    assert "Contract recorded" in page
    assert 'data-test="contract-number">HT-2026-001' in page
    assert "HT-2026-001 ¥3,800.00" in page  # the history line, with separators
    assert "/media/" not in page  # files only through the checked download view
    # and the signed file downloads, as it was uploaded
    download = english.get(url(order, "contract/file/"))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_an_amount_other_than_the_quote_needs_a_reason(order_at, people):
    order = order_at("contract")
    events = OrderEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        record(order, people["sales"], amount=Decimal("3700"))

    assert "amount_reason" in refused.value.message_dict
    assert not Contract.objects.exists()
    assert OrderEvent.objects.count() == events
    order.refresh_from_db()
    assert order.stage == "contract"

    contract = record(
        order,
        people["sales"],
        amount=Decimal("3700"),
        amount_reason="客户议价让利100元",
    )

    assert contract.amount == Decimal("3700.00")
    assert order.events.get(type="contract_recorded").reason == "客户议价让利100元"


def test_the_order_page_shows_the_contract_against_the_quote(english, order_at, people):
    order = order_at("contract")
    record(order, people["sales"], amount=Decimal("3700"), amount_reason="客户议价")
    english.force_login(people["gm"])

    page = english.get(order.get_absolute_url()).content.decode()

    assert "¥3,700.00" in page and "¥3,800.00" in page
    assert "differs from the quote" in page
    assert 'data-test="amount-reason">客户议价' in page


def test_a_used_contract_number_is_refused(order_at, people):
    walk_first = order_at("drawing", contract_number="HT-1")
    order = order_at("contract")

    with pytest.raises(ValidationError) as refused:
        record(order, people["sales"], number=" HT-1 ")

    assert "HT-1" in refused.value.message_dict["number"][0]
    assert list(Contract.objects.values_list("order", flat=True)) == [walk_first.pk]
    order.refresh_from_db()
    assert order.stage == "contract"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"content": EXE}, "is not really a .pdf file"),
        ({"content": EXE, "name": "合同.exe"}, "are not accepted"),
        ({"content": b"%PDF" + b"0" * (30 * 1024 * 1024)}, "the limit is 20 MB"),
        ({"amount": "3900.00"}, "please give the reason"),
        ({"number": ""}, "This field is required"),
    ],
    ids=["exe-named-pdf", "exe", "30-mb", "amount-without-reason", "no-number"],
)
def test_a_bad_contract_is_refused_on_the_form_and_nothing_is_saved(
    english, order_at, people, data, message
):
    order = order_at("contract")
    english.force_login(people["sales"])
    events = OrderEvent.objects.count()

    response = english.post(url(order), form(**data))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Contract.objects.exists()
    assert OrderEvent.objects.count() == events
    order.refresh_from_db()
    assert order.stage == "contract"


def test_a_photo_of_the_contract_is_accepted(order_at, people):
    order = order_at("contract")

    contract = record(
        order, people["sales"], uploaded=SimpleUploadedFile("合同.png", PNG)
    )

    assert contract.content_type == "image/png"


def test_a_signing_date_in_the_future_is_refused(order_at, people):
    order = order_at("contract")

    with pytest.raises(ValidationError) as refused:
        record(
            order, people["sales"], signed_on=timezone.localdate() + timedelta(days=1)
        )

    assert "signed_on" in refused.value.message_dict
    assert not Contract.objects.exists()


def test_a_contract_is_recorded_only_at_the_contract_stage(order_at, people):
    order = order_at("quote")

    with pytest.raises(InvalidMove):
        record(order, people["sales"])

    assert not Contract.objects.exists()


def test_the_same_form_submitted_twice_records_one_contract(client, order_at, people):
    order = order_at("contract")
    client.force_login(people["sales"])
    token = "6f1c1d5e-7c1a-4a57-9a51-0f3b5d1e2a10"

    first = client.post(url(order), {**form(), "form_token": token})
    second = client.post(url(order), {**form(), "form_token": token})

    assert first.status_code == second.status_code == 302
    assert second["Location"] == order.get_absolute_url()
    assert Contract.objects.count() == 1
    assert order.events.filter(type="contract_recorded").count() == 1


@pytest.mark.parametrize("role", ["technical", "workshop_lead", "general_manager"])
def test_other_roles_may_not_record_a_contract(client, order_at, make_user, role):
    order = order_at("contract")
    user = make_user(role)
    client.force_login(user)

    assert client.get(url(order)).status_code == 403
    assert client.post(url(order), form()).status_code == 403
    with pytest.raises(PermissionDenied):
        record(order, user)

    assert not Contract.objects.exists()
    order.refresh_from_db()
    assert order.stage == "contract"


def test_another_salesperson_does_not_see_the_order(client, order_at, make_user):
    order = order_at("contract")
    other = make_user("sales")
    client.force_login(other)

    assert client.post(url(order), form()).status_code == 404
    with pytest.raises(PermissionDenied):
        record(order, other)
    assert not Contract.objects.exists()


def test_the_signed_file_is_only_for_those_who_see_the_order(
    client, order_at, make_user, people
):
    order = order_at("drawing")
    for user, status in (
        (make_user("sales"), 404),
        (make_user("workshop_lead"), 404),
        (people["quoter"], 200),
        (people["sales"], 200),
    ):
        client.force_login(user)
        assert client.get(url(order, "contract/file/")).status_code == status


# --- the contract register -------------------------------------------------------------


@pytest.fixture
def register(order_at, make_user):
    """Three contracts: two of people["sales"], one of another salesperson (in another
    department), one of them signed at a different amount and a month ago."""
    other = make_user("sales")
    a = order_at("drawing", contract_number="HT-A01")
    b = order_at("drawing", contract_number="HT-B02")
    c = order_at("drawing", contract_number="HT-C03", salesperson=other)
    Contract.objects.filter(order=b).update(
        amount=Decimal("12500.50"),
        amount_reason="追加模具费",
        signed_on=timezone.localdate() - timedelta(days=30),
    )
    return {"a": a, "b": b, "c": c, "other": other}


def rows(response):
    return [c.number for c in response.context["page"]]


def test_the_register_lists_every_contract_for_the_general_manager(
    english, register, people
):
    english.force_login(people["gm"])

    response = english.get("/orders/contracts/")

    page = response.content.decode()
    assert sorted(rows(response)) == ["HT-A01", "HT-B02", "HT-C03"]
    assert "¥12,500.50" in page and "¥3,800.00" in page
    assert register["a"].number in page and register["a"].customer.name in page
    assert "≠ quote" in page  # the contract signed at another amount


def test_sales_see_only_their_own_orders_contracts(client, register, people):
    client.force_login(register["other"])
    assert rows(client.get("/orders/contracts/")) == ["HT-C03"]

    client.force_login(people["sales"])
    assert sorted(rows(client.get("/orders/contracts/"))) == ["HT-A01", "HT-B02"]


def test_the_register_filters_and_sorts(client, register, people):
    client.force_login(people["gm"])
    today = timezone.localdate()

    def get(**params):
        return rows(client.get("/orders/contracts/", params))

    assert get(q="b02") == ["HT-B02"]
    assert get(q=register["c"].number) == ["HT-C03"]
    assert get(q=register["a"].customer.name) == ["HT-A01"]
    assert get(customer=register["c"].customer.pk) == ["HT-C03"]
    assert get(amount_min="10000") == ["HT-B02"]
    assert sorted(get(amount_max="4000")) == ["HT-A01", "HT-C03"]
    assert get(signed_on_before=(today - timedelta(days=7)).isoformat()) == ["HT-B02"]
    assert get(sort="-amount")[0] == "HT-B02"
    assert get(sort="number") == ["HT-A01", "HT-B02", "HT-C03"]
    assert get(q="不存在") == []


def test_the_register_exports_csv_and_xlsx(client, register, people):
    client.force_login(people["gm"])

    csv = client.get("/orders/contracts/", {"export": "csv", "q": "HT-B02"})
    xlsx = client.get("/orders/contracts/", {"export": "xlsx"})

    assert csv["Content-Disposition"].startswith('attachment; filename="contracts-')
    text = csv.content.decode("utf-8-sig")
    header, line = text.splitlines()[:2]
    assert "合同编号" in header or "contract number" in header
    assert line.startswith("HT-B02,")
    assert "12500.50" in line and "3800.00" in line and "追加模具费" in line
    assert register["b"].number in line
    assert len(text.splitlines()) == 2  # the filter applies to the export too

    sheet = load_workbook(BytesIO(xlsx.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert len(table) == 4
    by_number = {row[0]: row for row in table[1:]}
    assert Decimal(str(by_number["HT-B02"][5])) == Decimal("12500.50")


def test_the_register_is_refused_to_roles_without_orders(client, make_user):
    client.force_login(make_user("workshop_lead"))

    assert client.get("/orders/contracts/").status_code == 403
    assert client.get("/orders/contracts/", {"export": "csv"}).status_code == 403


@pytest.mark.parametrize("size", [5, 50])
def test_the_register_runs_a_fixed_number_of_queries(
    client, people, make_order, size, django_assert_max_num_queries
):
    # Contracts written directly: the service is tested above, this counts queries.
    for n in range(size):
        order = make_order(people["sales"])
        Contract.objects.create(
            order=order,
            number=f"HT-{n:03d}",
            signed_on=timezone.localdate(),
            amount=Decimal(1000 + n),
            file="contracts/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=len(PDF),
            recorded_by=people["sales"],
        )
    client.force_login(people["gm"])

    # session, user, permissions ×2, then the navigation (roles, the calendar ×2, the
    # GM's waiting queues), the count and one page of contracts with their orders,
    # customers, people and accepted quote's amount in the same query
    with django_assert_max_num_queries(12):
        response = client.get("/orders/contracts/", {"sort": "-amount"})
    # session, user, permissions ×2, and every contract in one query
    with django_assert_max_num_queries(5):
        export = client.get("/orders/contracts/", {"export": "csv"})

    assert len(response.context["page"]) == min(size, 25)
    assert len(export.content.decode("utf-8-sig").splitlines()) == size + 1


# --- at the same moment (PostgreSQL locks rows; skipped on SQLite) ---------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_contract_number_recorded_for_two_orders_at_once(order_at, people):
    from accounts.models import User
    from tests.threads import run_together

    orders = [order_at("contract"), order_at("contract")]

    def work(index):
        sales = User.objects.get(pk=people["sales"].pk)
        return record(orders[index], sales, number="HT-SAME")

    results, errors = run_together(2, work)

    assert len([r for r in results if r is not None]) == 1
    assert [type(e) for e in errors if e is not None] == [ValidationError]
    assert Contract.objects.count() == 1
    stages = [o.stage for o in Order.objects.filter(pk__in=[o.pk for o in orders])]
    assert sorted(stages) == ["contract", "drawing"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_order_recorded_twice_at_once_moves_once(order_at, people):
    from accounts.models import User
    from tests.threads import run_together

    order = order_at("contract")

    def work(index):
        sales = User.objects.get(pk=people["sales"].pk)
        return record(order, sales, number=f"HT-{index}")

    results, errors = run_together(4, work)

    assert len([r for r in results if r is not None]) == 1
    assert all(isinstance(e, InvalidMove) for e in errors if e is not None)
    assert Contract.objects.count() == 1
    assert order.events.filter(type="moved", to_stage="drawing").count() == 1
