"""备料: purchasing's list of what is not ready and the order's materials form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import may, require
from core.exceptions import InvalidMove, ValidationError
from core.money import plain
from core.views import refusal_text

from .. import selectors, services
from ..exports import MATERIALS_COLUMNS
from ..filters import MaterialsFilter
from ..forms import MaterialLineFormSet, MaterialsForm
from .common import (
    _list_page,
    _order,
)


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
        export=(MATERIALS_COLUMNS, _("materials")),
        can_record=may(request.user, "production.manage_materials"),
    )


def materials(request, number):
    """备料: the order's materials as lines purchasing fills in (a formset), the
    deliveries recorded as they come ("arrived now")."""
    order = _order(request, number, "production.manage_materials")
    current = selectors.materials_for_form(order)
    if request.method == "POST":
        form = MaterialsForm(request.POST)
        formset = MaterialLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            rows = [
                services.MaterialLineData(
                    id=f.cleaned_data.get("id"),
                    material=f.cleaned_data.get("material", ""),
                    spec=f.cleaned_data.get("spec", ""),
                    quantity=f.cleaned_data.get("quantity"),
                    unit=f.cleaned_data.get("unit", ""),
                    supplier=f.cleaned_data.get("supplier", ""),
                    po_number=f.cleaned_data.get("po_number", ""),
                    expected_quantity=f.cleaned_data.get("expected_quantity"),
                    expected_date=f.cleaned_data.get("expected_date"),
                    arrived_now=f.cleaned_data.get("arrived_now"),
                    delete=bool(f.cleaned_data.get("DELETE")),
                )
                for f in formset.forms
                if f.cleaned_data
            ]
            try:
                services.materials_record(
                    actor=request.user,
                    order=order,
                    lines=rows,
                    product=form.cleaned_data["product"],
                    version=form.cleaned_data["version"] if current else None,
                )
            except (ValidationError, InvalidMove) as exc:
                form.add_error(None, refusal_text(exc))
            else:
                messages.success(
                    request,
                    _("Materials of order %(number)s saved.")
                    % {"number": order.number},
                )
                return redirect(order.get_absolute_url() + "#production")
        status = 400
    else:
        form = MaterialsForm(
            initial={
                "version": current.version if current else "",
                "product": current.product.model_code
                if current and current.product
                else "",
            }
        )
        formset = MaterialLineFormSet(
            prefix="lines",
            initial=[
                {
                    "id": line.pk,
                    "material": line.material,
                    "spec": line.spec,
                    "quantity": plain(line.quantity) if line.quantity else "",
                    "unit": line.unit,
                    "supplier": line.supplier,
                    "po_number": line.po_number,
                    "expected_quantity": plain(line.expected_quantity)
                    if line.expected_quantity is not None
                    else "",
                    "expected_date": line.expected_date,
                }
                for line in (current.lines.all() if current else [])
            ],
        )
        status = 200
    by_id = {line.pk: line for line in (current.lines.all() if current else [])}
    return render(
        request,
        "production/materials_form.html",
        {
            "order": order,
            "form": form,
            "formset": formset,
            "materials": current,
            "rows": [(f, by_id.get(_id_of(f))) for f in formset.forms],
        },
        status=status,
    )


def _id_of(form):
    raw = form["id"].value()
    return int(raw) if str(raw or "").isdigit() else None
