#!/usr/bin/env python3
"""Check aws_layout.py and grade.py against the pass conditions of the reference.

    selftest.py [--random N] [--seed S]

Builds a workbook with aws_layout.py in a temporary folder, fills answer sets with openpyxl
(a few fixed ones, then N random ones, including wrong spellings such as " Yes", "NA" where
"N/A" is meant, lower case and empty cells), grades each with grade.py, and compares every
parent's grade, every parent's Met? status and the two counts with an oracle written here in
Python straight from the reference's pass conditions (case-insensitive, as Excel compares).
Ends with the line "N passed, N failed" and exits non-zero on any mismatch.
"""

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import aws_layout  # noqa: E402

REQ = aws_layout.REQ


def eq(v, s):
    return isinstance(v, str) and v.lower() == s.lower()


def filled(v):
    return v not in (None, "")


def oracle(c, e):
    """Pass conditions from the reference, by control; c and e map a row to its C / E value."""
    def yes(r):
        return eq(c[r], "Yes")

    def no(r):
        return eq(c[r], "No")

    caa_off = no(127)
    sdat_off = no(145)

    def res(r, resp):
        return (yes(r) and filled(e[resp])) or eq(c[r], "NA")
    grades = {
        "HOST-001": yes(14) and yes(15) and yes(16),
        "SUP-001": yes(21) or (no(21) and filled(e[20])),
        "WAFR-001": yes(26) and yes(27),
        "WAFR-002": yes(29),
        "ARC-001": no(35) or ((yes(35) or eq(c[35], "NA")) and filled(e[34])),
        "ARC-004": no(37),
        "ARC-005": yes(39),
        "ACOM-001": yes(44) or eq(c[44], "NA"),
        "ACOM-002": yes(46) or eq(c[46], "NA"),
        "IAM-001": yes(53),
        "IAM-002": yes(55) or (yes(56) and yes(57) and yes(58)),
        "IAM-003": yes(60),
        "IAM-004": yes(62),
        "IAM-005": no(64) or (yes(64) and eq(c[66], "Temporary")),
        "IAM-006": yes(68),
        "IAM-007": yes(70),
        "IAM-008": yes(72),
        "IAM-009": no(74),
        "IAM-010": yes(76),
        "IAM-011": yes(78),
        "IAM-012": (yes(80) or eq(c[80], "N/A")) and (yes(81) or eq(c[81], "N/A")),
        "SECOPS-001": yes(86),
        "NETSEC-001": yes(91) and yes(92),
        "NETSEC-002": yes(94) or (no(94) and filled(e[93])),
        "BAR-001": yes(99),
        "BAR-002": yes(101) and yes(102),
        "RES-001": res(107, 106),
        "RES-002": res(109, 108),
        "RES-004": res(111, 110),
        "RES-005": yes(113),
        "RES-006": no(115) or (yes(115) and yes(116)),
        "RES-007": yes(118),
        "S3-001": yes(123),
        "CAA-001": caa_off or yes(129),
        "CAA-007": caa_off or (yes(131) and filled(e[130])),
        "CAA-002": caa_off or yes(133),
        "CAA-004": caa_off or yes(135),
        "CAA-005": caa_off or yes(137),
        "CAA-006": caa_off or yes(139),
        "CAA-003": caa_off or yes(141),
        "SDAT-001": sdat_off or yes(147),
        "SDAT-002": sdat_off or yes(149) or (no(147) and eq(c[149], "N/A")),
        "SDAT-003": sdat_off or yes(151) or (no(149) and eq(c[151], "N/A")),
        "RCVP-001": no(156) or (yes(156) and yes(157)),
    }
    grades = {k: "Pass" if v else "Fail" for k, v in grades.items()}
    status = {}
    for row, cid, kind, answers, _cond, _desc in aws_layout.PARENTS:
        first = c[answers[0]]
        unanswered = eq(first, "<select>")
        if kind == "H":
            unanswered = any(eq(c[a], "<select>") for a in answers)
        if kind in ("S", "H"):
            status[cid] = "" if unanswered else ("Yes" if grades[cid] == "Pass" else "No")
        elif kind == "K":
            status[cid] = "" if unanswered else (0 if first is None else first)
        else:  # V
            status[cid] = ("" if unanswered else "No" if eq(first, "Yes")
                           else "Yes" if eq(first, "No") else False)
    return grades, status


FIXED = [
    ("brief example", {14: "Yes", 15: "Yes", 16: "Yes", 37: "No", 127: "No"}, {}),
    ("leading spaces", {14: " Yes", 15: " Yes", 16: " Yes", 37: " No", 66: " Temporary",
                        64: "Yes"}, {}),
    ("IAM-012 N/A", {80: "N/A", 81: "N/A"}, {}),
    ("IAM-012 NA", {80: "NA", 81: "NA"}, {}),
    ("responses", {21: "No", 35: "Yes", 94: "No", 107: "Yes", 109: "NA", 111: "Yes", 131: "Yes",
                   127: "Yes"}, {20: "Plan", 34: "Why", 93: "Why", 106: "4h", 130: "Link"}),
    ("no response", {21: "No", 35: "Yes", 94: "No", 107: "Yes", 131: "Yes", 127: "Yes"}, {}),
    ("gates and N/A", {145: "No", 149: "N/A", 147: "No", 44: "NA", 46: "na", 64: "Yes",
                       66: "Temporary", 115: "No", 156: "No"}, {}),
    ("empty answers", {14: None, 29: None, 37: None, 53: None}, {}),
]

VALUES = ["<select>", "Yes", "No", "NA", "N/A", " Yes", " No", "yes", "NO", None]
VALUES_L3 = ["<select>", "Static", "Temporary", "N/A", " Temporary", "temporary", None]


def random_set(rng):
    c, e = {}, {}
    for row, (_cid, _kind, lst, _g, _d) in aws_layout.ANSWERS.items():
        pool = VALUES_L3 if lst == "L3" else VALUES
        if rng.random() < 0.8:
            c[row] = rng.choice(pool)
    for p in aws_layout.PARENTS:
        if rng.random() < 0.4:
            e[p[0]] = rng.choice(["A response.", "x"])
    return c, e


def main(argv):
    import openpyxl
    n, seed = 20, 1
    if "--random" in argv:
        n = int(argv[argv.index("--random") + 1])
    if "--seed" in argv:
        seed = int(argv[argv.index("--seed") + 1])
    rng = random.Random(seed)
    sets = FIXED + [(f"random {i + 1}",) + random_set(rng) for i in range(n)]
    work = tempfile.mkdtemp(prefix="ftr-selftest-")
    passed = failed = 0
    try:
        base = os.path.join(work, "base.xlsx")
        aws_layout.build(base)
        for name, cset, eset in sets:
            wb = openpyxl.load_workbook(base)
            ws = wb[REQ]
            for row, v in cset.items():
                ws[f"C{row}"] = v
            for row, v in eset.items():
                ws[f"E{row}"] = v
            path = os.path.join(work, "filled.xlsx")
            wb.save(path)
            res = subprocess.run([sys.executable, os.path.join(HERE, "grade.py"), path],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if res.returncode != 0:
                print(f"FAIL {name}: grade.py exited {res.returncode}: {res.stderr.strip()}")
                failed += 1
                continue
            got = json.loads(res.stdout)
            c = {r: "<select>" for r in aws_layout.ANSWERS}
            c.update(cset)
            e = {p[0]: None for p in aws_layout.PARENTS}
            e.update(eset)
            grades, status = oracle(c, e)
            problems = []
            for cid, g in grades.items():
                if got["controls"][cid] != g:
                    problems.append(f"{cid} graded {got['controls'][cid]}, expected {g}")
                if got["status"][cid] != status[cid]:
                    problems.append(f"{cid} status {got['status'][cid]!r}, expected {status[cid]!r}")
            met = sum(1 for g in grades.values() if g == "Pass")
            if (got["controls_met"], got["controls_not_met"]) != (met, 44 - met):
                problems.append(f"counts {got['controls_met']}/{got['controls_not_met']}, "
                                f"expected {met}/{44 - met}")
            if got["warnings"]:
                problems.append(f"warnings {got['warnings']}")
            if problems:
                failed += 1
                print(f"FAIL {name}: " + "; ".join(problems))
            else:
                passed += 1
                print(f"ok   {name}: {met} met")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
