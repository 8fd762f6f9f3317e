"""生产计划单: the plan list, a new plan, the plan's page and printed copy, its
slips added, issued, closed and signed for."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import has_role_perm, may, require
from core.exceptions import DuplicateSubmission, InvalidMove, ValidationError
from core.money import plain
from core.views import form_error_text, refusal_text, run, service_errors
from orders.models import Order

from .. import load, selectors, services
from ..exports import PLAN_COLUMNS
from ..filters import PlanFilter
from ..forms import (
    DeleteForm,
    PlanForm,
    ReasonForm,
    ReturnForm,
    RoutingSlipsForm,
    SlipForm,
)
from ..models import (
    DispatchSlip,
    ProductionPlan,
)
from .common import (
    _list_page,
    _order,
    _plan,
    _warn_if_overloaded,
)


@require_GET
def plan_list(request):
    require(request.user, "production.view_production")
    show = "all" if request.GET.get("show") == "all" else "open"
    if may(request.user, "production.view_plan"):
        plans = selectors.plan_list(user=request.user, show=show)
    else:
        plans = selectors.plans_for_distribution(user=request.user)
    filterset = PlanFilter(request.GET or None, queryset=plans)
    return _list_page(
        request,
        "production/plan_list.html",
        filterset,
        show=show,
        export=(PLAN_COLUMNS, _("production plans")),
        full=may(request.user, "production.view_plan"),
    )


def _plan_data(data) -> services.PlanData:
    return services.PlanData(
        line=data["line"],
        quantity=data["quantity"],
        planned_start=data["planned_start"],
        planned_finish=data["planned_finish"],
        batch_number=data["batch_number"],
        model_code=data["model_code"],
        maker=data["maker"],
        thickness=data["thickness"],
        notes=data["notes"],
    )


def _saved(request, number: str) -> None:
    messages.success(
        request,
        _("Plan %(plan)s saved as a draft: add its dispatch slips.") % {"plan": number},
    )


def _number_of(url: str) -> str:
    try:
        return resolve(url).kwargs.get("number", "")
    except Resolver404:
        return ""


def plan_create(request, number):
    """A new plan for one of the order's lines (`?line=` picks it; the order page
    links each line); an htmx GET on a change of line answers the form with that
    line's model, quantity and thickness."""
    order = _order(request, number, "production.manage_plan")
    defaults = selectors.plan_line_defaults
    if request.method == "POST":
        form = PlanForm(
            request.POST, order=order, defaults=defaults, refresh_url=request.path
        )
        if form.is_valid():
            try:
                plan = services.plan_create(
                    actor=request.user,
                    order=order,
                    data=_plan_data(form.cleaned_data),
                    form_token=form.cleaned_data.get("form_token"),
                )
            except DuplicateSubmission as dup:
                # a double click: the same page and the same message as the first
                if dup.result_url and _number_of(dup.result_url):
                    _saved(request, _number_of(dup.result_url))
                else:
                    messages.info(
                        request,
                        _("This form was already submitted; it was saved once."),
                    )
                return HttpResponseRedirect(dup.result_url or order.get_absolute_url())
            except (ValidationError, InvalidMove) as exc:
                if isinstance(exc, ValidationError):
                    service_errors(form, exc)
                else:
                    form.add_error(None, str(exc))
            else:
                _saved(request, plan.number)
                _warn_if_late(request, plan)
                return redirect(plan)
        status = 400
    else:
        line = _chosen_line(order, request.GET.get("line"))
        form = PlanForm(
            order=order,
            defaults=defaults,
            initial=_plan_initial(order, line),
            refresh_url=request.path,
        )
        status = 200
    return render(
        request,
        "production/plan_form.html",
        {
            "order": order,
            "form": form,
            "production_due": selectors.production_due(order),
        },
        status=status,
    )


def _chosen_line(order: Order, raw):
    lines = order.lines.select_related("product").order_by("position")
    if raw and str(raw).isdigit():
        chosen = lines.filter(pk=int(raw)).first()
        if chosen is not None:
            return chosen
    return lines.first()


def _plan_initial(order: Order, line) -> dict:
    initial = {
        "planned_start": timezone.localdate(),
        "planned_finish": selectors.production_due(order),
        "maker": order.customer.name,
    }
    if line is not None:
        initial.update(selectors.plan_line_defaults(line), prefilled_line=line.pk)
    return initial


def plan_edit(request, number):
    """The planner edits a draft plan (before it is submitted for review)."""
    plan = _plan(request, number, "production.manage_plan")
    order = plan.order
    if plan.status != ProductionPlan.Status.DRAFT:
        messages.error(
            request,
            _("Only a draft plan is edited; this one is %(status)s.")
            % {"status": plan.get_status_display()},
        )
        return redirect(plan)

    def defaults(line):
        return selectors.plan_line_defaults(line, exclude=plan)

    if request.method == "POST":
        form = PlanForm(
            request.POST, order=order, defaults=defaults, refresh_url=request.path
        )
        if form.is_valid():
            try:
                services.plan_edit(
                    actor=request.user,
                    plan=plan,
                    data=_plan_data(form.cleaned_data),
                    version=form.cleaned_data["version"],
                    form_token=form.cleaned_data.get("form_token"),
                )
            except DuplicateSubmission as dup:
                messages.success(request, _("Plan %(plan)s saved.") % {"plan": number})
                return HttpResponseRedirect(dup.result_url or plan.get_absolute_url())
            except (ValidationError, InvalidMove) as exc:
                if isinstance(exc, ValidationError):
                    service_errors(form, exc)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(request, _("Plan %(plan)s saved.") % {"plan": number})
                _warn_if_late(request, plan)
                return redirect(plan)
        status = 400
    else:
        line = plan.line
        if request.GET.get("line"):
            line = _chosen_line(order, request.GET.get("line"))
        initial = {
            "version": plan.version,
            "line": plan.line_id,
            "prefilled_line": plan.line_id,
            "batch_number": plan.batch_number,
            "model_code": plan.model_code,
            "maker": plan.maker,
            "thickness": plain(plan.thickness) if plan.thickness else "",
            "quantity": plain(plan.quantity),
            "planned_start": plan.planned_start,
            "planned_finish": plan.planned_finish,
            "notes": plan.notes,
        }
        if line != plan.line:
            initial.update(defaults(line), prefilled_line=line.pk)
        form = PlanForm(
            order=order, defaults=defaults, initial=initial, refresh_url=request.path
        )
        status = 200
    return render(
        request,
        "production/plan_form.html",
        {
            "order": order,
            "plan": plan,
            "form": form,
            "production_due": selectors.production_due(order),
        },
        status=status,
    )


@require_POST
def plan_delete(request, number):
    """The planner deletes a draft plan and its slips (a history line stays)."""
    plan = _plan(request, number, "production.manage_plan")
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(plan)
    try:
        order = services.plan_delete(
            actor=request.user,
            plan=plan,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
        return redirect(plan)
    messages.success(request, _("Draft plan %(plan)s deleted.") % {"plan": number})
    return redirect(order.get_absolute_url() + "#production")


def _warn_if_late(request, plan) -> None:
    due = selectors.production_due(plan.order)
    if selectors.finish_warning(plan, due):
        messages.warning(
            request,
            _(
                "The planned completion %(finish)s is after the order's production "
                "due date %(due)s."
            )
            % {"finish": plan.planned_finish.isoformat(), "due": due.isoformat()},
        )


@require_GET
def plan_detail(request, number):
    require(request.user, "production.view_plan")
    try:
        plan = selectors.plan_for_page(
            number=number, queryset=selectors.plans_visible_to(request.user)
        )
    except ProductionPlan.DoesNotExist:
        raise Http404 from None
    can_manage = may(request.user, "production.manage_plan")
    open_plan = plan.status != ProductionPlan.Status.CLOSED
    in_production = plan.order.stage == "production"
    draft = plan.status == ProductionPlan.Status.DRAFT
    submitted = plan.status == ProductionPlan.Status.SUBMITTED
    editable = can_manage and in_production and draft
    return render(
        request,
        "production/plan_detail.html",
        {
            "plan": plan,
            "late_finish": selectors.finish_warning(plan, plan.production_due),
            "can_manage": can_manage and open_plan and in_production,
            "can_edit": editable,
            "can_review": submitted
            and in_production
            and may(request.user, "production.review_plan", plan),
            "awaits_other_reviewer": submitted
            and has_role_perm(request.user, "production.review_plans")
            and not may(request.user, "production.review_plan", plan),
            "slip_form": SlipForm(plan=plan, initial=_slip_initial(plan))
            if editable
            else None,
            "routing_form": RoutingSlipsForm() if editable else None,
            "routing": services.routing_of(plan) if editable else None,
            "reason_form": ReasonForm(),
            "return_form": ReturnForm(initial={"version": plan.version}),
            "delete_form": DeleteForm(initial={"version": plan.version}),
            "can_receive": may(request.user, "production.receive_plan", plan)
            and not any(
                r.department_id == request.user.department_id
                for r in plan.receipts.all()
            ),
        },
    )


def _slip_initial(plan) -> dict:
    return {
        "quantity": int(plan.quantity),
        "start_date": plan.planned_start,
        "due_date": plan.planned_finish,
    }


@require_GET
def plan_print(request, number):
    require(request.user, "production.read_plan_copy")
    try:
        plan = selectors.plan_for_page(number=number)
    except ProductionPlan.DoesNotExist:
        raise Http404 from None
    if not may(request.user, "production.read_plan_copy", plan):
        raise Http404
    return render(
        request,
        "production/print/plan.html",
        {
            "plan": plan,
            "distribution": selectors.distribution(plan),
            "requirements": selectors.key_requirements(plan.order),
            "can_receive": may(request.user, "production.receive_plan", plan)
            and not any(
                r.department_id == request.user.department_id
                for r in plan.receipts.all()
            ),
            "back": plan.get_absolute_url()
            if may(request.user, "production.view_plan")
            else reverse("home"),
        },
    )


@require_POST
def slip_create(request, number):
    plan = _plan(request, number, "production.manage_plan")
    back = plan.get_absolute_url() + "#slips"
    form = SlipForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(back)
    data = form.cleaned_data

    def then(slip):
        _warn_if_overloaded(request, load.plan_overloads(plan, only=[slip]))
        return back

    return run(
        request,
        lambda: services.slip_add(
            actor=request.user,
            plan=plan,
            workshop=data["workshop"],
            operation=data["operation"],
            quantity=data["quantity"],
            start_date=data["start_date"],
            due_date=data["due_date"],
            predecessors=data["predecessors"],
            notes=data["notes"],
            form_token=data.get("form_token"),
        ),
        home=back,
        done=lambda slip: _("Dispatch slip %(slip)s added.") % {"slip": slip.number},
        then=then,
    )


def _warned(request, plan):
    """After a plan's slips are weighed as issued: the overloaded days, then the
    plan's page."""

    def then(_result):
        _warn_if_overloaded(request, load.plan_overloads(plan))
        return plan.get_absolute_url()

    return then


@require_POST
def plan_submit(request, number):
    plan = _plan(request, number, "production.manage_plan")
    done = _("Plan submitted for review.")
    return run(
        request,
        lambda: services.plan_submit(
            actor=request.user, plan=plan, form_token=request.POST.get("form_token")
        ),
        home=plan.get_absolute_url(),
        done=done,
        duplicate=done,
        then=_warned(request, plan),
    )


@require_POST
def plan_issue(request, number):
    """The reviewer's 审核: the plan is reviewed and issued."""
    plan = _plan(request, number, "production.review_plan")
    done = _("Plan reviewed and issued.")
    return run(
        request,
        lambda: services.plan_issue(
            actor=request.user, plan=plan, form_token=request.POST.get("form_token")
        ),
        home=plan.get_absolute_url(),
        done=done,
        duplicate=done,
        then=_warned(request, plan),
    )


@require_POST
def plan_return(request, number):
    """The reviewer sends the plan back to the planner with the reason."""
    plan = _plan(request, number, "production.review_plan")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(plan)
    return run(
        request,
        lambda: services.plan_return(
            actor=request.user,
            plan=plan,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        ),
        home=plan.get_absolute_url(),
        done=_("Plan sent back to the planner."),
    )


@require_POST
def plan_close(request, number):
    plan = _plan(request, number, "production.manage_plan")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return run(
        request,
        lambda: services.plan_close(actor=request.user, plan=plan, reason=reason),
        home=plan.get_absolute_url(),
        done=_("Plan closed."),
    )


@require_POST
def plan_receive(request, number):
    require(request.user, "production.receive_plan")
    plan = ProductionPlan.objects.filter(number=number).first()
    if plan is None or not may(request.user, "production.read_plan_copy", plan):
        raise Http404
    require(request.user, "production.receive_plan", plan)
    try:
        services.plan_receive(actor=request.user, plan=plan)
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("Signed for plan %(plan)s: your department's copy is received.")
            % {"plan": plan.number},
        )
        return redirect("home")
    return redirect("production:plan_print", number=plan.number)


def _draft_slip(request, number):
    require(request.user, "production.manage_plan")
    try:
        slip = (
            selectors.slips_visible_to(request.user)
            .select_related("plan__order", "workshop")
            .get(number=number)
        )
    except DispatchSlip.DoesNotExist:
        raise Http404 from None
    return slip


def slip_edit(request, number):
    """The planner adjusts a slip of a draft plan."""
    slip = _draft_slip(request, number)
    plan = slip.plan
    if plan.status != ProductionPlan.Status.DRAFT:
        messages.error(
            request,
            _("Plan %(plan)s is %(status)s: its slips are no longer edited here.")
            % {"plan": plan.number, "status": plan.get_status_display()},
        )
        return redirect(plan.get_absolute_url() + "#slips")
    if request.method == "POST":
        form = SlipForm(request.POST, plan=plan, slip=slip)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.slip_edit(
                    actor=request.user,
                    slip=slip,
                    workshop=data["workshop"],
                    operation=data["operation"],
                    quantity=data["quantity"],
                    start_date=data["start_date"],
                    due_date=data["due_date"],
                    predecessors=data["predecessors"],
                    notes=data["notes"],
                    version=data["version"],
                    form_token=data.get("form_token"),
                )
            except DuplicateSubmission:
                messages.success(request, _("Slip %(slip)s saved.") % {"slip": number})
                return redirect(plan.get_absolute_url() + "#slips")
            except (ValidationError, InvalidMove) as exc:
                if isinstance(exc, ValidationError):
                    service_errors(form, exc)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(request, _("Slip %(slip)s saved.") % {"slip": number})
                _warn_if_overloaded(request, load.plan_overloads(plan, only=[slip]))
                return redirect(plan.get_absolute_url() + "#slips")
        status = 400
    else:
        form = SlipForm(
            plan=plan,
            slip=slip,
            initial={
                "version": slip.version,
                "workshop": slip.workshop_id,
                "operation": slip.operation,
                "quantity": slip.quantity,
                "start_date": slip.start_date,
                "due_date": slip.due_date,
                "predecessors": list(slip.predecessors.values_list("pk", flat=True)),
                "notes": slip.notes,
            },
        )
        status = 200
    return render(
        request,
        "production/slip_form.html",
        {"slip": slip, "plan": plan, "form": form},
        status=status,
    )


@require_POST
def slip_remove(request, number):
    slip = _draft_slip(request, number)
    try:
        plan = services.slip_remove(actor=request.user, slip=slip)
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
        plan = slip.plan
    else:
        messages.success(request, _("Slip %(slip)s removed.") % {"slip": number})
    return redirect(plan.get_absolute_url() + "#slips")
