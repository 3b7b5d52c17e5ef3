pub mod complete;
pub mod fit;
pub mod markdown;
pub mod picker;
