//! Any bytes through the jsonl importer: it may refuse them, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = warta_import::decode::to_text(data);
    let path = std::path::Path::new("fuzz.jsonl");
    let _ = warta_import::jsonl::parse(path, &text);
});
