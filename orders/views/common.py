"""What every order view does the same way, written once: find the order an action
is asked on (403 / 404 as the rules say), run one service for a posted page and
answer as every page does, and show a service's refusal on the form it came from."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import require

from .. import history, selectors
from ..exceptions import DuplicateSubmission, InvalidMove, StaleEdit, ValidationError
from ..models import Order


def visible_order(request, number) -> Order:
    try:
        return selectors.orders_visible_to(request.user).get(number=number)
    except Order.DoesNotExist:
        raise Http404 from None


def order_for(request, number, action: str) -> Order:
    """The order an action is asked on: 403 when the user's roles never allow the
    action, 404 when they do not see the order, 403 when it is not theirs to act on
    (orders.permissions)."""
    require(request.user, action)
    order = visible_order(request, number)
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


def service_errors(form, exc: ValidationError, formset=None) -> None:
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


def stale(request, exc: StaleEdit, order: Order):
    """The "someone else saved first" page: what changed since, nothing saved."""
    return render(
        request,
        "orders/stale.html",
        {
            "message": exc,
            "order": order,
            "history": history.history(
                selectors.readable(request.user, order, exc.events)
            ),
        },
        status=409,
    )


ALREADY_DONE = object()


def run(
    request,
    call: Callable,
    *,
    order: Order | None,
    done=None,
    then=None,
    form=None,
    formset=None,
    duplicate=ALREADY_DONE,
    back=None,
):
    """Run one service for a posted page and answer as every page does.

    - success: the `done` message (text, or a function of the result) and a redirect
      to `then` (a URL, an object with get_absolute_url, a function of the result;
      by default the order);
    - the same form posted twice (DuplicateSubmission): the first post did it — the
      `duplicate` message (by default "already submitted"; `done` repeats the
      success) and its address;
    - a page opened before someone else's save (StaleEdit): the stale page (409);
    - a refusal (InvalidMove): the message, back on the order page (or `back`);
    - invalid input (ValidationError): with a `form`, the errors go on it and None
      is returned so the view shows the form again (400); without, a message.
    """
    home = order.get_absolute_url() if order is not None else "/"
    back = back or home
    try:
        result = call()
    except DuplicateSubmission as dup:
        text = _("This form was already submitted; it was saved once.")
        if duplicate is not ALREADY_DONE:
            text = duplicate
        if text:
            (messages.info if duplicate is ALREADY_DONE else messages.success)(
                request, text
            )
        return HttpResponseRedirect(dup.result_url or back)
    except StaleEdit as exc:
        return stale(request, exc, order)
    except InvalidMove as exc:
        messages.error(request, str(exc))
        return redirect(back)
    except ValidationError as exc:
        if form is None:
            messages.error(request, refusal_text(exc))
            return redirect(back)
        service_errors(form, exc, formset)
        return None
    if done:
        messages.success(request, done(result) if callable(done) else done)
    target = then(result) if callable(then) else then
    return redirect(target or home)
