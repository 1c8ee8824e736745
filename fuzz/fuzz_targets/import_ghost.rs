//! Any bytes through the Ghost importer: it may refuse them, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = warta_import::decode::to_text(data);
    let path = std::path::Path::new("fuzz.json");
    let _ = warta_import::ghost::parse_for(path, &text, warta_core::Locale::Id);
});
