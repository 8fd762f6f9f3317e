"""How every app's views answer a posted page, written once: run one service and
answer as every page does — the success message and the redirect, a double submit,
a page opened before someone else's save, a refusal, the service's errors put back
on the form — and a refusal or a form's errors in words."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .exceptions import DuplicateSubmission, InvalidMove, StaleEdit, ValidationError

ALREADY_DONE = object()


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
    """Show a service's refusal on the form, field by field where it can (a
    formset's own errors under "lines")."""
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


def run(
    request,
    call: Callable,
    *,
    home: str = "/",
    done=None,
    then=None,
    form=None,
    formset=None,
    duplicate=ALREADY_DONE,
    back: str | None = None,
    on_stale: Callable | None = None,
):
    """Run one service for a posted page and answer as every page does.

    - success: the `done` message (text, or a function of the result) and a redirect
      to `then` (a URL, an object with get_absolute_url, a function of the result;
      by default `home`);
    - the same form posted twice (DuplicateSubmission): the first post did it — the
      `duplicate` message (by default "already submitted"; `done` repeats the
      success) and its address;
    - a page opened before someone else's save (StaleEdit): `on_stale(exc)` (the
      orders' stale page), else the message, back where the page came from;
    - a refusal (InvalidMove): the message, back on `back` (by default `home`);
    - invalid input (ValidationError): with a `form`, the errors go on it and None
      is returned so the view shows the form again (400); without, a message.
    """
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
        if on_stale is not None:
            return on_stale(exc)
        messages.error(request, str(exc))
        return redirect(back)
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


def download(stored) -> FileResponse:
    """A stored file (core.models.StoredFile) under the name it was given."""
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
