//! One file per screen: each renders its part of the frame and turns commands into changes.

pub mod changes;
pub mod export;
pub mod interview;
pub mod prereqs;
pub mod profile;
pub mod resolve;
pub mod review;
pub mod scoping;
pub mod search;
pub mod start;
