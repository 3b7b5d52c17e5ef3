pub mod complete;
pub mod files;
pub mod filter;
pub mod fit;
pub mod markdown;
pub mod picker;
