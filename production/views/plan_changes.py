"""计划更改单 (GS/G-SC-04): raised by the planner, approved or rejected by the
production manager, read by the order's salesperson, printed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may, require
from core.pagination import BoundedPaginator
from core.views import form_error_text, run

from .. import selectors, services
from ..forms import (
    DecideForm,
    PlanChangeForm,
    RejectForm,
)
from ..models import (
    PlanChange,
)
from .common import (
    PAGE_SIZE,
    _plan,
)


def plan_change_create(request, number):
    """The planner's plan change form: the plan's and its open slips' values
    prefilled; they edit what changes and say why."""
    plan = _plan(request, number, "production.raise_plan_change")
    slips = selectors.open_slips_of(plan)
    status = 200
    if request.method == "POST":
        form = PlanChangeForm(request.POST, plan=plan, slips=slips)
        if form.is_valid():
            data = form.cleaned_data
            response = run(
                request,
                lambda: services.plan_change_raise(
                    actor=request.user,
                    plan=plan,
                    reason=data["reason"],
                    plan_values=form.plan_values(),
                    slip_values=form.slip_values(),
                    version=data["version"],
                    form_token=data.get("form_token"),
                ),
                home=plan.order.get_absolute_url(),
                form=form,
                done=lambda change: (
                    _(
                        "Plan change %(change)s raised: it applies once the production "
                        "manager approves it."
                    )
                    % {"change": change.number}
                ),
                then=lambda change: change,
                back=plan.get_absolute_url(),
            )
            if response is not None:
                return response
        status = 400
    else:
        form = PlanChangeForm(plan=plan, slips=slips)
    return render(
        request,
        "production/plan_change_form.html",
        {"plan": plan, "form": form},
        status=status,
    )


@require_GET
def plan_change_list(request):
    require(request.user, "production.view_plan")
    changes, filterset = selectors.plan_change_list(
        user=request.user, filters=request.GET
    )
    page = BoundedPaginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "production/plan_change_list.html",
        {"filter": filterset, "page": page, "query": params.urlencode()},
    )


def _change(request, number, action: str) -> PlanChange:
    """The change an action is asked on: 403 when the roles never allow it, 404
    when the user does not see the change."""
    require(request.user, action)
    try:
        change = selectors.plan_change_for_page(number=number)
    except PlanChange.DoesNotExist:
        raise Http404 from None
    if not may(request.user, "production.view_plan_change", change):
        raise Http404
    require(request.user, action, change)
    return change


@require_GET
def plan_change_detail(request, number):
    change = _change(request, number, "production.view_plan_change")
    can_decide = change.is_open and may(
        request.user, "production.approve_plan_change", change
    )
    initial = {"version": change.version}
    return render(
        request,
        "production/plan_change.html",
        {
            "change": change,
            "can_decide": can_decide,
            "decide_form": DecideForm(initial=initial) if can_decide else None,
            "reject_form": RejectForm(initial=initial) if can_decide else None,
            "can_read_plan": may(request.user, "production.view_plan"),
            "effect": selectors.promise_effect(change) if change.is_open else None,
        },
    )


@require_POST
def plan_change_approve(request, number):
    change = _change(request, number, "production.approve_plan_change")
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(change)
    return run(
        request,
        lambda: services.plan_change_approve(
            actor=request.user,
            change=change,
            version=form.cleaned_data["version"],
            form_token=form.cleaned_data.get("form_token"),
        ),
        home=change.plan.order.get_absolute_url(),
        done=lambda done: (
            _("Plan change %(change)s approved and applied; sales was told.")
            % {"change": done.number}
        ),
        then=change,
        back=change.get_absolute_url(),
    )


@require_POST
def plan_change_reject(request, number):
    change = _change(request, number, "production.approve_plan_change")
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(change)
    return run(
        request,
        lambda: services.plan_change_reject(
            actor=request.user,
            change=change,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        ),
        home=change.plan.order.get_absolute_url(),
        done=_("Plan change rejected; the planner was told."),
        then=change,
        back=change.get_absolute_url(),
    )


@require_GET
def plan_change_print(request, number):
    change = _change(request, number, "production.view_plan_change")
    return render(
        request,
        "production/print/plan_change.html",
        {"change": change, "back": change.get_absolute_url()},
    )
