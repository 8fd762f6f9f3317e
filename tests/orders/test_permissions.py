"""Who may do what (审批权限): the role matrix of orders.workflow.MOVES through the one
gate, then the same refusals over HTTP. A refusal leaves the order exactly as it was; a
success leaves its event in the order's history.

Expectations come from the roles as declared in accounts.roles, not from has_perm, so
that a role given a permission it should not hold (or losing one) shows up here."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from accounts.roles import ROLES
from core.models import FormSubmission
from orders import services
from orders.exceptions import InvalidMove, PermissionDenied
from orders.models import (
    ChangeRequest,
    Order,
    OrderAttachment,
    OrderEvent,
)
from orders.stages import Stage
from orders.workflow import MOVES, order_move
from tests.factories import CustomerFactory
from tests.orders.conftest import line

pytestmark = pytest.mark.django_db

REASON = "客户要求 / customer asked"
LOSS_MEASURES = "已通知采购停止备料 / purchasing told to stop"
SMALL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Stages an order reaches today through real services. The later stages (approval,
# quote, contract, drawing, production, inspection, delivery, settlement) have no page
# yet: their moves exist in the table but every way into them is still refused.
REACHABLE = (Stage.DRAFT, Stage.REVIEW, Stage.ON_HOLD)


def wanted(move) -> set[str]:
    return (
        {move.permission} if isinstance(move.permission, str) else set(move.permission)
    )


def role_may(role, move) -> bool:
    return bool(wanted(move) & set(role.permissions))


def sees_every_order(role) -> bool:
    return "orders.view_all_orders" in role.permissions


def snapshot(order: Order) -> tuple:
    order.refresh_from_db()
    return order.stage, order.version, order.events.count()


def english(user) -> Client:
    """A signed-in browser reading the English msgids (the zh-Hans catalogue is being
    filled in; English assertions do not depend on it)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def owner(sales):
    """The salesperson whose orders these are."""
    return sales


@pytest.fixture
def arrange(owner, make_order):
    """arrange(stage) → an order of `owner` (or of `salesperson`) at that stage, got
    there through the services as users would (on_hold: a change request entered by
    the salesperson)."""

    def at(stage: str, salesperson=None) -> Order:
        owner_ = salesperson or owner
        if stage == Stage.DRAFT:
            return make_order(owner_)
        order = make_order(owner_, submit=True)
        if stage == Stage.REVIEW:
            return order
        assert stage == Stage.ON_HOLD, stage
        services.change_request_create(
            actor=owner_,
            order=order,
            version=order.version,
            reason=REASON,
            lines=[line(model="GB-D1000", qty="12")],
        )
        order.refresh_from_db()
        return order

    return at


def move_kwargs(move) -> dict:
    kwargs = {}
    if move.needs_reason:
        kwargs["reason"] = REASON
    if move.extra:
        kwargs["fields"] = {name: LOSS_MEASURES for name in move.extra}
    return kwargs


def reachable_source(move) -> str | None:
    return next((s for s in REACHABLE if s in move.sources), None)


# --- the gate: every move × every role ------------------------------------------------


@pytest.mark.parametrize("code", list(MOVES))
def test_roles_without_the_moves_permission_are_refused_and_nothing_changes(
    code, make_user, arrange
):
    move = MOVES[code]
    # given an order where the move would otherwise be possible (or a draft, when the
    # move leaves from a stage that cannot be reached yet: the permission is checked
    # before the stage, so the refusal is the same)
    order = arrange(reachable_source(move) or Stage.DRAFT)
    before = snapshot(order)
    refused = [role for role in ROLES if not role_may(role, move)]
    assert refused, f"every role may {code}"
    for role in refused:
        user = make_user(role.code)
        assert move.allowed(user) is False, role.code
        # when someone in that role tries the move
        with pytest.raises(PermissionDenied):
            order_move(order=order, actor=user, move=code, **move_kwargs(move))
        # then the order is exactly as it was: same stage, version and history
        assert snapshot(order) == before, role.code


@pytest.mark.parametrize("code", list(MOVES))
def test_roles_with_the_moves_permission_pass_the_gate(code, make_user, arrange):
    move = MOVES[code]
    holders = [role for role in ROLES if role_may(role, move)]
    assert holders, f"no role may {code}"
    source = reachable_source(move)
    for role in holders:
        user = make_user(role.code)
        assert move.allowed(user) is True, role.code
        # A salesperson makes a move on their own order only (orders.permissions);
        # the other roles on anyone's.
        own = user if "orders.enter_order" in role.permissions else None
        if source is None:
            # The move leaves from a stage nothing can reach yet (approval_send_back
            # from GM approval; quote_accepted … settled from the later stages): its
            # success cannot be shown without forging the stage. What can be shown:
            # the holder is refused by the table (InvalidMove), never by permission.
            order = arrange(Stage.DRAFT, own)
            before = snapshot(order)
            with pytest.raises(InvalidMove):
                order_move(order=order, actor=user, move=code, **move_kwargs(move))
            assert snapshot(order) == before, role.code
            continue

        # given an order at a stage the move leaves from
        order = arrange(source, own)
        stage, version, event_count = snapshot(order)
        refusal = move.refusal(order)
        if refusal:
            # when the holder tries a move whose precondition is not met (accept,
            # accept_direct, decline: the review conclusion's page is not built yet)
            with pytest.raises(InvalidMove) as refused:
                order_move(order=order, actor=user, move=code, **move_kwargs(move))
            # then it is refused by the precondition alone, and nothing changes
            assert str(refused.value) == str(refusal), role.code
            assert snapshot(order) == (stage, version, event_count), role.code
            continue

        # when the holder makes the move (submit, send_back, hold, resume, cancel)
        target = move.target_for(order)
        moved = order_move(order=order, actor=user, move=code, **move_kwargs(move))
        # then the order is at the move's target, one version on, with its event
        assert moved.stage == target, role.code
        assert snapshot(order) == (target, version + 1, event_count + 1), role.code
        event = order.events.latest("id")
        assert (event.type, event.user, event.from_stage, event.to_stage) == (
            OrderEvent.Type.MOVED,
            user,
            stage,
            target,
        ), role.code
        assert event.parameters["move"] == code
        assert event.reason == (REASON if move.needs_reason else "")
        if code == "cancel":
            assert (order.cancel_reason, order.loss_measures) == (REASON, LOSS_MEASURES)


def test_every_role_is_in_the_matrix(make_user):
    """The matrix above covers the declared roles; a role added later is covered too,
    and each role's group holds exactly its declared permissions."""
    for role in ROLES:
        user = make_user(role.code)
        held = {p for p in user.get_all_permissions() if p.startswith("orders.")}
        assert held == {p for p in role.permissions if p.startswith("orders.")}, (
            role.code
        )


# --- over HTTP: the buttons on the order page -----------------------------------------


BUTTON_MOVES = {
    # move: (the stage it leaves from, the role that makes it here, POST data)
    "submit": (Stage.DRAFT, "sales", {}),
    "send_back": (Stage.REVIEW, "production_manager", {"reason": REASON}),
    "cancel": (
        Stage.REVIEW,
        "production_manager",
        {"reason": REASON, "loss_measures": LOSS_MEASURES},
    ),
}


def test_the_button_moves_are_the_ones_the_table_offers_as_buttons():
    assert set(BUTTON_MOVES) == {m.code for m in MOVES.values() if m.button}


@pytest.mark.parametrize("code", list(BUTTON_MOVES))
def test_a_button_move_is_403_for_every_role_that_may_not_and_works_for_one_that_may(
    code, owner, make_user, arrange
):
    move = MOVES[code]
    source, maker_role, data = BUTTON_MOVES[code]
    # given an order at the stage the move leaves from
    order = arrange(source)
    url = f"/orders/{order.number}/move/{code}/"
    before = snapshot(order)
    for role in ROLES:
        if role_may(role, move):
            continue
        # a salesperson tries on their own order; other roles on any order
        user = owner if role.code == "sales" else make_user(role.code)
        # when they post the button's form
        response = english(user).post(url, {"version": order.version, **data})
        # then they are refused: 403 if they can see the order, 404 if they cannot
        # even see it (a workshop lead works from dispatch slips): an order one may not
        # see is not found, never forbidden, so that its existence does not leak.
        expected = 403 if sees_every_order(role) or role.code == "sales" else 404
        assert response.status_code == expected, role.code
        assert snapshot(order) == before, role.code

    # when one who may makes the move
    maker = owner if maker_role == "sales" else make_user(maker_role)
    response = english(maker).post(url, {"version": order.version, **data}, follow=True)
    # then they land on the order page, told it is done, with the order moved
    assert response.redirect_chain == [(order.get_absolute_url(), 302)]
    with translation.override("en"):  # the reader's language, not this thread's
        assert f"Done: {move.label}." in body(response)
    stage, version, event_count = snapshot(order)
    assert (stage, version, event_count) == (
        move.target_for(order),
        before[1] + 1,
        before[2] + 1,
    )
    event = order.events.latest("id")
    assert (event.type, event.user, event.from_stage, event.to_stage, event.reason) == (
        OrderEvent.Type.MOVED,
        maker,
        source,
        stage,
        data.get("reason", ""),
    )
    assert f'data-event="{OrderEvent.Type.MOVED}"' in body(response)


def test_an_unknown_or_non_button_move_is_not_found(owner, make_user, arrange):
    order = arrange(Stage.REVIEW)
    manager = make_user("production_manager")
    before = snapshot(order)
    for code in ("accept", "hold", "no_such_move"):
        response = english(manager).post(
            f"/orders/{order.number}/move/{code}/", {"reason": REASON}
        )
        assert response.status_code == 404, code
    assert snapshot(order) == before


# --- over HTTP: what a salesperson may reach ------------------------------------------


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Order, OrderAttachment, ChangeRequest, OrderEvent, FormSubmission)
    }


def test_a_salesperson_cannot_reach_another_salespersons_order(
    owner, make_user, arrange
):
    # given a draft and a submitted order of another salesperson
    draft = arrange(Stage.DRAFT)
    submitted = arrange(Stage.REVIEW)
    other = make_user("sales", username="sales_b", display_name="刘洋")
    client = english(other)
    before = counts()
    # when the other salesperson opens, edits, copies, attaches to or changes them
    requests = [
        ("get", f"/orders/{draft.number}/", {}),
        ("get", f"/orders/{draft.number}/edit/", {}),
        ("post", f"/orders/{draft.number}/edit/", {"customer": draft.customer_id}),
        ("post", f"/orders/{draft.number}/copy/", {"form_token": "x"}),
        (
            "post",
            f"/orders/{draft.number}/attach/",
            {"file": SimpleUploadedFile("po.pdf", SMALL_PDF, "application/pdf")},
        ),
        ("post", f"/orders/{draft.number}/move/submit/", {}),
        ("get", f"/orders/{submitted.number}/changes/new/", {}),
        (
            "post",
            f"/orders/{submitted.number}/changes/new/",
            {"reason": REASON, "version": submitted.version},
        ),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        # then every one is "not found", as if the orders did not exist
        assert response.status_code == 404, f"{method} {url}"
    # and nothing was created or changed
    assert counts() == before
    # and the list does not show them either
    listing = body(client.get("/orders/"))
    assert draft.number not in listing
    assert submitted.number not in listing
    # while their own salesperson sees both
    listing = body(english(owner).get("/orders/"))
    assert draft.number in listing and submitted.number in listing


def test_a_workshop_lead_has_no_order_pages(make_user, customer):
    # given a workshop lead (no order permissions: they work from dispatch slips)
    lead = make_user("workshop_lead")
    client = english(lead)
    before = counts()
    # when they open the order list or the new-order form, or post to it
    # then each is refused
    assert client.get("/orders/").status_code == 403
    assert client.get("/orders/new/").status_code == 403
    assert client.post("/orders/new/", {"customer": customer.pk}).status_code == 403
    assert (
        client.post("/orders/customers/new/", {"customer-name": "新客户"}).status_code
        == 403
    )
    assert counts() == before


# --- over HTTP: credit approval -------------------------------------------------------


@pytest.fixture
def over_credit(owner, make_order):
    """A draft that takes its customer over the credit limit (¥38 against ¥20)."""
    customer = CustomerFactory(credit_limit=Decimal("20"))
    order = make_order(owner, customer=customer)  # one line: 10 × ¥3.80
    order.refresh_from_db()
    assert order.credit == Order.Credit.PENDING, order.gross_amount
    return order


def test_finance_approves_credit_and_sales_may_not(owner, make_user, over_credit):
    order = over_credit
    url = f"/orders/{order.number}/credit/"
    # given the salesperson cannot submit it while the credit is pending
    response = english(owner).post(
        f"/orders/{order.number}/move/submit/", {"version": order.version}, follow=True
    )
    assert "finance must approve it first" in body(response)
    assert snapshot(order)[0] == Stage.DRAFT
    before = snapshot(order)

    # when the salesperson tries to approve the credit themselves
    response = english(owner).post(url, {"reason": "老客户"})
    # then 403, and the order still waits for finance
    assert response.status_code == 403
    assert snapshot(order) == before
    assert order.credit == Order.Credit.PENDING

    # when finance approves it with a reason
    finance = make_user("finance")
    response = english(finance).post(url, {"reason": "老客户，信用良好"}, follow=True)
    # then the page says so and the order's history shows who and why
    assert response.redirect_chain == [(order.get_absolute_url(), 302)]
    assert "Credit approved." in body(response)
    order.refresh_from_db()
    assert order.credit == Order.Credit.APPROVED
    assert order.version == before[1] + 1
    event = order.events.latest("id")
    assert (event.type, event.user, event.reason) == (
        OrderEvent.Type.CREDIT_APPROVED,
        finance,
        "老客户，信用良好",
    )
    # and the salesperson can now submit it
    english(owner).post(
        f"/orders/{order.number}/move/submit/", {"version": order.version}
    )
    assert snapshot(order)[0] == Stage.REVIEW


# --- over HTTP: change requests -------------------------------------------------------


def held_by_change(owner, order, quantity: str) -> ChangeRequest:
    return services.change_request_create(
        actor=owner,
        order=order,
        version=order.version,
        reason=REASON,
        lines=[line(model="GB-D1000", qty=quantity)],
    )


def decide(user, change, decision="approve", comment=""):
    return english(user).post(
        f"/orders/{change.order.number}/changes/{change.pk}/decide/",
        {"decision": decision, "comment": comment},
    )


def test_sales_may_not_approve_a_change_and_the_production_manager_applies_it(
    owner, make_user, arrange
):
    # given a submitted order (10 pieces) held by the customer's change to 12
    order = arrange(Stage.REVIEW)
    change = held_by_change(owner, order, "12")
    assert not change.needs_gm
    before = snapshot(order)
    assert before[0] == Stage.ON_HOLD

    # when the salesperson who entered it tries to approve it
    response = decide(owner, change)
    # then 403 and nothing moves
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.PENDING
    assert snapshot(order) == before

    # when the production manager approves it
    manager = make_user("production_manager")
    response = decide(manager, change, comment="可以安排")
    assert response.status_code == 302
    # then the change is applied, the order resumes where it was, and the history
    # says who approved, what was applied and that the order resumed
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPLIED
    assert change.manager_approved_by == manager
    order.refresh_from_db()
    assert order.stage == Stage.REVIEW
    assert [x.quantity for x in order.lines.all()] == [Decimal("12")]
    new = list(order.events.order_by("id"))[before[2] :]
    assert [(e.type, e.user) for e in new] == [
        (OrderEvent.Type.CHANGE_APPROVED, manager),
        (OrderEvent.Type.CHANGE_APPLIED, manager),
        (OrderEvent.Type.MOVED, manager),
    ]
    assert new[0].reason == "可以安排"
    resumed = new[-1]
    assert (resumed.from_stage, resumed.to_stage, resumed.automatic) == (
        Stage.ON_HOLD,
        Stage.REVIEW,
        True,
    )
    assert resumed.parameters == {
        "move": "resume",
        "change_request": change.pk,
        "version": order.version,
    }
    page = body(english(manager).get(order.get_absolute_url()))
    assert "approved and applied" in page


def test_a_large_change_needs_the_general_manager_after_the_production_manager(
    owner, make_user, arrange
):
    # given a change that moves the amount by more than the GM threshold
    order = arrange(Stage.REVIEW)
    quantity = str(int(settings.ORDER_CHANGE_GM_APPROVAL_AMOUNT / 3.8) + 1000)
    change = held_by_change(owner, order, quantity)
    assert change.needs_gm
    manager = make_user("production_manager")
    gm = make_user("general_manager")
    before = snapshot(order)

    # when the general manager tries to approve first (the manager's step)
    response = decide(gm, change)
    # then 403: the GM does not take the production manager's step
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.PENDING
    assert snapshot(order) == before

    # when the production manager approves
    assert decide(manager, change).status_code == 302
    # then it waits for the GM; the order stays on hold with its old lines
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.AWAITING_GM
    assert change.manager_approved_by == manager
    order.refresh_from_db()
    assert order.stage == Stage.ON_HOLD
    assert [x.quantity for x in order.lines.all()] == [Decimal("10")]
    event = order.events.latest("id")
    assert (event.type, event.user, event.parameters["status"]) == (
        OrderEvent.Type.CHANGE_APPROVED,
        manager,
        ChangeRequest.Status.AWAITING_GM,
    )
    after_manager = snapshot(order)

    # when the production manager tries the GM's step too
    response = decide(manager, change)
    # then 403, nothing changes
    assert response.status_code == 403
    assert snapshot(order) == after_manager

    # when the general manager approves
    assert decide(gm, change).status_code == 302
    # then the change is applied and the order resumes
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPLIED
    assert change.gm_approved_by == gm
    order.refresh_from_db()
    assert order.stage == Stage.REVIEW
    assert [x.quantity for x in order.lines.all()] == [Decimal(quantity)]
    new = list(order.events.order_by("id"))[after_manager[2] :]
    assert [(e.type, e.user) for e in new] == [
        (OrderEvent.Type.CHANGE_APPROVED, gm),
        (OrderEvent.Type.CHANGE_APPLIED, gm),
        (OrderEvent.Type.MOVED, gm),
    ]


# --- the default language -------------------------------------------------------------


def test_a_refusal_renders_as_an_error_in_the_default_language(owner, over_credit):
    """The Chinese wording is asserted once the zh-Hans catalogue is filled in; until
    then: the page is Chinese and the refusal is shown as an error."""
    client = Client()
    client.force_login(owner)
    response = client.post(
        f"/orders/{over_credit.number}/move/submit/",
        {"version": over_credit.version},
        follow=True,
    )
    page = body(response)
    assert '<html lang="zh-hans">' in page
    assert 'class="msg msg-error"' in page
    assert snapshot(over_credit)[0] == Stage.DRAFT
