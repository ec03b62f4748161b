//! RIS: tag tables shared by reader and writer.

pub mod read;
pub mod write;
