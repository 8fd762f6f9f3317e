"""The contract review sheet, the GM's approval and stand-ins, and quotes. Thin: parse,
check, call one service, render or redirect."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may, require
from accounts.workdays import get_calendar, uncovered_years_warning

from .. import registry, services
from ..concurrency import posted_version
from ..exceptions import (
    DuplicateSubmission,
    InvalidMove,
    StaleEdit,
    ValidationError,
)
from ..forms import (
    ApprovalForm,
    ConcludeForm,
    DelegationForm,
    QuoteAcceptForm,
    QuoteForm,
    QuoteLineFormSet,
    ReviewOpenForm,
    SignoffForm,
)
from ..models import ApprovalDelegation, ReviewSignoff
from ..money import plain
from ..presenters import payment_terms_text
from ..selectors.review import quotes_for, review_for
from ..stages import Stage
from .order import (
    _order_for,
    _service_errors,
    _stale,
    _visible_order,
    form_error_text,
    refusal_text,
)


def _calendar_warning(order, review) -> str:
    """The warning above a sheet whose dates (those its conclusion fixed, or those a
    conclusion today would fix) reach into a year the calendar does not cover."""
    from ..services.review import committed_days, promise_schedule

    if review is None:
        return ""
    calendar = get_calendar()
    if review.is_concluded:
        concluded_on = review.concluded_at and timezone.localdate(review.concluded_at)
        return uncovered_years_warning(calendar, concluded_on, review.promised_date)
    if order.stage != Stage.REVIEW:
        return ""
    today = timezone.localdate()
    schedule = promise_schedule(
        start=today, days=committed_days(review), calendar=calendar
    )
    return uncovered_years_warning(calendar, today, schedule.promised_date)


def _sheet_context(request, order, review, **forms):
    from accounts.models import Department

    from ..services.review import default_review_departments, suggests_conditions

    user = request.user
    mine = None
    if review is not None and not review.is_concluded:
        mine = next(
            (s for s in review.signoffs.all() if may(user, "orders.sign_review", s)),
            None,
        )
    all_signed = review is not None and all(s.is_signed for s in review.signoffs.all())
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
            initial={"departments": default_review_departments(order)},
        )
    context = {
        "order": order,
        "review": review,
        "lines": list(order.lines.all()),
        "my_row": mine,
        "sign_form": forms.get("sign_form")
        or SignoffForm(
            initial={
                "content": mine.content,
                "days_needed": mine.days_needed,
                "risks": mine.risks,
                "opinion": mine.opinion or "agree",
                "resources_ok": "yes" if mine.resources_ok in (None, True) else "no",
            }
        )
        if mine
        else None,
        "can_open": can_open,
        "open_form": open_form,
        "can_conclude": review is not None
        and not review.is_concluded
        and order.stage == Stage.REVIEW
        and may(user, "orders.conclude_review", order),
        "all_signed": all_signed,
        "conclude_form": forms.get("conclude_form")
        or ConcludeForm(
            initial={
                "conclusion": "conditional" if suggests_conditions(order) else "accept"
            }
        ),
        "suggest_conditions": suggests_conditions(order),
        "can_gm_approve": order.stage == Stage.APPROVAL
        and may(user, "orders.approve_order", order),
        "approval_form": ApprovalForm(),
        "calendar_warning": _calendar_warning(order, review),
        "panels": registry.render_panels(registry.REVIEW_SHEET, order, user),
    }
    return context


@require_GET
def review_sheet(request, number):
    order = _visible_order(request, number)
    return render(
        request,
        "orders/review_sheet.html",
        _sheet_context(request, order, review_for(order)),
    )


@require_GET
def review_print(request, number):
    order = _visible_order(request, number)
    review = review_for(order)
    if review is None:
        raise Http404
    return render(
        request,
        "orders/print/review_sheet.html",
        {"order": order, "review": review, "lines": list(order.lines.all())},
    )


@require_POST
def review_open(request, number):
    from accounts.models import Department

    order = _order_for(request, number, "orders.open_review")
    form = ReviewOpenForm(
        request.POST, departments=Department.objects.filter(kind="office")
    )
    if form.is_valid():
        try:
            services.review_open(
                actor=request.user,
                order=order,
                department_codes=form.cleaned_data["departments"],
            )
        except (ValidationError, InvalidMove) as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(
                request,
                _("Review sheet opened; the departments have it in their queue."),
            )
            return redirect("orders:review", number=order.number)
    else:
        messages.error(request, _("Pick at least one department to sign."))
    return redirect("orders:review", number=order.number)


@require_POST
def review_sign(request, number, pk):
    require(request.user, "orders.sign_review")
    order = _visible_order(request, number)
    row = get_object_or_404(ReviewSignoff, pk=pk, review__order=order)
    require(request.user, "orders.sign_review", row)
    form = SignoffForm(request.POST)
    if form.is_valid():
        try:
            services.review_sign(actor=request.user, signoff=row, **form.cleaned_data)
        except InvalidMove as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Your department's row is signed."))
            return redirect("orders:review", number=order.number)
    context = _sheet_context(request, order, review_for(order), sign_form=form)
    return render(request, "orders/review_sheet.html", context, status=400)


@require_POST
def review_conclude(request, number):
    order = _order_for(request, number, "orders.conclude_review")
    review = review_for(order)
    if review is None:
        raise Http404
    try:
        version = posted_version(request.POST)
    except StaleEdit as exc:
        return _stale(request, exc, order)
    form = ConcludeForm(request.POST)
    if form.is_valid():
        try:
            services.review_conclude(
                actor=request.user,
                review=review,
                version=version,
                **form.cleaned_data,
            )
        except StaleEdit as exc:
            return _stale(request, exc, order)
        except InvalidMove as exc:
            messages.error(request, str(exc))
            return redirect("orders:review", number=order.number)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Review concluded."))
            return redirect(order)
    context = _sheet_context(request, order, review, conclude_form=form)
    return render(request, "orders/review_sheet.html", context, status=400)


@require_POST
def order_approve(request, number):
    order = _order_for(request, number, "orders.approve_order")
    form = ApprovalForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "send_back"):
        return HttpResponseBadRequest(_("Choose approve or send back."))
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(order)
    comment = form.cleaned_data["comment"]
    approve = decision == "approve"
    try:
        version = posted_version(request.POST)
        services.order_approve(
            actor=request.user,
            order=order,
            approve=approve,
            comment=comment,
            version=version,
        )
    except StaleEdit as exc:
        return _stale(request, exc, order)
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("Order approved.") if approve else _("Order sent back to the review."),
        )
    return redirect(order)


# --- quotes ----------------------------------------------------------------------------


def _quote_initial_lines(order):
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
    order = _order_for(request, number, "orders.prepare_quote")
    if request.method == "POST":
        form = QuoteForm(request.POST)
        formset = QuoteLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            lines = [
                services.QuoteLineData(**f.cleaned_data)
                for f in formset.forms
                if f.cleaned_data
            ]
            try:
                services.quote_save(
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
                )
            except DuplicateSubmission as dup:
                return HttpResponseRedirect(dup.result_url or order.get_absolute_url())
            except InvalidMove as exc:
                messages.error(request, str(exc))
                return redirect(order)
            except ValidationError as exc:
                _service_errors(form, exc, formset)
            else:
                messages.success(request, _("Quote recorded."))
                return redirect(order)
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
        formset = QuoteLineFormSet(prefix="lines", initial=_quote_initial_lines(order))
        status = 200
    return render(
        request,
        "orders/quote_form.html",
        {"order": order, "form": form, "formset": formset},
        status=status,
    )


def _quote_of(request, number, version, action: str | None = None):
    order = (
        _order_for(request, number, action)
        if action
        else _visible_order(request, number)
    )
    quote = next((q for q in quotes_for(order) if q.version == version), None)
    if quote is None:
        raise Http404
    return order, quote


@require_POST
def quote_submit(request, number, version):
    order, quote = _quote_of(request, number, version, "orders.prepare_quote")
    try:
        services.quote_submit(actor=request.user, quote=quote)
    except InvalidMove as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Quote submitted to the general manager."))
    return redirect(order)


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
    comment = form.cleaned_data["comment"]
    approve = decision == "approve"
    try:
        services.quote_decide(
            actor=request.user, quote=quote, approve=approve, comment=comment
        )
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request, _("Quote approved.") if approve else _("Quote sent back.")
        )
    return redirect(order)


@require_POST
def quote_accept(request, number, version):
    order, quote = _quote_of(request, number, version, "orders.accept_quote")
    form = QuoteAcceptForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for errs in form.errors.values() for e in errs)
        )
        return redirect(order)
    try:
        services.quote_accept(
            actor=request.user,
            quote=quote,
            accepted_on=form.cleaned_data["accepted_on"],
            how=form.cleaned_data["how"],
        )
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _(
                "The customer's acceptance is recorded; the order "
                "moves on to the contract."
            ),
        )
    return redirect(order)


@require_GET
def quote_print(request, number, version):
    order, quote = _quote_of(request, number, version)
    return render(request, "orders/print/quote.html", {"order": order, "quote": quote})


# --- stand-ins -------------------------------------------------------------------------


def delegations(request):
    require(request.user, "orders.name_stand_in")
    if request.method == "POST" and "revoke" in request.POST:
        if not request.POST["revoke"].isdigit():
            raise Http404
        delegation = get_object_or_404(
            ApprovalDelegation,
            pk=request.POST["revoke"],
            principal=request.user,
            revoked_at__isnull=True,
        )
        services.delegation_revoke(actor=request.user, delegation=delegation)
        messages.success(request, _("Stand-in revoked."))
        return redirect("orders:delegations")
    form = DelegationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.delegation_create(actor=request.user, **form.cleaned_data)
            except DuplicateSubmission:
                return redirect("orders:delegations")
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(request, _("Stand-in named."))
                return redirect("orders:delegations")
        status = 400
    rows = ApprovalDelegation.objects.filter(principal=request.user).select_related(
        "delegate"
    )
    return render(
        request, "orders/delegations.html", {"form": form, "rows": rows}, status=status
    )


@require_GET
def staff_autocomplete(request):
    require(request.user, "orders.name_stand_in")
    query = request.GET.get("q", "").strip()
    users = get_user_model().objects.filter(is_active=True)
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(display_name__icontains=query)
        )
    results = [{"id": u.pk, "text": str(u)} for u in users.order_by("username")[:20]]
    return JsonResponse({"results": results})
