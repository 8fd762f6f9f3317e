"""Every CSV and XLSX the product hands out goes through here, so that no text a
user typed can run as a formula in the reader's spreadsheet (CSV/formula injection).

- XLSX: text is written as text cells, never formulas (``=HYPERLINK(…)`` shows as
  typed); numbers, dates and amounts stay real numbers and dates.
- CSV: text starting with ``= + - @`` (or a tab / carriage return) gets a leading
  apostrophe, as OWASP recommends; numbers are written as numbers, so an amount of
  −5 stays −5 and a phone number ``+86 138…`` stays readable.

Both formats need native values (Decimal, date, int) to tell a number from text:
the helpers below ask django-import-export for them on every export, the admin's
included (`SafeExportAdminMixin`).
"""

from __future__ import annotations

from io import BytesIO

import tablib
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.formats import base_formats

# What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """CSV: text that a spreadsheet would run, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCSV(base_formats.CSV):
    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append([neutralise(value) for value in row])
        return super().export_data(safe, **kwargs)


class SafeXLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font

        book = Workbook(write_only=False)
        sheet = book.active
        sheet.title = (dataset.title or "Sheet1")[:31]
        if dataset.headers:
            sheet.append([str(header) for header in dataset.headers])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
        for row in dataset:
            sheet.append(
                [
                    ILLEGAL_CHARACTERS_RE.sub("-", v) if isinstance(v, str) else v
                    for v in row
                ]
            )
            for cell in sheet[sheet.max_row]:
                # openpyxl takes any text starting with "=" for a formula.
                if cell.data_type == "f":
                    cell.data_type = "s"
        stream = BytesIO()
        book.save(stream)
        return stream.getvalue()


EXPORT_FORMATS = (SafeCSV, SafeXLSX)
FORMAT_BY_EXTENSION = {"csv": SafeCSV, "xlsx": SafeXLSX}


def export_dataset(resource, queryset) -> tablib.Dataset:
    """The rows with their native types: what both formats need to keep numbers
    numbers and text text."""
    return resource.export(queryset, force_native_type=True)


def export_response(resource, queryset, extension: str, name: str) -> HttpResponse:
    """A download of `queryset` through `resource` as CSV (with a BOM, so that Excel
    opens UTF-8 Chinese correctly) or XLSX, named `<name>-<today>.<extension>`."""
    file_format = FORMAT_BY_EXTENSION[extension]()
    body = file_format.export_data(export_dataset(resource, queryset))
    if extension == "csv":
        body = "\ufeff" + body
    response = HttpResponse(body, content_type=file_format.get_content_type())
    if extension == "csv":
        response["Content-Type"] = "text/csv; charset=utf-8"
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{stamp}.{extension}"'
    )
    return response


class SafeExportAdminMixin:
    """For every ModelAdmin with django-import-export's export: only the safe
    formats, always with native values, and an export address whose filters the
    list cannot read refused with the 400 page (not a server error)."""

    export_formats = EXPORT_FORMATS

    def get_export_queryset(self, request):
        # The export filters its rows by the changelist's parameters; one the list
        # does not know (?format=csv) or cannot read made the changelist raise.
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters:
            names = "、".join(sorted(request.GET)) or "-"
            raise BadRequest(
                _(
                    "The export address carries a filter the list does not know or "
                    "cannot read (%(names)s). Open the list, filter it there and "
                    "export again."
                )
                % {"names": names}
            ) from None

    def get_export_data(self, file_format, request, queryset, **kwargs):
        kwargs["force_native_type"] = True
        if not self.has_export_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, **kwargs)
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data
