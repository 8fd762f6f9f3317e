"""The contract (合同) and the contract register (合同台账). Signed files are served
only through the permission-checked download view here, never from a public URL."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
)

from accounts.permissions import require
from core.exports import export_response
from core.pagination import BoundedPaginator
from core.views import download

from .. import services
from ..forms import ContractForm
from ..models import Contract, Quote
from ..resources import ContractResource
from ..selectors.contract import contract_list
from .common import order_for, run, visible_order

# --- the contract ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def contract_record(request, number):
    """The form is on the order page; this page shows it again with its errors."""
    order = order_for(request, number, "orders.record_contract")
    accepted = order.quotes.filter(status=Quote.Status.ACCEPTED).first()
    if request.method == "POST":
        form = ContractForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            answer = run(
                request,
                lambda: services.contract_record(
                    actor=request.user,
                    order=order,
                    number=data["number"],
                    signed_on=data["signed_on"],
                    amount=data["amount"],
                    amount_reason=data["amount_reason"],
                    uploaded=data["file"],
                    form_token=data.get("form_token"),
                ),
                order=order,
                form=form,
                then=order,
                done=_("Contract recorded; the order moves on to the drawings."),
            )
            if answer:
                return answer
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
    order = visible_order(request, number)
    contract = get_object_or_404(Contract, order=order)
    return download(contract)


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
    page = BoundedPaginator(contracts, settings.ORDER_LIST_PAGE_SIZE).get_page(
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
