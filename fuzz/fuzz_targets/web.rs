//! Fuzz the four page readers: the first byte picks the layout, the rest is the page.
#![no_main]

use bibconv::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let format = [InputFormat::Cnki, InputFormat::Bvs, InputFormat::Eprints, InputFormat::Emerald]
        [usize::from(pick % 4)];
    let _ = bibconv::detect(text);
    if let Ok(parsed) = bibconv::read(text, format) {
        let _ = bibconv::write_to_string(&parsed.records, bibconv::OutputFormat::CslJson, &Default::default());
        let _ = bibconv::write_to_string(&parsed.records, bibconv::OutputFormat::Bibtex, &Default::default());
    }
});
