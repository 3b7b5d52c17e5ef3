//! A readiness finding: how grave it is, what kind it is, what it is about, and what to do.

use serde::Serialize;

use super::Slot;
use super::fix::Fix;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The submission would be sent back: fix before exporting.
    Error,
    /// Likely to draw a question from the reviewer.
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What kind of problem a finding is; the stable names appear in `ftr check --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    ModelMissing,
    ModelUnconfirmed,
    ChecklistMissing,
    Unanswered,
    MetWithoutEvidence,
    NotApplicableWithoutReason,
    NotMetWithoutPlan,
    EvidenceMissing,
    EvidenceChanged,
    EvidenceUnreadable,
    EvidenceNotAFile,
    ResponseEmpty,
    ResponseThin,
    GapOpen,
    EvidenceStale,
    EvidenceOutside,
    EvidenceEmpty,
    EvidenceLink,
    ScopingUnanswered,
    PrerequisiteUnanswered,
    PrerequisiteUnmet,
    ChecklistVersion,
    ChecklistExpired,
    ChecklistExpiring,
    ChecklistUnverified,
    OrphanAnswer,
    UnknownKey,
    EvidenceFuture,
    DiagramMissing,
    DiagramFormat,
    SecurityReportMissing,
    SecurityReportStale,
    ValueMissing,
    ValueMalformed,
    ValueFuture,
    ValueStale,
    ScanFails,
    ScanStale,
    AnswerToReview,
    ChecklistNewer,
    RemediationDue,
    RenewalDue,
    MergeConflict,
    /// A control answered with a status whose workbook rows are not answered yet.
    RowsUnanswered,
    /// A control marked met that AWS's sheet will grade fail.
    SheetFails,
    /// A control switched off by scoping that AWS's sheet, with no answer for "does not
    /// apply", will grade fail.
    SheetNoNotApplicable,
    /// A workbook row holds a value its list does not have.
    RowValueInvalid,
    /// One of the workbook's own questions (the CIS report, general availability) is unanswered.
    WorkbookQuestion,
    /// A customer-deployed product gives no deployment guide for the form's slot.
    DeploymentGuideMissing,
    /// The alternative path attaches no report for the form's slot.
    AlternativeReportMissing,
}

impl Code {
    /// An evidence or upload file missing, not a file, unreadable or changed since attached:
    /// what the wizard marks `✗` on the control and counts in its header.
    pub fn is_file_error(self) -> bool {
        matches!(
            self,
            Code::EvidenceMissing
                | Code::EvidenceNotAFile
                | Code::EvidenceUnreadable
                | Code::EvidenceChanged
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    /// The control the finding is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    /// The upload slot (diagram, security report) the finding is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slot: Option<Slot>,
    /// The key of the control's required value the finding is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The attached file (as the project file records its path) the finding is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub message: String,
    /// What to do: the words, and the command that does it where one does (in JSON, the
    /// fields `fix` and `command`).
    #[serde(flatten)]
    pub fix: Fix,
}

impl Finding {
    /// A finding about `control` (if any), and what to do about it.
    pub(crate) fn about(
        severity: Severity,
        code: Code,
        control: Option<&str>,
        message: String,
        fix: Fix,
    ) -> Finding {
        Finding {
            severity,
            code,
            control: control.map(str::to_string),
            slot: None,
            value: None,
            file: None,
            message,
            fix,
        }
    }
}
