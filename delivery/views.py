"""The warehouse's pages: its workbench (what waits to go into stock, stock ready to
ship, receipts awaited), receiving into stock, a shipment and its printed 送货单,
the customer's receipt (回单), the certificate that travels with the goods, a
shortfall closed with the customer and a date agreed with the customer. Each reads
through one selector and writes through one service (core.views.run)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import may, require
from core.money import plain
from core.views import download, form_error_text, run
from orders.models import Order, OrderEvent
from orders.selectors import orders_visible_to
from orders.stages import Stage
from production.qr import svg

from . import selectors, services
from .forms import (
    DateAgreementForm,
    ReceiptForm,
    ReceiveForm,
    ShipmentForm,
    ShortfallForm,
    posted_quantities,
)
from .models import CustomerReceipt, DateAgreement, Shipment
from .quantities import line_figures

WORKBENCH_ROWS = 50
COPIES = ("存根", "客户", "回单", "财务")


def _order(request, number, action: str) -> Order:
    require(request.user, action)
    try:
        order = (
            orders_visible_to(request.user)
            .select_related("customer", "salesperson")
            .get(number=number)
        )
    except Order.DoesNotExist:
        raise Http404 from None
    require(request.user, action, order)
    return order


def _shipment(request, number) -> Shipment:
    require(request.user, "delivery.view_shipment")
    try:
        shipment = selectors.shipment_for_page(number)
    except Shipment.DoesNotExist:
        raise Http404 from None
    if not may(request.user, "delivery.view_shipment", shipment):
        raise Http404
    return shipment


@require_GET
def warehouse(request):
    """仓管's workbench: passed goods to receive, stock ready to ship (most urgent
    promised date first), shipments whose 回单 is awaited."""
    require(request.user, "delivery.manage")
    to_receive = list(selectors.awaiting_receipt()[:WORKBENCH_ROWS])
    to_ship = list(selectors.ready_to_ship()[:WORKBENCH_ROWS])
    for order in to_ship:
        order.on_hand = order.stock_in - order.shipped_out
    transit = list(selectors.in_transit()[:WORKBENCH_ROWS])
    return render(
        request,
        "delivery/warehouse.html",
        {
            "to_receive": to_receive,
            "to_ship": to_ship,
            "transit": transit,
            "today": timezone.localdate(),
        },
    )


@require_GET
def shipment_list(request):
    require(request.user, "delivery.view_shipment")
    page = Paginator(selectors.shipments(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "delivery/shipment_list.html", {"page": page})


def _rows_with_posted(figures, posted: dict) -> list:
    for row in figures:
        row.posted = posted.get(row.line.pk, "")
    return figures


@require_http_methods(["GET", "POST"])
def receive(request, number):
    order = _order(request, number, "delivery.manage")
    form = ReceiveForm(
        request.POST or None,
        initial={"version": order.version, "received_on": timezone.localdate()},
    )
    posted = posted_quantities(request.POST, "qty_") if request.method == "POST" else {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run(
            request,
            lambda: services.stock_receive(
                actor=request.user,
                order=order,
                quantities=posted,
                received_on=data["received_on"],
                location=data["location"],
                notes=data["notes"],
                version=data["version"],
                form_token=data["form_token"],
            ),
            home=order.get_absolute_url(),
            back=request.path,
            form=form,
            done=_("Received into stock."),
            then=lambda made: order.get_absolute_url() + "#delivery",
        )
        if answer is not None:
            return answer
    figures = _rows_with_posted(line_figures(order), posted)
    return render(
        request,
        "delivery/receive.html",
        {"order": order, "form": form, "figures": figures},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def ship(request, number):
    order = _order(request, number, "delivery.manage")
    initial = {
        "version": order.version,
        "ship_date": timezone.localdate(),
        **services.default_address(order),
    }
    form = ShipmentForm(request.POST or None, initial=initial)
    posted = posted_quantities(request.POST, "qty_") if request.method == "POST" else {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run(
            request,
            lambda: services.shipment_create(
                actor=request.user,
                order=order,
                quantities=posted,
                data=services.ShipmentData(
                    ship_date=data["ship_date"],
                    carrier=data["carrier"],
                    tracking_number=data["tracking_number"],
                    address=data["address"],
                    contact=data["contact"],
                    phone=data["phone"],
                    notes=data["notes"],
                ),
                version=data["version"],
                form_token=data["form_token"],
            ),
            home=order.get_absolute_url(),
            back=request.path,
            form=form,
            done=lambda s: (
                _("Shipped on delivery note %(number)s.") % {"number": s.number}
            ),
            then=lambda s: s.get_absolute_url(),
        )
        if answer is not None:
            return answer
    figures = _rows_with_posted(line_figures(order), posted)
    return render(
        request,
        "delivery/ship.html",
        {"order": order, "form": form, "figures": figures},
        status=400 if form.is_bound else 200,
    )


@require_GET
def shipment_detail(request, number):
    shipment = _shipment(request, number)
    manages = may(request.user, "delivery.manage")
    return render(
        request,
        "delivery/shipment.html",
        {
            "shipment": shipment,
            "order": shipment.order,
            "lines": list(shipment.lines.all()),
            "receipt": getattr(shipment, "receipt", None)
            if shipment.status == Shipment.Status.RECEIVED
            else None,
            "can_record": manages
            and shipment.status == Shipment.Status.SHIPPED
            and shipment.order.stage in services.WAREHOUSE_STAGES,
        },
    )


@require_GET
def shipment_print(request, number):
    """送货单: half an A4 sheet (210 × 148 mm), four copies in one print — 存根,
    客户, 回单, 财务 — each on its own page, with the QR code that opens the
    shipment."""
    shipment = _shipment(request, number)
    url = request.build_absolute_uri(shipment.get_absolute_url())
    return render(
        request,
        "delivery/print/note.html",
        {
            "shipment": shipment,
            "order": shipment.order,
            "lines": list(shipment.lines.all()),
            "copies": COPIES,
            "qr": svg(url),
            "contract_number": _contract_number(shipment.order),
        },
    )


def _contract_number(order) -> str:
    from orders.models import Contract

    return (
        Contract.objects.filter(order=order)
        .order_by("-id")
        .values_list("number", flat=True)
        .first()
        or ""
    )


def _inspection(order):
    """Who passed the order's final inspection and when, as the order's history
    tells it (the move into 交付) — delivery reads no table of quality's."""
    return (
        OrderEvent.objects.filter(order=order, type="moved", to_stage=Stage.DELIVERY)
        .select_related("user")
        .order_by("-created_at")
        .first()
    )


@require_GET
def certificate_print(request, number):
    """产品合格证 / 出厂检验报告: one A4 page per lot, to go in the box."""
    shipment = _shipment(request, number)
    order = shipment.order
    figures = {f.line.pk: f for f in line_figures(order)}
    lines = list(shipment.lines.all())
    batches = _batches(order)
    return render(
        request,
        "delivery/print/certificate.html",
        {
            "shipment": shipment,
            "order": order,
            "rows": [
                {
                    "line": row.line,
                    "quantity": row.quantity,
                    "accepted": figures[row.line_id].accepted
                    if row.line_id in figures
                    else None,
                    "batch": batches.get(row.line_id, ""),
                }
                for row in lines
            ],
            "inspection": _inspection(order),
        },
    )


def _batches(order) -> dict:
    """Each line's production batch numbers (生产批号)."""
    from production.models import ProductionPlan

    found: dict = {}
    for line_id, batch in (
        ProductionPlan.objects.filter(order=order)
        .exclude(status="closed")
        .order_by("id")
        .values_list("line_id", "batch_number")
    ):
        found[line_id] = "、".join(filter(None, [found.get(line_id), batch]))
    return found


@require_http_methods(["GET", "POST"])
def receipt(request, number):
    shipment = _shipment(request, number)
    require(request.user, "delivery.manage")
    form = ReceiptForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": shipment.version, "signed_on": timezone.localdate()},
    )
    posted = posted_quantities(request.POST, "got_") if request.method == "POST" else {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run(
            request,
            lambda: services.receipt_record(
                actor=request.user,
                shipment=shipment,
                signed_by=data["signed_by"],
                signed_on=data["signed_on"],
                received=posted,
                note=data["note"],
                quality_matter=data["quality_matter"],
                uploaded=data.get("file"),
                version=data["version"],
                form_token=data["form_token"],
            ),
            home=shipment.get_absolute_url(),
            back=request.path,
            form=form,
            done=_("The customer's receipt is recorded."),
            then=shipment.get_absolute_url(),
        )
        if answer is not None:
            return answer
    lines = list(shipment.lines.all())
    for row in lines:
        row.posted = posted.get(row.pk, "")
    return render(
        request,
        "delivery/receipt.html",
        {"shipment": shipment, "order": shipment.order, "form": form, "lines": lines},
        status=400 if form.is_bound else 200,
    )


@require_POST
def shortfall_close(request, number):
    order = _order(request, number, "delivery.manage")
    form = ShortfallForm(request.POST)
    back = order.get_absolute_url() + "#delivery"
    if not form.is_valid():
        from django.contrib import messages
        from django.shortcuts import redirect

        messages.error(request, form_error_text(form))
        return redirect(back)
    data = form.cleaned_data
    return run(
        request,
        lambda: services.shortfall_close(
            actor=request.user,
            order=order,
            line_id=data["line"],
            reason=data["reason"],
            agreed_by=data["agreed_by"],
            version=data["version"],
            form_token=data["form_token"],
        ),
        home=back,
        done=lambda c: (
            _("Closed %(quantity)s short with the customer's agreement.")
            % {"quantity": plain(c.quantity)}
        ),
    )


@require_http_methods(["GET", "POST"])
def date_agree(request, number):
    order = _order(request, number, "delivery.agree_date")
    form = DateAgreementForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": order.version, "agreed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = run(
            request,
            lambda: services.date_agree(
                actor=request.user,
                order=order,
                new_date=data["new_date"],
                agreed_by=data["agreed_by"],
                agreed_on=data["agreed_on"],
                reason=data["reason"],
                uploaded=data.get("file"),
                version=data["version"],
                form_token=data["form_token"],
            ),
            home=order.get_absolute_url(),
            back=request.path,
            form=form,
            done=_("The new date agreed with the customer is recorded."),
            then=order.get_absolute_url() + "#delivery",
        )
        if answer is not None:
            return answer
    return render(
        request,
        "delivery/date_form.html",
        {"order": order, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
def receipt_scan(request, pk):
    receipt = (
        CustomerReceipt.objects.select_related("shipment__order").filter(pk=pk).first()
    )
    if receipt is None or not receipt.file:
        raise Http404
    if not may(request.user, "delivery.view_shipment", receipt.shipment):
        raise Http404
    return download(receipt)


@require_GET
def agreement_file(request, pk):
    agreement = DateAgreement.objects.select_related("order").filter(pk=pk).first()
    if agreement is None or not agreement.file:
        raise Http404
    if not may(request.user, "delivery.view_order", agreement.order):
        raise Http404
    return download(agreement)
