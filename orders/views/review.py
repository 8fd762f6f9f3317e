"""The contract review sheet (合同评审表) and the general manager's approval."""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import require
from core.views import form_error_text

from .. import panels, services
from ..concurrency import posted_version
from ..exceptions import StaleEdit
from ..forms import ApprovalForm, ConcludeForm, ReviewOpenForm, SignoffForm
from ..models import ReviewSignoff
from ..selectors.review import review_for
from .common import order_for, run, stale, visible_order


def _sheet(request, order, status=200, **forms):
    context = panels.review_sheet(order, request.user, **forms)
    return render(request, "orders/review_sheet.html", context, status=status)


@require_GET
def review_sheet(request, number):
    return _sheet(request, visible_order(request, number))


@require_GET
def review_print(request, number):
    order = visible_order(request, number)
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

    order = order_for(request, number, "orders.open_review")
    sheet = reverse("orders:review", kwargs={"number": order.number})
    form = ReviewOpenForm(
        request.POST, departments=Department.objects.filter(kind="office")
    )
    if not form.is_valid():
        messages.error(request, _("Pick at least one department to sign."))
        return redirect(sheet)
    return run(
        request,
        lambda: services.review_open(
            actor=request.user,
            order=order,
            department_codes=form.cleaned_data["departments"],
        ),
        order=order,
        back=sheet,
        then=sheet,
        done=_("Review sheet opened; the departments have it in their queue."),
    )


@require_POST
def review_sign(request, number, pk):
    require(request.user, "orders.sign_review")
    order = visible_order(request, number)
    row = get_object_or_404(ReviewSignoff, pk=pk, review__order=order)
    require(request.user, "orders.sign_review", row)
    sheet = reverse("orders:review", kwargs={"number": order.number})
    form = SignoffForm(request.POST)
    if form.is_valid():
        answer = run(
            request,
            lambda: services.review_sign(
                actor=request.user, signoff=row, **form.cleaned_data
            ),
            order=order,
            form=form,
            back=sheet,
            then=sheet,
            done=_("Your department's row is signed."),
        )
        if answer:
            return answer
    return _sheet(request, order, status=400, sign_form=form)


@require_POST
def review_conclude(request, number):
    order = order_for(request, number, "orders.conclude_review")
    review = review_for(order)
    if review is None:
        raise Http404
    try:
        version = posted_version(request.POST)
    except StaleEdit as exc:
        return stale(request, exc, order)
    form = ConcludeForm(request.POST)
    if form.is_valid():
        answer = run(
            request,
            lambda: services.review_conclude(
                actor=request.user, review=review, version=version, **form.cleaned_data
            ),
            order=order,
            form=form,
            back=reverse("orders:review", kwargs={"number": order.number}),
            done=_("Review concluded."),
        )
        if answer:
            return answer
    return _sheet(request, order, status=400, conclude_form=form)


@require_POST
def order_approve(request, number):
    order = order_for(request, number, "orders.approve_order")
    form = ApprovalForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "send_back"):
        return HttpResponseBadRequest(_("Choose approve or send back."))
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(order)
    try:
        version = posted_version(request.POST)
    except StaleEdit as exc:
        return stale(request, exc, order)
    approve = decision == "approve"
    return run(
        request,
        lambda: services.order_approve(
            actor=request.user,
            order=order,
            approve=approve,
            comment=form.cleaned_data["comment"],
            version=version,
        ),
        order=order,
        then=order,
        done=_("Order approved.") if approve else _("Order sent back to the review."),
    )
