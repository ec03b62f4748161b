//! MEDLINE/PubMed (nbib).

pub mod read;
