from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders import services
from orders.services import LineData
from tests.factories import CustomerFactory, DepartmentFactory


def line(model="GB-D1060", qty="100", price="3.80", **kwargs) -> LineData:
    return LineData(
        model_code=model, quantity=Decimal(qty), unit_price=Decimal(price), **kwargs
    )


@pytest.fixture
def sales(make_user):
    return make_user("sales", username="sales_a", display_name="张伟")


@pytest.fixture
def customer(db):
    return CustomerFactory()


@pytest.fixture
def make_order(db):
    """make_order(actor, lines=3, submit=False, **header) → an order made through the
    services, as a user would."""

    def make(actor, *, lines=1, submit=False, customer=None, **header):
        header.setdefault("channel", "phone")
        header.setdefault("requested_date", timezone.localdate() + timedelta(days=30))
        order = services.order_create(
            actor=actor,
            customer=customer or CustomerFactory(),
            lines=[
                line(model=f"GB-D{1000 + i}", qty=str(10 * (i + 1)))
                for i in range(lines)
            ],
            **header,
        )
        if submit:
            order = services.order_submit(actor=actor, order=order)
        return order

    return make


CODES = ("technical", "purchasing", "production", "quality")


@pytest.fixture
def departments(db):
    names = {
        "technical": "技术部",
        "purchasing": "采购部",
        "production": "生产部",
        "quality": "质量部",
        "gm_office": "总经办",
        "sales": "业务部",
    }
    return {
        code: DepartmentFactory(code=code, name=name) for code, name in names.items()
    }


@pytest.fixture
def people(make_user, departments):
    return {
        "prodmgr": make_user(
            "production_manager",
            "dept_reviewer",
            department=departments["production"],
            display_name="王强",
        ),
        "techmgr": make_user(
            "technical",
            "dept_reviewer",
            department=departments["technical"],
            display_name="刘洋",
        ),
        "purchasing": make_user(
            "purchasing",
            "dept_reviewer",
            department=departments["purchasing"],
            display_name="陈静",
        ),
        "qcmgr": make_user(
            "qc_inspector",
            "dept_reviewer",
            department=departments["quality"],
            display_name="杨帆",
        ),
        "gm": make_user(
            "general_manager",
            department=departments["gm_office"],
            display_name="周建国",
        ),
        "quoter": make_user("quoter", department=departments["sales"]),
        "sales": make_user(
            "sales", department=departments["sales"], display_name="张伟"
        ),
    }


DAYS = {"technical": 3, "purchasing": 5, "production": 10, "quality": 2}


def open_and_sign(order, people, days=DAYS):
    review = services.review_open(
        actor=people["prodmgr"], order=order, department_codes=list(CODES)
    )
    signer = {
        "technical": "techmgr",
        "purchasing": "purchasing",
        "production": "prodmgr",
        "quality": "qcmgr",
    }
    for signoff in review.signoffs.select_related("department"):
        code = signoff.department.code
        services.review_sign(
            actor=people[signer[code]],
            signoff=signoff,
            content="图纸与工艺",
            days_needed=days[code],
            resources_ok=True,
            risks="",
            opinion="agree",
        )
    return review


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


@pytest.fixture
def order_at_contract(make_order, people):
    """An order walked to the contract stage by the right people; its accepted quote
    is ¥3,800.00 (1000 × 3.80, tax incl.)."""
    from orders.services import QuoteLineData

    order = make_order(people["sales"], submit=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    order.refresh_from_db()
    quote = services.quote_save(
        actor=people["quoter"],
        order=order,
        lines=[
            QuoteLineData(
                model_code="GB-D1060", quantity=Decimal(1000), unit_price=Decimal("3.8")
            )
        ],
        prices_include_tax=True,
        vat_rate=Decimal("0.13"),
        discount_percent=Decimal(0),
        lead_time_days=20,
        payment_terms="月结60天",
        valid_until=timezone.localdate() + timedelta(days=10),
    )
    services.quote_submit(actor=people["quoter"], quote=quote)
    services.quote_decide(actor=people["gm"], quote=quote, approve=True)
    return services.quote_accept(
        actor=people["sales"],
        quote=quote,
        accepted_on=timezone.localdate(),
        how="email",
    )


@pytest.fixture
def order_at_drawing(order_at_contract, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.contract_record(
        actor=people["sales"],
        order=order_at_contract,
        number="HT-0001",
        signed_on=timezone.localdate(),
        amount=Decimal("3800.00"),
        uploaded=SimpleUploadedFile("合同.pdf", PDF, "application/pdf"),
    )
    order_at_contract.refresh_from_db()
    return order_at_contract
