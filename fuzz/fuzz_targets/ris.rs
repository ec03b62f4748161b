//! Fuzz the ris reader, then write what it read in every output format.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(parsed) = bibconv::read(text, bibconv::InputFormat::Ris) {
        for format in [
            bibconv::OutputFormat::Bibtex,
            bibconv::OutputFormat::Biblatex,
            bibconv::OutputFormat::Ris,
            bibconv::OutputFormat::CslJson,
        ] {
            let _ = bibconv::write_to_string(&parsed.records, format, &Default::default());
        }
    }
});
