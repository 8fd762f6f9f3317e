"""The import pages: choose what the file holds and upload it, see the preview,
confirm; a large file's page polls its progress (htmx). The templates are
downloaded here too."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import may, require
from core.concurrency import posted_version
from core.exceptions import ValidationError
from core.exports import Column, export_rows, stream_export
from core.views import run
from orders.models import Customer, Product

from . import services
from .forms import UploadForm
from .kinds import KINDS
from .models import ImportLog

RECENT = 10


@require_http_methods(["GET", "POST"])
def start(request):
    require(request.user, "imports.import_any")
    kinds = services.may_import(request.user)
    status = 200
    if request.method == "POST":
        posted = request.POST.get("kind")
        if posted in KINDS and posted not in kinds:
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            try:
                log = services.import_upload(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    uploaded=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                return redirect("imports:log", pk=log.pk)
        status = 400
    else:
        form = UploadForm(kinds=kinds, initial={"kind": request.GET.get("kind")})
    recent = ImportLog.objects.filter(user=request.user).select_related("user")[:RECENT]
    return render(
        request,
        "imports/start.html",
        {"form": form, "kinds": [KINDS[k] for k in kinds], "recent": recent},
        status=status,
    )


def _log(request, pk) -> ImportLog:
    log = get_object_or_404(ImportLog.objects.select_related("user"), pk=pk)
    if not may(request.user, "imports.view_import", log):
        raise Http404
    return log


@require_GET
def log_page(request, pk):
    log = _log(request, pk)
    return render(request, "imports/log.html", {"log": log})


@require_GET
def progress(request, pk):
    """The progress bar (htmx, polled while the import runs); done, the page reloads."""
    log = _log(request, pk)
    response = render(request, "imports/_progress.html", {"log": log})
    if not log.busy:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def confirm(request, pk):
    log = _log(request, pk)
    home = reverse("imports:log", kwargs={"pk": log.pk})
    return run(
        request,
        lambda: services.import_confirm(
            actor=request.user, log=log, version=posted_version(request.POST)
        ),
        home=home,
        then=home,
        done=lambda done: (
            _("Imported: %(new)s created, %(updated)s updated.")
            % {"new": done.records_new, "updated": done.records_updated}
            if done.status == ImportLog.Status.DONE
            else _("The import runs in the background; this page shows its progress.")
            if done.busy
            else done.message
        ),
    )


@require_GET
def template(request, kind):
    """The template of one import: its columns (required ones marked *) and an
    example row."""
    if kind not in KINDS:
        raise Http404
    spec = KINDS[kind]
    require(request.user, spec.permission)
    columns = [
        Column(
            f"{c.label}*" if c.required else c.label,
            c.key,
            "date" if c.key == "requested_date" else "text",
        )
        for c in spec.columns
    ]
    example = [c.example() if callable(c.example) else c.example for c in spec.columns]
    name = _("import-template-%(kind)s") % {"kind": kind}
    if request.GET.get("format") == "csv":
        return stream_export([example], columns, extension="csv", name=name)
    return stream_export([example], columns, extension="xlsx", name=name)


_CATALOGUE = {"customers": Customer, "products": Product}
_KINDS = {"credit_limit": "money", "unit_price": "money", "is_active": "bool"}


@require_GET
def export(request, kind):
    """The customers or the catalogue as a spreadsheet in the import's columns:
    export, edit, import again."""
    if kind not in _CATALOGUE:
        raise Http404
    require(request.user, f"imports.export_{kind}")
    model = _CATALOGUE[kind]
    columns = [
        Column(
            c.label,
            c.key,
            _KINDS.get(c.key, "number" if c.key == "material_thickness" else "text"),
            choices=model._meta.get_field(c.key).choices or None,
        )
        for c in KINDS[kind].columns
    ]
    name = str(KINDS[kind].label)
    extension = "csv" if request.GET.get("export") == "csv" else "xlsx"
    rows = export_rows(model.objects.order_by("pk"), columns)
    return stream_export(rows, columns, extension=extension, name=name)
