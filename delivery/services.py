"""Every write of delivery: receiving into stock (入库), shipping (发货, with its
送货单), the customer's signed receipt (回单), a shortfall closed with the customer,
a date agreed with the customer — and the move `delivered` (交付 → 开票收款) when
every line's ordered quantity is received by the customer or closed short.

Each checks the permission and the relation (delivery.permissions), takes the
order's row first (orders.services.lock_order, with the page's version), then the
lines the work draws on (orders.services.lock_lines), asks the action checks other
apps register (orders.services.action_require: an order on hold, a payment gate…),
claims the form's token, writes, and leaves a history line. Quantities always obey
received ≤ shipped ≤ in stock ≤ accepted, per line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_role_perm, may
from core.concurrency import bump, check_version
from core.dates import check_within, span_around
from core.exceptions import InvalidMove, PermissionDenied, ValidationError
from core.money import plain
from core.submissions import claim_token, record_result
from core.uploads import discarded_on_failure, keep_upload, upload_problems
from notifications.services import notify
from orders.services import (
    action_require,
    lock_lines,
    lock_order,
    number_next,
    order_advance,
    record_event,
)
from orders.stages import Stage

from . import actions
from . import events as types
from .models import (
    CustomerReceipt,
    DateAgreement,
    Shipment,
    ShipmentLine,
    ShortfallClosure,
    StockReceipt,
)
from .quantities import ZERO, line_figures

APP = types.APP
MOVE = types.MOVE
TEXT_MAX = 500
# Where the warehouse works: passed pieces go into stock and ship while the rest of
# the order is still inspected (or reworked), and after.
WAREHOUSE_STAGES = frozenset({Stage.INSPECTION, Stage.DELIVERY})
# Where a new date may be agreed: once a date is promised, until delivered.
DATE_STAGES = frozenset(
    {Stage.DRAWING, Stage.PRODUCTION, Stage.INSPECTION, Stage.DELIVERY}
)
# A tracking number is letters, digits and a few separators: never markup.
TRACKING = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\- _/.]*$")
MARKUP = re.compile(r"[<>\"'`{}]")


def _require(actor, action: str, obj=None) -> None:
    if not may(actor, action, obj):
        raise PermissionDenied(_("Your role may not do this."))


def _text(value, limit: int = TEXT_MAX) -> str:
    return (value or "").strip()[:limit]


def _plain_text(errors: dict, name: str, value, limit: int = TEXT_MAX) -> str:
    """Free text a printed form carries: no markup."""
    value = _text(value, limit)
    if MARKUP.search(value):
        errors[name] = [_("Please leave out the characters < > \" ' ` { }.")]
    return value


def _quantity(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number


def _in_warehouse_stage(order) -> None:
    if order.stage not in WAREHOUSE_STAGES:
        raise InvalidMove(
            _(
                "The order is %(stage)s: goods are received and shipped while it is "
                "inspected or delivered."
            )
            % {"stage": order.get_stage_display()}
        )


def _span(order):
    return span_around(
        order.order_date,
        order.requested_date,
        order.promised_date,
        today=timezone.localdate(),
    )


def _wanted(quantities: dict, errors: dict, field: str = "lines") -> dict:
    """{line id: quantity > 0} from what was posted; zero rows are left out, a
    negative or unreadable one is refused."""
    wanted = {}
    for line_id, raw in quantities.items():
        if raw in (None, ""):
            continue
        number = _quantity(raw)
        if number is None:
            errors.setdefault(field, []).append(_("A quantity is not a number."))
            continue
        if number < 0:
            errors.setdefault(field, []).append(_("A quantity cannot be negative."))
            continue
        if number == 0:
            continue
        if number != number.quantize(Decimal("0.01")):
            errors.setdefault(field, []).append(
                _("A quantity has at most two decimals.")
            )
            continue
        wanted[int(line_id)] = number
    return wanted


def _line_parameters(rows: list[tuple]) -> list[dict]:
    return [
        {"line": line.position, "model": line.model_code, "quantity": plain(quantity)}
        for line, quantity in rows
    ]


# --- 入库: into stock ----------------------------------------------------------------


@transaction.atomic
def stock_receive(
    *,
    actor,
    order,
    quantities: dict,
    received_on: date | None = None,
    location: str = "",
    notes: str = "",
    version=None,
    form_token=None,
) -> list[StockReceipt]:
    """The warehouse takes passed pieces into stock, per line: never more than
    quality accepted and not yet taken in."""
    _require(actor, "delivery.manage")
    submission = claim_token(form_token, actor)
    order = lock_order(order, version)
    action_require(action=actions.RECEIVE, order=order)
    _in_warehouse_stage(order)
    errors: dict = {}
    wanted = _wanted(quantities, errors)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        errors["received_on"] = [_("Goods cannot be received on a future date.")]
    check_within(_span(order), errors, received_on=received_on)
    location = _plain_text(errors, "location", location, 64)
    notes = _plain_text(errors, "notes", notes)
    if not wanted and "lines" not in errors:
        errors["lines"] = [_("Enter the quantity received of at least one line.")]
    lines = lock_lines(wanted)
    figures = {
        f.line.pk: f for f in line_figures(order, order.lines.order_by("position"))
    }
    for line_id, quantity in wanted.items():
        row = figures.get(line_id)
        if row is None or line_id not in lines:
            errors.setdefault("lines", []).append(_("A line is not of this order."))
            continue
        if quantity > row.to_receive:
            errors.setdefault("lines", []).append(
                _(
                    "Line %(line)s (%(model)s): %(quantity)s is more than accepted "
                    "and not yet in stock (%(left)s)."
                )
                % {
                    "line": row.line.position,
                    "model": row.line.model_code,
                    "quantity": plain(quantity),
                    "left": plain(row.to_receive),
                }
            )
    if errors:
        raise ValidationError(errors)
    made = [
        StockReceipt.objects.create(
            order=order,
            line=figures[line_id].line,
            quantity=quantity,
            received_on=received_on,
            location=location,
            notes=notes,
            received_by=actor,
        )
        for line_id, quantity in sorted(
            wanted.items(), key=lambda kv: figures[kv[0]].line.position
        )
    ]
    record_event(
        order=order,
        type_=types.STOCK_RECEIVED,
        user=actor,
        reason=notes,
        parameters={
            "lines": _line_parameters([(r.line, r.quantity) for r in made]),
            "location": location,
            "received_on": received_on.isoformat(),
        },
    )
    bump(order)
    record_result(submission, order.get_absolute_url())
    return made


# --- 发货: a shipment and its 送货单 ---------------------------------------------------


@dataclass
class ShipmentData:
    ship_date: date | None
    carrier: str
    tracking_number: str = ""
    address: str = ""
    contact: str = ""
    phone: str = ""
    notes: str = ""


def _shipment_number(today: date) -> str:
    yyyymm = today.strftime("%Y%m")
    return f"SH-{yyyymm}-{number_next(key=f'shipment:{yyyymm}'):05d}"


def default_address(order) -> dict:
    """The customer's address and contact, which each shipment may change."""
    customer = order.customer
    return {
        "address": customer.address,
        "contact": customer.contact,
        "phone": customer.phone,
    }


@transaction.atomic
def shipment_create(
    *,
    actor,
    order,
    quantities: dict,
    data: ShipmentData,
    version=None,
    form_token=None,
) -> Shipment:
    """A shipment out of the order's stock: the lines and quantities (never more
    than is in stock and not shipped), with its own 送货单 number. Any app may hold
    it (orders.registry.action_check on `delivery.ship`)."""
    _require(actor, "delivery.manage")
    submission = claim_token(form_token, actor)
    order = lock_order(order, version, related=("customer",))
    errors: dict = {}
    address = _plain_text(errors, "address", data.address, 255)
    action_require(action=actions.SHIP, order=order, address=address)
    _in_warehouse_stage(order)
    wanted = _wanted(quantities, errors)
    carrier = _plain_text(errors, "carrier", data.carrier, 64)
    tracking = _text(data.tracking_number, 64)
    contact = _plain_text(errors, "contact", data.contact, 64)
    phone = _plain_text(errors, "phone", data.phone, 32)
    notes = _plain_text(errors, "notes", data.notes)
    if not carrier and "carrier" not in errors:
        errors["carrier"] = [_("Name the carrier (承运人).")]
    if tracking and not TRACKING.match(tracking):
        errors["tracking_number"] = [
            _("A tracking number has letters, digits, - _ / and . only.")
        ]
    if not address and "address" not in errors:
        errors["address"] = [_("Enter the delivery address.")]
    ship_date = data.ship_date
    if ship_date is None:
        errors["ship_date"] = [_("Give the ship date.")]
    elif ship_date > timezone.localdate():
        errors["ship_date"] = [_("A shipment is recorded when it leaves: not ahead.")]
    else:
        check_within(_span(order), errors, ship_date=ship_date)
    if not wanted and "lines" not in errors:
        errors["lines"] = [_("Enter the quantity shipped of at least one line.")]
    lines = lock_lines(wanted)
    figures = {
        f.line.pk: f for f in line_figures(order, order.lines.order_by("position"))
    }
    for line_id, quantity in wanted.items():
        row = figures.get(line_id)
        if row is None or line_id not in lines:
            errors.setdefault("lines", []).append(_("A line is not of this order."))
            continue
        if quantity > row.on_hand:
            errors.setdefault("lines", []).append(
                _(
                    "Line %(line)s (%(model)s): %(quantity)s is more than is in stock "
                    "for the order (%(left)s)."
                )
                % {
                    "line": row.line.position,
                    "model": row.line.model_code,
                    "quantity": plain(quantity),
                    "left": plain(row.on_hand),
                }
            )
    if ship_date and wanted and "ship_date" not in errors:
        first_in = (
            StockReceipt.objects.filter(order=order, line_id__in=list(wanted))
            .order_by("received_on")
            .values_list("received_on", flat=True)
            .first()
        )
        if first_in and ship_date < first_in:
            errors["ship_date"] = [
                _("The ship date is before the goods were received (%(date)s).")
                % {"date": first_in.isoformat()}
            ]
    if errors:
        raise ValidationError(errors)
    shipment = Shipment.objects.create(
        number=_shipment_number(timezone.localdate()),
        order=order,
        ship_date=ship_date,
        carrier=carrier,
        tracking_number=tracking,
        address=address,
        contact=contact,
        phone=phone,
        notes=notes,
        created_by=actor,
    )
    rows = sorted(wanted.items(), key=lambda kv: figures[kv[0]].line.position)
    ShipmentLine.objects.bulk_create(
        ShipmentLine(shipment=shipment, line=figures[line_id].line, quantity=q)
        for line_id, q in rows
    )
    record_event(
        order=order,
        type_=types.SHIPPED,
        user=actor,
        reason=notes,
        parameters={
            "shipment": shipment.number,
            "lines": _line_parameters([(figures[i].line, q) for i, q in rows]),
            "carrier": carrier,
            "tracking_number": tracking,
            "ship_date": ship_date.isoformat(),
        },
    )
    bump(order)
    notify(
        users=[order.salesperson_id],
        message=_("Order %(number)s: delivery note %(shipment)s shipped.")
        % {"number": order.number, "shipment": shipment.number},
        link=shipment.get_absolute_url(),
        kind="shipped",
    )
    record_result(submission, shipment.get_absolute_url())
    return shipment


# --- 回单: the customer's signed receipt ---------------------------------------------------


def _users_holding(permission: str):
    app_label, codename = permission.split(".")
    return [
        u
        for u in get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename=codename)
        .distinct()
        if has_role_perm(u, permission)
    ]


RECEIPT_SCANS = {
    "pdf": {"pdf"},
    "png": {"png"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
}


@transaction.atomic
def receipt_record(
    *,
    actor,
    shipment: Shipment,
    signed_by: str,
    signed_on: date | None,
    received: dict,
    note: str = "",
    quality_matter: bool = False,
    uploaded=None,
    version=None,
    form_token=None,
) -> CustomerReceipt:
    """The warehouse records the 回单: who signed and when, what of each line was
    received (never more than shipped), a shortfall or damage noted (sales are
    told; a quality matter goes to QC as a nonconformance to review), the scanned
    signed note. When every line is then received or closed short, the order is
    delivered."""
    _require(actor, "delivery.manage")
    submission = claim_token(form_token, actor)
    # the order's row first, then the lines the shipment drew on, then its own row
    order = lock_order(shipment.order_id)
    lock_lines(
        ShipmentLine.objects.filter(shipment=shipment).values_list("line_id", flat=True)
    )
    shipment = Shipment.objects.select_for_update().filter(pk=shipment.pk).get()
    check_version(shipment, version)
    action_require(action=actions.RECORD_RECEIPT, order=order, shipment=shipment)
    _in_warehouse_stage(order)
    if shipment.status != Shipment.Status.SHIPPED:
        raise InvalidMove(
            _("The receipt of %(number)s is already recorded.")
            % {"number": shipment.number}
        )
    errors: dict = {}
    signed_by = _plain_text(errors, "signed_by", signed_by, 64)
    note = _plain_text(errors, "note", note, 2000)
    if not signed_by and "signed_by" not in errors:
        errors["signed_by"] = [_("Name who signed the delivery note.")]
    if signed_on is None:
        errors["signed_on"] = [_("Give the date it was signed.")]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = [_("The date it was signed cannot be in the future.")]
    elif signed_on < shipment.ship_date:
        errors["signed_on"] = [
            _("The customer cannot sign before the shipment left (%(date)s).")
            % {"date": shipment.ship_date.isoformat()}
        ]
    shipment_lines = list(
        shipment.lines.select_related("line").order_by("line__position")
    )
    got: dict[int, Decimal] = {}
    for row in shipment_lines:
        raw = received.get(row.pk, received.get(str(row.pk)))
        number = row.quantity if raw in (None, "") else _quantity(raw)
        if number is None or number < 0:
            errors.setdefault("lines", []).append(
                _("Line %(line)s: enter the quantity received (0 or more).")
                % {"line": row.line.position}
            )
            continue
        if number > row.quantity:
            errors.setdefault("lines", []).append(
                _("Line %(line)s: %(quantity)s is more than was shipped (%(shipped)s).")
                % {
                    "line": row.line.position,
                    "quantity": plain(number),
                    "shipped": plain(row.quantity),
                }
            )
            continue
        got[row.pk] = number
    short = [
        (row.line, row.quantity - got[row.pk])
        for row in shipment_lines
        if row.pk in got and got[row.pk] < row.quantity
    ]
    if short and not note and "note" not in errors:
        errors["note"] = [_("Say what was short or damaged.")]
    content_type = ""
    if uploaded is not None:
        content_type, problems = upload_problems(uploaded, RECEIPT_SCANS)
        if problems:
            errors["file"] = problems
    if errors:
        raise ValidationError(errors)
    receipt = CustomerReceipt(
        shipment=shipment,
        signed_by=signed_by,
        signed_on=signed_on,
        note=note,
        quality_matter=bool(quality_matter and (short or note)),
        recorded_by=actor,
    )
    with discarded_on_failure(receipt):
        if uploaded is not None:
            keep_upload(receipt, uploaded, content_type)
        receipt.save()
        for row in shipment_lines:
            row.received_quantity = got[row.pk]
        ShipmentLine.objects.bulk_update(shipment_lines, ["received_quantity"])
        shipment.status = Shipment.Status.RECEIVED
        shipment.version += 1
        shipment.save(update_fields=["status", "version"])
        short_text = "；".join(
            f"{line.model_code} × {plain(quantity)}" for line, quantity in short
        )
        record_event(
            order=order,
            type_=types.CUSTOMER_RECEIVED,
            user=actor,
            reason=note,
            parameters={
                "shipment": shipment.number,
                "signed_by": signed_by,
                "signed_on": signed_on.isoformat(),
                "lines": _line_parameters(
                    [(row.line, got[row.pk]) for row in shipment_lines]
                ),
                "short": short_text,
            },
        )
        bump(order)
        if short or note:
            _tell_about_shortfall(order, shipment, note, receipt.quality_matter)
        deliver_if_complete(actor=actor, order=order, shipment=shipment)
    record_result(submission, shipment.get_absolute_url())
    return receipt


def _tell_about_shortfall(order, shipment, note, quality_matter: bool) -> None:
    notify(
        users=[order.salesperson_id],
        message=_(
            "Order %(number)s: the customer's receipt of %(shipment)s notes a "
            "shortfall or damage: %(note)s"
        )
        % {"number": order.number, "shipment": shipment.number, "note": note},
        link=shipment.get_absolute_url(),
        kind="delivery_shortfall",
    )
    if quality_matter:
        notify(
            users=_users_holding("orders.pass_inspection"),
            message=_(
                "Order %(number)s: the customer reports a quality problem with "
                "%(shipment)s — review it as a nonconformance: %(note)s"
            )
            % {"number": order.number, "shipment": shipment.number, "note": note},
            link=shipment.get_absolute_url(),
            kind="customer_nonconformance",
        )


# --- a shortfall agreed with the customer -------------------------------------------------


@transaction.atomic
def shortfall_close(
    *,
    actor,
    order,
    line_id,
    reason: str,
    agreed_by: str,
    version=None,
    form_token=None,
) -> ShortfallClosure:
    """What the customer will not receive of a line — all that is still
    outstanding — closed with the reason agreed with them (and who agreed)."""
    _require(actor, "delivery.manage")
    submission = claim_token(form_token, actor)
    order = lock_order(order, version)
    action_require(action=actions.CLOSE_SHORTFALL, order=order)
    _in_warehouse_stage(order)
    errors: dict = {}
    reason = _plain_text(errors, "reason", reason, 2000)
    agreed_by = _plain_text(errors, "agreed_by", agreed_by, 64)
    if not reason and "reason" not in errors:
        errors["reason"] = [_("Please give the reason agreed with the customer.")]
    if not agreed_by and "agreed_by" not in errors:
        errors["agreed_by"] = [_("Name who agreed at the customer.")]
    try:
        line_id = int(line_id)
    except (TypeError, ValueError):
        line_id = None
    lines = lock_lines([line_id] if line_id else [])
    row = next(
        (
            f
            for f in line_figures(order, order.lines.order_by("position"))
            if f.line.pk == line_id
        ),
        None,
    )
    if row is None or line_id not in lines:
        errors["line"] = [_("Choose a line of this order.")]
    elif row.outstanding <= 0:
        errors["line"] = [_("Nothing of this line is outstanding.")]
    elif row.on_hand > 0 or _in_transit(order, line_id) > 0:
        errors["line"] = [
            _(
                "Ship what is in stock and record the receipts first: a shortfall "
                "closes only what will not come."
            )
        ]
    if errors:
        raise ValidationError(errors)
    closure = ShortfallClosure.objects.create(
        order=order,
        line=row.line,
        quantity=row.outstanding,
        reason=reason,
        agreed_by=agreed_by,
        closed_by=actor,
    )
    record_event(
        order=order,
        type_=types.SHORTFALL_CLOSED,
        user=actor,
        reason=reason,
        parameters={
            "lines": _line_parameters([(row.line, closure.quantity)]),
            "agreed_by": agreed_by,
        },
    )
    bump(order)
    deliver_if_complete(actor=actor, order=order)
    record_result(submission, order.get_absolute_url())
    return closure


def _in_transit(order, line_id) -> Decimal:
    """Shipped of the line and not yet signed for (no 回单 yet)."""
    from django.db.models import Sum

    return (
        ShipmentLine.objects.filter(
            shipment__order=order,
            line_id=line_id,
            shipment__status=Shipment.Status.SHIPPED,
        ).aggregate(q=Sum("quantity"))["q"]
        or ZERO
    )


# --- the move: delivered -----------------------------------------------------------------


def delivery_refusal(order):
    """The precondition of `delivered`: every line's ordered quantity received by
    the customer, or the rest closed short with the customer's agreement."""
    left = [f for f in line_figures(order) if f.outstanding > 0]
    if not left:
        return None
    return _("Not yet received by the customer: %(what)s.") % {
        "what": "；".join(f"{f.line.model_code} × {plain(f.outstanding)}" for f in left)
    }


def deliver_if_complete(*, actor, order, shipment=None) -> bool:
    """Move the order on when the receipt or the closure just written completes
    it (made for the actor whose record completed it)."""
    if order.stage != Stage.DELIVERY or delivery_refusal(order):
        return False
    order_advance(
        actor=actor,
        order=order,
        move=MOVE,
        app=APP,
        automatic=True,
        parameters={"shipment": shipment.number} if shipment else {},
    )
    return True


# --- 交期变更确认: a new date agreed with the customer --------------------------------------


AGREEMENT_FILES = {
    "pdf": {"pdf"},
    "png": {"png"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "doc": {"doc"},
    "docx": {"docx", "zip"},
}


@transaction.atomic
def date_agree(
    *,
    actor,
    order,
    new_date: date | None,
    agreed_by: str,
    agreed_on: date | None,
    reason: str,
    uploaded=None,
    version=None,
    form_token=None,
) -> DateAgreement:
    """The salesperson records the customer's agreement to a new delivery date:
    it becomes the order's promised date shown to all; the review keeps the date
    first committed, which lateness counts against."""
    _require(actor, "delivery.agree_date", order)
    submission = claim_token(form_token, actor)
    order = lock_order(order, version)
    action_require(action=actions.AGREE_DATE, order=order)
    if order.stage not in DATE_STAGES or order.promised_date is None:
        raise InvalidMove(
            _(
                "A new date is agreed once a date is promised, until the order is delivered."
            )
        )
    errors: dict = {}
    agreed_by = _plain_text(errors, "agreed_by", agreed_by, 64)
    reason = _plain_text(errors, "reason", reason, 2000)
    today = timezone.localdate()
    if not agreed_by and "agreed_by" not in errors:
        errors["agreed_by"] = [_("Name who agreed at the customer.")]
    if not reason and "reason" not in errors:
        errors["reason"] = [_("Please give the reason.")]
    if new_date is None:
        errors["new_date"] = [_("Give the new date the customer agreed to.")]
    elif new_date < today:
        errors["new_date"] = [_("The agreed date cannot be in the past.")]
    elif new_date == order.promised_date:
        errors["new_date"] = [_("This is already the promised date.")]
    else:
        check_within(_span(order), errors, new_date=new_date)
    if agreed_on is None:
        errors["agreed_on"] = [_("Give the date the customer agreed.")]
    elif agreed_on > today:
        errors["agreed_on"] = [
            _("The date the customer agreed cannot be in the future.")
        ]
    content_type = ""
    if uploaded is not None:
        content_type, problems = upload_problems(uploaded, AGREEMENT_FILES)
        if problems:
            errors["file"] = problems
    if errors:
        raise ValidationError(errors)
    agreement = DateAgreement(
        order=order,
        old_date=order.promised_date,
        new_date=new_date,
        agreed_by=agreed_by,
        agreed_on=agreed_on,
        reason=reason,
        recorded_by=actor,
    )
    with discarded_on_failure(agreement):
        if uploaded is not None:
            keep_upload(agreement, uploaded, content_type)
        agreement.save()
        record_event(
            order=order,
            type_=types.DATE_AGREED,
            user=actor,
            reason=reason,
            parameters={
                "old_date": order.promised_date.isoformat(),
                "new_date": new_date.isoformat(),
                "agreed_by": agreed_by,
                "agreed_on": agreed_on.isoformat(),
            },
        )
        order.promised_date = new_date
        bump(order, "promised_date")
    record_result(submission, order.get_absolute_url())
    return agreement
