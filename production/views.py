"""Thin views: parse input, check who may, call one service, render or redirect.

Who sees what: a page asked for by someone whose roles never allow the action is
403; an object they do not see (another workshop's slip, a plan for a lead) is 404;
one they see but may not act on is 403 — and nothing changes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may, require
from core.pagination import BoundedPaginator
from orders import selectors as order_selectors
from orders.exceptions import DuplicateSubmission, InvalidMove, ValidationError
from orders.models import Order
from orders.views.common import run

from . import load, qr, selectors, services
from .filters import MaterialsFilter, PlanFilter, SlipFilter
from .forms import (
    DecideForm,
    HandleForm,
    MaterialsForm,
    PlanChangeForm,
    PlanForm,
    ReasonForm,
    RejectForm,
    ReportForm,
    SlipForm,
)
from .models import (
    DispatchSlip,
    MaterialRequirement,
    PlanChange,
    ProductionPlan,
    SlipReport,
)

PAGE_SIZE = 25


def _refusal_text(exc) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )


def _service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _order(request, number, action: str) -> Order:
    require(request.user, action)
    try:
        return order_selectors.orders_visible_to(request.user).get(number=number)
    except Order.DoesNotExist:
        raise Http404 from None


def _plan(request, number, action: str | None = None) -> ProductionPlan:
    if action:
        require(request.user, action)
    try:
        plan = selectors.plans_visible_to(request.user).get(number=number)
    except ProductionPlan.DoesNotExist:
        raise Http404 from None
    if action:
        require(request.user, action, plan)
    return plan


def _slip(request, number, action: str | None = None) -> DispatchSlip:
    if action:
        require(request.user, action)
    try:
        slip = (
            selectors.slips_visible_to(request.user)
            .select_related("plan", "workshop")
            .get(number=number)
        )
    except DispatchSlip.DoesNotExist:
        raise Http404 from None
    if action:
        require(request.user, action, slip)
    return slip


# --- materials (备料) --------------------------------------------------------------------


@require_GET
def materials_list(request):
    require(request.user, "production.view_materials")
    show = "all" if request.GET.get("show") == "all" else "open"
    rows = selectors.materials_list(show="all" if show == "all" else "open")
    filterset = MaterialsFilter(request.GET or None, queryset=rows)
    return _list_page(
        request,
        "production/materials_list.html",
        filterset,
        show=show,
        can_record=may(request.user, "production.manage_materials"),
    )


def _list_page(request, template: str, filterset, *, show: str, **context):
    """A list with its tabs (`show`), its filters and its bounded pages."""
    page = BoundedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query["show"] = show
    return render(
        request,
        template,
        {
            "page": page,
            "show": show,
            "filter": filterset,
            "query": query.urlencode(),
            "clear_url": f"?show={show}",
            **context,
        },
    )


def materials(request, number):
    order = _order(request, number, "production.manage_materials")
    current = MaterialRequirement.objects.filter(order=order).first()
    if request.method == "POST":
        form = MaterialsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.materials_record(
                    actor=request.user,
                    order=order,
                    items=data["items"],
                    status=data["status"],
                    expected_date=data["expected_date"],
                    product=data["product"],
                    version=data["version"] if current else None,
                )
            except (ValidationError, InvalidMove) as exc:
                if isinstance(exc, ValidationError):
                    _service_errors(form, exc)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Materials of order %(number)s saved.")
                    % {"number": order.number},
                )
                return redirect(order.get_absolute_url() + "#production")
        status = 400
    else:
        initial = {"status": MaterialRequirement.Status.NEEDED}
        if current:
            initial = {
                "version": current.version,
                "items": current.items,
                "product": current.product.model_code if current.product else "",
                "status": current.status,
                "expected_date": current.expected_date,
            }
        form = MaterialsForm(initial=initial)
        status = 200
    return render(
        request,
        "production/materials_form.html",
        {"order": order, "form": form, "materials": current},
        status=status,
    )


# --- plans (生产计划单) ---------------------------------------------------------------------


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
        full=may(request.user, "production.view_plan"),
    )


def plan_create(request, number):
    order = _order(request, number, "production.manage_plan")
    if request.method == "POST":
        form = PlanForm(request.POST, order=order)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_create(
                    actor=request.user,
                    order=order,
                    data=services.PlanData(
                        line=data["line"],
                        quantity=data["quantity"],
                        planned_start=data["planned_start"],
                        planned_finish=data["planned_finish"],
                        batch_number=data["batch_number"],
                        model_code=data["model_code"],
                        maker=data["maker"],
                        thickness=data["thickness"],
                        notes=data["notes"],
                    ),
                    form_token=data.get("form_token"),
                )
            except DuplicateSubmission as dup:
                messages.info(
                    request, _("This form was already submitted; it was saved once.")
                )
                return HttpResponseRedirect(dup.result_url or order.get_absolute_url())
            except (ValidationError, InvalidMove) as exc:
                if isinstance(exc, ValidationError):
                    _service_errors(form, exc)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Plan %(plan)s saved as a draft: add its dispatch slips.")
                    % {"plan": plan.number},
                )
                _warn_if_late(request, plan)
                return redirect(plan)
        status = 400
    else:
        form = PlanForm(order=order, initial=_plan_initial(order))
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


def _plan_initial(order: Order) -> dict:
    line = order.lines.select_related("product").first()
    initial = {
        "planned_start": timezone.localdate(),
        "planned_finish": selectors.production_due(order),
        "maker": order.customer.name,
    }
    if line is not None:
        left = line.quantity - services.planned_quantity(line)
        initial.update(
            line=line.pk,
            model_code=line.model_code,
            quantity=max(left, 0),
            thickness=line.product.material_thickness if line.product else None,
        )
    return initial


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


def _warn_if_overloaded(request, overloads) -> None:
    """A warning, not a refusal: the planner may know the workshop will work
    overtime; the board shows the day in red until it is not."""
    if not overloads:
        return
    days = "；".join(
        _("%(workshop)s %(day)s: %(load)s %(unit)s planned, capacity %(capacity)s")
        % {
            "workshop": o.workshop.name,
            "day": o.day.day.isoformat(),
            "load": o.day.load,
            "unit": o.unit,
            "capacity": o.day.capacity,
        }
        for o in overloads[:5]
    )
    messages.warning(
        request,
        _("Over a workshop's daily capacity: %(days)s.") % {"days": days},
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
    return render(
        request,
        "production/plan_detail.html",
        {
            "plan": plan,
            "late_finish": selectors.finish_warning(plan, plan.production_due),
            "can_manage": can_manage and open_plan and in_production,
            "slip_form": SlipForm(plan=plan, initial=_slip_initial(plan))
            if can_manage
            and in_production
            and plan.status == ProductionPlan.Status.DRAFT
            else None,
            "reason_form": ReasonForm(),
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
    form = SlipForm(request.POST, plan=plan)
    if form.is_valid():
        data = form.cleaned_data
        try:
            slip = services.slip_add(
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
            )
        except DuplicateSubmission:
            messages.info(
                request, _("This form was already submitted; it was saved once.")
            )
        except (ValidationError, InvalidMove) as exc:
            messages.error(request, _refusal_text(exc))
        else:
            messages.success(
                request,
                _("Dispatch slip %(slip)s added.") % {"slip": slip.number},
            )
            _warn_if_overloaded(request, load.plan_overloads(plan, only=[slip]))
    else:
        messages.error(request, _form_errors(form))
    return redirect(plan.get_absolute_url() + "#slips")


@require_POST
def plan_issue(request, number):
    plan = _plan(request, number, "production.manage_plan")
    try:
        services.plan_issue(
            actor=request.user, plan=plan, form_token=request.POST.get("form_token")
        )
    except DuplicateSubmission:
        messages.success(request, _("Plan issued."))
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(request, _("Plan issued."))
        _warn_if_overloaded(request, load.plan_overloads(plan))
    return redirect(plan)


@require_POST
def plan_close(request, number):
    plan = _plan(request, number, "production.manage_plan")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.plan_close(actor=request.user, plan=plan, reason=reason)
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(request, _("Plan closed."))
    return redirect(plan)


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
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(
            request, _("Signed for plan %(plan)s.") % {"plan": plan.number}
        )
    return redirect("production:plan_print", number=plan.number)


# --- plan changes (计划更改单, GS/G-SC-04) ------------------------------------------------


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
                order=plan.order,
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
        },
    )


@require_POST
def plan_change_approve(request, number):
    change = _change(request, number, "production.approve_plan_change")
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(change)
    return run(
        request,
        lambda: services.plan_change_approve(
            actor=request.user,
            change=change,
            version=form.cleaned_data["version"],
            form_token=form.cleaned_data.get("form_token"),
        ),
        order=change.plan.order,
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
        messages.error(request, _form_errors(form))
        return redirect(change)
    return run(
        request,
        lambda: services.plan_change_reject(
            actor=request.user,
            change=change,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        ),
        order=change.plan.order,
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


# --- slips (派工单) -------------------------------------------------------------------------


@require_GET
def slip_list(request):
    require(request.user, "production.view_production")
    show = request.GET.get("show", "open")
    if show == "late":
        slips = selectors.late_slips(user=request.user)
    elif show == "anomalies":
        slips = (
            selectors.slip_list(user=request.user, show="all")
            .filter(reports__anomaly=True, reports__handled_at__isnull=True)
            .distinct()
        )
    else:
        show = show if show in ("open", "finished") else "open"
        slips = selectors.slip_list(user=request.user, show=show)
    filterset = SlipFilter(request.GET or None, queryset=slips)
    return _list_page(
        request,
        "production/slip_list.html",
        filterset,
        show=show,
        # on the lead's phone: the order search at once, the dates folded
        primary_filters=["order"],
        more_filters_used=any(
            request.GET.get(k) for k in ("due_date_after", "due_date_before")
        ),
    )


def _card_context(request, slip, *, form=None, notice="", error="") -> dict:
    user = request.user
    can_report = may(user, "production.report_slip", slip)
    blockers = (
        services.start_blockers(slip)
        if slip.status == DispatchSlip.Status.WAITING
        else []
    )
    return {
        "slip": slip,
        "order": slip.plan.order,
        "can_report": can_report
        and slip.plan.status == ProductionPlan.Status.ISSUED
        and slip.plan.order.stage == "production",
        "blockers": blockers,
        "form": form or ReportForm(),
        "causes": SlipReport.Cause.choices,
        "limit": services.overrun_limit(slip.quantity),
        "notice": notice,
        "error": error,
    }


def _slip_answer(request, number, *, form=None, notice="", error="", status=200):
    """The slip card after an action: the htmx partial on the phone, the page
    otherwise."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif notice:
            messages.success(request, notice)
        return redirect("production:slip", number=number)
    slip = selectors.slip_for_page(user=request.user, number=number)
    context = _card_context(request, slip, form=form, notice=notice, error=error)
    # The card alone: no page around it, so none of the navigation's queries.
    context["csrf_token"] = get_token(request)
    html = render_to_string("production/_slip_card.html", context)
    return HttpResponse(html, status=status)


@require_GET
def slip_detail(request, number):
    try:
        slip = selectors.slip_for_page(user=request.user, number=number)
    except DispatchSlip.DoesNotExist:
        raise Http404 from None
    context = _card_context(request, slip)
    can_manage = may(request.user, "production.manage_plan") and slip.is_open
    context.update(
        can_manage=can_manage and slip.plan.order.stage == "production",
        reason_form=ReasonForm(),
        handle_form=HandleForm(),
        can_handle=may(request.user, "production.handle_anomaly"),
        anomalies=[r for r in slip.recent_reports if r.anomaly],
    )
    return render(request, "production/slip.html", context)


@require_POST
def slip_start(request, number):
    slip = _slip(request, number, "production.report_slip")
    try:
        services.slip_start(actor=request.user, slip=slip)
    except (ValidationError, InvalidMove) as exc:
        return _slip_answer(request, number, error=_refusal_text(exc), status=422)
    return _slip_answer(request, number, notice=_("Started."))


@require_POST
def slip_report(request, number):
    slip = _slip(request, number, "production.report_slip")
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _slip_answer(
            request, number, form=form, error=_form_errors(form), status=422
        )
    data = form.cleaned_data
    try:
        outcome = services.slip_report(
            actor=request.user,
            slip=slip,
            token=data["token"],
            good=data["good"] or 0,
            scrap=data["scrap"] or 0,
            anomaly=data["anomaly"],
            cause=data["cause"],
            note=data["note"],
        )
    except (ValidationError, InvalidMove) as exc:
        if isinstance(exc, ValidationError):
            _service_errors(form, exc)
        return _slip_answer(
            request, number, form=form, error=_refusal_text(exc), status=422
        )
    report = outcome.report
    if outcome.duplicate:
        notice = _("This report was already counted (once).")
    elif outcome.order_moved:
        notice = _(
            "Slip finished: it was the order's last, the order moves to inspection."
        )
    elif outcome.slip.status == DispatchSlip.Status.DONE:
        notice = _("Slip finished.")
    elif report.anomaly:
        notice = _("Anomaly reported: the planner and the production manager are told.")
    else:
        notice = _("Reported: good %(good)s, scrapped %(scrap)s.") % {
            "good": report.good,
            "scrap": report.scrap,
        }
    return _slip_answer(request, number, notice=notice)


@require_POST
def slip_close(request, number):
    slip = _slip(request, number, "production.manage_plan")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.slip_close(actor=request.user, slip=slip, reason=reason)
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(request, _("Slip %(slip)s closed.") % {"slip": slip.number})
    return redirect("production:slip", number=number)


@require_POST
def slip_allow_early_start(request, number):
    slip = _slip(request, number, "production.manage_plan")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.slip_allow_early_start(actor=request.user, slip=slip, reason=reason)
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(
            request,
            _("Slip %(slip)s may start before its previous operations and materials.")
            % {"slip": slip.number},
        )
    return redirect("production:slip", number=number)


@require_GET
def slip_print(request, number):
    try:
        slip = selectors.slip_for_page(user=request.user, number=number)
    except DispatchSlip.DoesNotExist:
        raise Http404 from None
    url = request.build_absolute_uri(slip.get_absolute_url())
    return render(
        request,
        "production/print/slip.html",
        {"slip": slip, "qr": qr.svg(url), "url": url},
    )


@require_POST
def anomaly_handle(request, pk):
    require(request.user, "production.handle_anomaly")
    report = (
        SlipReport.objects.filter(pk=pk, anomaly=True)
        .select_related("slip__plan")
        .first()
    )
    if report is None:
        raise Http404
    form = HandleForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.anomaly_handle(actor=request.user, report=report, note=note)
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(request, _("Anomaly handled."))
    return redirect(report.slip.get_absolute_url() + "#anomalies")
