//! Any text as the editor's markup: it may be refused, never panic; read, it goes
//! text → blocks → the editor's document → blocks → text unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use warta_core::doc::{Node, from_doc, to_doc};
use warta_core::newsroom::{body_from_text, body_to_text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(blocks) = body_from_text(text) else {
        return;
    };
    let text = body_to_text(&blocks);
    let blocks = body_from_text(&text).expect("the editor's own text reads");
    assert_eq!(body_to_text(&blocks), text);
    let json = serde_json::to_string(&to_doc(&blocks)).expect("json");
    let doc: Node = serde_json::from_str(&json).expect("read");
    let back = from_doc(&doc).expect("the editor's own document reads");
    assert_eq!(back, blocks);
});
