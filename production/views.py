from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require
from orders import selectors
from orders.exceptions import InvalidMove, ValidationError
from orders.models import Order

from . import services


@require_POST
def report_complete(request, number):
    require(request.user, "production.report_complete")
    try:
        order = selectors.orders_visible_to(request.user).get(number=number)
    except Order.DoesNotExist:
        raise Http404 from None
    require(request.user, "production.report_complete", order)
    try:
        services.production_report_complete(
            actor=request.user, order=order, note=request.POST.get("note", "")[:2000]
        )
    except (InvalidMove, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request, _("Production reported complete; the order moves to inspection.")
        )
    return redirect(order)
