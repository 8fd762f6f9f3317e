"""派工单: the slip list, the slip's page and the phone's card (htmx), starting,
reporting, closing, the early start, the printed slip and handling an anomaly."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may, require
from orders.exceptions import InvalidMove, ValidationError

from .. import qr, selectors, services
from ..filters import SlipFilter
from ..forms import (
    HandleForm,
    ReasonForm,
    ReportForm,
)
from ..models import (
    DispatchSlip,
    ProductionPlan,
    SlipReport,
)
from .common import (
    _form_errors,
    _list_page,
    _refusal_text,
    _service_errors,
    _slip,
)


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


# Blank rows on the printed slip for reports written by hand at the machine.
PRINTED_REPORT_ROWS = 4


def _printed(request, slips: list) -> list:
    """Each slip with the QR code of its page (what the lead's phone opens)."""
    for slip in slips:
        slip.url = request.build_absolute_uri(slip.get_absolute_url())
        slip.qr = qr.svg(slip.url)
    return slips


@require_GET
def slip_print(request, number):
    slips = selectors.slips_for_print(user=request.user, number=number)
    if not slips:
        raise Http404
    return render(
        request,
        "production/print/slip.html",
        {
            "slip": _printed(request, slips)[0],
            "report_rows": range(PRINTED_REPORT_ROWS),
        },
    )


@require_GET
def plan_slips_print(request, number):
    """A plan's open slips printed together, two to an A4 sheet."""
    require(request.user, "production.view_plan")
    plan = ProductionPlan.objects.filter(number=number).first()
    if plan is None:
        raise Http404
    require(request.user, "production.view_plan", plan)
    slips = _printed(request, selectors.slips_for_print(user=request.user, plan=plan))
    return render(
        request,
        "production/print/slips.html",
        {
            "plan": plan,
            "pages": [slips[i : i + 2] for i in range(0, len(slips), 2)],
            "report_rows": range(PRINTED_REPORT_ROWS),
        },
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
