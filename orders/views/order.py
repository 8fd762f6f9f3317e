"""The order list, the order page, entering and editing, the move buttons,
attachments, credit approval, change requests, customers and autocomplete. Thin:
parse input, check permission, call one service, render or redirect (views.common
answers for every posted page the same way)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import require
from core.exports import list_export
from core.pagination import BoundedPaginator
from core.views import download, service_errors

from .. import panels, selectors, services
from ..concurrency import posted_version
from ..exceptions import StaleEdit, ValidationError
from ..exports import ORDER_COLUMNS
from ..forms import (
    AttachmentForm,
    CancelForm,
    ChangeRequestForm,
    CustomerForm,
    DecisionForm,
    LineForm,
    LineFormSet,
    OrderForm,
    ReasonForm,
)
from ..models import ChangeRequest, Order
from ..stages import Stage
from ..workflow import MOVES
from .common import order_for, run, stale, visible_order

PRIMARY_FILTERS = ("q", "stage", "customer", "salesperson", "overdue")


# --- list and page ---------------------------------------------------------------------


@require_GET
def order_list(request):
    require(request.user, "orders.search")
    orders, filterset = selectors.order_list(user=request.user, filters=request.GET)
    exported = list_export(request, orders, ORDER_COLUMNS, name=_("orders"))
    if exported:
        return exported
    page = BoundedPaginator(orders, settings.ORDER_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "orders/order_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "primary_filters": PRIMARY_FILTERS,
            "more_filters_used": any(
                value
                for key, value in request.GET.items()
                if key.split("_")[0] not in PRIMARY_FILTERS and key != "page"
            ),
        },
    )


@require_GET
def order_detail(request, number):
    try:
        order = selectors.order_for_page(user=request.user, number=number)
    except Order.DoesNotExist:
        raise Http404 from None
    return render(
        request, "orders/order_detail.html", panels.order_page(order, request.user)
    )


def _position(request, name: str) -> int:
    try:
        return max(int(request.GET.get(name, "")), 0)
    except ValueError:
        raise Http404 from None


@require_GET
def history_earlier(request, number):
    """The order page's earlier history, an htmx partial: the events before
    `?before=<event id>`, with a button for the ones before those."""
    order = visible_order(request, number)
    size = settings.ORDER_PAGE_EVENTS
    older = selectors.events_before(
        order, _position(request, "before"), size, user=request.user
    )
    return render(
        request,
        "orders/_history_entries.html",
        {"order": order, **panels.history_window(older, size)},
    )


@require_GET
def lines_more(request, number):
    """The order page's next lines, an htmx partial: those after `?after=<position>`,
    with a button for the rest."""
    order = visible_order(request, number)
    size = settings.ORDER_PAGE_LINES
    lines = selectors.lines_after(order, _position(request, "after"), size)
    return render(
        request,
        "orders/_order_line_rows.html",
        {"order": order, **panels.lines_window(lines, size)},
    )


# --- entering and editing ------------------------------------------------------------


def _order_form_page(request, form, formset, order=None, status=200):
    return render(
        request,
        "orders/order_form.html",
        {
            "form": form,
            "formset": formset,
            "order": order,
            "customer_form": CustomerForm(prefix="customer"),
        },
        status=status,
    )


def order_create(request):
    require(request.user, "orders.create_order")
    if request.method == "POST":
        form = OrderForm(request.POST)
        formset = LineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            answer = run(
                request,
                lambda: services.order_create(
                    actor=request.user,
                    lines=formset.lines(),
                    form_token=form.cleaned_data.get("form_token"),
                    **form.header(),
                ),
                order=None,
                form=form,
                formset=formset,
                done=lambda order: (
                    _("Order %(number)s saved as a draft.") % {"number": order.number}
                ),
                then=lambda order: order,
            )
            if answer:
                return answer
        return _order_form_page(request, form, formset, status=400)
    form = OrderForm()
    formset = LineFormSet(prefix="lines", initial=[{}])
    return _order_form_page(request, form, formset)


def order_edit(request, number):
    order = order_for(request, number, "orders.edit_order")
    if order.stage != Stage.DRAFT:
        messages.error(
            request, _("Only drafts can be edited; enter a change request instead.")
        )
        return redirect(order)
    if request.method == "POST":
        try:
            version = posted_version(request.POST)
        except StaleEdit as exc:
            return stale(request, exc, order)
        form = OrderForm(request.POST, instance=Order.objects.get(pk=order.pk))
        formset = LineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            answer = run(
                request,
                lambda: services.order_update(
                    actor=request.user,
                    order=order,
                    version=version,
                    lines=formset.lines(),
                    form_token=form.cleaned_data.get("form_token"),
                    **form.header(),
                ),
                order=order,
                form=form,
                formset=formset,
                done=_("Order %(number)s saved.") % {"number": order.number},
            )
            if answer:
                return answer
        return _order_form_page(request, form, formset, order, status=400)
    # The version the form was opened at, so that a save by someone else in between
    # is refused.
    form = OrderForm(instance=order, initial={"version": order.version})
    formset = LineFormSet(
        prefix="lines", initial=[LineForm.initial_from(x) for x in order.lines.all()]
    )
    return _order_form_page(request, form, formset, order)


@require_POST
def order_copy(request, number):
    order = order_for(request, number, "orders.copy_order")
    return run(
        request,
        lambda: services.order_copy(
            actor=request.user, order=order, form_token=request.POST.get("form_token")
        ),
        order=order,
        duplicate="",
        done=lambda copy: (
            _("Copied as new draft order %(number)s; check the dates and submit it.")
            % {"number": copy.number}
        ),
        then=lambda copy: reverse("orders:edit", kwargs={"number": copy.number}),
    )


# The button moves and the service that makes each.
BUTTON_SERVICES = {
    "submit": lambda data, **common: services.order_submit(**common),
    "send_back": lambda data, **common: services.order_send_back(
        reason=data.get("reason", ""), **common
    ),
    "cancel": lambda data, **common: services.order_cancel(
        reason=data.get("reason", ""),
        loss_measures=data.get("loss_measures", ""),
        **common,
    ),
}


@require_POST
def order_move(request, number, move):
    order = visible_order(request, number)
    definition = MOVES.get(move)
    if definition is None or not definition.button or move not in BUTTON_SERVICES:
        raise Http404
    if not definition.permits(request.user, order):
        raise PermissionDenied
    try:
        version = posted_version(request.POST)
    except StaleEdit as exc:
        return stale(request, exc, order)
    form = (CancelForm if move == "cancel" else ReasonForm)(request.POST)
    form.is_valid()  # reason may be optional for this move: the gate decides
    done = _("Done: %(move)s.") % {"move": definition.label}
    return run(
        request,
        lambda: BUTTON_SERVICES[move](
            form.cleaned_data,
            actor=request.user,
            order=order,
            version=version,
            form_token=request.POST.get("form_token"),
        ),
        order=order,
        done=done,
        # The same button posted twice: the first post did it; say only that.
        duplicate=done,
        then=order,
    )


@require_POST
def order_attach(request, number):
    order = order_for(request, number, "orders.attach_file")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please choose a file."))
        return redirect(order)
    return run(
        request,
        lambda: services.order_attach(
            actor=request.user, order=order, uploaded=form.cleaned_data["file"]
        ),
        order=order,
        done=_("File attached."),
    )


@require_GET
def attachment_download(request, number, pk):
    order = visible_order(request, number)
    attachment = get_object_or_404(order.attachments, pk=pk)
    return download(attachment)


@require_POST
def credit_approve(request, number):
    order = order_for(request, number, "orders.approve_credit")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    return run(
        request,
        lambda: services.order_credit_approve(
            actor=request.user, order=order, reason=reason
        ),
        order=order,
        done=_("Credit approved."),
    )


# --- change requests -------------------------------------------------------------------


def change_create(request, number):
    order = order_for(request, number, "orders.request_change")
    if request.method == "POST":
        try:
            version = posted_version(request.POST)
        except StaleEdit as exc:
            return stale(request, exc, order)
        form = ChangeRequestForm(request.POST)
        formset = LineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            answer = run(
                request,
                lambda: services.change_request_create(
                    actor=request.user,
                    order=order,
                    version=version,
                    reason=form.cleaned_data["reason"],
                    lines=formset.lines(),
                    form_token=form.cleaned_data.get("form_token"),
                    requested_date=form.cleaned_data["requested_date"],
                ),
                order=order,
                form=form,
                formset=formset,
                duplicate="",
                done=_(
                    "Change request entered; the order is on hold until it is decided."
                ),
            )
            if answer:
                return answer
        status = 400
    else:
        form = ChangeRequestForm(
            initial={"version": order.version, "requested_date": order.requested_date}
        )
        formset = LineFormSet(
            prefix="lines",
            initial=[LineForm.initial_from(x) for x in order.lines.all()],
        )
        status = 200
    return render(
        request,
        "orders/change_form.html",
        {"form": form, "formset": formset, "order": order},
        status=status,
    )


@require_POST
def change_decide(request, number, pk):
    require(request.user, "orders.decide_change")
    order = visible_order(request, number)
    change = get_object_or_404(ChangeRequest, pk=pk, order=order)
    require(request.user, "orders.decide_change", change)
    form = DecisionForm(request.POST)
    comment = form.cleaned_data.get("comment", "") if form.is_valid() else ""
    decisions = {
        "approve": (services.change_request_approve, _("Change request approved.")),
        "reject": (services.change_request_reject, _("Change request rejected.")),
    }
    if request.POST.get("decision") not in decisions:
        raise Http404
    decide, done = decisions[request.POST["decision"]]
    return run(
        request,
        lambda: decide(actor=request.user, change=change, comment=comment),
        order=order,
        done=done,
    )


# --- customers and autocomplete ----------------------------------------------------------


@require_POST
def customer_create(request):
    """A new customer from the order form: with htmx the customer panel again (422
    with the errors on their fields, or closed with the customer chosen in the order
    form); JSON for other callers."""
    require(request.user, "orders.add_customer")
    form = CustomerForm(request.POST, prefix="customer")
    customer = None
    if form.is_valid():
        try:
            customer = services.customer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
    if request.htmx:
        context = {
            "customer_form": form
            if customer is None
            else CustomerForm(prefix="customer")
        }
        if customer is not None:
            context["saved"] = customer
            context["customer_widget"] = OrderForm(initial={"customer": customer.pk})[
                "customer"
            ].as_widget()
        return render(
            request,
            "orders/_customer_panel.html",
            context,
            status=200 if customer is not None else 422,
        )
    if customer is not None:
        return JsonResponse({"id": customer.pk, "text": customer.name})
    return JsonResponse(
        {
            "errors": {
                field: [str(e) for e in errs] for field, errs in form.errors.items()
            }
        },
        status=400,
    )


@require_POST
def lines_preview(request):
    """The order form's line totals as the server computes them (one rounding rule,
    orders.lines), swapped into the page by htmx; a catalogue model typed on a line
    fills its empty specification, unit and price."""
    require(request.user, "orders.create_order")
    return render(
        request, "orders/_lines_preview.html", panels.lines_preview(request.POST)
    )


def _may_search(user):
    require(user, "orders.search")


def _query(request) -> str:
    """What was typed: `q`, or the one field an htmx input sends about itself."""
    if "q" in request.GET:
        return request.GET["q"]
    return next((v for v in request.GET.values() if v), "")


def suggestions(request, rows: list[dict]):
    """<option>s for the input's <datalist> (htmx), or JSON for other callers."""
    if request.htmx:
        return render(request, "widgets/_options.html", {"options": rows})
    return JsonResponse(
        {"results": [{"id": r["id"], "text": r["value"], **r["extra"]} for r in rows]}
    )


@require_GET
def customer_autocomplete(request):
    _may_search(request.user)
    return suggestions(
        request,
        [
            {
                "id": c.pk,
                "value": c.name,
                "hint": c.get_type_display(),
                "extra": {"hint": c.get_type_display()},
            }
            for c in selectors.customer_search(query=_query(request))
        ],
    )


@require_GET
def product_autocomplete(request):
    _may_search(request.user)
    return suggestions(
        request,
        [
            {
                "id": p.pk,
                "value": p.model_code,
                "hint": f"{p.name} {p.spec}",
                "extra": {
                    "hint": p.name,
                    "spec": p.spec,
                    "unit": p.unit,
                    "price": str(p.unit_price),
                },
            }
            for p in selectors.product_search(query=_query(request))
        ],
    )


@require_GET
def salesperson_autocomplete(request):
    _may_search(request.user)
    return suggestions(
        request,
        [
            {"id": u.pk, "value": str(u), "hint": u.username, "extra": {}}
            for u in selectors.salesperson_search(query=_query(request))
        ],
    )
