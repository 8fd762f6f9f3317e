"""派工单: the slip list, the slip's page and the phone's card (htmx), starting,
reporting, closing, the early start, the printed slip and handling an anomaly."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may, require
from core.exceptions import InvalidMove, ValidationError
from core.submissions import new_form_token
from core.views import download, form_error_text, refusal_text, run, service_errors

from .. import load, qr, selectors, services
from ..exports import SLIP_COLUMNS
from ..filters import SlipFilter
from ..forms import (
    HandleForm,
    MakeUpForm,
    ReasonForm,
    ReportForm,
    ReverseForm,
)
from ..models import (
    DispatchSlip,
    ProductionPlan,
    ReportPhoto,
    ReportReversal,
    SlipReport,
)
from .common import (
    _list_page,
    _slip,
    _warn_if_overloaded,
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
    elif show == "short":
        slips = selectors.short_slips(
            selectors.slip_list(user=request.user, show="finished")
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
        export=(SLIP_COLUMNS, _("dispatch slips")),
        # on the lead's phone: the order search at once, the dates folded
        primary_filters=["order"],
        more_filters_used=any(
            request.GET.get(k) for k in ("due_date_after", "due_date_before")
        ),
    )


def _card_context(request, slip, *, form=None, notice="", error="", ask="") -> dict:
    """What the phone's card shows. `ask`: a question the card puts before a write —
    "rest" (「全部完成」: book the rest?) or "reverse:<report id>" (take it back?)."""
    user = request.user
    order = slip.plan.order
    # a make-up or rework slip is worked on after production too (QC's rework
    # while the order is inspected or delivered), as its services allow
    stages = (
        services.AFTER_PRODUCTION
        if slip.works_after_production
        else services.IN_PRODUCTION
    )
    can_report = (
        may(user, "production.report_slip", slip)
        and slip.plan.status == ProductionPlan.Status.ISSUED
        and order.stage in stages
    )
    blockers = (
        services.start_blockers(slip)
        if slip.status == DispatchSlip.Status.WAITING
        else []
    )
    materials_waiting = bool(blockers) and not (
        slip.materials is not None and slip.materials.is_ready
    )
    reversing = None
    if ask.startswith("reverse:"):
        wanted = ask.split(":", 1)[1]
        reversing = next((r for r in slip.recent_reports if str(r.pk) == wanted), None)
    in_production = order.stage == "production"
    for report in slip.recent_reports:
        report.can_reverse = (
            in_production
            and not hasattr(report, "reversal")
            and may(user, "production.reverse_report", report)
        )
    if reversing is not None and not reversing.can_reverse:
        reversing = None
    limit = services.overrun_limit(slip.quantity)
    return {
        "slip": slip,
        "order": order,
        "can_report": can_report,
        "blockers": blockers,
        "materials_waiting": materials_waiting,
        "materials_contact": (
            selectors.materials_contact() if materials_waiting else None
        ),
        "planners": selectors.planners() if slip.shortfall else [],
        "can_open_drawing": slip.drawing is not None
        and may(user, "production.open_slip_drawing", slip),
        "form": form or ReportForm(),
        # each of the card's report forms its own one-time token
        "confirm_token": new_form_token(),
        "anomaly_token": new_form_token(),
        "causes": SlipReport.Cause.choices,
        "whys": ReportReversal.Why.choices,
        "limit": limit,
        # what one more report may still add: the limit is the slip's total
        "room": max(limit - slip.good_qty - slip.scrap_qty, 0),
        "photos_max": settings.PRODUCTION_REPORT_PHOTOS,
        "history": selectors.slip_history(slip),
        "ask_rest": ask == "rest" and can_report and slip.remaining > 0,
        "reversing": reversing,
        "correction_minutes": settings.PRODUCTION_REPORT_CORRECTION_MINUTES,
        "notice": notice,
        "error": error,
    }


def _card(request, number, *, status=200, **context):
    """The card alone: no page around it, so none of the navigation's queries."""
    slip = selectors.slip_for_page(user=request.user, number=number)
    context = _card_context(request, slip, **context)
    context["csrf_token"] = get_token(request)
    html = render_to_string("production/_slip_card.html", context)
    return HttpResponse(html, status=status)


def _slip_answer(
    request, number, *, form=None, notice="", error="", status=200, ask=""
):
    """The slip card after an action: the htmx partial on the phone, the page
    otherwise."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif notice:
            messages.success(request, notice)
        return redirect("production:slip", number=number)
    return _card(
        request, number, form=form, notice=notice, error=error, status=status, ask=ask
    )


def _ask(request) -> str:
    """The question the card was asked to put (?confirm=rest, ?reverse=<id>)."""
    if request.GET.get("confirm") == "rest":
        return "rest"
    report = request.GET.get("reverse", "")
    if report.isascii() and report.isdigit() and len(report) <= 12:
        return f"reverse:{report}"
    return ""


@require_GET
def slip_detail(request, number):
    try:
        slip = selectors.slip_for_page(user=request.user, number=number)
    except DispatchSlip.DoesNotExist:
        raise Http404 from None
    if request.htmx:
        # the card asks before a write (「全部完成」, taking a report back), or
        # drops the question (取消)
        return _card(request, number, ask=_ask(request))
    context = _card_context(request, slip, ask=_ask(request))
    planner = may(request.user, "production.manage_plan")
    in_production = slip.plan.order.stage == "production"
    # the make-up slips and what is still short, asked only of a short slip
    make_ups = list(slip.make_ups.order_by("number")) if slip.shortfall else []
    short = services.uncovered_shortfall(slip) if slip.shortfall else 0
    can_make_up = (
        planner
        and in_production
        and short > 0
        and slip.status == DispatchSlip.Status.DONE
        and slip.plan.status == ProductionPlan.Status.ISSUED
    )
    context.update(
        can_manage=planner and slip.is_open and in_production,
        short=short,
        make_ups=make_ups,
        can_make_up=can_make_up,
        make_up_form=MakeUpForm(initial={"quantity": short, "due_date": slip.due_date})
        if can_make_up
        else None,
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
        return _slip_answer(request, number, error=refusal_text(exc), status=422)
    return _slip_answer(request, number, notice=_("Started."))


@require_POST
def slip_report(request, number):
    slip = _slip(request, number, "production.report_slip")
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _slip_answer(
            request, number, form=form, error=form_error_text(form), status=422
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
            photos=request.FILES.getlist("photos"),
            version=data["version"],
        )
    except (ValidationError, InvalidMove) as exc:
        if isinstance(exc, ValidationError):
            service_errors(form, exc)
        return _slip_answer(
            request, number, form=form, error=refusal_text(exc), status=422
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
def slip_make_up(request, number):
    slip = _slip(request, number, "production.manage_plan")
    back = slip.get_absolute_url() + "#shortfall"
    form = MakeUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(back)
    data = form.cleaned_data

    def then(made):
        _warn_if_overloaded(request, load.plan_overloads(made.plan, only=[made]))
        return made

    return run(
        request,
        lambda: services.slip_make_up(
            actor=request.user,
            slip=slip,
            quantity=data["quantity"],
            start_date=data["start_date"],
            due_date=data["due_date"],
            notes=data["notes"],
            form_token=data.get("form_token"),
        ),
        home=slip.get_absolute_url(),
        back=back,
        done=lambda made: (
            _("Make-up slip %(slip)s made for %(workshop)s.")
            % {"slip": made.number, "workshop": made.workshop.name}
        ),
        then=then,
    )


@require_POST
def slip_shortfall_close(request, number):
    slip = _slip(request, number, "production.manage_plan")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return run(
        request,
        lambda: services.slip_shortfall_close(
            actor=request.user, slip=slip, reason=reason
        ),
        home=slip.get_absolute_url(),
        back=slip.get_absolute_url() + "#shortfall",
        done=_("The shortfall of %(slip)s is closed.") % {"slip": slip.number},
    )


@require_POST
def slip_report_reverse(request, number):
    """报工撤回 from the card: the report's own lead within the window, the
    planner at any time (production.permissions); the service checks again under
    the lock."""
    slip = _slip(request, number, "production.view_slip")
    require(request.user, "production.reverse_report")
    form = ReverseForm(request.POST)
    if not form.is_valid():
        return _slip_answer(request, number, error=form_error_text(form), status=422)
    data = form.cleaned_data
    report = (
        SlipReport.objects.filter(pk=data["report"], slip=slip).first()
        if data["report"] is not None
        else None
    )
    if report is not None:
        report.slip = slip
    if (
        report is not None
        and report.reported_by_id != request.user.pk
        and not may(request.user, "production.reverse_report", report)
    ):
        raise PermissionDenied
    try:
        services.report_reverse(
            actor=request.user,
            slip=slip,
            report_id=request.POST.get("report"),
            why=data["why"],
            note=data["note"],
        )
    except (ValidationError, InvalidMove) as exc:
        ask = f"reverse:{report.pk}" if report is not None else ""
        return _slip_answer(
            request, number, error=refusal_text(exc), status=422, ask=ask
        )
    return _slip_answer(
        request, number, notice=_("Report taken back: the totals are corrected.")
    )


@require_GET
def slip_drawing(request, number):
    """The order's issued drawing, opened from the slip by who may see the slip
    (a workshop lead does not read orders, but works to their slips' drawing)."""
    slip = _slip(request, number, "production.open_slip_drawing")
    drawing = selectors.issued_drawing(slip.plan.order_id)
    if drawing is None:
        raise Http404
    return download(drawing)


def _photo(request, pk):
    require(request.user, "production.view_production")
    try:
        photo = selectors.report_photo_for(user=request.user, pk=pk)
    except ReportPhoto.DoesNotExist:
        raise Http404 from None
    require(request.user, "production.view_slip", photo.report.slip)
    return photo


@require_GET
def report_photo(request, pk):
    photo = _photo(request, pk)
    return FileResponse(
        photo.file.open("rb"),
        filename=photo.original_name,
        content_type=photo.content_type,
    )


@require_GET
def report_photo_thumbnail(request, pk):
    photo = _photo(request, pk)
    return FileResponse(photo.thumbnail.open("rb"), content_type="image/jpeg")


@require_POST
def slip_close(request, number):
    slip = _slip(request, number, "production.manage_plan")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return run(
        request,
        lambda: services.slip_close(actor=request.user, slip=slip, reason=reason),
        home=slip.get_absolute_url(),
        done=_("Slip %(slip)s closed.") % {"slip": slip.number},
    )


@require_POST
def slip_allow_early_start(request, number):
    slip = _slip(request, number, "production.manage_plan")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return run(
        request,
        lambda: services.slip_allow_early_start(
            actor=request.user, slip=slip, reason=reason
        ),
        home=slip.get_absolute_url(),
        done=_("Slip %(slip)s may start before its previous operations and materials.")
        % {"slip": slip.number},
    )


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
    return run(
        request,
        lambda: services.anomaly_handle(actor=request.user, report=report, note=note),
        home=report.slip.get_absolute_url() + "#anomalies",
        done=_("Anomaly handled."),
    )
