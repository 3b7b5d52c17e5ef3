//! The integration tests, linked once: one module per area, sharing the helpers in `common`.
//!
//! `cargo test --test it` runs them all; `cargo test --test it export::` runs one area. Each
//! module was a test binary of its own before, and keeps its name: its snapshots are under
//! `snapshots/` as `it__<module>__<name>.snap`. The tests run in parallel threads of this one
//! process, so none may change what the process shares (environment, current folder, umask).

// A test reads as a story from setup to assertions; the 100-line limit is for src/.
#![allow(clippy::too_many_lines)]

mod common;

mod cli;
mod cli_extras;
mod content;
mod corpus;
mod docs;
mod export;
mod fixes;
mod hardening;
mod import;
mod import_rescan;
mod lifecycle;
mod properties;
mod readiness;
mod reliability;
mod secrets;
mod sheet;
mod store;
mod team;
mod tmux;
mod tui_export;
mod tui_pickers;
mod tui_snapshots;
mod tui_story;
mod values;
