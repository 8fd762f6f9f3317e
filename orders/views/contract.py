"""The contract, the contract register and the drawings. Thin views."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..exceptions import DuplicateSubmission, InvalidMove, ValidationError
from ..forms import ContractForm, DrawingForm, ReasonForm, RequirementsForm
from ..models import Contract, Drawing
from ..resources import ContractResource
from ..selectors.contract import contract_list
from .order import _visible_order


def _refusal(request, exc) -> None:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            text = " ".join(m for msgs in exc.message_dict.values() for m in msgs)
        else:
            text = " ".join(exc.messages)
    else:
        text = str(exc)
    messages.error(request, text)


@require_POST
@permission_required("orders.manage_contract", raise_exception=True)
def contract_record(request, number):
    order = _visible_order(request, number)
    form = ContractForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[f].label}: {e}" if f in form.fields else str(e)
                for f, errs in form.errors.items()
                for e in errs
            ),
        )
        return redirect(order)
    data = form.cleaned_data
    try:
        services.contract_record(
            actor=request.user,
            order=order,
            number=data["number"],
            signed_on=data["signed_on"],
            amount=data["amount"],
            amount_reason=data["amount_reason"],
            uploaded=data["file"],
            form_token=data.get("form_token"),
        )
    except DuplicateSubmission as dup:
        return HttpResponseRedirect(dup.result_url or order.get_absolute_url())
    except (ValidationError, InvalidMove) as exc:
        _refusal(request, exc)
    else:
        messages.success(
            request, _("Contract recorded; the order moves on to the drawings.")
        )
    return redirect(order)


@require_GET
def contract_file(request, number):
    order = _visible_order(request, number)
    contract = get_object_or_404(Contract, order=order)
    return FileResponse(
        contract.file.open("rb"),
        as_attachment=True,
        filename=contract.original_name,
        content_type=contract.content_type,
    )


def _may_read_contracts(user):
    if not (
        user.has_perm("orders.view_all_orders")
        or user.has_perm("orders.manage_contract")
    ):
        raise PermissionDenied


@require_GET
def contract_register(request):
    _may_read_contracts(request.user)
    contracts, filterset = contract_list(user=request.user, filters=request.GET)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        dataset = ContractResource().export(contracts)
        body = dataset.export(export)
        content_type = (
            "text/csv; charset=utf-8"
            if export == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        if export == "csv":
            body = "\ufeff" + body  # Excel opens UTF-8 Chinese only with a BOM
        response = HttpResponse(body, content_type=content_type)
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="contracts-{stamp}.{export}"'
        )
        return response
    page = Paginator(contracts, settings.ORDER_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "orders/contract_register.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


# --- drawings --------------------------------------------------------------------------


@require_POST
@permission_required("orders.issue_drawings", raise_exception=True)
def drawing_upload(request, number):
    order = _visible_order(request, number)
    form = DrawingForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for errs in form.errors.values() for e in errs)
        )
        return redirect(order)
    try:
        services.drawing_upload(
            actor=request.user,
            order=order,
            title=form.cleaned_data["title"],
            uploaded=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
    except (ValidationError, InvalidMove) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Drawing uploaded."))
    return redirect(order)


@require_POST
@permission_required("orders.issue_drawings", raise_exception=True)
def requirements_write(request, number):
    order = _visible_order(request, number)
    form = RequirementsForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for errs in form.errors.values() for e in errs)
        )
        return redirect(order)
    try:
        services.requirements_write(
            actor=request.user,
            order=order,
            quality=form.cleaned_data["quality"].splitlines(),
            process=form.cleaned_data["process"].splitlines(),
        )
    except (ValidationError, InvalidMove) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Key requirements saved."))
    return redirect(order)


@require_POST
@permission_required("orders.issue_drawings", raise_exception=True)
def drawings_issue(request, number):
    order = _visible_order(request, number)
    try:
        services.drawings_issue(actor=request.user, order=order)
    except (ValidationError, InvalidMove) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Drawings issued."))
    return redirect(order)


@require_POST
@permission_required("orders.issue_drawings", raise_exception=True)
def drawings_recall(request, number):
    order = _visible_order(request, number)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        count = services.drawings_recall(actor=request.user, order=order, reason=reason)
    except (ValidationError, InvalidMove) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("%(n)s drawing(s) recalled.") % {"n": count})
    return redirect(order)


@require_GET
def drawing_file(request, number, version):
    order = _visible_order(request, number)
    drawing = get_object_or_404(Drawing, order=order, version=version)
    return FileResponse(
        drawing.file.open("rb"),
        as_attachment=True,
        filename=drawing.original_name,
        content_type=drawing.content_type,
    )
