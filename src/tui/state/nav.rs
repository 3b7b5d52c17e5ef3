//! Where the user is and what the screens are made of: the screens and steps, the panes of
//! the interview and the fields of an answer, the rows of the profile, the message line.
//! Plain data, shared by the state, the screens and the app above them.

use std::cell::Cell;

use ratatui::layout::Rect;

use crate::assessment::setting::Setting;
use crate::assessment::{Slot, Status};
use crate::content::{Domain, Model};

/// The wizard's screens, in the order of the steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Start,
    Profile,
    Scoping,
    Prerequisites,
    Interview,
    Review,
    Export,
    /// Fields changed two ways, both values shown, to keep one (see `screens::resolve`).
    Resolve,
}

impl Screen {
    pub fn key(self) -> &'static str {
        match self {
            Screen::Start => "start",
            Screen::Profile => "profile",
            Screen::Scoping => "scoping",
            Screen::Prerequisites => "prerequisites",
            Screen::Interview => "interview",
            Screen::Review => "review",
            Screen::Export => "export",
            Screen::Resolve => "resolve",
        }
    }

    pub fn parse(text: &str) -> Option<Screen> {
        [
            Screen::Profile,
            Screen::Scoping,
            Screen::Prerequisites,
            Screen::Interview,
            Screen::Review,
            Screen::Export,
        ]
        .into_iter()
        .find(|s| s.key() == text)
    }
}

/// One step of the wizard as shown in the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Profile,
    Scoping,
    Prerequisites,
    Domain(Domain),
    Review,
    Export,
}

impl Step {
    /// For terminals narrower than about 110 columns.
    pub fn short(self) -> &'static str {
        match self {
            Step::Profile => "Profile",
            Step::Scoping => "Scope",
            Step::Prerequisites => "Prereq",
            Step::Domain(Domain::Security) => "Sec",
            Step::Domain(Domain::Reliability) => "Rel",
            Step::Domain(Domain::OperationalExcellence) => "OpEx",
            Step::Review => "Review",
            Step::Export => "Export",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::Profile => "Profile",
            Step::Scoping => "Scoping",
            Step::Prerequisites => "Prereqs",
            Step::Domain(Domain::Security) => "Security",
            Step::Domain(Domain::Reliability) => "Reliability",
            Step::Domain(Domain::OperationalExcellence) => "Op. Excellence",
            Step::Review => "Review",
            Step::Export => "Export",
        }
    }
}

/// Which pane of the interview has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Guidance,
    Answer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub text: String,
    pub level: Level,
}

/// The fields of a control's answer, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Status,
    Response,
    Reason,
    PlanWhat,
    PlanOwner,
    PlanDue,
    Notes,
    Evidence,
    /// The control's required value at this index (an RPO, the date of the last test).
    Value(usize),
    /// The control's row of AWS's workbook at this index, answered from its list.
    Row(usize),
}

impl Field {
    /// The fields shown for a status: the control's `rows` workbook rows and `values`
    /// required values below the status, a reason only when not applicable, a plan only for a
    /// gap.
    pub fn for_status(status: Status, rows: usize, values: usize) -> Vec<Field> {
        let mut f = vec![Field::Status];
        f.extend((0..rows).map(Field::Row));
        f.extend((0..values).map(Field::Value));
        f.push(Field::Response);
        match status {
            Status::NotApplicable => f.push(Field::Reason),
            Status::NotMet => f.extend([Field::PlanWhat, Field::PlanOwner, Field::PlanDue]),
            _ => {}
        }
        f.extend([Field::Notes, Field::Evidence]);
        f
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Status => "Status",
            Field::Response => "Response",
            Field::Reason => "Why n/a",
            Field::PlanWhat => "Plan",
            Field::PlanOwner => "Owner",
            Field::PlanDue => "Due",
            Field::Notes => "Notes",
            Field::Evidence => "Evidence",
            Field::Value(_) => "Value",
            Field::Row(_) => "Row",
        }
    }

    pub fn multiline(self) -> bool {
        matches!(
            self,
            Field::Response | Field::Reason | Field::PlanWhat | Field::Notes
        )
    }
}

/// The profile screen's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileRow {
    Company,
    Product,
    ContactName,
    ContactEmail,
    Waiver,
    Model(Model),
    /// The architecture diagram.
    Diagram,
    /// The nth security tool report (the first row stands for "none yet" when there is none).
    Report(usize),
    /// The customer deployment guide (a file, or its address).
    Guide,
    /// The alternative path's report (SOC 2 Type II).
    AlternativeReport,
    /// The day the FTR was submitted (`ftr set submitted`).
    Submitted,
    /// The review's outcome (`ftr set outcome`).
    Outcome,
    /// The day the outcome came (`ftr set reviewed`).
    Reviewed,
}

impl ProfileRow {
    /// What the row sets, as `ftr set` names it.
    pub fn setting(self) -> Setting {
        match self {
            ProfileRow::Company => Setting::Company,
            ProfileRow::Product => Setting::Product,
            ProfileRow::ContactName => Setting::ContactName { short: false },
            ProfileRow::ContactEmail => Setting::ContactEmail { short: false },
            ProfileRow::Waiver => Setting::Waiver,
            ProfileRow::Model(_) => Setting::Model,
            ProfileRow::Diagram => Setting::Slot(Slot::Diagram),
            ProfileRow::Report(_) => Setting::Slot(Slot::SecurityReport),
            ProfileRow::Guide => Setting::Slot(Slot::DeploymentGuide),
            ProfileRow::AlternativeReport => Setting::Slot(Slot::AlternativeReport),
            ProfileRow::Submitted => Setting::Submitted,
            ProfileRow::Outcome => Setting::Outcome,
            ProfileRow::Reviewed => Setting::Reviewed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProfileRow::Company => "Company",
            ProfileRow::Product => "Product",
            ProfileRow::ContactName => "Contact",
            ProfileRow::ContactEmail => "E-mail",
            ProfileRow::Waiver => "SOC 2 / WAFR",
            ProfileRow::Model(_) => "Model",
            ProfileRow::Diagram => "Diagram",
            ProfileRow::Report(_) => "Reports",
            ProfileRow::Guide => "Guide",
            ProfileRow::AlternativeReport => "SOC 2",
            ProfileRow::Submitted => "Sent",
            ProfileRow::Outcome => "Outcome",
            ProfileRow::Reviewed => "Reviewed",
        }
    }

    /// The upload slot a file row stands for.
    pub fn slot(self) -> Option<Slot> {
        match self {
            ProfileRow::Diagram => Some(Slot::Diagram),
            ProfileRow::Report(_) => Some(Slot::SecurityReport),
            ProfileRow::Guide => Some(Slot::DeploymentGuide),
            ProfileRow::AlternativeReport => Some(Slot::AlternativeReport),
            _ => None,
        }
    }
}

/// Screen areas from the last frame, for the mouse.
#[derive(Debug, Default)]
pub struct Areas {
    pub list: Cell<Rect>,
    pub guidance: Cell<Rect>,
    pub answer: Cell<Rect>,
}

/// The interview's place: the domain shown and the selected control in each domain's list.
#[derive(Debug, Default, Clone)]
pub struct Place {
    pub domain: Option<Domain>,
    /// Selected control index within each domain's list.
    pub selected: [usize; 3],
}

pub fn domain_index(d: Domain) -> usize {
    match d {
        Domain::Security => 0,
        Domain::Reliability => 1,
        Domain::OperationalExcellence => 2,
    }
}
