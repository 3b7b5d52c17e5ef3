//! ftr-wizard: prepares an AWS Foundational Technical Review (FTR) submission.
//!
//! The core is split so that the command line, the wizard and the exporter share one copy of
//! every rule: [`content`] knows the checklists, [`assessment`] holds a user's answers and
//! judges them, [`store`] reads and writes the project file, and [`cli`] is the command line.

pub mod assessment;
pub mod cli;
pub mod content;
pub mod dates;
pub mod error;
pub mod export;
pub mod fsio;
pub mod import;
pub mod merge;
pub mod safe;
pub mod store;
pub mod team;
pub mod tui;
pub mod util;
