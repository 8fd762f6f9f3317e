"""The contract, the contract register and the drawings. Thin views: parse input, check
permission, call one service, render or redirect. Signed files and drawings are served
only through the permission-checked download views here, never from a public URL."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from accounts.permissions import require
from core.exports import export_response

from .. import services
from ..exceptions import DuplicateSubmission, InvalidMove, ValidationError
from ..forms import ContractForm, DrawingForm, ReasonForm, RequirementsForm
from ..models import Contract, Drawing, Quote
from ..resources import ContractResource
from ..selectors.contract import contract_list, technical_sections
from .order import (
    _order_for,
    _service_errors,
    _visible_order,
    form_error_text,
    refusal_text,
)


def _refusal(request, exc) -> None:
    """A service's refusal as a message on the order page."""
    messages.error(request, refusal_text(exc))


def _form_errors(request, form) -> None:
    messages.error(request, form_error_text(form))


def _download(field_file, name: str, content_type: str) -> FileResponse:
    return FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=content_type,
    )


# --- the contract ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def contract_record(request, number):
    """The form is on the order page; this page shows it again with its errors."""
    order = _order_for(request, number, "orders.record_contract")
    accepted = order.quotes.filter(status=Quote.Status.ACCEPTED).first()
    if request.method == "POST":
        form = ContractForm(request.POST, request.FILES)
        if form.is_valid():
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
                messages.info(
                    request, _("This form was already submitted; it was saved once.")
                )
                return HttpResponseRedirect(dup.result_url or order.get_absolute_url())
            except InvalidMove as exc:
                messages.error(request, str(exc))
                return redirect(order)
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                messages.success(
                    request, _("Contract recorded; the order moves on to the drawings.")
                )
                return redirect(order)
        status = 400
    else:
        form = ContractForm(
            initial={
                "amount": accepted.gross_amount if accepted else None,
                "signed_on": timezone.localdate(),
            }
        )
        status = 200
    return render(
        request,
        "orders/contract_form.html",
        {"order": order, "form": form, "accepted_quote": accepted},
        status=status,
    )


@require_GET
def contract_file(request, number):
    order = _visible_order(request, number)
    contract = get_object_or_404(Contract, order=order)
    return _download(contract.file, contract.original_name, contract.content_type)


# --- the contract register -------------------------------------------------------------

SORTABLE = ("number", "order", "customer", "signed_on", "amount")
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _may_read_contracts(user) -> None:
    require(user, "orders.read_contracts")


def _export(contracts, kind: str) -> HttpResponse:
    return export_response(ContractResource(), contracts, kind, "contracts")


def _sort_links(params, current: str) -> dict:
    """Column header links: a click sorts by the column, a second click reverses."""
    links = {}
    for key in SORTABLE:
        query = params.copy()
        query["sort"] = f"-{key}" if current == key else key
        links[key] = {
            "url": "?" + query.urlencode(),
            "icon": "fa-sort-up"
            if current == key
            else "fa-sort-down"
            if current == f"-{key}"
            else "fa-sort muted",
        }
    return links


@require_GET
def contract_register(request):
    _may_read_contracts(request.user)
    contracts, filterset = contract_list(user=request.user, filters=request.GET)
    kind = request.GET.get("export")
    if kind in EXPORT_TYPES:
        return _export(contracts, kind)
    page = Paginator(contracts, settings.ORDER_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    for key in ("page", "export"):
        params.pop(key, None)
    unsorted = params.copy()
    unsorted.pop("sort", None)
    return render(
        request,
        "orders/contract_register.html",
        {
            "filter": filterset,
            "page": page,
            "query": params.urlencode(),
            "sort_links": _sort_links(unsorted, request.GET.get("sort", "")),
        },
    )


# --- the drawings ----------------------------------------------------------------------


def _drawings_section(request, order, *, status=200, notice="", **forms):
    """The drawings section alone, for htmx: the page stays where the user is and a
    form's errors show on its fields."""
    context = technical_sections(order=order, user=request.user)
    for name, form in forms.items():
        if form is not None:
            context[name] = form
    context.update(order=order, notice=notice, open_form=next(iter(forms), ""))
    return render(request, "orders/_drawings_section.html", context, status=status)


def _drawings_answer(request, order, form_name, form, done: str, refusal=None):
    """After an upload or a requirements save: with htmx the section again (422 with
    the errors on the form's fields); without, the order page with a message."""
    failed = refusal is not None or form.errors
    if request.htmx:
        if refusal is not None and not isinstance(refusal, InvalidMove):
            _service_errors(form, refusal)
        elif refusal is not None:
            form.add_error(None, str(refusal))
        return _drawings_section(
            request,
            order,
            status=422 if failed else 200,
            notice="" if failed else done,
            **{form_name: form if failed else None},
        )
    if refusal is not None:
        _refusal(request, refusal)
    elif form.errors:
        _form_errors(request, form)
    else:
        messages.success(request, done)
    return redirect(order)


@require_POST
def drawing_upload(request, number):
    order = _order_for(request, number, "orders.manage_drawings")
    form = DrawingForm(request.POST, request.FILES, auto_id="drawing_%s")
    if not form.is_valid():
        return _drawings_answer(request, order, "drawing_form", form, "")
    try:
        drawing = services.drawing_upload(
            actor=request.user,
            order=order,
            title=form.cleaned_data["title"],
            uploaded=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
    except (ValidationError, InvalidMove) as exc:
        return _drawings_answer(request, order, "drawing_form", form, "", exc)
    done = _("Drawing %(title)s v%(version)s uploaded.") % {
        "title": drawing.title,
        "version": drawing.version,
    }
    return _drawings_answer(request, order, "drawing_form", form, done)


@require_POST
def requirements_write(request, number):
    order = _order_for(request, number, "orders.manage_drawings")
    form = RequirementsForm(request.POST, auto_id="requirements_%s")
    if not form.is_valid():
        return _drawings_answer(request, order, "requirements_form", form, "")
    try:
        services.requirements_write(
            actor=request.user,
            order=order,
            quality=form.cleaned_data["quality"].splitlines(),
            process=form.cleaned_data["process"].splitlines(),
        )
    except (ValidationError, InvalidMove) as exc:
        return _drawings_answer(request, order, "requirements_form", form, "", exc)
    done = _("Key requirements saved.")
    return _drawings_answer(request, order, "requirements_form", form, done)


@require_POST
def drawings_issue(request, number):
    order = _order_for(request, number, "orders.manage_drawings")
    try:
        services.drawings_issue(
            actor=request.user, order=order, form_token=request.POST.get("form_token")
        )
    except DuplicateSubmission:
        # Pressed twice: the first press issued them.
        messages.success(request, _("Drawings issued."))
    except (ValidationError, InvalidMove) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Drawings issued."))
    return redirect(order)


@require_POST
def drawings_recall(request, number):
    order = _order_for(request, number, "orders.manage_drawings")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        count = services.drawings_recall(actor=request.user, order=order, reason=reason)
    except (ValidationError, InvalidMove) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("%(n)s issued drawing(s) recalled.") % {"n": count})
    return redirect(order)


@require_GET
def drawing_file(request, number, version):
    order = _visible_order(request, number)
    drawing = get_object_or_404(Drawing, order=order, version=version)
    return _download(drawing.file, drawing.original_name, drawing.content_type)
