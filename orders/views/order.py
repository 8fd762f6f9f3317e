"""Thin views: parse input, check permission, call one service, render or redirect."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import may, require
from accounts.workdays import get_calendar, uncovered_years_warning

from .. import events, registry, selectors, services
from ..concurrency import posted_version
from ..events import change_rows
from ..exceptions import DuplicateSubmission, InvalidMove, StaleEdit, ValidationError
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
from ..presenters import payment_terms_text
from ..stages import Stage
from ..workflow import MOVES, moves_from


def _visible_order(request, number) -> Order:
    try:
        return selectors.orders_visible_to(request.user).get(number=number)
    except Order.DoesNotExist:
        raise Http404 from None


def _order_for(request, number, action: str) -> Order:
    """The order an action is asked on: 403 when the user's roles never allow the
    action, 404 when they do not see the order, 403 when it is not theirs to act on
    (orders.permissions)."""
    require(request.user, action)
    order = _visible_order(request, number)
    require(request.user, action, order)
    return order


def refusal_text(exc) -> str:
    """A service's refusal (ValidationError or InvalidMove) as one message."""
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def form_error_text(form) -> str:
    """A form's errors as one message, each with its field's label."""
    return " ".join(
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )


def _service_errors(form, exc: ValidationError, formset=None):
    """Show a service's refusal on the form, field by field where it can."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            if field == "lines" and formset is not None:
                formset._non_form_errors = formset.error_class(
                    list(formset.non_form_errors()) + errors
                )
            elif field in form.fields:
                form.add_error(field, errors)
            else:
                form.add_error(None, errors)
    else:
        form.add_error(None, exc.messages)


def _stale(request, exc: StaleEdit, order: Order):
    return render(
        request,
        "orders/stale.html",
        {
            "message": exc,
            "order": order,
            "history": events.history(exc.events),
        },
        status=409,
    )


PRIMARY_FILTERS = ("q", "stage", "customer", "salesperson", "overdue")


# --- list and page ---------------------------------------------------------------------


@require_GET
def order_list(request):
    require(request.user, "orders.search")
    orders, filterset = selectors.order_list(user=request.user, filters=request.GET)
    page = Paginator(orders, settings.ORDER_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
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
    user = request.user
    buttons = [
        m for m in moves_from(order.stage) if m.button and m.permits(user, order)
    ]
    open_change = next((c for c in order.change_requests.all() if c.is_open), None)
    calendar = get_calendar()
    tracker = selectors.stage_tracker(order, calendar, registry.due_items_for(order))
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "tracker": tracker,
            "calendar_warning": uncovered_years_warning(
                calendar, order.promised_date, *(row.due_date for row in tracker)
            ),
            "buttons": buttons,
            "payment_terms": payment_terms_text(order),
            "history": events.history(order.events.all()),
            "changes": [
                (c, change_rows(c.changes)) for c in order.change_requests.all()
            ],
            "open_change": open_change,
            "can_edit": order.stage == Stage.DRAFT
            and may(user, "orders.edit_order", order),
            "can_attach": services.may_attach(user, order),
            "can_change": may(user, "orders.request_change", order)
            and services.takes_change_request(order),
            "can_copy": may(user, "orders.copy_order", order),
            "can_approve_credit": order.credit == Order.Credit.PENDING
            and may(user, "orders.approve_credit", order),
            "cancel_form": CancelForm(initial={"version": order.version}),
            "reason_form": ReasonForm(initial={"version": order.version}),
            "attachment_form": AttachmentForm(),
            "decision_form": DecisionForm(),
            "copy_token": services.new_form_token(),
            "panels": registry.render_panels(registry.ORDER_PAGE, order, user),
        },
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
            try:
                order = services.order_create(
                    actor=request.user,
                    lines=formset.lines(),
                    form_token=form.cleaned_data.get("form_token"),
                    **form.header(),
                )
            except DuplicateSubmission as dup:
                messages.info(
                    request, _("This form was already submitted; it was saved once.")
                )
                return HttpResponseRedirect(dup.result_url or "/orders/")
            except ValidationError as exc:
                _service_errors(form, exc, formset)
            else:
                messages.success(
                    request,
                    _("Order %(number)s saved as a draft.") % {"number": order.number},
                )
                return redirect(order)
        return _order_form_page(request, form, formset, status=400)
    form = OrderForm()
    formset = LineFormSet(prefix="lines", initial=[{}])
    return _order_form_page(request, form, formset)


def order_edit(request, number):
    order = _order_for(request, number, "orders.edit_order")
    if order.stage != Stage.DRAFT:
        messages.error(
            request, _("Only drafts can be edited; enter a change request instead.")
        )
        return redirect(order)
    if request.method == "POST":
        try:
            version = posted_version(request.POST)
        except StaleEdit as exc:
            return _stale(request, exc, order)
        form = OrderForm(request.POST, instance=Order.objects.get(pk=order.pk))
        formset = LineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            try:
                services.order_update(
                    actor=request.user,
                    order=order,
                    version=version,
                    lines=formset.lines(),
                    form_token=form.cleaned_data.get("form_token"),
                    **form.header(),
                )
            except DuplicateSubmission as dup:
                messages.info(
                    request, _("This form was already submitted; it was saved once.")
                )
                return HttpResponseRedirect(dup.result_url or order.get_absolute_url())
            except StaleEdit as exc:
                return _stale(request, exc, order)
            except ValidationError as exc:
                _service_errors(form, exc, formset)
            else:
                messages.success(
                    request, _("Order %(number)s saved.") % {"number": order.number}
                )
                return redirect(order)
        return _order_form_page(request, form, formset, order, status=400)
    # The version the form was opened at, so that a save by someone else in between
    # is refused (the form's own initial for it is unreachable code in forms.py).
    form = OrderForm(instance=order, initial={"version": order.version})
    formset = LineFormSet(
        prefix="lines", initial=[LineForm.initial_from(x) for x in order.lines.all()]
    )
    return _order_form_page(request, form, formset, order)


@require_POST
def order_copy(request, number):
    order = _order_for(request, number, "orders.copy_order")
    try:
        copy = services.order_copy(
            actor=request.user, order=order, form_token=request.POST.get("form_token")
        )
    except DuplicateSubmission as dup:
        return HttpResponseRedirect(dup.result_url or order.get_absolute_url())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(order)
    messages.success(
        request,
        _("Copied as new draft order %(number)s; check the dates and submit it.")
        % {"number": copy.number},
    )
    return redirect("orders:edit", number=copy.number)


@require_POST
def order_move(request, number, move):
    order = _visible_order(request, number)
    definition = MOVES.get(move)
    if definition is None or not definition.button:
        raise Http404
    if not definition.permits(request.user, order):
        raise PermissionDenied
    try:
        version = posted_version(request.POST)
    except StaleEdit as exc:
        return _stale(request, exc, order)
    form = (CancelForm if move == "cancel" else ReasonForm)(request.POST)
    form.is_valid()  # reason may be optional for this move: the gate decides
    data = form.cleaned_data
    done = _("Done: %(move)s.") % {"move": definition.label}
    common = {
        "actor": request.user,
        "order": order,
        "version": version,
        "form_token": request.POST.get("form_token"),
    }
    try:
        if move == "send_back":
            services.order_send_back(reason=data.get("reason", ""), **common)
        elif move == "cancel":
            services.order_cancel(
                reason=data.get("reason", ""),
                loss_measures=data.get("loss_measures", ""),
                **common,
            )
        elif move == "submit":
            services.order_submit(**common)
        else:  # a button move without its service here
            raise Http404
    except DuplicateSubmission:
        # The same button posted twice: the first post did it; say only that.
        messages.success(request, done)
        return redirect(order)
    except StaleEdit as exc:
        return _stale(request, exc, order)
    except (InvalidMove, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
        return redirect(order)
    messages.success(request, done)
    return redirect(order)


@require_POST
def order_attach(request, number):
    order = _order_for(request, number, "orders.attach_file")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please choose a file."))
        return redirect(order)
    try:
        services.order_attach(
            actor=request.user, order=order, uploaded=form.cleaned_data["file"]
        )
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
        return redirect(order)
    messages.success(request, _("File attached."))
    return redirect(order)


@require_GET
def attachment_download(request, number, pk):
    order = _visible_order(request, number)
    attachment = get_object_or_404(order.attachments, pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
def credit_approve(request, number):
    order = _order_for(request, number, "orders.approve_credit")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        services.order_credit_approve(actor=request.user, order=order, reason=reason)
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
        return redirect(order)
    messages.success(request, _("Credit approved."))
    return redirect(order)


# --- change requests -------------------------------------------------------------------


def change_create(request, number):
    order = _order_for(request, number, "orders.request_change")
    if request.method == "POST":
        try:
            version = posted_version(request.POST)
        except StaleEdit as exc:
            return _stale(request, exc, order)
        form = ChangeRequestForm(request.POST)
        formset = LineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            try:
                services.change_request_create(
                    actor=request.user,
                    order=order,
                    version=version,
                    reason=form.cleaned_data["reason"],
                    lines=formset.lines(),
                    form_token=form.cleaned_data.get("form_token"),
                    requested_date=form.cleaned_data["requested_date"],
                )
            except DuplicateSubmission as dup:
                return HttpResponseRedirect(dup.result_url or order.get_absolute_url())
            except StaleEdit as exc:
                return _stale(request, exc, order)
            except InvalidMove as exc:
                messages.error(request, str(exc))
                return redirect(order)
            except ValidationError as exc:
                _service_errors(form, exc, formset)
            else:
                messages.success(
                    request,
                    _(
                        "Change request entered; the order is on "
                        "hold until it is decided."
                    ),
                )
                return redirect(order)
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
    order = _visible_order(request, number)
    change = get_object_or_404(ChangeRequest, pk=pk, order=order)
    require(request.user, "orders.decide_change", change)
    form = DecisionForm(request.POST)
    comment = form.cleaned_data.get("comment", "") if form.is_valid() else ""
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            services.change_request_approve(
                actor=request.user, change=change, comment=comment
            )
            messages.success(request, _("Change request approved."))
        elif decision == "reject":
            services.change_request_reject(
                actor=request.user, change=change, comment=comment
            )
            messages.success(request, _("Change request rejected."))
        else:
            raise Http404
    except (ValidationError, InvalidMove) as exc:
        messages.error(request, refusal_text(exc))
    return redirect(order)


# --- customers and autocomplete ----------------------------------------------------------


@require_POST
def customer_create(request):
    """Inline creation from the order form: JSON back, or the errors."""
    require(request.user, "orders.add_customer")
    form = CustomerForm(request.POST, prefix="customer")
    if form.is_valid():
        try:
            customer = services.customer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            return JsonResponse({"id": customer.pk, "text": customer.name})
    return JsonResponse(
        {
            "errors": {
                field: [str(e) for e in errs] for field, errs in form.errors.items()
            }
        },
        status=400,
    )


def _may_search(user):
    require(user, "orders.search")


@require_GET
def customer_autocomplete(request):
    _may_search(request.user)
    results = [
        {"id": c.pk, "text": c.name, "hint": c.get_type_display()}
        for c in selectors.customer_search(query=request.GET.get("q", ""))
    ]
    return JsonResponse({"results": results})


@require_GET
def product_autocomplete(request):
    _may_search(request.user)
    results = [
        {
            "id": p.pk,
            "text": p.model_code,
            "hint": p.name,
            "spec": p.spec,
            "unit": p.unit,
            "price": str(p.unit_price),
        }
        for p in selectors.product_search(query=request.GET.get("q", ""))
    ]
    return JsonResponse({"results": results})


@require_GET
def salesperson_autocomplete(request):
    _may_search(request.user)
    results = [
        {"id": u.pk, "text": str(u)}
        for u in selectors.salesperson_search(query=request.GET.get("q", ""))
    ]
    return JsonResponse({"results": results})
