#!/usr/bin/env python3
"""Build a workbook in the layout of AWS's Partner Hosted FTR self-assessment workbook (2026.1).

We may not ship AWS's file, so the tests build one in the same layout: the same sheet names,
the same row numbers, the same data-validation lists (with their leading spaces), grading
formulas written from the pass conditions in shared/reference/self-assessment-workbook.md
(quirks included), guidance formulas that pick texts from a placeholder
"Supporting Information Required" sheet, and a protected summary sheet. Every text in
column B and in the other sheets is a placeholder in our own words.

Usage:
    aws_layout.py OUT.xlsx            the workbook as openpyxl saves it: no cached values,
                                      calcPr fullCalcOnLoad="1", inline strings
    aws_layout.py OUT.xlsx --baked    like AWS's shipped file: passed once through LibreOffice
                                      headless so formula cells carry cached values (every
                                      parent D "Fail", B4 0, E4 44) and text sits in shared
                                      strings; then what LibreOffice changed and Excel would
                                      not is put back (list items' leading spaces, frozen
                                      panes, the summary's tab colour), calcPr becomes AWS's
                                      <calcPr calcId="191029"/> (no fullCalcOnLoad), the
                                      Application Excel's, and a calcChain.xml is added
    aws_layout.py OUT.xlsx --baked-raw   LibreOffice's output as it is, without those repairs
    ... --report                      print on stderr what LibreOffice changed (JSON)
    aws_layout.py --rows-json         print the row map (tests/workbook/rows.json) on stdout

Needs only the standard library, openpyxl and (for --baked) the soffice command.
"""

import json
import os
import re
import shutil
import sys
import tempfile
import zipfile

REQ = "Partner Hosted FTR Requirements"
SUM = "FTR Results Summary"
EXP = "Explanation"
SIR = "Supporting Information Required"
INTRO = "Introduction"

VERSION = "2026.1"

# Data-validation lists on column C, exactly as AWS wrote them (note the spaces after commas).
LISTS = {
    "L1": '"<select>,Yes, No"',
    "L2": '"<select>,Yes, No, N/A"',
    "L3": '"<select>, Static, Temporary, N/A"',
    "L4": '"<select>, CIS v5.0, CIS v3.0"',
    "L5": '"Yes, No, NA"',
    "L6": '"Yes, No"',
}

# Empty spacer rows around the headings: no content, but list L6 on C.
SPACERS = [12, 17, 19, 22, 24, 30, 33, 40, 42, 47, 51, 82, 84, 87, 89, 95, 97, 103, 105,
           119, 121, 124, 126, 142, 144, 152, 154, 158]

# Section headings and other text rows without an ID (column A).
HEADINGS = {
    11: "Partner Hosted",
    18: "Support Level",
    23: "Architecture Review",
    31: "AWS root account",
    41: "Communications from AWS",
    48: "Identity and Access Management",
    83: "Operational security",
    88: "Network Security",
    96: "Backups and recovery",
    104: "Resiliency",
    120: "Amazon S3 bucket access",
    125: "Cross-account access",
    143: "Sensitive Data",
    153: "Regulatory Compliance Validation Process",
    159: "Optional - Questions\nPartner Feedback",
}
NOTES = {
    32: "Placeholder note: the root-user controls below matter only where root users have passwords.",
    49: "Placeholder IAM section intro (older wording, row hidden).",
    50: "Placeholder IAM section intro.",
}
MERGES = ["A1:E1", "A31:C31", "E31:F31", "A32:F32", "A50:C50", "A83:C83", "A88:C88",
          "A96:C96", "A104:C104", "A120:C120", "A125:C125"]

# --- Guidance ("G:") formulas -------------------------------------------------------------
# A guidance spec is a list of branches (cell tested, value, target); target is "Ok" or a
# cell of the SIR sheet such as "C7". The formula yields "" when no branch matches.


def std(row, sir, na="Ok"):
    """No -> SIR!C<sir>, Yes -> SIR!D<sir>, then the NA branch:
    "Ok": NA -> "Ok"; "E": NA -> SIR!E<sir>; "N/A-Ok": N/A -> "Ok"; "N/A-E": N/A -> SIR!E<sir>."""
    c = f"C{row}"
    third = {
        "Ok": (c, "NA", "Ok"),
        "E": (c, "NA", f"E{sir}"),
        "N/A-Ok": (c, "N/A", "Ok"),
        "N/A-E": (c, "N/A", f"E{sir}"),
    }[na]
    return [(c, "No", f"C{sir}"), (c, "Yes", f"D{sir}"), third]


def sir_ref(target):
    return '"Ok"' if target == "Ok" else f"'{SIR}'!{target}"


def guidance_formula(branches, final_else=True):
    out = '""' if final_else else None
    for cell, value, target in reversed(branches):
        if out is None:
            out = f'IF({cell}="{value}",{sir_ref(target)})'
        else:
            out = f'IF({cell}="{value}",{sir_ref(target)},{out})'
    return "=" + out


# --- Controls -----------------------------------------------------------------------------
# (row, id, status kind, answer rows, pass condition (Excel), description)
# Status kinds: S = "" while the first answer is <select>, else Yes/No from D;
# H = S but "" while any of the answers is <select> (HOST-001); K = copy of the answer;
# V = inverted answer (ARC-004).
SIRC22 = f"'{SIR}'!C22"
PARENTS = [
    (13, "HOST-001", "H", [14, 15, 16], 'AND(C14="Yes",C15="Yes",C16="Yes")',
     "The whole product, control and application planes, runs on AWS"),
    (20, "SUP-001", "S", [21], 'OR(C21="Yes",AND(C21="NO",E20<>""))',
     "Business support or higher, or an AWS escalation plan"),
    (25, "WAFR-001", "S", [26, 27], 'AND(C26="Yes",C27="Yes")',
     "Architecture reviewed at least once a year against a written standard"),
    (28, "WAFR-002", "K", [29], 'C29="Yes"',
     "Shared responsibility models for security and resilience read"),
    (34, "ARC-001", "S", [35],
     f'AND(OR(C35="Yes",C35="NA",C35="NO"),OR(E34<>"",E35={SIRC22}))',
     "Root user kept for the few tasks that need it"),
    (36, "ARC-004", "V", [37], 'C37="No"', "No access keys for the root user"),
    (38, "ARC-005", "K", [39], 'C39="Yes"', "Incident plan for security events"),
    (43, "ACOM-001", "K", [44], 'OR(C44="Yes",C44="Na")', "Alternate account contacts set"),
    (45, "ACOM-002", "K", [46], 'OR(C46="Yes",C46="Na")',
     "Account and root contacts owned by the company"),
    (52, "IAM-001", "S", [53], 'C53="Yes"', "MFA for every human identity"),
    (54, "IAM-002", "S", [55, 56, 57, 58], 'OR(C55="Yes",AND(C56="Yes",C57="Yes",C58="Yes"))',
     "Safeguards around long-lived IAM credentials"),
    (59, "IAM-003", "S", [60], 'C60="Yes"', "Strong password policy"),
    (61, "IAM-004", "S", [62], 'C62="Yes"', "One identity per person, nothing shared"),
    (63, "IAM-005", "S", [64, 66], 'OR(C64="No",AND(C64="Yes",C66="Temporary"))',
     "Third parties come in through roles with short-lived credentials"),
    (67, "IAM-006", "S", [68], 'C68="Yes"', "Least-privilege access"),
    (69, "IAM-007", "S", [70], 'C70="Yes"', "Access follows joiners, movers and leavers"),
    (71, "IAM-008", "S", [72], 'C72="Yes"', "Identities audited every quarter"),
    (73, "IAM-009", "S", [74], 'C74="No"', "No credentials inside application code"),
    (75, "IAM-010", "S", [76], 'C76="Yes"', "Secrets kept in a secure store"),
    (77, "IAM-011", "S", [78], 'C78="Yes"', "End-user credentials protected at rest"),
    (79, "IAM-012", "S", [80, 81], 'AND(OR(C80="Yes",C80="N/A"),OR(C81="Yes",C81="N/A"))',
     "Short-lived credentials for calls to AWS"),
    (85, "SECOPS-001", "S", [86], 'C86="Yes"', "Vulnerability scans and patching"),
    (90, "NETSEC-001", "S", [91, 92], 'AND(C91="Yes",C92="Yes")',
     "Security group rules as narrow as possible"),
    (93, "NETSEC-002", "S", [94], 'OR(C94="Yes",AND(C94="No",E93<>""))',
     "Resources kept out of public subnets"),
    (98, "BAR-001", "S", [99], 'C99="Yes"', "Automatic backups"),
    (100, "BAR-002", "S", [101, 102], 'AND(C101="Yes",C102="Yes")', "Restores are tested"),
    (106, "RES-001", "S", [107], 'AND(OR(C107="Yes",C107="NA"),OR(E106<>"",E107="Ok"))',
     "Recovery point objective set"),
    (108, "RES-002", "S", [109], 'AND(OR(C109="Yes",C109="NA"),OR(E108<>"",E109="Ok"))',
     "Recovery time objective set"),
    (110, "RES-004", "S", [111], 'AND(OR(C111="Yes",C111="NA"),OR(E110<>"",E111="Ok"))',
     "Resilience tested yearly and after big changes"),
    (112, "RES-005", "S", [113], 'C113="Yes"', "Customers told their part of resilience"),
    (114, "RES-006", "S", [115, 116], 'OR(C115="No",AND(C115="Yes",C116="Yes"))',
     "Architecture able to meet published availability targets"),
    (117, "RES-007", "S", [118], 'C118="Yes"', "Plan for telling customers about outages"),
    (122, "S3-001", "S", [123], 'C123="Yes"', "S3 bucket access reviewed"),
    (128, "CAA-001", "S", [129], 'OR(C127="No",C129="Yes")',
     "Cross-account roles to reach customer accounts"),
    (130, "CAA-007", "S", [131], 'OR(C127="No",AND(C131="Yes",E130<>""))',
     "Least-privilege role guidance or template for customers"),
    (132, "CAA-002", "S", [133], 'OR(C127="No",C133="Yes")', "External ID on cross-account roles"),
    (134, "CAA-004", "S", [135], 'OR(C127="No",C135="Yes")', "Partner creates the external IDs"),
    (136, "CAA-005", "S", [137], 'OR(C127="No",C137="Yes")', "External IDs unique per customer"),
    (138, "CAA-006", "S", [139], 'OR(C127="No",C139="Yes")',
     "Customers cannot change the external ID"),
    (140, "CAA-003", "S", [141], 'OR(C127="No",C141="Yes")',
     "Customer-supplied IAM keys retired"),
    (146, "SDAT-001", "S", [147], 'OR(C145="No",C147="Yes")', "Sensitive data found and classified"),
    (148, "SDAT-002", "S", [149], 'OR(C145="No",C149="Yes",AND(C147="No",C149="N/A"))',
     "Sensitive data encrypted at rest"),
    (150, "SDAT-003", "S", [151], 'OR(C145="No",C151="Yes",AND(C149="No",C151="N/A"))',
     "Sensitive data encrypted when it leaves the VPC"),
    (155, "RCVP-001", "S", [156, 157], 'OR(C156="No",AND(C156="Yes",C157="Yes"))',
     "Advertised compliance standards shown to be met"),
]

# Answer, gate and sheet-level rows: row -> (id, kind, list, guidance branches, description)
ANSWERS = {
    7: ("CIS Benchmark Report", "sheet", "L1", std(7, 2), "A CIS benchmark scan report is attached"),
    8: ("CIS Benchmark Report", "sheet", "L4",
        [("C8", "CIS v5.0", "C3"), ("C8", "CIS v3.0", "D3"), ("C7", "NA", "Ok")],
        "CIS benchmark version of the report"),
    9: ("General Availability", "sheet", "L1", std(9, 4), "The product is generally available"),
    14: ("HOST-001.1", "answer", "L1", std(14, 7), "All application infrastructure is on AWS"),
    15: ("HOST-001.2", "answer", "L1",
         [("C15", "No", "D8"), ("C15", "Yes", "C8"), ("C15", "Not-Applicable", "E8")],
         "Third-party services the product needs also run on AWS"),
    16: ("HOST-001.3", "answer", "L1",
         [("C16", "No", "C9"), ("C16", "Yes", "D9"), ("C16", "Not-Applicable", "E9")],
         "An architecture diagram comes with the submission"),
    21: ("SUP-001.1", "answer", "L1", std(21, 12, "E"), "Production accounts have business support or above"),
    26: ("WAFR-001.1", "answer", "L1", std(26, 16, "E"), "Architecture reviews happen regularly"),
    27: ("WAFR-001.2", "answer", "L1", std(27, 17, "E"), "A review happened in the last year"),
    29: ("WAFR-002.1", "answer", "L1", std(29, 19, "E"), "Both shared responsibility models were read"),
    35: ("ARC-001.1", "answer", "L1", std(35, 22), "Root user used beyond the root-only tasks"),
    37: ("ARC-004.1", "answer", "L1", std(37, 24), "The root user has access keys"),
    39: ("ARC-005.1", "answer", "L1", std(39, 26), "A written process to handle incidents exists"),
    44: ("ACOM-001.1", "answer", "L1", std(44, 31), "Alternate contacts are set"),
    46: ("ACOM-002.1", "answer", "L1", std(46, 33), "No personal addresses on account contacts"),
    53: ("IAM-001.1", "answer", "L1", std(53, 39, "E"), "MFA enforced for all people, IdP included"),
    55: ("IAM-002.1", "answer", "L1", std(55, 41, "E"), "Keys rotated within 90 days"),
    56: ("IAM-002.2", "answer", "L1", std(56, 42, "E"), "Static keys are listed with their uses"),
    57: ("IAM-002.3", "answer", "L2", std(57, 43, "N/A-E"), "CloudTrail watched for key misuse"),
    58: ("IAM-002.4", "answer", "L2", std(58, 44, "N/A-E"), "Runbook to revoke misused keys"),
    60: ("IAM-003.1", "answer", "L1", std(60, 46, "E"), "Password policy enforced"),
    62: ("IAM-004.1", "answer", "L1", std(62, 48, "E"), "Every user has their own credentials"),
    64: ("IAM-005.1", "answer", "L1", std(64, 50), "Third parties can reach the production workload"),
    66: ("IAM-005.2", "answer", "L3",
         [("C66", "Static", "C51"), ("C66", "Temporary", "D51"), ("C66", "N/A", "Ok")],
         "Kind of credentials third parties get"),
    68: ("IAM-006.1", "answer", "L1", std(68, 54), "Least privilege when granting access"),
    70: ("IAM-007.1", "answer", "L1", std(70, 56), "Policy for leavers and role changes"),
    72: ("IAM-008.1", "answer", "L1", std(72, 58), "Identities audited last quarter"),
    74: ("IAM-009.1", "answer", "L1", std(74, 60, "E"), "Credentials are hard-coded somewhere"),
    76: ("IAM-010.1", "answer", "L1", std(76, 62, "E"), "A secret store with encryption and logging"),
    78: ("IAM-011.1", "answer", "L1", std(78, 64), "End-user credentials encrypted at rest"),
    80: ("IAM-012.1", "answer", "L2", std(80, 66, "N/A-E"), "Roles for all AWS calls from compute"),
    81: ("IAM-012.2", "answer", "L2", std(81, 67, "N/A-E"), "Unavoidable static keys stored safely"),
    86: ("SECOPS-001", "answer", "L1", std(86, 73), "A scheduled scan-and-patch process"),
    91: ("NETSEC-001.1", "answer", "L1", std(91, 78), "Default security group blocks everything"),
    92: ("NETSEC-001.2", "answer", "L1", std(92, 79), "No SSH or RDP open to the world"),
    94: ("NETSEC-002.1", "answer", "L1", std(94, 82), "Everything sits in private subnets"),
    99: ("BAR-001.1", "answer", "L1", std(99, 87), "Critical data backed up automatically"),
    101: ("BAR-002.1", "answer", "L1", std(101, 89), "Restores are practised"),
    102: ("BAR-002.2", "answer", "L1", std(102, 90), "Restores retested after big changes"),
    107: ("RES-001.1", "answer", "L1", std(107, 95), "An RPO has been set"),
    109: ("RES-002.1", "answer", "L1", std(109, 97), "An RTO has been set"),
    111: ("RES-004.1", "answer", "L1", std(111, 99), "Resilience tests were run"),
    113: ("RES-005.1", "answer", "L1", std(113, 101, "E"), "Customer duties for resilience are written down"),
    115: ("RES-006.1", "answer", "L1", std(115, 103), "Availability targets are published"),
    116: ("RES-006.2", "answer", "L2", std(116, 104, "N/A-Ok"), "The architecture can meet them"),
    118: ("RES-007.1", "answer", "L1", std(118, 106), "An outage communication plan exists"),
    123: ("S3-001.1", "answer", "L1", std(123, 111, "E"), "Bucket access levels reviewed regularly"),
    127: ("CAA-000", "gate", "L1", std(127, 115), "The partner reaches into customers' AWS accounts"),
    129: ("CAA-001.1", "answer", "L2", std(129, 117, "N/A-Ok"), "Cross-account roles are used"),
    131: ("CAA-007.1", "answer", "L2", std(131, 119, "N/A-Ok"), "Customers get role setup guidance"),
    133: ("CAA-002.1", "answer", "L2", std(133, 121, "N/A-Ok"), "An external ID is used"),
    135: ("CAA-004.1", "answer", "L2", std(135, 123, "N/A-Ok"), "The partner generates external IDs"),
    137: ("CAA-005.1", "answer", "L2", std(137, 125, "N/A-Ok"), "External IDs are unique by design"),
    139: ("CAA-006.1", "answer", "L2", std(139, 127, "N/A-Ok"), "Customers cannot edit the external ID"),
    141: ("CAA-003.1", "answer", "L2", std(141, 129, "N/A-Ok"), "Customer IAM keys are retired"),
    145: ("SDAT-000", "gate", "L1", std(145, 133), "The solution stores personal data"),
    147: ("SDAT-001.1", "answer", "L1", std(147, 135), "Data classification review exists"),
    149: ("SDAT-002.1", "answer", "L1", std(149, 137, "E"), "All sensitive data encrypted at rest"),
    151: ("SDAT-003.1", "answer", "L1", std(151, 139, "E"), "All sensitive data encrypted in transit"),
    156: ("RCVP-001.1", "answer", "L1",
          [("C156", "No", "C144"), ("C156", "Yes", "D144"), ("C149", "NA", "E144")],
          "The product is marketed as meeting compliance standards"),
    157: ("RCVP-001.2", "answer", "L1",
          [("C157", "No", "C145"), ("C157", "Yes", "D145"), ("C156", "NA", "E145")],
          "A process keeps those standards met"),
}

HIDDEN_ROW = 65  # leftover duplicate of IAM-005.2: C = "Yes", list L5, read by no formula
FEEDBACK = {
    161: ("OPT-001.1", "Hours spent on this checklist"),
    162: ("OPT-001.2", "People who worked on it"),
    163: ("OPT-001.3", "Controls that were hard to understand"),
    164: ("OPT-001.4", "Controls that were hard to put in place"),
    165: ("OPT-001.5", "Other trouble with the submission"),
}

# Hidden column D of answer rows: a guidance formula like E, except on these rows (none),
# and with the quirks the reference lists.
D_MISSING = {15, 27, 56, 57, 58, 66, 74, 81}
# Leftover F formulas (AWS reviewers' column): test D = "No"/"Yes", which never happens.
F_LEFTOVER = [111, 123, 127, 129, 131, 133, 135, 137, 139, 141]

# SUM column E: which answer rows' E are joined (default: all answer rows of the control).
SUM_E_ROWS = {"HOST-001": [14], "IAM-012": [80]}
SUM_E_TRAILING_NEWLINE = {"NETSEC-001"}
SUM_NO_RESPONSE = {"ARC-005"}

# SIR rows whose column A label is stale in AWS's file (the content still fits the reader).
SIR_STALE_LABELS = {24: "ARC-002.1", 99: "RES-003.1", 119: "CAA-002.1", 129: "CAA-007.1"}
# SIR cells that are empty in AWS's file although a formula reads them.
SIR_EMPTY = {"E17", "E19", "E42", "E133"}
SIR_C22 = "Placeholder C22: stop using the root user for everyday work; keep it for root-only tasks."


def parent_of():
    out = {}
    for row, cid, _kind, answers, _cond, _desc in PARENTS:
        for a in answers:
            out[a] = cid
    return out


def row_map():
    """The row map in sheet order: every row with an ID in column A of REQ."""
    owner = parent_of()
    entries = []
    for row, (cid, kind, lst, _g, _d) in ANSWERS.items():
        e = {"row": row, "id": cid, "kind": kind, "list": lst}
        if kind == "answer":
            e["control"] = owner[row]
        entries.append(e)
    for row, cid, _kind, answers, _cond, _desc in PARENTS:
        entries.append({"row": row, "id": cid, "kind": "parent", "answers": answers})
    entries.append({"row": HIDDEN_ROW, "id": "IAM-005.2", "kind": "hidden", "list": "L5"})
    for row, (cid, _d) in FEEDBACK.items():
        entries.append({"row": row, "id": cid, "kind": "feedback"})
    entries.sort(key=lambda e: e["row"])
    return entries


def status_formula(kind, answers, row):
    first = f"C{answers[0]}"
    if kind == "H":
        sel = ",".join(f'C{a}="<select>"' for a in answers)
        return f'=IF(OR({sel}),"",IF(D{row}="Pass","Yes","No"))'
    if kind == "S":
        return f'=IF({first}="<select>","",IF(D{row}="Pass","Yes","No"))'
    if kind == "K":
        return f'=IF({first}="<select>","",{first})'
    if kind == "V":
        return f'=IF({first}="<select>","",IF({first}="Yes","No",IF({first}="No","Yes",FALSE)))'
    raise ValueError(kind)


def answer_d_formula(row, branches):
    """Hidden column D of an answer row: the guidance formula, with AWS's quirks."""
    if row in D_MISSING:
        return None
    if row == 16:  # points to SIR row 12
        branches = [(c, v, re.sub(r"\d+$", "12", t) if t != "Ok" else t) for c, v, t in branches]
    elif row == 46:  # SIR!E33 for Yes
        branches = [(c, v, "E33" if v == "Yes" else t) for c, v, t in branches]
    elif row == 86:  # columns C and D swapped
        branches = [(c, v, {"C": "D", "D": "C"}.get(t[0], t[0]) + t[1:] if t != "Ok" else t)
                    for c, v, t in branches]
    elif row == 37:  # no final else: FALSE
        return guidance_formula(branches, final_else=False)
    return guidance_formula(branches)


def build(path):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.hyperlink import Hyperlink

    wb = Workbook()
    intro = wb.active
    intro.title = INTRO
    req = wb.create_sheet(REQ)
    summ = wb.create_sheet(SUM)
    expl = wb.create_sheet(EXP)
    sir = wb.create_sheet(SIR)
    for ws in (req, summ, expl):
        ws.sheet_properties.tabColor = TAB_COLORS[ws.title]
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    unlocked = Protection(locked=False)

    # Introduction
    intro["A1"] = "Placeholder title: FTR self-assessment, Partner Hosted (test layout)"
    for r, text in zip(range(3, 7), ["Placeholder link 1", "Placeholder link 2",
                                     "Placeholder link 3", "Placeholder link 4"]):
        intro.cell(row=r, column=1, value=text)
    intro["A8"] = "Placeholder letter to partners."
    intro["A10"] = "Version"
    intro["B10"] = VERSION

    # REQ: top rows and header
    req["A1"] = ("Placeholder sheet title. CIS-tagged controls are covered by the account scan, "
                 "so attach its report; grey cells fill themselves in.")
    req["A2"] = "FTR Percent Complete"
    req["B2"] = "=B4/E4"
    req["B2"].number_format = "0.0%"
    req["A3"] = "Provisional FTR Outcome"
    req["C3"] = "Pass / Fail / Further Review"
    req["A4"] = "Controls Met"
    req["B4"] = '=COUNTIF(D:D,"Pass")'
    req["C4"] = "Controls Not Met"
    req["E4"] = '=COUNTIF(D:D,"Fail")'
    for col, text in zip("ABCDEF", ["ID", "Requirement Description", "Met? (Yes/No/NA)",
                                    "Approval Requirements", "Partner Response / Guidance ",
                                    "AWS Solution Architect Comments ONLY"]):
        req[f"{col}5"] = text
        req[f"{col}5"].font = bold
    heading_fill = PatternFill("solid", fgColor="FF1F497D")
    for r, text in HEADINGS.items():
        req.cell(row=r, column=1, value=text).font = Font(bold=True, color="FFFFFFFF")
        req.cell(row=r, column=1).fill = heading_fill
    for r, text in NOTES.items():
        req.cell(row=r, column=1, value=text)
    for col, text in zip("ABC", ["ID", "Feedback Question", "Answer"]):
        req[f"{col}160"] = text
        req[f"{col}160"].font = bold

    # Answer, gate and sheet-level rows
    for row, (cid, kind, _lst, branches, desc) in ANSWERS.items():
        req.cell(row=row, column=1, value=cid)
        req.cell(row=row, column=2, value=desc)
        c = req.cell(row=row, column=3, value="<select>")
        c.protection = unlocked
        req.cell(row=row, column=5, value=guidance_formula(branches))
        if kind == "answer":
            d = answer_d_formula(row, branches)
            if d:
                req.cell(row=row, column=4, value=d)
        elif kind == "gate":
            req.cell(row=row, column=4, value=guidance_formula(branches[:2]))
    # Hidden leftover duplicate
    req.cell(row=HIDDEN_ROW, column=1, value="IAM-005.2")
    req.cell(row=HIDDEN_ROW, column=3, value="Yes")
    # Parents
    for i, (row, cid, kind, answers, cond, desc) in enumerate(PARENTS):
        a = req.cell(row=row, column=1, value=cid)
        a.hyperlink = Hyperlink(ref=f"A{row}", location=f"'{EXP}'!A{3 + i}", display=cid)
        a.font = bold
        req.cell(row=row, column=2, value=desc).font = bold
        req.cell(row=row, column=3, value=status_formula(kind, answers, row))
        req.cell(row=row, column=4, value=f'=IF({cond},"Pass","Fail")')
        if row not in (63, 75):  # E63 and E75 are locked in AWS's file, though still empty
            req.cell(row=row, column=5).protection = unlocked
    for gate_row, target in ((127, 37), (145, 41)):
        req.cell(row=gate_row, column=1).hyperlink = Hyperlink(
            ref=f"A{gate_row}", location=f"'{EXP}'!A{target}", display=req.cell(row=gate_row, column=1).value)
    # Leftover F formulas
    for row in F_LEFTOVER:
        sir_row = {111: 99, 123: 111}.get(row)
        if row == 123:
            req.cell(row=row, column=6,
                     value=f"=IF(D123=\"No\",'{SIR}'!C111,IF(D123=\"Yes\",'{SIR}'!D111,IF(D123=\"NA\",'{SIR}'!F109,\"\")))")
        else:
            sir_row = sir_row or {127: 115}.get(row) or (117 + (row - 129))
            req.cell(row=row, column=6,
                     value=f"=IF(D{row}=\"No\",'{SIR}'!C{sir_row},IF(D{row}=\"Yes\",'{SIR}'!D{sir_row},\"\"))")
    # Feedback rows
    for row, (cid, desc) in FEEDBACK.items():
        req.cell(row=row, column=1, value=cid)
        req.cell(row=row, column=2, value=desc)
        req.cell(row=row, column=3).protection = unlocked

    # Data validations on C (and the few others the reference lists)
    by_list = {k: [] for k in LISTS}
    for row, (_cid, _kind, lst, _g, _d) in ANSWERS.items():
        by_list[lst].append(f"C{row}")
    by_list["L5"].append(f"C{HIDDEN_ROW}")
    by_list["L6"].extend(f"C{r}" for r in SPACERS)
    for code, cells in by_list.items():
        dv = DataValidation(type="list", formula1=LISTS[code], allow_blank=True)
        dv.sqref = " ".join(cells)
        req.add_data_validation(dv)
    t0 = DataValidation(allow_blank=True, showInputMessage=True,
                        promptTitle="Generated", prompt="This cell fills itself in.")
    t0.sqref = " ".join(f"C{p[0]}" for p in PARENTS)
    req.add_data_validation(t0)
    b99 = DataValidation(type="list", formula1='"No,Yes"', allow_blank=True)
    b99.sqref = "B99"
    req.add_data_validation(b99)
    btyp = DataValidation(allow_blank=True)
    btyp.sqref = "B94 B101:B102 B107 B109 B111 B115:B116 B127 B129 B131 B145 B147"
    req.add_data_validation(btyp)
    etyp = DataValidation(allow_blank=True)
    etyp.sqref = "E7:E9"
    req.add_data_validation(etyp)

    # Layout of REQ
    for rng in MERGES:
        req.merge_cells(rng)
    for col, width in zip("ABCDEF", [36.66, 57.83, 27.66, 15.5, 54.66, 51]):
        req.column_dimensions[col].width = width
    req.column_dimensions["D"].hidden = True
    for r in (3, 49, 65):
        req.row_dimensions[r].hidden = True
    req.freeze_panes = "A6"
    req.sheet_format.defaultColWidth = 51
    for r in range(6, 166):
        for col in "ABE":
            req[f"{col}{r}"].alignment = wrap

    # SIR: header and placeholder texts in the rows the formulas read
    for col, text in zip("ABCDE", ["Controls ID", "Role", "Remediations steps if no",
                                   "Follow-ups if yes", "Follow-ups if NA"]):
        sir[f"{col}1"] = text
        sir[f"{col}1"].font = bold
    refs = set()
    for row, (_cid, _kind, _lst, branches, _d) in ANSWERS.items():
        for _c, _v, t in branches:
            if t != "Ok":
                refs.add(t)
        d = answer_d_formula(row, branches) if ANSWERS[row][1] == "answer" else None
        for t in re.findall(r"'!([A-F]\d+)", d or ""):
            refs.add(t)
    refs.update({"F109", "E104"})
    labels = {}
    for row, (cid, _kind, _lst, branches, _d) in ANSWERS.items():
        for _c, _v, t in branches:
            if t != "Ok":
                labels.setdefault(int(t[1:]), cid)
    labels.update(SIR_STALE_LABELS)
    for r, cid in labels.items():
        sir.cell(row=r, column=1, value=cid)
    for ref in sorted(refs, key=lambda x: (int(x[1:]), x[0])):
        if ref in SIR_EMPTY:
            continue
        col = ref[0]
        kind = {"C": "remediation if no", "D": "follow-up if yes",
                "E": "follow-up if NA", "F": "leftover"}[col]
        sir[ref] = f"Placeholder {ref}: {kind}."
    sir["C22"] = SIR_C22
    sir["E104"] = "OK"
    sir.column_dimensions["B"].hidden = True
    sir.row_dimensions[50].hidden = True
    sir.freeze_panes = "A2"
    for col, width in zip("ABCDE", [20, 10, 60, 60, 60]):
        sir.column_dimensions[col].width = width

    # SUM
    summ["A1"] = "Placeholder title: FTR results summary"
    summ.merge_cells("A1:D1")
    for col, text in zip("ABCDE", ["ID", "Requirement Description", "Met?", "Partner Response",
                                   "Guidance"]):
        summ[f"{col}2"] = text
        summ[f"{col}2"].font = bold
    q = f"'{REQ}'!"
    summ["A4"] = "CIS Benchmark Report"
    summ["B4"] = "A CIS benchmark scan report is attached"
    summ["C4"] = f"={q}C7"
    summ["E4"] = f"={q}E7"
    for i, (row, cid, _kind, answers, _cond, desc) in enumerate(PARENTS):
        r = 5 + i
        summ[f"A{r}"] = cid
        summ[f"B{r}"] = desc
        summ[f"C{r}"] = f"={q}C{row}"
        if cid not in SUM_NO_RESPONSE:
            summ[f"D{r}"] = f'=IF({q}E{row}="","",{q}E{row})'
        joined = "&CHAR(10)&".join(f"{q}E{a}" for a in SUM_E_ROWS.get(cid, answers))
        if cid in SUM_E_TRAILING_NEWLINE:
            joined += "&CHAR(10)"
        summ[f"E{r}"] = "=" + joined
        for col in "BDE":
            summ[f"{col}{r}"].alignment = wrap
    for col, width in zip("ABCDE", [35.5, 59.83, 10.16, 41.5, 93.83]):
        summ.column_dimensions[col].width = width
    summ.protection.sheet = True
    summ.protection.password = "ftr-test-layout"

    # Explanation
    expl["A1"] = "Placeholder title: how each control is judged"
    for col, text in zip("ABCDEFG", ["ID", "Requirement Description", "Why is this important? ",
                                     "Criteria for passing this control",
                                     "Examples of acceptable Criteria",
                                     "Examples of unacceptable practice ",
                                     "Technical enablement resources "]):
        expl[f"{col}2"] = text
        expl[f"{col}2"].font = bold
    old_ids = {"ARC-004": "ARC-002", "ARC-005": "ARC-003"}
    for i, (_row, cid, _k, _a, _c, desc) in enumerate(PARENTS):
        r = 3 + i
        expl[f"A{r}"] = old_ids.get(cid, cid)
        expl[f"B{r}"] = desc
        for col in "CDEFG":
            expl[f"{col}{r}"] = f"Placeholder {col}{r}."
    expl.freeze_panes = "A3"

    wb.active = 0
    wb.save(path)


# --- Baking through LibreOffice -----------------------------------------------------------

def cells_of(sqref):
    """Every cell of a space-separated list of ranges, e.g. "C7 C14:C16"."""
    from openpyxl.utils.cell import range_boundaries, get_column_letter
    out = []
    for rng in str(sqref).split():
        c1, r1, c2, r2 = range_boundaries(rng)
        out += [f"{get_column_letter(c)}{r}" for c in range(c1, c2 + 1) for r in range(r1, r2 + 1)]
    return out


def describe(path):
    """Facts about a workbook that a pass through LibreOffice could change."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb[REQ]
    vals = openpyxl.load_workbook(path, data_only=True)[REQ]
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        wbxml = z.read("xl/workbook.xml").decode()
        parts = sheet_parts(names, wbxml, z.read("xl/_rels/workbook.xml.rels").decode())
        sheet_xml = z.read(parts[REQ][1]).decode()
        app = z.read("docProps/app.xml").decode() if "docProps/app.xml" in names else ""
        shared = "xl/sharedStrings.xml" in names
    raw_lists = []
    for dv in re.findall(r"<dataValidation\b[^>]*>.*?</dataValidation>", sheet_xml, re.S):
        if 'type="list"' in dv:
            raw_lists.append(re.search(r"<formula1>(.*?)</formula1>", dv).group(1))
    return {
        "sheets": wb.sheetnames,
        "active": wb.active.title,
        "lists": sorted((dv.formula1, sorted(cells_of(dv.sqref)))
                        for dv in ws.data_validations.dataValidation if dv.type == "list"),
        "raw_list_formulas": sorted(raw_lists),
        "parent_d": {p[1]: ws[f"D{p[0]}"].value for p in PARENTS},
        "parent_d_cached": {p[1]: vals[f"D{p[0]}"].value for p in PARENTS},
        "b4_e4": [vals["B4"].value, vals["E4"].value],
        "calcPr": re.findall(r"<calcPr\b[^>]*/?>", wbxml),
        "calcChain": "xl/calcChain.xml" in names,
        "sharedStrings": shared,
        "application": re.findall(r"<Application>(.*?)</Application>", app),
        "freeze": ws.freeze_panes,
        "panes": {n: wb[n].freeze_panes for n in wb.sheetnames},
        "hidden_rows": sorted(r for r, d in ws.row_dimensions.items() if d.hidden),
        "hidden_D": ws.column_dimensions["D"].hidden,
        "widths": {c: round(ws.column_dimensions[c].width, 2) for c in "ABCDE"},
        "merged": sorted(str(m) for m in ws.merged_cells.ranges),
        "hyperlinks": len(ws._hyperlinks) if hasattr(ws, "_hyperlinks") else None,
        "tab_colors": {n: (wb[n].sheet_properties.tabColor.rgb
                           if wb[n].sheet_properties.tabColor else None) for n in wb.sheetnames},
        "sum_protected": wb[SUM].protection.sheet,
        "sir_hidden": [wb[SIR].column_dimensions["B"].hidden, wb[SIR].row_dimensions[50].hidden],
        "b10": [wb[INTRO]["B10"].value, wb[INTRO]["B10"].data_type],
        "c65": ws["C65"].value,
        "unlocked_inputs": sum(1 for r in ANSWERS if ws[f"C{r}"].protection.locked is False),
    }


# Panes AWS's file freezes: sheet name -> (rows frozen, top-left cell).
PANES = {REQ: (5, "A6"), EXP: (2, "A3"), SIR: (1, "A2")}
APPLICATION = "Microsoft Excel"
# Tab colours; LibreOffice drops the summary's red one.
TAB_COLORS = {REQ: "FF92D050", SUM: "FFFF0000", EXP: "FF00B0F0"}
CALCPR = '<calcPr calcId="191029"/>'
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sheet_parts(names, wbxml, rels):
    """Sheet name -> (sheetId, part name inside the zip)."""
    targets = {}
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        rid = re.search(r'\bId="([^"]+)"', rel).group(1)
        target = re.search(r'\bTarget="([^"]+)"', rel).group(1)
        targets[rid] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    out = {}
    for sheet in re.findall(r"<sheet\b[^>]*>", wbxml):
        name = re.search(r'\bname="([^"]*)"', sheet).group(1)
        name = name.replace("&amp;", "&").replace("&apos;", "'").replace("&quot;", '"')
        sid = re.search(r'\bsheetId="(\d+)"', sheet).group(1)
        rid = re.search(r'\br:id="([^"]+)"', sheet).group(1)
        out[name] = (int(sid), targets[rid])
    return out


def repair(conv, out):
    """Undo what LibreOffice changed that AWS's Excel-saved file does not have, keeping the
    cached values and shared strings LibreOffice wrote: the lists get their leading spaces
    back, the frozen panes come back, calcPr and the Application name become Excel's, and a
    calcChain.xml lists the formula cells as Excel's does."""
    quoted = {}
    for lst in LISTS.values():
        items = lst.strip('"').split(",")
        trimmed = ",".join(i.strip() for i in items)
        quoted[trimmed] = lst
    with zipfile.ZipFile(conv) as zin:
        names = zin.namelist()
        parts = {n: zin.read(n) for n in names}
        infos = {n: zin.getinfo(n) for n in names}
    wbxml = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    sheets = sheet_parts(names, wbxml, rels)
    chain = []
    for name, (sid, part) in sheets.items():
        xml = parts[part].decode()
        xml = xml.replace(' aca="false"', "")
        xml = xml.replace("FALSE()", "FALSE")  # LibreOffice writes the constant as a call

        def fix_list(m):
            text = m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
            if text.startswith('"') and text.strip('"') in quoted:
                text = quoted[text.strip('"')]
            return "<formula1>" + text.replace("<", "&lt;").replace(">", "&gt;") + "</formula1>"
        xml = re.sub(r"<formula1>(.*?)</formula1>", fix_list, xml)
        if name in TAB_COLORS and "<tabColor " not in xml:
            color = f'<tabColor rgb="{TAB_COLORS[name]}"/>'
            xml, n = re.subn(r"<sheetPr\b([^>]*)/>", r"<sheetPr\1>" + color + "</sheetPr>", xml, count=1)
            if n == 0:
                xml, n = re.subn(r"(<sheetPr\b[^>]*>)", r"\1" + color, xml, count=1)
            if n != 1:
                raise SystemExit(f"aws_layout.py: cannot put the tab colour back on {name}")
        if name in PANES and "<pane " not in xml:
            rows, cell = PANES[name]
            pane = (f'<pane xSplit="0" ySplit="{rows}" topLeftCell="{cell}" activePane="bottomLeft" '
                    f'state="frozen"/>')
            xml, n = re.subn(r'(<sheetView\b[^>]*>)(\s*)<selection pane="topLeft"',
                             r"\1" + pane + r'\2<selection pane="bottomLeft"', xml, count=1)
            if n != 1:
                raise SystemExit(f"aws_layout.py: cannot put the frozen pane back on {name}")
        for ref in re.findall(r'<c r="([A-Z]+[0-9]+)"[^>]*><f\b', xml):
            chain.append(f'<c r="{ref}" i="{sid}"/>')
        parts[part] = xml.encode()
    wbxml = re.sub(r"<calcPr\b[^>]*/>", CALCPR, wbxml)
    wbxml = re.sub(r"<extLst>.*?</extLst>", "", wbxml, flags=re.S)
    parts["xl/workbook.xml"] = wbxml.encode()
    app = parts["docProps/app.xml"].decode()
    app = re.sub(r"<Application>.*?</Application>", f"<Application>{APPLICATION}</Application>", app)
    app = re.sub(r"<AppVersion>.*?</AppVersion>", "<AppVersion>16.0300</AppVersion>", app)
    parts["docProps/app.xml"] = app.encode()
    parts["xl/calcChain.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(chain) + "</calcChain>").encode()
    if "xl/calcChain.xml" not in names:
        names.append("xl/calcChain.xml")
        parts["xl/_rels/workbook.xml.rels"] = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdCalcChain" Type="{NS_REL}/calcChain" Target="calcChain.xml"/>'
            "</Relationships>").encode()
        ct = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = ct.replace(
            "</Types>",
            '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.calcChain+xml"/></Types>').encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in names:
            if n in infos:
                zout.writestr(infos[n], parts[n])
            else:
                zout.writestr(n, parts[n])


def bake(out, raw=False):
    """Build, pass through LibreOffice once for cached values, then (unless raw) repair()."""
    work = tempfile.mkdtemp(prefix="ftr-bake-")
    try:
        src = os.path.join(work, "src", "workbook.xlsx")
        os.makedirs(os.path.dirname(src))
        build(src)
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from lo import Failure, convert
        try:
            conv = convert(src, work)
        except Failure as e:
            raise SystemExit(f"aws_layout.py: {e}")
        result = conv
        if not raw:
            result = os.path.join(work, "baked.xlsx")
            repair(conv, result)
        before, lo, after = describe(src), describe(conv), describe(result)
        changed = {k: {"openpyxl": before[k], "libreoffice": lo[k]}
                   for k in before if before[k] != lo[k] and k not in ("parent_d_cached", "b4_e4")}
        left = sorted(k for k in before if before[k] != after[k])
        problems = []
        if any(v != "Fail" for v in after["parent_d_cached"].values()):
            problems.append("not every parent D carries the cached value Fail")
        if after["b4_e4"] != [0, 44]:
            problems.append(f"B4/E4 cache {after['b4_e4']}, not 0/44")
        if after["parent_d"] != before["parent_d"]:
            problems.append("a parent D formula changed")
        if not raw:
            for k in ("lists", "raw_list_formulas", "freeze", "panes", "tab_colors"):
                if after[k] != before[k]:
                    problems.append(f"{k} differ from the openpyxl build after the repair")
        shutil.copyfile(result, out)
        return {"libreoffice_changed": changed,
                "differs_from_openpyxl_build_in_output": left,
                "output": {k: after[k] for k in ("calcPr", "calcChain", "application", "b4_e4")},
                "problems": problems}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    import signal
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _f: sys.exit(128 + signum))
    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    unknown = flags - {"--baked", "--baked-raw", "--report", "--rows-json"}
    if unknown:
        raise SystemExit(f"aws_layout.py: unknown option {sorted(unknown)[0]}\n{__doc__}")
    if "--rows-json" in flags:
        # One entry a line, so a diff of the map reads row by row.
        sys.stdout.write("[\n" + ",\n".join(json.dumps(e) for e in row_map()) + "\n]\n")
        if not args:
            return 0
    if len(args) != 1:
        raise SystemExit(__doc__)
    out = args[0]
    if flags & {"--baked", "--baked-raw"}:
        report = bake(out, raw="--baked-raw" in flags)
        if "--report" in flags or report["problems"]:
            print(json.dumps(report, indent=1, default=list), file=sys.stderr)
        return 1 if report["problems"] else 0
    build(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
