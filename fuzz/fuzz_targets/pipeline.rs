//! Fuzz the whole pipeline on raw bytes: decode, detect, read, write (ASCII BibTeX too).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = bibconv::decode(data, None) else { return };
    if let Ok((_, parsed)) = bibconv::read_auto(&decoded.text) {
        let ascii = bibconv::WriteOptions { ascii: true };
        let _ = bibconv::write_to_string(&parsed.records, bibconv::OutputFormat::Bibtex, &ascii);
        let _ = bibconv::write_to_string(&parsed.records, bibconv::OutputFormat::Ris, &Default::default());
    }
});
