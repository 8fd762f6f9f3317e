"""The drawings (图纸): upload a version, write the key requirements, issue, recall,
download. The upload and the requirements answer with the drawings section alone
through htmx (errors on the field, the page where it was)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.views import download, form_error_text, refusal_text, service_errors

from .. import panels, services
from ..exceptions import InvalidMove, ValidationError
from ..forms import DrawingForm, ReasonForm, RequirementsForm
from ..models import Drawing
from .common import order_for, run, visible_order


def _drawings_section(request, order, *, status=200, notice="", **forms):
    """The drawings section alone, for htmx: the page stays where the user is and a
    form's errors show on its fields."""
    context = panels.technical_panel(order, request.user)
    for name, form in forms.items():
        if form is not None:
            context[name] = form
    context.update(order=order, notice=notice, open_form=next(iter(forms), ""))
    return render(request, "orders/_drawings_section.html", context, status=status)


def _drawings_answer(request, order, form_name, form, done: str, refusal=None):
    """After an upload or a requirements save: with htmx the section again (422 with
    the errors on the form's fields); without, the order page with a message."""
    failed = refusal is not None or form.errors
    if request.htmx:
        if refusal is not None and not isinstance(refusal, InvalidMove):
            service_errors(form, refusal)
        elif refusal is not None:
            form.add_error(None, str(refusal))
        return _drawings_section(
            request,
            order,
            status=422 if failed else 200,
            notice="" if failed else done,
            **{form_name: form if failed else None},
        )
    if refusal is not None:
        messages.error(request, refusal_text(refusal))
    elif form.errors:
        messages.error(request, form_error_text(form))
    else:
        messages.success(request, done)
    return redirect(order)


@require_POST
def drawing_upload(request, number):
    order = order_for(request, number, "orders.manage_drawings")
    form = DrawingForm(request.POST, request.FILES, auto_id="drawing_%s")
    if not form.is_valid():
        return _drawings_answer(request, order, "drawing_form", form, "")
    try:
        drawing = services.drawing_upload(
            actor=request.user,
            order=order,
            title=form.cleaned_data["title"],
            uploaded=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
    except (ValidationError, InvalidMove) as exc:
        return _drawings_answer(request, order, "drawing_form", form, "", exc)
    done = _("Drawing %(title)s v%(version)s uploaded.") % {
        "title": drawing.title,
        "version": drawing.version,
    }
    return _drawings_answer(request, order, "drawing_form", form, done)


@require_POST
def requirements_write(request, number):
    order = order_for(request, number, "orders.manage_drawings")
    form = RequirementsForm(request.POST, auto_id="requirements_%s")
    if not form.is_valid():
        return _drawings_answer(request, order, "requirements_form", form, "")
    try:
        services.requirements_write(
            actor=request.user,
            order=order,
            quality=form.cleaned_data["quality"].splitlines(),
            process=form.cleaned_data["process"].splitlines(),
        )
    except (ValidationError, InvalidMove) as exc:
        return _drawings_answer(request, order, "requirements_form", form, "", exc)
    done = _("Key requirements saved.")
    return _drawings_answer(request, order, "requirements_form", form, done)


@require_POST
def drawings_issue(request, number):
    order = order_for(request, number, "orders.manage_drawings")
    return run(
        request,
        lambda: services.drawings_issue(
            actor=request.user, order=order, form_token=request.POST.get("form_token")
        ),
        order=order,
        then=order,
        done=_("Drawings issued."),
        duplicate=_("Drawings issued."),  # pressed twice: the first press issued them
    )


@require_POST
def drawings_recall(request, number):
    order = order_for(request, number, "orders.manage_drawings")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    return run(
        request,
        lambda: services.drawings_recall(
            actor=request.user, order=order, reason=reason
        ),
        order=order,
        done=lambda count: _("%(n)s issued drawing(s) recalled.") % {"n": count},
    )


@require_GET
def drawing_file(request, number, version):
    order = visible_order(request, number)
    drawing = get_object_or_404(Drawing, order=order, version=version)
    return download(drawing)
