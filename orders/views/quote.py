"""Quotes (报价单): record a version, submit it, the GM's decision, the customer's
acceptance, the printed quote."""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.views import form_error_text

from .. import services
from ..forms import ApprovalForm, QuoteAcceptForm, QuoteForm, QuoteLineFormSet
from ..lines import LineInput
from ..money import plain
from ..presenters import payment_terms_text
from ..selectors.review import quotes_for
from .common import order_for, run, visible_order


def _initial_lines(order):
    return [
        {
            "model_code": x.model_code,
            "spec": x.spec,
            "quantity": plain(x.quantity),
            "unit": x.unit,
            "unit_price": plain(x.unit_price),
        }
        for x in order.lines.all()
    ]


def quote_create(request, number):
    order = order_for(request, number, "orders.prepare_quote")
    if request.method == "POST":
        form = QuoteForm(request.POST)
        formset = QuoteLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            lines = [
                LineInput(**f.cleaned_data) for f in formset.forms if f.cleaned_data
            ]
            answer = run(
                request,
                lambda: services.quote_save(
                    actor=request.user,
                    order=order,
                    lines=lines,
                    prices_include_tax=data["prices_include_tax"],
                    vat_rate=data["vat_percent"] / 100,
                    discount_percent=data["discount_percent"],
                    lead_time_days=data["lead_time_days"],
                    payment_terms=data["payment_terms"],
                    valid_until=data["valid_until"],
                    note=data["note"],
                    form_token=data.get("form_token"),
                ),
                order=order,
                form=form,
                formset=formset,
                duplicate="",
                done=_("Quote recorded."),
            )
            if answer:
                return answer
        status = 400
    else:
        latest = next(iter(quotes_for(order)), None)
        initial = {"lead_time_days": 30, "payment_terms": payment_terms_text(order)}
        if latest is not None:
            initial.update(
                prices_include_tax=latest.prices_include_tax,
                vat_percent=plain(latest.vat_rate * 100),
                discount_percent=plain(latest.discount_percent),
                lead_time_days=latest.lead_time_days,
                payment_terms=latest.payment_terms,
            )
        form = QuoteForm(initial=initial)
        formset = QuoteLineFormSet(prefix="lines", initial=_initial_lines(order))
        status = 200
    return render(
        request,
        "orders/quote_form.html",
        {"order": order, "form": form, "formset": formset},
        status=status,
    )


def _quote_of(request, number, version, action: str | None = None):
    order = (
        order_for(request, number, action) if action else visible_order(request, number)
    )
    quote = next((q for q in quotes_for(order) if q.version == version), None)
    if quote is None:
        raise Http404
    return order, quote


@require_POST
def quote_submit(request, number, version):
    order, quote = _quote_of(request, number, version, "orders.prepare_quote")
    return run(
        request,
        lambda: services.quote_submit(actor=request.user, quote=quote),
        order=order,
        done=_("Quote submitted to the general manager."),
    )


@require_POST
def quote_decide(request, number, version):
    order, quote = _quote_of(request, number, version, "orders.decide_quote")
    form = ApprovalForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "return"):
        return HttpResponseBadRequest(_("Choose approve or send back."))
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(order)
    approve = decision == "approve"
    return run(
        request,
        lambda: services.quote_decide(
            actor=request.user,
            quote=quote,
            approve=approve,
            comment=form.cleaned_data["comment"],
        ),
        order=order,
        done=_("Quote approved.") if approve else _("Quote sent back."),
    )


@require_POST
def quote_accept(request, number, version):
    order, quote = _quote_of(request, number, version, "orders.accept_quote")
    form = QuoteAcceptForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for errs in form.errors.values() for e in errs)
        )
        return redirect(order)
    return run(
        request,
        lambda: services.quote_accept(
            actor=request.user,
            quote=quote,
            accepted_on=form.cleaned_data["accepted_on"],
            how=form.cleaned_data["how"],
        ),
        order=order,
        then=order,
        done=_(
            "The customer's acceptance is recorded; the order moves on to the contract."
        ),
    )


@require_GET
def quote_print(request, number, version):
    order, quote = _quote_of(request, number, version)
    return render(request, "orders/print/quote.html", {"order": order, "quote": quote})
