//! MEDLINE/PubMed (nbib): the tagged text PubMed exports.
//!
//! - A record is a run of tag lines starting at `PMID- `, ended by a blank line.
//! - A tag line is a tag of up to four characters padded to four columns, `-`, a space and
//!   the value: `FAU - Long, Vicky`.
//! - Lines indented by six spaces continue the previous value.

pub mod read;
