"""Stand-ins (代理审批): the general manager names and revokes them."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import require
from core.views import service_errors

from .. import services
from ..exceptions import DuplicateSubmission, ValidationError
from ..forms import DelegationForm
from ..models import ApprovalDelegation
from .order import _query, suggestions


def delegations(request):
    require(request.user, "orders.name_stand_in")
    if request.method == "POST" and "revoke" in request.POST:
        if not request.POST["revoke"].isdigit():
            raise Http404
        delegation = get_object_or_404(
            ApprovalDelegation,
            pk=request.POST["revoke"],
            principal=request.user,
            revoked_at__isnull=True,
        )
        services.delegation_revoke(actor=request.user, delegation=delegation)
        messages.success(request, _("Stand-in revoked."))
        return redirect("orders:delegations")
    form = DelegationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.delegation_create(actor=request.user, **form.cleaned_data)
            except DuplicateSubmission:
                return redirect("orders:delegations")
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("Stand-in named."))
                return redirect("orders:delegations")
        status = 400
    rows = ApprovalDelegation.objects.filter(principal=request.user).select_related(
        "delegate"
    )
    return render(
        request, "orders/delegations.html", {"form": form, "rows": rows}, status=status
    )


@require_GET
def staff_autocomplete(request):
    require(request.user, "orders.name_stand_in")
    query = _query(request).strip()
    users = get_user_model().objects.filter(is_active=True)
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(display_name__icontains=query)
        )
    return suggestions(
        request,
        [
            {"id": u.pk, "value": str(u), "hint": u.username, "extra": {}}
            for u in users.order_by("username")[:20]
        ],
    )
