"""工艺路线: the planner's list of the catalogue's routings and one product's
routing as a formset of steps; a draft plan's slips made from it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may, require
from core.exceptions import DuplicateSubmission, InvalidMove, ValidationError
from core.views import form_error_text, refusal_text
from orders.models import Product

from .. import selectors, services
from ..forms import RoutingForm, RoutingSlipsForm, RoutingStepFormSet
from .common import _plan

PAGE_SIZE = 25


@require_GET
def routing_list(request):
    require(request.user, "production.view_routing")
    from core.pagination import BoundedPaginator

    query = (request.GET.get("q") or "").strip()[:64]
    page = BoundedPaginator(selectors.routing_list(query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "production/routing_list.html",
        {
            "page": page,
            "q": query,
            "query": f"q={query}" if query else "",
            "can_manage": may(request.user, "production.manage_routing"),
        },
    )


def routing_edit(request, model_code):
    require(request.user, "production.view_routing")
    product = Product.objects.filter(model_code=model_code).first()
    if product is None:
        raise Http404
    routing = selectors.routing_for(product)
    can_manage = may(request.user, "production.manage_routing")
    if request.method == "POST":
        require(request.user, "production.manage_routing")
        form = RoutingForm(request.POST)
        formset = RoutingStepFormSet(request.POST, prefix="steps")
        if form.is_valid() and formset.is_valid():
            steps = [
                services.StepData(
                    operation=f.cleaned_data["operation"],
                    workshop=f.cleaned_data["workshop"],
                    days=f.cleaned_data["days"],
                    process_check=f.cleaned_data["process_check"],
                    first_article_check=f.cleaned_data["first_article_check"],
                    notes=f.cleaned_data["notes"],
                )
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                services.routing_save(
                    actor=request.user,
                    product=product,
                    steps=steps,
                    notes=form.cleaned_data["notes"],
                    version=form.cleaned_data["version"],
                )
            except (ValidationError, InvalidMove) as exc:
                form.add_error(None, refusal_text(exc))
            else:
                messages.success(
                    request,
                    _("Routing of %(model)s saved: %(count)s steps.")
                    % {"model": product.model_code, "count": len(steps)},
                )
                return redirect("production:routing", model_code=product.model_code)
        status = 400
    else:
        steps = list(routing.steps.all()) if routing else []
        form = RoutingForm(
            initial={
                "version": routing.version if routing else "",
                "notes": routing.notes if routing else "",
            }
        )
        formset = RoutingStepFormSet(
            prefix="steps",
            initial=[
                {
                    "operation": s.operation,
                    "workshop": s.workshop_id,
                    "days": s.days,
                    "process_check": s.process_check,
                    "first_article_check": s.first_article_check,
                    "notes": s.notes,
                }
                for s in steps
            ],
        )
        status = 200
    return render(
        request,
        "production/routing_form.html",
        {
            "product": product,
            "routing": routing,
            "form": form,
            "formset": formset,
            "can_manage": can_manage,
        },
        status=status,
    )


@require_POST
def plan_slips_from_routing(request, number):
    plan = _plan(request, number, "production.manage_plan")
    form = RoutingSlipsForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(plan.get_absolute_url() + "#slips")
    try:
        slips = services.slips_from_routing(
            actor=request.user,
            plan=plan,
            anchor=form.cleaned_data["anchor"],
            form_token=form.cleaned_data.get("form_token"),
        )
    except DuplicateSubmission:
        messages.info(request, _("This form was already submitted; it was saved once."))
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("%(count)s dispatch slips made from the routing: adjust them as needed.")
            % {"count": len(slips)},
        )
        if slips and slips[0].start_date and slips[0].start_date < plan.planned_start:
            messages.warning(
                request,
                _(
                    "The first slip starts on %(start)s, before the plan's start "
                    "%(plan_start)s: the routing needs more days than the plan gives."
                )
                % {
                    "start": slips[0].start_date.isoformat(),
                    "plan_start": plan.planned_start.isoformat(),
                },
            )
    return redirect(plan.get_absolute_url() + "#slips")
