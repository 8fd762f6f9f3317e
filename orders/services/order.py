"""Writes. Every business action on an order is one function here: keyword-only
arguments, the actor's permission checked, atomic, an event written. Stage moves go
through orders.workflow.order_move and nothing else."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import may
from notifications.services import notify

from .. import events, registry
from ..concurrency import bump, lock_order
from ..exceptions import (
    InvalidMove,
    PermissionDenied,
    ValidationError,
)
from ..lines import LineInput, line_problems, price
from ..models import (
    ChangeRequest,
    Customer,
    NumberSequence,
    Order,
    OrderAttachment,
    OrderLine,
    Product,
)
from ..stages import IN_PROGRESS, Stage
from ..submissions import claim_token as _claim_token
from ..submissions import record_result as _record_result
from ..uploads import discarded_on_failure, keep_upload, validate_upload
from ..workflow import MOVES, order_move

HEADER_FIELDS = Order.HEADER_FIELDS
LINE_FIELDS = (
    "model_code",
    "spec",
    "quantity",
    "unit",
    "unit_price",
    "price_includes_tax",
    "vat_rate",
)


# The order line as the services take it (orders.lines).
LineData = LineInput


def _require(actor, action: str, obj=None) -> None:
    """The declared rule (orders.permissions): the permission and, given an order,
    the actor's relation to it."""
    if not may(actor, action, obj):
        raise PermissionDenied(
            _("This order is not yours to change.")
            if isinstance(obj, Order) and may(actor, action)
            else _("Your role may not do this.")
        )


# --- numbering ---------------------------------------------------------------------


def number_next(*, key: str) -> int:
    """The next value of a counter, locked for the rest of the transaction so that
    concurrent callers get consecutive, distinct numbers (never reused: orders are never
    deleted and the counter only moves forward)."""
    NumberSequence.objects.bulk_create(
        [NumberSequence(key=key, last=0)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(key=key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def number_block(*, key: str, count: int) -> int:
    """`count` consecutive values of a counter at once (a bulk import's numbers):
    the first of them, the counter locked as number_next locks it."""
    NumberSequence.objects.bulk_create(
        [NumberSequence(key=key, last=0)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(key=key)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return first


def _order_number(today: date, seq: int | None = None) -> str:
    yyyymm = today.strftime("%Y%m")
    if seq is None:
        seq = number_next(key=f"order:{yyyymm}")
    return settings.ORDER_NUMBER_FORMAT.format(yyyymm=yyyymm, seq=seq, date=today)


# --- customers -----------------------------------------------------------------------


CUSTOMER_FIELDS = Customer.EDITABLE


def _same_customer(existing: Customer, wanted: Customer) -> bool:
    return all(
        getattr(existing, name) == getattr(wanted, name) for name in CUSTOMER_FIELDS
    )


@transaction.atomic
def customer_create(*, actor, **data) -> Customer:
    """A new customer from the order form. Saving the same customer twice (a double
    click, two tabs) gives back the one saved first; a different customer under a
    taken name is refused with a message."""
    _require(actor, "orders.add_customer")
    customer = Customer(**data)
    customer.name = (customer.name or "").strip()
    customer.tax_id = (customer.tax_id or "").strip().upper()
    customer.full_clean(validate_unique=False)
    existing = Customer.objects.filter(name=customer.name).first()
    if existing is None:
        try:
            with transaction.atomic():
                customer.save()
            return customer
        except IntegrityError:
            # Saved by a request that ran at the same moment.
            existing = Customer.objects.get(name=customer.name)
    if _same_customer(existing, customer):
        return existing
    raise ValidationError(
        {
            "name": _(
                "A customer named “%(name)s” already exists with other details; "
                "pick it from the list or use another name."
            )
            % {"name": customer.name}
        }
    )


# --- orders --------------------------------------------------------------------------


def _validate_header(data: dict, *, today: date, old_requested: date | None = None):
    errors = {}
    if not data.get("customer"):
        errors["customer"] = _("Please choose or create the customer.")
    requested = data.get("requested_date")
    if not requested:
        errors["requested_date"] = _("Please give the requested delivery date.")
    elif requested < today and requested != old_requested:
        errors["requested_date"] = _("The requested delivery date is in the past.")
    for name in ("deposit_percent", "retention_percent"):
        value = data.get(name)
        if value is not None and not (0 <= Decimal(value) <= 100):
            errors[name] = _("Enter a percentage between 0 and 100.")
    if errors:
        raise ValidationError(errors)


def _validate_lines(lines: list[LineData]):
    if not lines:
        raise ValidationError({"lines": _("An order needs at least one line.")})
    errors = line_problems(lines)
    if errors:
        raise ValidationError({"lines": errors})


def _write_lines(order: Order, lines: list[LineData]) -> None:
    order.lines.all().delete()
    priced = price(lines)
    rows = []
    for position, item in enumerate(priced.lines, start=1):
        line = item.line
        row = OrderLine(
            order=order,
            position=position,
            product=line.product,
            model_code=line.model_code.strip(),
            spec=(line.spec or "").strip(),
            quantity=line.quantity,
            unit=(line.unit or "件").strip(),
            unit_price=line.unit_price,
            price_includes_tax=line.price_includes_tax,
            vat_rate=line.vat_rate,
            net_amount=item.net,
            tax_amount=item.tax,
            gross_amount=item.gross,
        )
        row.full_clean(exclude=["order"])
        rows.append(row)
    OrderLine.objects.bulk_create(rows)
    order.net_amount = priced.net
    order.tax_amount = priced.tax
    order.gross_amount = priced.gross


def _evaluate_credit(order: Order, actor, *, previous_gross: Decimal | None) -> None:
    """Mark an order that takes the customer over the credit limit; finance must then
    approve it before it can go further. An approval stands while the amount does not
    grow."""
    limit = order.customer.credit_limit
    if limit is None:
        order.credit = Order.Credit.WITHIN
        return
    others = Order.objects.filter(
        customer=order.customer, stage__in=IN_PROGRESS
    ).exclude(pk=order.pk).aggregate(total=Sum("gross_amount"))["total"] or Decimal(0)
    exposure = others + order.gross_amount
    if exposure <= limit:
        order.credit = Order.Credit.WITHIN
        return
    still_approved = (
        order.credit == Order.Credit.APPROVED
        and previous_gross is not None
        and order.gross_amount <= previous_gross
    )
    if not still_approved:
        if order.credit != Order.Credit.PENDING:
            events.credit_flagged(
                order=order, user=actor, exposure=exposure, limit=limit
            )
        order.credit = Order.Credit.PENDING


@transaction.atomic
def order_create(
    *, actor, lines: list[LineData], form_token=None, copied_from=None, **header
) -> Order:
    """Enter a draft order; it gets its number now (编号记录)."""
    _require(actor, "orders.create_order")
    submission = _claim_token(form_token, actor)
    today = timezone.localdate()
    _validate_header(header, today=today)
    _validate_lines(lines)
    order = Order(
        number=_order_number(today),
        salesperson=actor,
        sales_department=actor.department,
        created_by=actor,
        order_date=today,
        copied_from=copied_from,
        **{name: header[name] for name in HEADER_FIELDS if name in header},
    )
    order.full_clean(exclude=["number"])
    order.save()
    _write_lines(order, lines)
    events.order_created(order=order, user=actor, copied_from=copied_from)
    _evaluate_credit(order, actor, previous_gross=None)
    order.save(update_fields=["net_amount", "tax_amount", "gross_amount", "credit"])
    _record_result(submission, order.get_absolute_url())
    return order


# --- the same rules for many orders at once (an import) --------------------------------


def order_problems(
    header: dict,
    lines: list[LineData],
    *,
    old_requested: date | None = None,
    new: bool = True,
) -> dict:
    """What order_create / order_update would refuse in an order as given, without
    writing: {field: message} for the header (the rules above, then the model's
    own field checks) and "lines": [message, …] — the import's preview asks this,
    so the import and the form keep one rulebook."""
    problems: dict = {}
    try:
        _validate_header(
            header, today=timezone.localdate(), old_requested=old_requested
        )
    except ValidationError as exc:
        problems.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    given = {name: header[name] for name in HEADER_FIELDS if name in header}
    given.pop("customer", None)
    order = Order(order_date=timezone.localdate(), **given)
    # a new order: every field the service does not fill itself; an edit: the
    # fields it changes
    if new:
        exclude = [f.name for f in Order._meta.fields if f.is_relation] + ["number"]
    else:
        exclude = [f.name for f in Order._meta.fields if f.name not in given]
    try:
        order.clean_fields(exclude=exclude)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            problems.setdefault(name, " ".join(messages))
    found = line_problems(lines) if lines else []
    if not lines:
        found = [_("An order needs at least one line.")]
    if found:
        problems["lines"] = found
    return problems


def line_problems_of(lines: list[LineData]) -> list:
    """orders' rules for priced lines (the model, the quantity, the price, the VAT
    rate, the amounts the database keeps), in words, lines numbered from 1."""
    return line_problems(lines)


@transaction.atomic
def orders_import(
    *, actor, orders: list[tuple[dict, list[LineData]]], source: str
) -> list[Order]:
    """Many new drafts at once — order_create's rules and history line ("imported
    from <file>"), with the writes in bulk: one block of numbers, the orders, their
    lines and their events each in one insert, the customers' credit exposure read
    once. Any order the rules refuse refuses them all (ValidationError)."""
    _require(actor, "orders.create_order")
    today = timezone.localdate()
    for header, lines in orders:
        _validate_header(header, today=today)
        _validate_lines(lines)
    if not orders:
        return []
    yyyymm = today.strftime("%Y%m")
    first = number_block(key=f"order:{yyyymm}", count=len(orders))
    customer_ids = {header["customer"].pk for header, _lines in orders}
    exposure = dict(
        Order.objects.filter(customer_id__in=customer_ids, stage__in=IN_PROGRESS)
        .values_list("customer")
        .annotate(total=Sum("gross_amount"))
        .values_list("customer", "total")
    )
    built, priced_lines, flagged = [], [], []
    # The model's checks of what came in (the header, each line's input); what
    # the service fills itself (the number, the dates, the amounts, checked by
    # line_problems against what the database keeps) needs none.
    not_given = [f.name for f in Order._meta.fields if f.name not in HEADER_FIELDS]
    not_given.append("customer")
    line_input = {"model_code", "spec", "quantity", "unit", "unit_price", "vat_rate"}
    line_rest = [f.name for f in OrderLine._meta.fields if f.name not in line_input]
    for offset, (header, lines) in enumerate(orders):
        order = Order(
            number=_order_number(today, first + offset),
            salesperson=actor,
            sales_department=actor.department,
            created_by=actor,
            order_date=today,
            **{name: header[name] for name in HEADER_FIELDS if name in header},
        )
        order.clean_fields(exclude=not_given)
        priced = price(lines)
        order.net_amount, order.tax_amount = priced.net, priced.tax
        order.gross_amount = priced.gross
        limit = order.customer.credit_limit
        if limit is not None:
            total = exposure.get(order.customer_id) or Decimal(0)
            if total + order.gross_amount > limit:
                order.credit = Order.Credit.PENDING
                flagged.append((order, total + order.gross_amount, limit))
        built.append(order)
        priced_lines.append(priced)
    Order.objects.bulk_create(built)
    rows = []
    for order, priced in zip(built, priced_lines, strict=True):
        for position, item in enumerate(priced.lines, start=1):
            line = item.line
            row = OrderLine(
                order=order,
                position=position,
                product=line.product,
                model_code=line.model_code.strip(),
                spec=(line.spec or "").strip(),
                quantity=line.quantity,
                unit=(line.unit or "件").strip(),
                unit_price=line.unit_price,
                price_includes_tax=line.price_includes_tax,
                vat_rate=line.vat_rate,
                net_amount=item.net,
                tax_amount=item.tax,
                gross_amount=item.gross,
            )
            row.clean_fields(exclude=line_rest)
            rows.append(row)
    OrderLine.objects.bulk_create(rows, batch_size=2000)
    events.orders_imported(orders=built, user=actor, source=source)
    for order, total, limit in flagged:
        events.credit_flagged(order=order, user=actor, exposure=total, limit=limit)
    return built


def _snapshot(order: Order) -> dict:
    header = {name: _plain(getattr(order, name)) for name in HEADER_FIELDS}
    header["customer"] = order.customer_id
    lines = [
        {name: _plain(getattr(line, name)) for name in LINE_FIELDS}
        for line in order.lines.all()
    ]
    return {"header": header, "lines": lines}


def _plain(value):
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f")
            if value == value.to_integral()
            else str(value.normalize())
        )
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _diff(before: dict, after: dict, customers: dict | None = None) -> list[dict]:
    """old → new, field by field and line by line."""
    changes = []
    for name in HEADER_FIELDS:
        old, new = before["header"].get(name), after["header"].get(name)
        if old != new:
            if name == "customer" and customers:
                old, new = customers.get(old, old), customers.get(new, new)
            changes.append({"field": name, "old": old, "new": new})
    old_lines, new_lines = before["lines"], after["lines"]
    for index in range(max(len(old_lines), len(new_lines))):
        old = old_lines[index] if index < len(old_lines) else None
        new = new_lines[index] if index < len(new_lines) else None
        if old is None:
            changes.append(
                {
                    "field": "model_code",
                    "line": index + 1,
                    "old": None,
                    "new": f"{new['model_code']} × {new['quantity']}",
                }
            )
        elif new is None:
            changes.append(
                {
                    "field": "model_code",
                    "line": index + 1,
                    "old": f"{old['model_code']} × {old['quantity']}",
                    "new": None,
                }
            )
        else:
            for name in LINE_FIELDS:
                if old.get(name) != new.get(name):
                    changes.append(
                        {
                            "field": name,
                            "line": index + 1,
                            "old": old.get(name),
                            "new": new.get(name),
                        }
                    )
    return changes


def _locked_for_edit(order: Order, actor, version) -> Order:
    _require(actor, "orders.edit_order", order)
    return lock_order(
        order,
        version,
        related=("customer",),
        message=_(
            "Someone else saved this order after you opened it. Nothing of yours "
            "was saved; here is what changed:"
        ),
    )


@transaction.atomic
def order_update(
    *,
    actor,
    order: Order,
    version: int,
    lines: list[LineData],
    form_token=None,
    imported_from: str = "",
    **header,
) -> Order:
    """Edit a draft. Submitted orders change only through a change request. An
    import names its file (`imported_from`) in the history line."""
    submission = _claim_token(form_token, actor)
    locked = _locked_for_edit(order, actor, version)
    if locked.stage != Stage.DRAFT:
        raise InvalidMove(
            _("Only drafts can be edited; enter a change request instead.")
        )
    _validate_header(
        header, today=timezone.localdate(), old_requested=locked.requested_date
    )
    _validate_lines(lines)
    before = _snapshot(locked)
    previous_gross = locked.gross_amount
    for name in HEADER_FIELDS:
        if name in header:
            setattr(locked, name, header[name])
    locked.full_clean()
    _write_lines(locked, lines)
    after = _snapshot(locked)
    changes = _diff(before, after, _customer_names(before, after))
    if not changes:
        _record_result(submission, locked.get_absolute_url())
        return locked
    _evaluate_credit(locked, actor, previous_gross=previous_gross)
    locked.version += 1
    locked.save()
    events.order_edited(
        order=locked, user=actor, changes=changes, imported_from=imported_from
    )
    _record_result(submission, locked.get_absolute_url())
    return locked


def _customer_names(before: dict, after: dict) -> dict:
    ids = {before["header"].get("customer"), after["header"].get("customer")}
    return dict(Customer.objects.filter(pk__in=ids).values_list("pk", "name"))


def lines_of(order: Order) -> list[LineData]:
    return [
        LineData(
            product=line.product,
            **{name: getattr(line, name) for name in LINE_FIELDS},
        )
        for line in order.lines.all()
    ]


@transaction.atomic
def order_copy(*, actor, order: Order, form_token=None) -> Order:
    """Copy as a new draft for repeat business: same customer, lines and terms; the
    requested date is moved forward if it has passed."""
    _require(actor, "orders.copy_order", order)
    header = {name: getattr(order, name) for name in HEADER_FIELDS}
    # the repeat order comes under a PO number of its own (one per order)
    header["customer_po"] = ""
    today = timezone.localdate()
    if header["requested_date"] < today:
        lead = (order.requested_date - order.order_date).days
        header["requested_date"] = today + timedelta(days=max(lead, 1))
    return order_create(
        actor=actor,
        lines=lines_of(order),
        form_token=form_token,
        copied_from=order,
        **header,
    )


def may_attach(user, order: Order) -> bool:
    """Sales on their own orders and the production manager attach files to open
    orders."""
    return order.is_open and may(user, "orders.attach_file", order)


def takes_change_request(order: Order) -> bool:
    """Submitted, open, and no change already pending."""
    return order.stage in IN_PROGRESS and order.stage != Stage.ON_HOLD


@transaction.atomic
def order_attach(*, actor, order: Order, uploaded: UploadedFile) -> OrderAttachment:
    _require(actor, "orders.attach_file", order)
    if not order.is_open:
        raise InvalidMove(_("The order is closed."))
    content_type = validate_upload(uploaded)
    attachment = OrderAttachment(order=order, uploaded_by=actor)
    keep_upload(attachment, uploaded, content_type)
    with discarded_on_failure(attachment):
        attachment.save()
    events.attachment_added(
        order=order, user=actor, name=attachment.original_name, size=attachment.size
    )
    return attachment


def action_require(*, action: str, order: Order, **context) -> None:
    """Before another app performs an action on the order (declared with
    orders.registry.action): refused, with the words of whichever check holds it
    (an order on hold, a payment gate …)."""
    refusal = registry.action_refusal(action, order, **context)
    if refusal:
        raise InvalidMove(refusal)


def order_advance(
    *,
    actor,
    order: Order,
    move: str,
    app: str,
    reason: str = "",
    automatic: bool = False,
    parameters: dict | None = None,
    version: int | None = None,
) -> Order:
    """How another app makes a move it owns (orders.workflow.MOVES[move].app): its
    service calls this once its own record allows the move; the gate checks the
    actor (unless the move is automatic, made for the actor whose action completed
    it), the table and the app's preconditions, and runs its effects."""
    definition = MOVES.get(move)
    if definition is None or definition.app != app:
        raise InvalidMove(
            _("“%(move)s” is not a step of this part of the system.") % {"move": move}
        )
    return order_move(
        order=order,
        actor=actor,
        move=move,
        reason=reason,
        automatic=automatic,
        parameters=parameters,
        version=version,
    )


def order_submit(
    *, actor, order: Order, version: int | None = None, form_token=None
) -> Order:
    return order_move(
        order=order, actor=actor, move="submit", version=version, form_token=form_token
    )


@transaction.atomic
def order_credit_approve(*, actor, order: Order, reason: str) -> Order:
    _require(actor, "orders.approve_credit")
    locked = lock_order(order.pk)
    if locked.credit != Order.Credit.PENDING:
        raise InvalidMove(_("This order is not waiting for a credit approval."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give the reason.")})
    locked.credit = Order.Credit.APPROVED
    bump(locked, "credit")
    events.credit_approved(order=locked, user=actor, reason=reason.strip())
    return locked


def order_cancel(
    *,
    actor,
    order: Order,
    reason: str,
    loss_measures: str,
    version: int | None = None,
    form_token=None,
) -> Order:
    """Cancel (终止) with the reason and what was done to limit the loss; change
    requests still waiting are closed by the move itself (orders.moves)."""
    return order_move(
        order=order,
        actor=actor,
        move="cancel",
        reason=reason,
        version=version,
        form_token=form_token,
        fields={"loss_measures": loss_measures},
    )


# --- change requests -------------------------------------------------------------------


@transaction.atomic
def change_request_create(
    *,
    actor,
    order: Order,
    version: int,
    reason: str,
    lines: list[LineData],
    form_token=None,
    **header,
) -> ChangeRequest:
    """Record a customer's change, old → new, and hold the order while it waits."""
    _require(actor, "orders.request_change", order)
    submission = _claim_token(form_token, actor)
    locked = lock_order(order, version, related=("customer",))
    if not takes_change_request(locked):
        raise InvalidMove(
            _(
                "A change request can be entered only for a submitted, open order "
                "that has no change pending."
            )
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give the customer's reason.")})
    merged = {name: getattr(locked, name) for name in HEADER_FIELDS}
    merged.update(header)
    _validate_header(
        merged, today=timezone.localdate(), old_requested=locked.requested_date
    )
    _validate_lines(lines)
    before = _snapshot(locked)
    proposed = {
        "header": {name: _plain(merged[name]) for name in HEADER_FIELDS},
        "lines": [
            {name: _plain(getattr(line, name)) for name in LINE_FIELDS}
            | {"product": line.product.pk if line.product else None}
            for line in lines
        ],
    }
    changes = _diff(before, proposed, _customer_names(before, proposed))
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    amount_after = price(lines).gross
    change = ChangeRequest(
        order=locked,
        reason=reason.strip(),
        proposed=proposed,
        changes=changes,
        amount_before=locked.gross_amount,
        amount_after=amount_after,
        needs_gm=abs(amount_after - locked.gross_amount)
        > Decimal(settings.ORDER_CHANGE_GM_APPROVAL_AMOUNT),
        requested_by=actor,
    )
    change.full_clean(exclude=["order"])
    change.save()
    events.change_requested(order=locked, user=actor, change_request=change)
    order_move(
        order=locked,
        actor=actor,
        move="hold",
        reason=reason.strip(),
        parameters={"change_request": change.pk},
    )
    _record_result(submission, locked.get_absolute_url())
    return change


@transaction.atomic
def change_request_approve(
    *, actor, change: ChangeRequest, comment: str = ""
) -> ChangeRequest:
    """The production manager approves; over the limit the GM approves after. The last
    approval applies the change and resumes the order where it was."""
    locked = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    now = timezone.now()
    _require(actor, "orders.decide_change", locked)
    if locked.status == ChangeRequest.Status.PENDING:
        locked.manager_approved_by, locked.manager_approved_at = actor, now
        locked.status = (
            ChangeRequest.Status.AWAITING_GM
            if locked.needs_gm
            else ChangeRequest.Status.APPLIED
        )
    elif locked.status == ChangeRequest.Status.AWAITING_GM:
        locked.gm_approved_by, locked.gm_approved_at = actor, now
        locked.status = ChangeRequest.Status.APPLIED
    else:
        raise InvalidMove(_("This change request has already been decided."))
    locked.decided_comment = (comment or "").strip()
    locked.save()
    order = lock_order(locked.order_id)
    events.change_approved(
        order=order, user=actor, change_request=locked, comment=locked.decided_comment
    )
    if locked.status == ChangeRequest.Status.APPLIED:
        _apply_change(order, locked, actor)
        _tell_requester(locked, order, _("approved and applied"))
    return locked


def _tell_requester(change: ChangeRequest, order: Order, outcome) -> None:
    notify(
        users=[change.requested_by_id],
        message=_("Change request on order %(number)s %(outcome)s.")
        % {"number": order.number, "outcome": outcome},
        link=order.get_absolute_url() + "#changes",
        kind="change_decided",
    )


def _apply_change(order: Order, change: ChangeRequest, actor) -> None:
    header = dict(change.proposed["header"])
    header["customer"] = Customer.objects.get(pk=header["customer"])
    header["requested_date"] = date.fromisoformat(header["requested_date"])
    for name in ("deposit_percent", "retention_percent"):
        header[name] = Decimal(str(header[name]))
    for name in HEADER_FIELDS:
        setattr(order, name, header[name])
    products = Product.objects.in_bulk(
        [x["product"] for x in change.proposed["lines"] if x.get("product")]
    )
    lines = [
        LineData(
            model_code=x["model_code"],
            spec=x["spec"],
            quantity=Decimal(str(x["quantity"])),
            unit=x["unit"],
            unit_price=Decimal(str(x["unit_price"])),
            price_includes_tax=x["price_includes_tax"],
            vat_rate=Decimal(str(x["vat_rate"])),
            product=products.get(x.get("product")),
        )
        for x in change.proposed["lines"]
    ]
    _write_lines(order, lines)
    order.version += 1
    order.save()
    events.change_applied(order=order, user=actor, change_request=change)
    order_move(
        order=order,
        actor=actor,
        move="resume",
        automatic=True,
        parameters={"change_request": change.pk},
    )


@transaction.atomic
def change_request_reject(
    *, actor, change: ChangeRequest, comment: str
) -> ChangeRequest:
    locked = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    _require(actor, "orders.decide_change", locked)
    if not locked.is_open:
        raise InvalidMove(_("This change request has already been decided."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Please say why it is rejected.")})
    locked.status = ChangeRequest.Status.REJECTED
    locked.decided_comment = comment.strip()
    locked.save(update_fields=["status", "decided_comment"])
    order = lock_order(locked.order_id)
    events.change_rejected(
        order=order, user=actor, change_request=locked, comment=locked.decided_comment
    )
    order_move(
        order=order,
        actor=actor,
        move="resume",
        automatic=True,
        parameters={"change_request": locked.pk},
    )
    _tell_requester(
        locked, order, _("rejected: %(why)s") % {"why": locked.decided_comment}
    )
    return locked
