"""Reading a spreadsheet someone was sent: `.xlsx`, or `.csv` as Chinese Excel/WPS
saves it (GBK/GB18030), or UTF-8 with or without a BOM — the encoding found, never
asked. The first sheet; its first non-empty row is the headers. A formula cell is
read as the value the spreadsheet stored with it; a formula with no stored value
(written by a program, never opened in Excel) is a problem of that cell."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

import filetype
from django.utils.translation import gettext as _

from core.exports import decode_text

EXTENSIONS = ("xlsx", "csv")


class Unreadable(Exception):
    """The file as a whole cannot be read: nothing of it is imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    headers: list[str]
    # (the row's number as the spreadsheet shows it, its cells)
    rows: list[tuple[int, list]]
    encoding: str = ""
    # (row number, column index) of formulas without a stored value
    formula_gaps: set[tuple[int, int]] = field(default_factory=set)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def read_sheet(data: bytes, name: str, *, limit: int) -> Sheet:
    extension = extension_of(name)
    if not data:
        raise Unreadable(_("The file is empty."))
    if extension == "xls":
        raise Unreadable(
            _(
                "“%(name)s” is an old Excel 97–2003 file (.xls); save it as .xlsx "
                "or .csv and upload it again."
            )
            % {"name": name}
        )
    if extension not in EXTENSIONS:
        raise Unreadable(
            _("“%(name)s” is not a spreadsheet: upload an .xlsx or a .csv file.")
            % {"name": name}
        )
    sheet = (
        _read_xlsx(data, name, limit)
        if extension == "xlsx"
        else _read_csv(data, name, limit)
    )
    if not sheet.headers:
        raise Unreadable(_("The file is empty."))
    if not sheet.rows:
        raise Unreadable(_("The file has its headers but no rows."))
    return sheet


def _not_a_spreadsheet(name: str) -> Unreadable:
    return Unreadable(
        _(
            "“%(name)s” is not a spreadsheet the system can read; its content is "
            "not .xlsx or .csv. Save it from Excel or WPS as .xlsx or .csv."
        )
        % {"name": name}
    )


def _too_many(limit: int) -> Unreadable:
    return Unreadable(
        _(
            "The file has more than %(limit)s rows, the most one import takes; "
            "split it into several files."
        )
        % {"limit": f"{limit:,}"}
    )


def _blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _cell(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime) and (value.hour, value.minute, value.second) == (
        0,
        0,
        0,
    ):
        return value.date()
    return value


def _collect(numbered_rows, limit: int) -> tuple[list[str], list[tuple[int, list]]]:
    headers: list[str] = []
    rows: list[tuple[int, list]] = []
    for number, values in numbered_rows:
        if _blank(values):
            continue
        if not headers:
            headers = ["" if v is None else str(v).strip() for v in values]
            while headers and not headers[-1]:
                headers.pop()
            continue
        if len(rows) >= limit:
            raise _too_many(limit)
        cells = [_cell(v) for v in values[: len(headers)]]
        cells += [None] * (len(headers) - len(cells))
        rows.append((number, cells))
    return headers, rows


def _read_xlsx(data: bytes, name: str, limit: int) -> Sheet:
    from .xlsx import read_rows

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        archive.getinfo("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise _not_a_spreadsheet(name) from None
    try:
        numbered, gaps = read_rows(data)
    except Exception:  # noqa: BLE001 - what the fast reader does not know: openpyxl
        return _read_xlsx_openpyxl(data, name, limit)
    headers, rows = _collect(numbered, limit)
    kept = {number for number, _cells in rows}
    return Sheet(headers, rows, formula_gaps={g for g in gaps if g[0] in kept})


def _read_xlsx_openpyxl(data: bytes, name: str, limit: int) -> Sheet:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        has_formulas = any(b"<f" in archive.read(n) for n in sheets)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - whatever is not a workbook is refused alike
        raise _not_a_spreadsheet(name) from None
    try:
        values = book.worksheets[0].iter_rows(values_only=True)
        headers, rows = _collect(enumerate(values, start=1), limit)
    finally:
        book.close()
    gaps: set[tuple[int, int]] = set()
    if has_formulas:
        gaps = _formula_gaps(data, {number: cells for number, cells in rows})
    return Sheet(headers, rows, formula_gaps=gaps)


def _formula_gaps(data: bytes, rows: dict[int, list]) -> set[tuple[int, int]]:
    """The formula cells whose stored value is missing (read as empty above)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    gaps = set()
    try:
        for number, values in enumerate(
            book.worksheets[0].iter_rows(values_only=True), start=1
        ):
            cells = rows.get(number)
            if cells is None:
                continue
            for index, value in enumerate(values[: len(cells)]):
                if (
                    isinstance(value, str)
                    and value.startswith("=")
                    and cells[index] is None
                ):
                    gaps.add((number, index))
    finally:
        book.close()
    return gaps


def _decode(data: bytes, name: str) -> tuple[str, str]:
    try:
        return decode_text(data)
    except UnicodeDecodeError:
        raise _not_a_spreadsheet(name) from None


def _read_csv(data: bytes, name: str, limit: int) -> Sheet:
    head = data[:8192]
    if b"\x00" in head or filetype.guess(head) is not None:
        raise _not_a_spreadsheet(name)
    try:
        text, encoding = _decode(data, name)
    except UnicodeDecodeError:
        raise _not_a_spreadsheet(name) from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers, rows = _collect(
            ((reader.line_num, values) for values in reader), limit
        )
    except csv.Error:
        raise _not_a_spreadsheet(name) from None
    return Sheet(headers, rows, encoding=encoding)
