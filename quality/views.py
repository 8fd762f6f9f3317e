"""Quality's pages: the QC workbench, the inspection screens (an order's final
inspection, a slip's process or first-article check), an inspection and its
correction, the nonconformance with its signatures and disposition, the order's
release, and the printed inspection report (检验报告) and nonconformance sheet
(不合格品评审单). Each view asks permission, reads one selector, or runs one
service through core.views.run."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may, require
from accounts.workdays import get_calendar
from core import queues
from core.views import download, form_error_text, run
from orders.models import KeyRequirement, Order
from production.models import DispatchSlip

from . import selectors, services
from .forms import (
    ConsentForm,
    CorrectForm,
    DescribeForm,
    InspectForm,
    PassForm,
    ReworkForm,
    SignForm,
)
from .models import ConsentDocument, Inspection, InspectionPhoto, Nonconformance
from .walk import QUEUES

WORKBENCH_ROWS = 20


def _order(request, number) -> Order:
    require(request.user, "quality.view_quality")
    try:
        return Order.objects.select_related("customer").get(number=number)
    except Order.DoesNotExist:
        raise Http404 from None


def _nc(request, number) -> Nonconformance:
    require(request.user, "quality.view_quality")
    try:
        return selectors.nonconformance_detail(number)
    except Nonconformance.DoesNotExist:
        raise Http404 from None


@require_GET
def workbench(request):
    """质检工作台: every quality queue the user has, the most urgent rows of each."""
    require(request.user, "quality.view_quality")
    calendar = get_calendar()
    keys = {q.key for q in QUEUES}
    sections = [
        {
            "key": q.key,
            "title": q.title,
            "count": q.count(request.user),
            "items": q.items(request.user, calendar, limit=WORKBENCH_ROWS),
        }
        for q in queues.queues_for(request.user)
        if q.key in keys
    ]
    return render(request, "quality/workbench.html", {"sections": sections})


def _requirements(order):
    return list(KeyRequirement.objects.filter(order=order).order_by("kind", "position"))


def _checks(form):
    return [
        services.CheckResult(pk, ok, measured) for pk, ok, measured in form.checklist()
    ]


def _inspect_page(request, *, order, line, kind, slip=None, nc=None, template):
    requirements = _requirements(order)
    status = 200
    if request.method == "POST":
        require(request.user, "quality.inspect")
        form = InspectForm(request.POST, request.FILES, requirements=requirements)
        if form.is_valid():
            data = form.cleaned_data
            response = run(
                request,
                lambda: services.inspection_record(
                    actor=request.user,
                    order=order,
                    line=line,
                    kind=kind,
                    slip=slip,
                    nonconformance=nc,
                    inspected=data["inspected"],
                    passed=data["passed"],
                    failed=data["failed"],
                    defects=data["defects"],
                    checks=_checks(form),
                    photos=data["photos"],
                    note=data["note"],
                    seen=data["seen"],
                    form_token=data.get("form_token"),
                ),
                home=request.get_full_path(),
                form=form,
                done=lambda i: (
                    _("Inspection %(number)s recorded.") % {"number": i.number}
                ),
                then=lambda i: (
                    reverse("quality:inspect", kwargs={"number": order.number})
                    if kind == Inspection.Kind.FINAL
                    else reverse("quality:workbench")
                ),
            )
            if response is not None:
                return response
        status = 400
    else:
        form = InspectForm(
            requirements=requirements,
            initial={"seen": services.line_seen(line) if line else 0},
        )
    return render(
        request,
        template,
        {
            "order": order,
            "line": line,
            "kind": kind,
            "slip": slip,
            "nc": nc,
            "form": form,
            "figures": selectors.line_figures(order),
            "inspections": list(selectors.order_inspections(order)),
            "can_inspect": may(request.user, "quality.inspect"),
        },
        status=status,
    )


def inspect(request, number):
    """The final inspection (终检) of an order's line, or the re-inspection of a
    nonconformance's reworked pieces (?nc=)."""
    order = _order(request, number)
    lines = list(order.lines.order_by("position"))
    wanted = request.GET.get("line") or request.POST.get("line")
    line = next((x for x in lines if str(x.pk) == str(wanted)), None) or (
        lines[0] if lines else None
    )
    nc = None
    if request.GET.get("nc"):
        nc = (
            Nonconformance.objects.filter(number=request.GET["nc"], order=order)
            .select_related("rework_slip")
            .first()
        )
        if nc is None:
            raise Http404
        line = next((x for x in lines if x.pk == nc.line_id), line)
    return _inspect_page(
        request,
        order=order,
        line=line,
        kind=Inspection.Kind.FINAL,
        nc=nc,
        template="quality/inspect.html",
    )


def inspect_slip(request, number):
    """A slip's process check (过程检验, once finished) or first-article check
    (首件检验, while in progress), as its routing step asks."""
    require(request.user, "quality.view_quality")
    slip = get_object_or_404(
        DispatchSlip.objects.select_related(
            "plan__order__customer", "plan__line", "workshop"
        ),
        number=number,
    )
    order = slip.plan.order
    kind = (
        Inspection.Kind.PROCESS
        if slip.status == DispatchSlip.Status.DONE
        else Inspection.Kind.FIRST_ARTICLE
    )
    return _inspect_page(
        request,
        order=order,
        line=slip.plan.line,
        kind=kind,
        slip=slip,
        template="quality/inspect.html",
    )


@require_GET
def inspection(request, number):
    require(request.user, "quality.view_quality")
    found = get_object_or_404(
        Inspection.objects.select_related(
            "order__customer", "line", "slip", "inspector", "corrects", "nonconformance"
        ).prefetch_related("defects", "checks", "photos"),
        number=number,
    )
    corrected_by = Inspection.objects.filter(corrects=found).first()
    form = CorrectForm(
        initial={
            "inspected": found.inspected,
            "passed": found.passed,
            "failed": found.failed,
            "defects": [d.code for d in found.defects.all()],
        }
    )
    return render(
        request,
        "quality/inspection.html",
        {
            "inspection": found,
            "corrected_by": corrected_by,
            "form": form,
            "can_correct": corrected_by is None
            and may(request.user, "quality.inspect"),
        },
    )


@require_POST
def inspection_correct(request, number):
    require(request.user, "quality.inspect")
    found = get_object_or_404(Inspection, number=number)
    form = CorrectForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        response = run(
            request,
            lambda: services.inspection_correct(
                actor=request.user,
                inspection=found,
                inspected=data["inspected"],
                passed=data["passed"],
                failed=data["failed"],
                defects=data["defects"],
                reason=data["reason"],
                form_token=data.get("form_token"),
            ),
            home=found.get_absolute_url(),
            form=form,
            done=lambda i: _("Correction %(number)s recorded.") % {"number": i.number},
            then=lambda i: i,
        )
        if response is not None:
            return response
    return render(
        request,
        "quality/inspection.html",
        {"inspection": found, "form": form, "can_correct": True},
        status=400,
    )


@require_GET
def photo(request, pk):
    require(request.user, "quality.view_quality")
    return download(get_object_or_404(InspectionPhoto, pk=pk))


@require_GET
def consent_document(request, pk):
    require(request.user, "quality.view_quality")
    return download(get_object_or_404(ConsentDocument, pk=pk))


def _nc_context(request, nc, **forms):
    user = request.user
    reviews = list(nc.reviews.all())
    mine = next((r for r in reviews if r.reviewer_id == user.pk), None)
    version = {"version": nc.version}
    context = {
        "nc": nc,
        "reviews": reviews,
        "can_describe": nc.status == Nonconformance.Status.OPEN
        and may(user, "quality.inspect"),
        "can_sign": nc.status == Nonconformance.Status.REVIEW
        and mine is not None
        and mine.signed_at is None
        and may(user, "quality.sign_nonconformance", nc),
        "can_rework": nc.waits_for_rework and may(user, "production.add_rework_slip"),
        "can_consent": nc.status == Nonconformance.Status.DECIDED
        and nc.consent_at is None
        and (nc.concession_qty or nc.scrap_qty)
        and may(user, "quality.approve_concession"),
        "describe_form": DescribeForm(
            initial={
                **version,
                "description": nc.description,
                "rework": nc.quantity,
                "scrap": 0,
                "concession": 0,
            }
        ),
        "sign_form": SignForm(initial=version),
        "rework_form": ReworkForm(initial=version),
        "consent_form": ConsentForm(initial=version),
    }
    context.update(forms)
    return context


@require_GET
def nonconformance(request, number):
    nc = _nc(request, number)
    return render(request, "quality/nonconformance.html", _nc_context(request, nc))


def _nc_post(request, number, form_class, call, done, key, files=False):
    nc = _nc(request, number)
    form = (
        form_class(request.POST, request.FILES) if files else form_class(request.POST)
    )
    if form.is_valid():
        response = run(
            request,
            lambda: call(nc, form.cleaned_data),
            home=nc.get_absolute_url(),
            form=form,
            done=done,
            then=nc.get_absolute_url(),
        )
        if response is not None:
            return response
    return render(
        request,
        "quality/nonconformance.html",
        _nc_context(request, nc, **{key: form}),
        status=400,
    )


@require_POST
def nonconformance_submit(request, number):
    require(request.user, "quality.inspect")
    return _nc_post(
        request,
        number,
        DescribeForm,
        lambda nc, d: services.nonconformance_submit(
            actor=request.user,
            nonconformance=nc,
            description=d["description"],
            cause=d["cause"],
            responsible_department=d["responsible_department"],
            reviewers=list(d["reviewers"]),
            rework=d["rework"],
            scrap=d["scrap"],
            concession=d["concession"],
            make_up=d["make_up"],
            version=d["version"],
        ),
        _("Sent to the reviewers."),
        "describe_form",
    )


@require_POST
def nonconformance_sign(request, number):
    require(request.user, "quality.sign_nonconformance")
    return _nc_post(
        request,
        number,
        SignForm,
        lambda nc, d: services.nonconformance_sign(
            actor=request.user,
            nonconformance=nc,
            opinion=d["opinion"],
            version=d["version"],
        ),
        _("Signed."),
        "sign_form",
    )


@require_POST
def nonconformance_rework(request, number):
    require(request.user, "production.add_rework_slip")
    return _nc_post(
        request,
        number,
        ReworkForm,
        lambda nc, d: services.nonconformance_rework(
            actor=request.user,
            nonconformance=nc,
            workshop=d["workshop"],
            operation=d["operation"],
            due_date=d["due_date"],
            start_date=d["start_date"],
            version=d["version"],
            form_token=d.get("form_token"),
        ),
        _("The rework slip is made."),
        "rework_form",
    )


@require_POST
def nonconformance_consent(request, number):
    require(request.user, "quality.approve_concession")
    return _nc_post(
        request,
        number,
        ConsentForm,
        lambda nc, d: services.nonconformance_consent(
            actor=request.user,
            nonconformance=nc,
            note=d["note"],
            documents=d["documents"],
            version=d["version"],
        ),
        _("The customer's consent is recorded."),
        "consent_form",
        files=True,
    )


@require_GET
def nonconformance_print(request, number):
    nc = _nc(request, number)
    return render(
        request,
        "quality/print/nonconformance.html",
        {"nc": nc, "reviews": list(nc.reviews.all()), "back": nc.get_absolute_url()},
    )


@require_POST
def order_pass(request, number):
    order = _order(request, number)
    require(request.user, "quality.pass_order", order)
    form = PassForm(request.POST)
    back = reverse("quality:inspect", kwargs={"number": order.number})
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(back)
    return run(
        request,
        lambda: services.order_pass(
            actor=request.user,
            order=order,
            version=form.cleaned_data["version"],
            form_token=form.cleaned_data.get("form_token"),
        ),
        home=order.get_absolute_url(),
        done=_("The order passed the final inspection and goes on to delivery."),
        then=order.get_absolute_url(),
        back=back,
    )


@require_GET
def order_report(request, number):
    """检验报告: the order's inspections on one A4 page."""
    order = _order(request, number)
    inspections = [
        i
        for i in selectors.order_inspections(order)
        if not i.superseded and i.kind == Inspection.Kind.FINAL
    ]
    return render(
        request,
        "quality/print/report.html",
        {
            "order": order,
            "figures": selectors.line_figures(order),
            "inspections": inspections,
            # each key requirement once, as the latest inspection found it
            "checks": list(
                {
                    c.requirement_id or c.text: c
                    for i in inspections
                    for c in i.checks.all()
                }.values()
            ),
            "inspectors": sorted({str(i.inspector) for i in inspections}),
            "last": inspections[-1] if inspections else None,
            "back": order.get_absolute_url(),
        },
    )
