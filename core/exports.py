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

import csv
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

import tablib
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
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


def decode_text(data: bytes) -> tuple[str, str]:
    """A CSV's text and the encoding found: UTF-8 with a BOM, UTF-8, else GBK/GB18030
    (what Chinese Excel and WPS save) — found, never asked. UnicodeDecodeError when
    it is none of them."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 BOM"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "GBK/GB18030"


class DetectedCSV(base_formats.CSV):
    """The admin's CSV import with the encoding found (decode_text), as the import
    pages read it."""

    def is_binary(self):
        # hand the bytes over: the admin would decode them as UTF-8 alone
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream, _encoding = decode_text(in_stream)
        return super().create_dataset(in_stream, **kwargs)


EXPORT_FORMATS = (SafeCSV, SafeXLSX)
IMPORT_FORMATS = (DetectedCSV, base_formats.XLSX)
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
    import_formats = IMPORT_FORMATS

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


# --- lists out, streamed ----------------------------------------------------------------
#
# A list page answers `?export=csv` / `?export=xlsx` with the whole filtered set it
# shows (not the page on screen), through `list_export(request, queryset, COLUMNS,
# name=...)`: the rows are read in chunks (`values_list(...).iterator()`), the CSV
# streamed as it is written, the XLSX written in openpyxl's write-only mode to a
# temporary file and streamed from there — memory stays bounded at any size.
# `{% include "includes/export_buttons.html" %}` puts the two buttons on the page.

EXPORT_KINDS = ("csv", "xlsx")
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    """One column of a list's export: its header (shown in the reader's language),
    the ORM path it reads (`customer__name`), and how its value is written: text,
    date, datetime (local time), money (two decimals), number, bool (是/否), or a
    stored code shown by its label (`choices`)."""

    header: object
    field: object  # an ORM path, or an expression (`person("salesperson")`)
    kind: str = "text"
    choices: tuple | None = None


def person(path: str):
    """A user as the pages show one (display name, else the user name), read in
    the export's one query: `Column(_("salesperson"), person("salesperson"))`."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce, NullIf

    return Coalesce(NullIf(f"{path}__display_name", Value("")), f"{path}__username")


def choices_of(model, name: str) -> tuple:
    """A model field's choices, for a Column that shows a stored code's label."""
    return tuple(model._meta.get_field(name).choices)


def _labels(column: Column) -> dict | None:
    if column.choices is None:
        return None
    return {code: str(label) for code, label in column.choices}


def _native(value, column: Column, labels):
    """The value as the spreadsheet should hold it (a date a date, an amount a
    number, a code its label)."""
    if value is None:
        return None
    if labels is not None:
        return labels.get(value, value)
    if column.kind == "datetime" and isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if column.kind == "bool":
        return (
            pgettext("spreadsheet cell", "yes")
            if value
            else pgettext("spreadsheet cell", "no")
        )
    if column.kind == "money":
        return Decimal(value).quantize(Decimal("0.01"))
    return value


def _csv_text(value, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if column.kind == "money":
            return f"{value:.2f}"
        return (
            format(value.normalize(), "f")
            if value == value.to_integral()
            else str(value.normalize())
        )
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


class _Echo:
    def write(self, value):
        return value


def _csv_stream(rows: Iterable, columns: Sequence[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    labels = [_labels(c) for c in columns]
    yield "\ufeff" + writer.writerow([neutralise(str(c.header)) for c in columns])
    batch = []
    for row in rows:
        batch.append(
            writer.writerow(
                [
                    _csv_text(_native(v, c, lab), c)
                    for v, c, lab in zip(row, columns, labels, strict=False)
                ]
            )
        )
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


_FORMATS = {
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "money": "#,##0.00",
}


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'styles" Target="styles.xml"/></Relationships>'
    ),
    # cell styles: 0 plain, 1 bold (the headers), 2 date, 3 date and time, 4 amount
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        'main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
        "</border></borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
        'borderId="0"/></cellStyleXfs><cellXfs count="5">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" '
        'applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    ),
}
_STYLE = {"date": 2, "datetime": 3, "money": 4}
_EPOCH = datetime(1899, 12, 30)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_cell(ref: str, value, style: int) -> str:
    """One cell's XML: text always an inline string (never a formula), numbers and
    dates as numbers, dates with their format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, datetime):
        serial = (value - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{style or 3}"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        serial = (value - _EPOCH.date()).days
        return f'<c r="{ref}" s="{style or 2}"><v>{serial}</v></c>'
    if isinstance(value, int | float | Decimal):
        shown = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return f'<c r="{ref}" s="{style}"><v>{shown}</v></c>'
    text = xml_escape(_ILLEGAL.sub("-", str(value)))
    return (
        f'<c r="{ref}" s="{style}" t="inlineStr"><is>'
        f'<t xml:space="preserve">{text}</t></is></c>'
    )


def write_xlsx(rows: Iterable, columns: Sequence[Column], target, title: str = ""):
    """The rows into `target` (a path or a binary file) as an .xlsx, its sheet
    written a row at a time straight into the zip (as openpyxl's write-only mode
    does, with none of its per-cell objects): memory stays bounded at any size.
    Text is always a text cell (never a formula); dates and amounts keep their
    type, formatted; the header row bold and frozen."""
    sheet_name = xml_escape((title or "Sheet1")[:31], {'"': "&quot;"})
    letters = [_column_letters(i) for i in range(len(columns))]
    labels = [_labels(c) for c in columns]
    styles = [_STYLE.get(c.kind, 0) for c in columns]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _XLSX_PARTS.items():
            archive.writestr(name, content)
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships"><sheets><sheet name="{sheet_name}" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                b'2006/main"><sheetViews><sheetView workbookViewId="0">'
                b'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                b'state="frozen"/></sheetView></sheetViews><sheetData>'
            )
            header = "".join(
                _xlsx_cell(f"{letter}1", str(column.header), 1)
                for letter, column in zip(letters, columns, strict=True)
            )
            batch = [f'<row r="1">{header}</row>']
            number = 1
            for row in rows:
                number += 1
                cells = "".join(
                    _xlsx_cell(f"{letter}{number}", _native(value, column, lab), style)
                    for value, column, lab, style, letter in zip(
                        row, columns, labels, styles, letters, strict=False
                    )
                )
                batch.append(f'<row r="{number}">{cells}</row>')
                if len(batch) >= 500:
                    sheet.write("".join(batch).encode())
                    batch = []
            batch.append("</sheetData></worksheet>")
            sheet.write("".join(batch).encode())


def _filename(name: str, extension: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"{name}-{stamp}.{extension}"


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def stream_export(
    rows: Iterable, columns: Sequence[Column], *, extension: str, name: str
) -> StreamingHttpResponse | FileResponse:
    """A download of `rows` (sequences in the columns' order) as CSV (UTF-8 with a
    BOM, so Excel opens Chinese correctly; streamed) or XLSX (write-only, from a
    temporary file), named `<name>-<today>.<extension>`."""
    filename = _filename(name, extension)
    if extension == "csv":
        response = StreamingHttpResponse(
            _csv_stream(rows, columns), content_type="text/csv; charset=utf-8"
        )
    else:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        write_xlsx(rows, columns, spool, title=name)
        spool.seek(0)
        response = FileResponse(
            spool,
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
    response["Content-Disposition"] = _disposition(filename)
    return response


def export_rows(queryset, columns: Sequence[Column]) -> Iterator[tuple]:
    """The queryset's rows for `columns`, read in chunks (one query per chunk, the
    queryset's order kept)."""
    return queryset.values_list(*[c.field for c in columns]).iterator(chunk_size=CHUNK)


def list_export(request, queryset, columns: Sequence[Column], *, name: str):
    """A list page's export: None unless the page was asked `?export=csv|xlsx`; then
    the whole of `queryset` — the list's own, already filtered and limited to what
    the user may see — as the download."""
    extension = request.GET.get("export")
    if extension not in EXPORT_KINDS:
        return None
    return stream_export(
        export_rows(queryset, columns), columns, extension=extension, name=name
    )
