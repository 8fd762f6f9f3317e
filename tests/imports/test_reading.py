"""The fast .xlsx reader reads what openpyxl reads: text, numbers, dates in any
date format (a Chinese one too), booleans, formulas' stored values."""

import io
from datetime import date, datetime

from openpyxl import Workbook

from imports.reading import _read_xlsx_openpyxl, read_sheet
from imports.xlsx import read_rows


def _book() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["客户", "数量", "交货日期", "含税", "备注"])
    sheet.append(["华东", 12, datetime(2027, 1, 5), True, "=x"])
    sheet.append(["华南", 1.5, datetime(2027, 2, 6), False, None])
    sheet["C3"].number_format = "yyyy年m月d日"
    sheet["E2"].data_type = "s"  # text that starts with "=", not a formula
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_the_fast_reader_agrees_with_openpyxl():
    data = _book()
    fast = read_sheet(data, "a.xlsx", limit=10)
    slow = _read_xlsx_openpyxl(data, "a.xlsx", 10)
    assert fast.headers == slow.headers
    assert fast.rows == slow.rows
    assert fast.rows[0][1][2] == date(2027, 1, 5)
    assert fast.rows[1][1][2] == date(2027, 2, 6)
    assert fast.rows[0][1][3] is True and fast.rows[0][1][4] == "=x"


def test_a_formula_without_its_value_is_named():
    book = Workbook()
    book.active.append(["a", "b"])
    book.active.append([1, "=A2*2"])
    stream = io.BytesIO()
    book.save(stream)
    _rows, gaps = read_rows(stream.getvalue())
    assert gaps == {(2, 1)}
