#!/usr/bin/env python3
"""Opens an .xlsx workbook written by Clientscope with the independent `openpyxl` package
(PyPI) and checks it against what the caller expects. Run with the venv that
scripts/setup.sh makes:

    .venv/bin/python scripts/check_xlsx.py FILE.xlsx EXPECT.json   (or the JSON inline)

EXPECT is a JSON object:
    sheet    the first worksheet's name
    headers  the header row's texts, left to right (exactly these, no more)
    rows     the number of data rows under the header
    types    {header: "number" | "integer" | "percent" | "date" | "datetime" | "text"}:
             every non-empty cell of that column has that type ("number" a float or int,
             "integer" a whole number, "percent" a number with a % format, "date" and
             "datetime" real Excel dates, i.e. numbers with a date format that openpyxl
             reads as datetime, "text" a string); a column may also allow placeholder texts
             with "number?" etc. (texts without a letter or digit, such as "—")
    nonempty [header, ...]: columns with no empty cell
    cells    [[row, header, value], ...]: data row (1 = first under the header) and the
             exact value (dates as "YYYY-MM-DD" or "YYYY-MM-DD HH:MM[:SS]")

Always checked too: the header row is frozen (pane at A2), an autofilter covers the header
and every row, every column has a width set, and no cell holds a formula. Prints one line
and exits 0 when everything holds; prints every failure and exits 1 otherwise."""
import datetime
import json
import sys

import openpyxl
from openpyxl.utils import get_column_letter


def is_placeholder(v):
    return isinstance(v, str) and v != "" and not any(c.isalnum() for c in v)


def type_ok(kind, cell):
    v = cell.value
    if kind == "text":
        return isinstance(v, str)
    if kind in ("number", "integer", "percent"):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or cell.data_type != "n":
            return False
        if kind == "integer":
            return float(v).is_integer()
        if kind == "percent":
            return "%" in (cell.number_format or "")
        return True
    if kind == "date":
        return isinstance(v, datetime.datetime) and cell.is_date and (v.hour, v.minute, v.second) == (0, 0, 0)
    if kind == "datetime":
        return isinstance(v, datetime.datetime) and cell.is_date
    raise ValueError(f"unknown type {kind!r}")


def shown(v):
    if isinstance(v, datetime.datetime):
        if (v.hour, v.minute, v.second) == (0, 0, 0):
            return v.strftime("%Y-%m-%d")
        return v.strftime("%Y-%m-%d %H:%M:%S" if v.second else "%Y-%m-%d %H:%M")
    return v


def check(path, expect):
    errors = []
    wb = openpyxl.load_workbook(path)  # formulas stay formulas (data_only=False)
    ws = wb.worksheets[0]
    if "sheet" in expect and ws.title != expect["sheet"]:
        errors.append(f"sheet name {ws.title!r}, expected {expect['sheet']!r}")
    rows = list(ws.iter_rows())
    if not rows:
        return [f"{path}: the sheet is empty"]
    header = [c.value for c in rows[0]]
    while header and header[-1] is None:
        header.pop()
    if "headers" in expect and header != expect["headers"]:
        errors.append(f"headers {header}, expected {expect['headers']}")
    data = rows[1:]
    # Trailing rows with no value at all are not rows of the table.
    while data and all(c.value is None for c in data[-1]):
        data.pop()
    if "rows" in expect and len(data) != expect["rows"]:
        errors.append(f"{len(data)} data rows, expected {expect['rows']}")
    col = {h: i for i, h in enumerate(header)}
    for name, kind in expect.get("types", {}).items():
        if name not in col:
            errors.append(f"no column {name!r} to check as {kind}")
            continue
        loose = kind.endswith("?")
        kind = kind.rstrip("?")
        typed = 0
        for r, row in enumerate(data, start=1):
            cell = row[col[name]] if col[name] < len(row) else None
            if cell is None or cell.value is None:
                continue
            if type_ok(kind, cell):
                typed += 1
            elif not (loose and is_placeholder(cell.value)):
                errors.append(f"row {r} column {name!r}: {cell.value!r} ({type(cell.value).__name__}, format {cell.number_format!r}) is not {kind}")
        if data and typed == 0:
            errors.append(f"column {name!r} has no {kind} cell at all")
    for name in expect.get("nonempty", []):
        for r, row in enumerate(data, start=1):
            if name in col and (col[name] >= len(row) or row[col[name]].value in (None, "")):
                errors.append(f"row {r} column {name!r} is empty")
    for r, name, want in expect.get("cells", []):
        if name not in col or r > len(data):
            errors.append(f"no cell at row {r} column {name!r}")
            continue
        got = shown(data[r - 1][col[name]].value)
        if got != want:
            errors.append(f"row {r} column {name!r}: {got!r}, expected {want!r}")
    # The sheet's furniture: frozen header, autofilter over everything, widths, no formula.
    if ws.freeze_panes != "A2":
        errors.append(f"frozen pane at {ws.freeze_panes!r}, expected 'A2' (the header row)")
    last = f"A1:{get_column_letter(max(len(header), 1))}{len(data) + 1}"
    if ws.auto_filter.ref != last:
        errors.append(f"autofilter {ws.auto_filter.ref!r}, expected {last!r}")
    # openpyxl keeps a `<col min= max=>` span (adjacent columns of one width) under its
    # first column's letter, so a column counts as set when any span covers it.
    spans = [(d.min, d.max) for d in ws.column_dimensions.values() if d.customWidth and d.width and d.min and d.max]
    for i in range(1, len(header) + 1):
        if not any(lo <= i <= hi for lo, hi in spans):
            errors.append(f"column {get_column_letter(i)} has no width set")
    for row in rows:
        for c in row:
            if c.data_type == "f" or (isinstance(c.value, str) and c.data_type != "s" and c.value.startswith("=")):
                errors.append(f"{c.coordinate} holds a formula: {c.value!r}")
    return errors


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    path, spec = argv[1], argv[2]
    expect = json.loads(spec) if spec.lstrip().startswith("{") else json.load(open(spec, encoding="utf-8"))
    errors = check(path, expect)
    if errors:
        for e in errors:
            print(f"{path}: {e}")
        return 1
    print(f"{path}: ok ({expect.get('rows', '?')} rows, {len(expect.get('types', {}))} typed columns checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
