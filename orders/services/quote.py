"""Quotes (报价单): versions kept, the general manager's approval locks one, and the
customer's acceptance of an unexpired approved quote moves the order to contract."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import may

from .. import events
from ..authority import acting_for
from ..concurrency import bump, lock_order
from ..exceptions import InvalidMove, PermissionDenied, ValidationError
from ..lines import LineInput, line_problems, price
from ..models import Order, OrderEvent, Quote, QuoteLine
from ..stages import Stage
from ..workflow import order_move
from .order import _claim_token, _record_result, _require, number_next

Status = Quote.Status


# A quote line as the services take it: tax basis and rate are the quote's.
QuoteLineData = LineInput


def _quote_number(today: date) -> str:
    yyyymm = today.strftime("%Y%m")
    return f"BJ-{yyyymm}-{number_next(key=f'quote:{yyyymm}'):05d}"


def _as_quoted(lines, prices_include_tax, vat_rate) -> list[LineInput]:
    """The lines at the quote's own tax basis and rate."""
    return [
        replace(x, price_includes_tax=prices_include_tax, vat_rate=vat_rate or 0)
        for x in lines
    ]


def _validate(
    lines,
    *,
    prices_include_tax,
    vat_rate,
    discount_percent,
    lead_time_days,
    payment_terms,
    valid_until,
):
    errors = {}
    if not lines:
        errors["lines"] = [_("A quote needs at least one line.")]
    else:
        problems = line_problems(_as_quoted(lines, prices_include_tax, vat_rate))
        if problems:
            errors["lines"] = problems
    if vat_rate is None or not (0 <= Decimal(vat_rate) < 1):
        errors["vat_rate"] = _("The VAT rate must be between 0 % and 99 %.")
    if discount_percent is None or not (0 <= Decimal(discount_percent) <= 100):
        errors["discount_percent"] = _("Enter a percentage between 0 and 100.")
    if not lead_time_days or int(lead_time_days) <= 0:
        errors["lead_time_days"] = _("The lead time must be at least 1 day.")
    if not (payment_terms or "").strip():
        errors["payment_terms"] = _("Give the payment terms.")
    if not valid_until:
        errors["valid_until"] = _("Give the date the quote is valid until.")
    elif valid_until < timezone.localdate():
        errors["valid_until"] = _("The quote would already have expired.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def quote_save(
    *,
    actor,
    order: Order,
    lines: list[QuoteLineData],
    prices_include_tax: bool,
    vat_rate,
    discount_percent,
    lead_time_days: int,
    payment_terms: str,
    valid_until: date,
    note: str = "",
    form_token=None,
) -> Quote:
    """Record a new version of the order's quote (earlier versions are kept; one that
    was not accepted is marked superseded)."""
    _require(actor, "orders.prepare_quote", order)
    submission = _claim_token(form_token, actor)
    locked = lock_order(order.pk)
    if locked.stage != Stage.QUOTE:
        raise InvalidMove(_("The order is not at the quote stage."))
    _validate(
        lines,
        prices_include_tax=prices_include_tax,
        vat_rate=vat_rate,
        discount_percent=discount_percent,
        lead_time_days=lead_time_days,
        payment_terms=payment_terms,
        valid_until=valid_until,
    )
    version = (locked.quotes.aggregate(v=Max("version"))["v"] or 0) + 1
    replaced = locked.quotes.exclude(status__in=[Status.ACCEPTED, Status.SUPERSEDED])
    superseded = list(replaced.values_list("number", flat=True))
    replaced.update(status=Status.SUPERSEDED)
    quote = Quote(
        order=locked,
        number=f"{_quote_number(timezone.localdate())}",
        version=version,
        prices_include_tax=prices_include_tax,
        vat_rate=Decimal(vat_rate),
        discount_percent=Decimal(discount_percent),
        lead_time_days=int(lead_time_days),
        payment_terms=payment_terms.strip(),
        valid_until=valid_until,
        note=(note or "").strip(),
        prepared_by=actor,
    )
    quote.full_clean(exclude=["order"])
    quote.save()
    priced = price(
        _as_quoted(lines, prices_include_tax, quote.vat_rate),
        discount_percent=discount_percent,
    )
    rows = [
        QuoteLine(
            quote=quote,
            position=position,
            model_code=item.line.model_code.strip(),
            spec=(item.line.spec or "").strip(),
            quantity=item.line.quantity,
            unit=(item.line.unit or "件").strip(),
            unit_price=Decimal(item.line.unit_price),
            net_amount=item.net,
            tax_amount=item.tax,
            gross_amount=item.gross,
        )
        for position, item in enumerate(priced.lines, start=1)
    ]
    for row in rows:
        row.full_clean(exclude=["quote"])
    QuoteLine.objects.bulk_create(rows)
    quote.net_amount, quote.tax_amount, quote.gross_amount = (
        priced.net,
        priced.tax,
        priced.gross,
    )
    quote.save(update_fields=["net_amount", "tax_amount", "gross_amount"])
    bump(locked)
    events.quote_event(
        order=locked,
        user=actor,
        quote=quote,
        type_=OrderEvent.Type.QUOTE_PREPARED,
        superseded=superseded,
    )
    _record_result(submission, locked.get_absolute_url())
    return quote


def _quote_stage(actor, order: Order) -> None:
    if order.stage != Stage.QUOTE:
        raise InvalidMove(_("The order is not at the quote stage."))


def _locked_quote(quote: Quote) -> tuple[Quote, Order]:
    order = lock_order(quote.order_id)
    return Quote.objects.select_for_update().get(pk=quote.pk), order


@transaction.atomic
def quote_submit(*, actor, quote: Quote) -> Quote:
    _require(actor, "orders.prepare_quote", quote.order)
    quote, order = _locked_quote(quote)
    _quote_stage(actor, order)
    if not quote.is_submittable:
        raise InvalidMove(_("This quote has already been submitted."))
    quote.status = Status.SUBMITTED
    quote.submitted_at = timezone.now()
    quote.save(update_fields=["status", "submitted_at"])
    bump(order)
    events.quote_event(
        order=order, user=actor, quote=quote, type_=OrderEvent.Type.QUOTE_SUBMITTED
    )
    return quote


@transaction.atomic
def quote_decide(*, actor, quote: Quote, approve: bool, comment: str = "") -> Quote:
    """The general manager (or stand-in) approves — the quote is locked from then on —
    or sends it back to the quoter with a comment."""
    allowed, principal = acting_for(actor, "orders.approve_order")
    if not allowed or not may(actor, "orders.decide_quote", quote.order):
        raise PermissionDenied(
            _("Only the general manager or their stand-in may approve quotes.")
        )
    quote, order = _locked_quote(quote)
    _quote_stage(actor, order)
    if principal is not None and actor.pk in (
        quote.prepared_by_id,
        order.salesperson_id,
    ):
        raise PermissionDenied(_("A stand-in may not approve their own quote."))
    if not quote.awaits_decision:
        raise InvalidMove(_("This quote is not waiting for approval."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say why the quote goes back.")})
    quote.status = Status.APPROVED if approve else Status.RETURNED
    quote.approved_by = actor if approve else None
    quote.approved_on_behalf_of = principal if approve else None
    quote.approved_at = timezone.now() if approve else None
    quote.decision_comment = comment
    quote.save()
    bump(order)
    events.quote_event(
        order=order,
        user=actor,
        quote=quote,
        reason=comment,
        on_behalf_of=principal,
        type_=OrderEvent.Type.QUOTE_APPROVED
        if approve
        else OrderEvent.Type.QUOTE_RETURNED,
    )
    return quote


@transaction.atomic
def quote_accept(*, actor, quote: Quote, accepted_on: date, how: str) -> Order:
    """The customer accepted: record when and how, then move the order to contract.
    An expired quote cannot be accepted."""
    _require(actor, "orders.accept_quote", quote.order)
    quote, order = _locked_quote(quote)
    if not quote.is_acceptable:
        raise InvalidMove(_("Only an approved quote can be accepted."))
    errors = {}
    today = timezone.localdate()
    if not accepted_on:
        errors["accepted_on"] = _("Give the date the customer accepted.")
    elif accepted_on > today:
        errors["accepted_on"] = _("The acceptance date is in the future.")
    elif accepted_on > quote.valid_until or today > quote.valid_until:
        errors["accepted_on"] = _(
            "The quote expired on %(date)s; make a new version instead."
        ) % {"date": quote.valid_until.isoformat()}
    if how not in Quote.AcceptedHow.values:
        errors["how"] = _("Say how the customer accepted.")
    if errors:
        raise ValidationError(errors)
    quote.status = Status.ACCEPTED
    quote.accepted_on = accepted_on
    quote.accepted_how = how
    quote.accepted_by = actor
    quote.save()
    events.quote_event(
        order=order,
        user=actor,
        quote=quote,
        type_=OrderEvent.Type.QUOTE_ACCEPTED,
        how=quote.accepted_how,
        accepted_on=accepted_on.isoformat(),
    )
    return order_move(order=order, actor=actor, move="quote_accepted")
