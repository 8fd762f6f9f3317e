"""Twenty people approving the same order, or concluding/signing at once, on PostgreSQL:
exactly one approval and one event."""

import pytest
from django.utils import timezone

from orders import services
from orders.exceptions import InvalidMove
from orders.models import ApprovalDelegation, OrderEvent
from tests.orders.conftest import CODES, open_and_sign
from tests.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def at_approval(make_order, people):
    order = make_order(people["sales"], submit=True, is_important=True)
    review = open_and_sign(order, people)
    services.review_conclude(
        actor=people["prodmgr"], review=review, conclusion="accept"
    )
    order.refresh_from_db()
    assert order.stage == "approval"
    return order


def test_twenty_approvals_of_the_same_order_make_one(at_approval, people, make_user):
    # the GM and a stand-in press "approve" at the same instant, ten times each
    deputy = make_user("production_manager")
    ApprovalDelegation.objects.create(
        principal=people["gm"],
        delegate=deputy,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    from accounts.models import User

    ids = [people["gm"].pk, deputy.pk]

    def approve(i):
        actor = User.objects.get(pk=ids[i % 2])
        return services.order_approve(actor=actor, order=at_approval, approve=True)

    results, errors = run_together(20, approve)

    assert sum(r is not None for r in results) == 1
    assert all(isinstance(e, InvalidMove) for e in errors if e is not None)
    at_approval.refresh_from_db()
    assert at_approval.stage == "quote"
    assert (
        OrderEvent.objects.filter(
            order=at_approval, type="moved", to_stage="quote"
        ).count()
        == 1
    )


def test_concurrent_conclusions_conclude_once(make_order, people):
    order = make_order(people["sales"], submit=True)
    review = open_and_sign(order, people)
    from accounts.models import User

    def conclude(i):
        actor = User.objects.get(pk=people["prodmgr"].pk)
        return services.review_conclude(actor=actor, review=review, conclusion="accept")

    results, errors = run_together(10, conclude)

    assert sum(r is not None for r in results) == 1
    assert all(isinstance(e, InvalidMove) for e in errors if e is not None)
    assert OrderEvent.objects.filter(order=order, type="review_concluded").count() == 1
    assert len(CODES) == review.signoffs.count()


def test_twenty_identical_sign_offs_at_once_sign_once(make_order, people):
    """Issue 7 item 10: a reviewer's double (or twentyfold) click on 签署 is one
    signature, one event, one version."""
    order = make_order(people["sales"], submit=True)
    review = services.review_open(
        actor=people["prodmgr"], order=order, department_codes=["technical"]
    )
    row = review.signoffs.get()
    order.refresh_from_db()
    version = order.version
    from accounts.models import User

    def sign(i):
        return services.review_sign(
            actor=User.objects.get(pk=people["techmgr"].pk),
            signoff=row,
            content="图纸可行",
            days_needed=3,
            resources_ok=True,
            risks="",
            opinion="agree",
        )

    results, errors = run_together(20, sign)

    assert errors == [None] * 20  # each click is answered "signed"
    assert OrderEvent.objects.filter(order=order, type="review_signed").count() == 1
    order.refresh_from_db()
    assert order.version == version + 1
    row.refresh_from_db()
    assert (row.signed_by, row.days_needed) == (people["techmgr"], 3)


def test_an_amended_signature_is_still_recorded(make_order, people):
    order = make_order(people["sales"], submit=True)
    review = services.review_open(
        actor=people["prodmgr"], order=order, department_codes=["technical"]
    )
    row = review.signoffs.get()
    for days in (3, 3, 5):
        services.review_sign(
            actor=people["techmgr"],
            signoff=row,
            content="",
            days_needed=days,
            resources_ok=True,
            risks="",
            opinion="agree",
        )
    signed = OrderEvent.objects.filter(order=order, type="review_signed")
    assert [e.parameters["days"] for e in signed.order_by("id")] == [3, 5]
