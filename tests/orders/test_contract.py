"""Recording the signed contract, the contract register and its export."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orders import services
from orders.exceptions import PermissionDenied, ValidationError
from orders.models import Contract, OrderEvent
from tests.orders.conftest import EXE, PDF


def post(
    number="HT-2026-001", amount="3800.00", reason="", content=PDF, name="合同.pdf"
):
    return {
        "number": number,
        "signed_on": timezone.localdate().isoformat(),
        "amount": amount,
        "amount_reason": reason,
        "file": SimpleUploadedFile(name, content, "application/pdf"),
    }


def test_sales_records_the_contract_and_the_order_moves_to_drawings(
    client, order_at_contract, people
):
    client.force_login(people["sales"])

    client.post(f"/orders/{order_at_contract.number}/contract/", post())

    order_at_contract.refresh_from_db()
    assert order_at_contract.stage == "drawing"
    contract = Contract.objects.get()
    assert (contract.number, contract.amount) == ("HT-2026-001", Decimal("3800.00"))
    last = list(order_at_contract.events.values_list("type", "user__username"))[-2:]
    assert last == [
        ("contract_recorded", people["sales"].username),
        ("moved", people["sales"].username),
    ]
    page = client.get(order_at_contract.get_absolute_url()).content.decode()
    assert "HT-2026-001" in page
    download = client.get(f"/orders/{order_at_contract.number}/contract/file/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"amount": "3900.00"}, "合同金额与客户已确认的报价"),
        ({"content": EXE}, "不是真正的"),
        ({"content": b"%PDF" + b"0" * (30 * 1024 * 1024)}, "超过上限"),
        ({"amount": "-1"}, "确保该值大于或等于"),
    ],
)
def test_bad_contracts_are_refused_and_nothing_is_saved(
    client, order_at_contract, people, data, message
):
    client.force_login(people["sales"])
    events = OrderEvent.objects.count()

    response = client.post(
        f"/orders/{order_at_contract.number}/contract/", post(**data), follow=True
    )

    assert message in response.content.decode()
    assert not Contract.objects.exists()
    assert OrderEvent.objects.count() == events
    order_at_contract.refresh_from_db()
    assert order_at_contract.stage == "contract"


def test_a_different_amount_with_a_reason_is_accepted(order_at_contract, people):
    contract = services.contract_record(
        actor=people["sales"],
        order=order_at_contract,
        number="HT-9",
        signed_on=timezone.localdate(),
        amount=Decimal("3700"),
        amount_reason="客户议价，总经理同意让利100元",
        uploaded=SimpleUploadedFile("c.pdf", PDF),
    )
    assert contract.amount_reason.startswith("客户议价")


def test_a_used_contract_number_is_refused(order_at_contract, people, make_order):
    Contract.objects.create(
        order=make_order(people["sales"]),
        number="HT-1",
        signed_on=timezone.localdate(),
        amount=1,
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        recorded_by=people["sales"],
    )
    with pytest.raises(ValidationError, match="HT-1"):
        services.contract_record(
            actor=people["sales"],
            order=order_at_contract,
            number="HT-1",
            signed_on=timezone.localdate(),
            amount=Decimal("3800"),
            uploaded=SimpleUploadedFile("c.pdf", PDF),
        )


def test_wrong_roles_cannot_record_a_contract(
    client, order_at_contract, people, make_user
):
    lead = make_user("workshop_lead")
    for user in (people["techmgr"], people["gm"], lead):
        client.force_login(user)
        response = client.post(f"/orders/{order_at_contract.number}/contract/", post())
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            services.contract_record(
                actor=user,
                order=order_at_contract,
                number="X",
                signed_on=timezone.localdate(),
                amount=Decimal("3800"),
                uploaded=SimpleUploadedFile("c.pdf", PDF),
            )
    other_sales = make_user("sales")
    client.force_login(other_sales)
    assert (
        client.post(f"/orders/{order_at_contract.number}/contract/", post()).status_code
        == 404
    )
    assert not Contract.objects.exists()


def test_register_lists_filters_and_exports(client, order_at_drawing, people):
    client.force_login(people["gm"])

    listed = client.get("/orders/contracts/").content.decode()
    none = client.get("/orders/contracts/", {"q": "不存在"}).content.decode()
    csv = client.get("/orders/contracts/", {"export": "csv"})
    xlsx = client.get("/orders/contracts/", {"export": "xlsx"})

    assert "HT-0001" in listed and "¥3,800.00" in listed
    assert "HT-0001" not in none
    text = csv.content.decode("utf-8-sig")
    assert "HT-0001" in text and "3800" in text and order_at_drawing.number in text
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"


def test_register_is_refused_to_workshop_leads(client, make_user, db):
    client.force_login(make_user("workshop_lead"))
    assert client.get("/orders/contracts/").status_code == 403


@pytest.mark.parametrize("size", [3, 30])
def test_register_runs_a_fixed_number_of_queries(
    client, people, make_order, size, django_assert_max_num_queries
):
    for n in range(size):
        Contract.objects.create(
            order=make_order(people["sales"]),
            number=f"HT-{n}",
            signed_on=timezone.localdate(),
            amount=n,
            file="x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
            recorded_by=people["sales"],
        )
    client.force_login(people["gm"])
    with django_assert_max_num_queries(14):
        response = client.get("/orders/contracts/")
    assert len(response.context["page"]) == min(size, 25)
