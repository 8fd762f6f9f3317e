"""What the order's pages show and offer: each page's or section's context, from the
selectors' data, the declared rules (who may) and the services' own predicates (what
the order allows now). Views render these; templates show them; nothing here writes.

orders' own sections of the order page are registered as panels like any app's
(orders.registry): the review with the GM's approval and the quotes, and the
contract with the drawings.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from accounts.permissions import may
from accounts.workdays import get_calendar, uncovered_years_warning

from . import history, registry, selectors, services
from .authority import acting_for
from .forms import (
    ApprovalForm,
    AttachmentForm,
    CancelForm,
    ConcludeForm,
    ContractForm,
    DecisionForm,
    DrawingForm,
    QuoteAcceptForm,
    ReasonForm,
    RequirementsForm,
    ReviewOpenForm,
    SignoffForm,
)
from .history import change_rows
from .models import Order
from .money import plain
from .presenters import approval_reasons, payment_terms_text
from .selectors.contract import accepted_quote_of, contract_of
from .selectors.drawing import drawings_of, requirements_of
from .selectors.review import compare_quotes, quotes_for, review_for
from .stages import Stage
from .submissions import new_form_token
from .workflow import moves_from

# --- the order page -------------------------------------------------------------------


def order_page(order: Order, user) -> dict:
    """Everything the order page shows, with what this user may do on it now."""
    buttons = [
        m for m in moves_from(order.stage) if m.button and m.permits(user, order)
    ]
    calendar = get_calendar()
    tracker = selectors.stage_tracker(order, calendar, registry.due_items_for(order))
    return {
        "order": order,
        "tracker": tracker,
        "calendar_warning": uncovered_years_warning(
            calendar, order.promised_date, *(row.due_date for row in tracker)
        ),
        "buttons": buttons,
        "payment_terms": payment_terms_text(order),
        **history_window(order.latest_events, settings.ORDER_PAGE_EVENTS),
        **lines_window(order.first_lines, settings.ORDER_PAGE_LINES),
        "changes": [(c, change_rows(c.changes)) for c in order.change_requests.all()],
        "open_change": next(
            (c for c in order.change_requests.all() if c.is_open), None
        ),
        "can_edit": order.stage == Stage.DRAFT
        and may(user, "orders.edit_order", order),
        "can_attach": services.may_attach(user, order),
        "can_change": may(user, "orders.request_change", order)
        and services.takes_change_request(order),
        "can_copy": may(user, "orders.copy_order", order),
        "can_approve_credit": order.credit == Order.Credit.PENDING
        and may(user, "orders.approve_credit", order),
        "cancel_form": CancelForm(initial={"version": order.version}),
        "reason_form": ReasonForm(initial={"version": order.version}),
        "attachment_form": AttachmentForm(),
        "decision_form": DecisionForm(),
        "copy_token": new_form_token(),
        "panels": registry.render_panels(registry.ORDER_PAGE, order, user),
    }


def history_window(newest_first: list, size: int) -> dict:
    """Up to `size` events (given newest first, one more than shown when there are
    earlier ones), oldest first as the history reads, and the event to load the
    earlier ones before."""
    shown = newest_first[:size]
    return {
        "history": history.history(reversed(shown)),
        "earlier_than": shown[-1].pk if len(newest_first) > size else None,
    }


def lines_window(lines: list, size: int) -> dict:
    """Up to `size` lines (given one more when there are others), and the position
    to load the next ones after."""
    shown = lines[:size]
    return {
        "lines": shown,
        "lines_after": shown[-1].position if len(lines) > size else None,
    }


def _unsigned_row_of(user, order, review):
    """The reviewer's own department's row, while it waits for their signature."""
    if review is None or review.is_concluded or order.stage != Stage.REVIEW:
        return None
    return next(
        (
            row
            for row in review.signoffs.all()
            if not row.is_signed and may(user, "orders.sign_review", row)
        ),
        None,
    )


def review_panel(order: Order, user) -> dict:
    """The review, GM approval and quote sections of the order page."""
    review = review_for(order)
    quotes = quotes_for(order)
    may_approve, on_behalf_of = acting_for(user, "orders.approve_order")
    gap = None
    if order.promised_date and order.requested_date:
        gap = (order.promised_date - order.requested_date).days
    return {
        "review": review,
        "quotes": quotes,
        "quote_comparison": compare_quotes(quotes) if len(quotes) > 1 else [],
        "promised_gap": gap,
        "can_open_review": order.stage == Stage.REVIEW
        and review is None
        and may(user, "orders.open_review", order),
        "can_gm_approve": order.stage == Stage.APPROVAL and may_approve,
        "my_unsigned_row": _unsigned_row_of(user, order, review),
        "approval_reasons": approval_reasons(order, review),
        "approving_for": on_behalf_of,
        "can_quote": order.stage == Stage.QUOTE
        and may(user, "orders.prepare_quote", order),
        "can_decide_quote": may_approve and order.stage == Stage.QUOTE,
        "can_accept_quote": order.stage == Stage.QUOTE
        and may(user, "orders.accept_quote", order),
        "accept_form": QuoteAcceptForm(),
        "approval_form": ApprovalForm(),
    }


def technical_panel(order: Order, user) -> dict:
    """The contract and drawings sections: four queries (the contract, the accepted
    quote, the drawings, the key requirements)."""
    contract = contract_of(order)
    accepted = accepted_quote_of(order)
    drawings = drawings_of(order)
    quality, process = requirements_of(order)
    newest = drawings[0] if drawings else None
    issued = [d for d in drawings if d.is_issued]

    technical = may(user, "orders.manage_drawings", order)
    drawings_open = technical and services.drawings_open(order, issued=bool(issued))
    can_record = (
        order.stage == Stage.CONTRACT
        and contract is None
        and may(user, "orders.record_contract", order)
    )
    return {
        "contract": contract,
        "accepted_quote": accepted,
        "contract_differs": bool(
            contract and accepted and contract.amount != accepted.gross_amount
        ),
        "awaiting_contract": order.stage == Stage.CONTRACT and contract is None,
        "can_record_contract": can_record,
        # auto_id: the order page holds other forms with a "file" field
        "contract_form": ContractForm(
            auto_id="contract_%s",
            initial={
                "amount": accepted.gross_amount if accepted else None,
                "signed_on": timezone.localdate(),
            },
        )
        if can_record
        else None,
        "drawings": drawings,
        "quality_requirements": quality,
        "process_requirements": process,
        "can_manage_drawings": drawings_open,
        "can_issue_drawings": drawings_open
        and newest is not None
        and newest.issued_at is None
        and newest.recalled_at is None,
        "can_recall_drawings": technical and bool(issued),
        "drawing_form": DrawingForm(auto_id="drawing_%s") if drawings_open else None,
        "requirements_form": RequirementsForm(
            auto_id="requirements_%s",
            initial={
                "quality": "\n".join(r.text for r in quality),
                "process": "\n".join(r.text for r in process),
            },
        )
        if drawings_open
        else None,
        "show_drawings": bool(drawings or quality or process) or drawings_open,
    }


# --- the contract review sheet ---------------------------------------------------------


def _calendar_warning(order, review) -> str:
    """The warning above a sheet whose dates (those its conclusion fixed, or those a
    conclusion today would fix) reach into a year the calendar does not cover."""
    if review is None:
        return ""
    calendar = get_calendar()
    if review.is_concluded:
        concluded_on = review.concluded_at and timezone.localdate(review.concluded_at)
        return uncovered_years_warning(calendar, concluded_on, review.promised_date)
    if order.stage != Stage.REVIEW:
        return ""
    today = timezone.localdate()
    schedule = services.promise_schedule(
        start=today, days=services.committed_days(review), calendar=calendar
    )
    return uncovered_years_warning(calendar, today, schedule.promised_date)


def review_sheet(order: Order, user, **forms) -> dict:
    """The contract review sheet page: the sheet, the reviewer's row to sign, the
    conclusion, the GM's approval and the panels apps add; `forms` are bound forms
    shown again with their errors."""
    from accounts.models import Department

    review = review_for(order)
    mine = None
    if review is not None and not review.is_concluded:
        mine = next(
            (s for s in review.signoffs.all() if may(user, "orders.sign_review", s)),
            None,
        )
    can_open = (
        review is None
        and order.stage == Stage.REVIEW
        and may(user, "orders.open_review", order)
    )
    open_form = forms.get("open_form")
    if can_open and open_form is None:
        # Only an order without a sheet needs the department picker.
        open_form = ReviewOpenForm(
            departments=Department.objects.filter(kind="office").order_by("sort_order"),
            initial={"departments": services.default_review_departments(order)},
        )
    suggest = services.suggests_conditions(order)
    sign_form = forms.get("sign_form")
    if sign_form is None and mine is not None:
        sign_form = SignoffForm(
            initial={
                "content": mine.content,
                "days_needed": mine.days_needed,
                "risks": mine.risks,
                "opinion": mine.opinion or "agree",
                "resources_ok": "yes" if mine.resources_ok in (None, True) else "no",
            }
        )
    return {
        "order": order,
        "review": review,
        "lines": list(order.lines.all()),
        "my_row": mine,
        "sign_form": sign_form,
        "can_open": can_open,
        "open_form": open_form,
        "can_conclude": review is not None
        and not review.is_concluded
        and order.stage == Stage.REVIEW
        and may(user, "orders.conclude_review", order),
        "all_signed": review is not None
        and all(s.is_signed for s in review.signoffs.all()),
        "conclude_form": forms.get("conclude_form")
        or ConcludeForm(initial={"conclusion": "conditional" if suggest else "accept"}),
        "suggest_conditions": suggest,
        "can_gm_approve": order.stage == Stage.APPROVAL
        and may(user, "orders.approve_order", order),
        "approval_form": ApprovalForm(),
        "approval_reasons": approval_reasons(order, review),
        "calendar_warning": _calendar_warning(order, review),
        "panels": registry.render_panels(registry.REVIEW_SHEET, order, user),
    }


def line_quantities_panel(order: Order, user) -> dict | None:
    """Each line from ordered onwards, with the quantities every app reports for it
    (orders.registry.line_quantity_source): the order page knows no app. The lines
    the page shows (its first window)."""
    columns = registry.line_columns()
    if not columns:
        return None
    figures = registry.line_quantities(order)
    if not figures:
        return None
    shown = order.first_lines[: settings.ORDER_PAGE_LINES]
    return {
        "columns": columns,
        "rows": [
            (
                line,
                [(c.code, figures.get(line.pk, {}).get(c.code, 0)) for c in columns],
            )
            for line in shown
        ],
        "more": len(order.first_lines) > settings.ORDER_PAGE_LINES,
        "shown": settings.ORDER_PAGE_LINES,
    }


def register_panels() -> None:
    registry.panel(
        registry.Panel(
            "line_quantities",
            registry.ORDER_PAGE,
            "orders/_line_quantities.html",
            line_quantities_panel,
            position=35,
            app="orders",
        )
    )
    registry.panel(
        registry.Panel(
            "review",
            registry.ORDER_PAGE,
            "orders/_review_section.html",
            review_panel,
            position=10,
            app="orders",
        )
    )
    registry.panel(
        registry.Panel(
            "technical",
            registry.ORDER_PAGE,
            "orders/_technical_panel.html",
            technical_panel,
            position=30,
            app="orders",
        )
    )


# --- the lines being entered ------------------------------------------------------------


def lines_preview(data) -> dict:
    """Each line's amount incl. tax and the totals, for the lines as typed so far
    (a line not yet complete shows "-"); a line whose model is in the catalogue gets
    its empty specification, unit and price filled."""
    from decimal import Decimal, InvalidOperation

    from .forms import LineForm
    from .lines import LineInput, price
    from .models import Product

    try:
        total = min(int(data.get("lines-TOTAL_FORMS", 0)), 300)
    except (TypeError, ValueError):
        total = 0
    prefixes = [f"lines-{i}" for i in range(total)]
    codes = {data.get(f"{p}-model_code", "").strip() for p in prefixes} - {""}
    catalogue = {p.model_code: p for p in Product.objects.filter(model_code__in=codes)}
    rows, valid = [], []
    for prefix in prefixes:
        get = lambda name, p=prefix: (data.get(f"{p}-{name}") or "").strip()  # noqa: E731
        filled = []
        product = catalogue.get(get("model_code"))
        if product is not None and not get("product"):
            form = LineForm(
                prefix=prefix,
                initial={
                    "product": product.pk,
                    "spec": get("spec") or product.spec,
                    "unit": get("unit") or product.unit,
                    "unit_price": get("unit_price") or plain(product.unit_price),
                },
            )
            filled = [
                # filled only while still empty in the browser (static/js/app.js)
                form[name].as_widget(
                    attrs={"hx-swap-oob": "true", "data-fill-if-empty": ""}
                )
                for name in ("product", "spec", "unit", "unit_price")
            ]
        unit_price = get("unit_price") or (plain(product.unit_price) if product else "")
        gross = None
        if get("DELETE") not in ("on", "true"):
            try:
                line = LineInput(
                    model_code=get("model_code") or "-",
                    quantity=Decimal(get("quantity")),
                    unit_price=Decimal(unit_price),
                    price_includes_tax=bool(get("price_includes_tax")),
                    vat_rate=Decimal(get("vat_percent") or "0") / 100,
                )
                if line.quantity > 0 and line.unit_price >= 0:
                    gross = price([line]).gross
                    valid.append(line)
            except (InvalidOperation, ValueError, ArithmeticError):
                gross = None
        rows.append({"prefix": prefix, "gross": gross, "filled": filled})
    totals = price(valid)
    return {"rows": rows, "totals": totals}
