//! CSL-JSON: the serde types shared by reader and writer.

pub mod read;
pub mod write;
