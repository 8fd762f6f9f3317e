"""备料: purchasing's list of what is not ready and the order's materials form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import may, require
from orders.exceptions import InvalidMove, ValidationError

from .. import selectors, services
from ..filters import MaterialsFilter
from ..forms import (
    MaterialsForm,
)
from ..models import (
    MaterialRequirement,
)
from .common import (
    _list_page,
    _order,
    _service_errors,
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
        can_record=may(request.user, "production.manage_materials"),
    )


def materials(request, number):
    order = _order(request, number, "production.manage_materials")
    current = MaterialRequirement.objects.filter(order=order).first()
    if request.method == "POST":
        form = MaterialsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.materials_record(
                    actor=request.user,
                    order=order,
                    items=data["items"],
                    status=data["status"],
                    expected_date=data["expected_date"],
                    product=data["product"],
                    version=data["version"] if current else None,
                )
            except (ValidationError, InvalidMove) as exc:
                if isinstance(exc, ValidationError):
                    _service_errors(form, exc)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Materials of order %(number)s saved.")
                    % {"number": order.number},
                )
                return redirect(order.get_absolute_url() + "#production")
        status = 400
    else:
        initial = {"status": MaterialRequirement.Status.NEEDED}
        if current:
            initial = {
                "version": current.version,
                "items": current.items,
                "product": current.product.model_code if current.product else "",
                "status": current.status,
                "expected_date": current.expected_date,
            }
        form = MaterialsForm(initial=initial)
        status = 200
    return render(
        request,
        "production/materials_form.html",
        {"order": order, "form": form, "materials": current},
        status=status,
    )
