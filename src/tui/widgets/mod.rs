pub mod complete;
pub mod markdown;
pub mod picker;
