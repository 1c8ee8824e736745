//! Any bytes through the text importer: it may refuse them, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = warta_import::decode::to_text(data);
    let path = std::path::Path::new("fuzz.text");
    let _ = warta_import::text::parse(path, &text);
});
