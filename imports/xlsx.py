"""A fast reader of an .xlsx's first sheet: its cells' stored values (a formula's
too), dates by their number format, shared and inline strings — the sheet's XML
read once, a row at a time, with none of openpyxl's per-cell objects. It also
names the formula cells that have no stored value. What it does not understand
raises, and the caller reads the file with openpyxl instead."""

from __future__ import annotations

import re
import zipfile
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# East Asian built-in date formats (年月日), not in openpyxl's table
CJK_DATES = set(range(27, 37)) | set(range(50, 59))
_REF = re.compile(r"([A-Z]+)(\d+)")


def _column(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def _text(element) -> str:
    """A shared or inline string: its runs' text, without phonetic guides."""
    parts = []
    for child in element:
        if child.tag == f"{MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{MAIN}r":
            for t in child.iter(f"{MAIN}t"):
                parts.append(t.text or "")
    return "".join(parts)


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, bool]:
    book = archive.read("xl/workbook.xml")
    from xml.etree.ElementTree import fromstring

    root = fromstring(book)
    pr = root.find(f"{MAIN}workbookPr")
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    sheet = root.find(f"{MAIN}sheets/{MAIN}sheet")
    rid = sheet.get(f"{REL}id")
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{PKG}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return path, date1904
    raise KeyError(rid)


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    from xml.etree.ElementTree import fromstring

    try:
        root = fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    custom = {
        int(f.get("numFmtId")): f.get("formatCode", "")
        for f in root.iter(f"{MAIN}numFmt")
    }
    dates = set()
    xfs = root.find(f"{MAIN}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else ()):
        number = int(xf.get("numFmtId", 0))
        code = custom.get(number, BUILTIN_FORMATS.get(number, ""))
        if number in CJK_DATES or (code and is_date_format(code)):
            dates.add(index)
    return dates


def _shared(archive: zipfile.ZipFile) -> list[str]:
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings = []
    with stream:
        for _event, element in iterparse(stream):
            if element.tag == f"{MAIN}si":
                strings.append(_text(element))
                element.clear()
    return strings


def read_rows(data: bytes):
    """(rows, gaps): [(row number, [values])] of the first sheet, and the (row
    number, column index) of formulas without a stored value."""
    import io

    archive = zipfile.ZipFile(io.BytesIO(data))
    path, date1904 = _first_sheet(archive)
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    dates = _date_styles(archive)
    shared = _shared(archive)
    rows, gaps = [], set()
    number = 0
    with archive.open(path) as stream:
        for _event, element in iterparse(stream):
            if element.tag != f"{MAIN}row":
                continue
            number = int(element.get("r") or number + 1)
            values: dict[int, object] = {}
            position = -1
            for cell in element.iter(f"{MAIN}c"):
                ref = cell.get("r")
                position = _column(_REF.match(ref).group(1)) if ref else position + 1
                kind = cell.get("t", "n")
                v = cell.find(f"{MAIN}v")
                raw = v.text if v is not None else None
                formula = cell.find(f"{MAIN}f") is not None
                if formula and raw in (None, "") and kind != "str":
                    gaps.add((number, position))
                    values[position] = None
                    continue
                if kind == "s":
                    value = shared[int(raw)] if raw is not None else None
                elif kind == "inlineStr":
                    inline = cell.find(f"{MAIN}is")
                    value = _text(inline) if inline is not None else None
                elif kind == "b":
                    value = raw == "1" if raw is not None else None
                elif kind in ("str", "e"):
                    value = raw
                elif raw is None or raw == "":
                    value = None
                else:
                    value = float(raw) if any(c in raw for c in ".eE") else int(raw)
                    if int(cell.get("s", 0)) in dates:
                        value = from_excel(value, epoch)
                values[position] = value
            width = max(values) + 1 if values else 0
            rows.append((number, [values.get(i) for i in range(width)]))
            element.clear()
    return rows, gaps
