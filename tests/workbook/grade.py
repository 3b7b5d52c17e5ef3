#!/usr/bin/env python3
"""Grade a filled FTR self-assessment workbook the way the spreadsheet itself does.

LibreOffice (headless) recalculates the workbook, then openpyxl reads the results:

    grade.py FILLED.xlsx [--no-force] [--rows ROWS.json]

prints one JSON object on stdout:

    {"controls": {"HOST-001": "Pass", ...},      parent rows' D (44 entries)
     "controls_met": 9, "controls_not_met": 35,  REQ!B4 and REQ!E4
     "inputs": {"C7": "<select>", ..., "E13": null, ...},
                                                  C of every answer/gate/sheet-level row and E of
                                                  every parent row (null = empty cell)
     "status": {"HOST-001": "Yes", ...},         parent rows' C ("" while unanswered)
     "recalculation": "forced" | "file settings",
     "warnings": [...]}                           e.g. a parent D that no longer holds its formula

By default the recalculation is FORCED: the private LibreOffice profile sets
/org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode to 0 ("always recalculate"), so stale
cached values in the file cannot leak into the verdict; that is what Excel shows when it
recalculates on open. --no-force leaves LibreOffice's defaults (OOXMLRecalcMode 1, "never
recalculate"), i.e. what a person opening the file in LibreOffice sees: cached values are kept,
and only formula cells without a cached value (or with an empty one) are computed.

The row map comes from rows.json beside this script (or --rows). Everything LibreOffice
writes (profile, output, its temp files) goes to one temporary folder that is removed at the
end, also on failure. Exit status 2 with a message on stderr when soffice is missing, the
conversion fails, or the file cannot be read.
"""

import json
import os
import shutil
import signal
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lo import Failure, convert  # noqa: E402

REQ = "Partner Hosted FTR Requirements"


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)


def grade(path, rows, force):
    import openpyxl
    try:
        with open(rows) as f:
            row_map = json.load(f)
    except (OSError, ValueError) as e:
        raise Failure(f"cannot read the row map {rows}: {e}")
    parents = [e for e in row_map if e["kind"] == "parent"]
    inputs = [e for e in row_map if e["kind"] in ("answer", "gate", "sheet")]
    work = tempfile.mkdtemp(prefix="ftr-grade-")
    try:
        src = os.path.join(work, "in", "filled.xlsx")
        os.makedirs(os.path.dirname(src))
        shutil.copyfile(path, src)
        warnings = []
        try:
            wb = openpyxl.load_workbook(src)
        except Exception as e:  # noqa: BLE001 - any reading error means "not a workbook"
            raise Failure(f"openpyxl cannot read {path}: {e}")
        if REQ not in wb.sheetnames:
            raise Failure(f"{path} has no sheet named {REQ!r}")
        ws = wb[REQ]
        for e in parents:
            d = ws[f"D{e['row']}"].value
            if not (isinstance(d, str) and d.startswith("=") and '"Pass"' in d):
                warnings.append(f"D{e['row']} ({e['id']}) holds no grading formula: {d!r}")
            if ws[f"A{e['row']}"].value != e["id"]:
                warnings.append(f"A{e['row']} reads {ws[f'A' + str(e['row'])].value!r}, "
                                f"not {e['id']!r}")
        for e in inputs:
            v = ws[f"C{e['row']}"].value
            if isinstance(v, str) and v.startswith("="):
                warnings.append(f"C{e['row']} ({e['id']}) holds a formula: {v!r}")
        out = convert(src, work, recalc_mode=0 if force else None)
        vals = openpyxl.load_workbook(out, data_only=True)[REQ]

        def value(ref):
            return vals[ref].value

        result = {
            "controls": {e["id"]: value(f"D{e['row']}") for e in parents},
            "controls_met": value("B4"),
            "controls_not_met": value("E4"),
            "inputs": {},
            "status": {e["id"]: "" if value(f"C{e['row']}") is None else value(f"C{e['row']}")
                       for e in parents},
            "recalculation": "forced" if force else "file settings",
            "warnings": warnings,
        }
        cells = sorted([("C", e["row"]) for e in inputs] + [("E", e["row"]) for e in parents],
                       key=lambda x: (x[1], x[0]))
        for col, row in cells:
            result["inputs"][f"{col}{row}"] = value(f"{col}{row}")
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    force = True
    rows = os.path.join(HERE, "rows.json")
    args = []
    it = iter(argv)
    for a in it:
        if a == "--no-force":
            force = False
        elif a == "--rows":
            rows = next(it, None)
            if rows is None:
                print("grade.py: --rows needs a file", file=sys.stderr)
                return 2
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("--"):
            print(f"grade.py: unknown option {a}", file=sys.stderr)
            return 2
        else:
            args.append(a)
    if len(args) != 1:
        print("usage: grade.py FILLED.xlsx [--no-force] [--rows ROWS.json]", file=sys.stderr)
        return 2
    if not os.path.isfile(args[0]):
        print(f"grade.py: no such file: {args[0]}", file=sys.stderr)
        return 2
    try:
        result = grade(args[0], rows, force)
    except Failure as e:
        print(f"grade.py: {e}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
