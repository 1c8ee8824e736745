//! How an article's body (its blocks as JSON) is kept in the `body` column.
//!
//! SQLite has no compression of its own, and bodies are most of an archive's bytes:
//! they are stored LZ4-compressed (about 1.6× smaller on Indonesian text, and cheap
//! enough that a bulk import spends less time compressing than it saves in page writes).
//! A compressed body starts with [`MAGIC`], which JSON text never does; a plain JSON
//! body (written before compression existed, or by hand) is read as it is.

use warta_core::Block;

use crate::{Result, StoreError};

/// `\x04LZ4`, then the uncompressed length (u32, little-endian), then one LZ4 block.
const MAGIC: &[u8; 4] = b"\x04LZ4";

/// A body larger than this is corrupt rather than an article (100,000 words is ~1 MB).
const MAX_BODY: usize = 64 << 20;

/// Bodies shorter than this stay plain: compression gains nothing on a few bytes.
const MIN_COMPRESS: usize = 256;

/// What encoding a body needs besides the blocks, kept per thread and reused from body
/// to body: a bulk import encodes a hundred thousand on one thread, and fresh buffers
/// (grown step by step, the LZ4 one zeroed at its largest size each time, and LZ4's
/// hash table allocated zeroed for every block) cost more than the copy out of these.
#[derive(Default)]
struct Scratch {
    /// The body's JSON text.
    json: Vec<u8>,
    /// The LZ4 block, before it is copied out behind the header.
    block: Vec<u8>,
    table: lz4_flex::block::CompressTable,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

pub(crate) fn encode(blocks: &[Block]) -> Result<Vec<u8>> {
    SCRATCH.with_borrow_mut(|scratch| {
        scratch.json.clear();
        let written = write_json(&mut scratch.json, blocks)
            .map_err(|e| StoreError::Corrupt(format!("body: {e}")))
            .map(|()| encode_json(scratch));
        // An exceptionally long body does not keep its buffers (nor its larger LZ4
        // table) on every thread.
        if scratch.json.capacity() > KEEP_SCRATCH || scratch.block.capacity() > KEEP_SCRATCH {
            *scratch = Scratch::default();
        }
        written
    })
}

/// serde_json's compact form of `blocks`, byte for byte (tested), written faster for
/// the blocks bodies are made of. serde_json escapes a string one byte at a time, an
/// eighth of a bulk import's work; here a string is tested 32 bytes at a time and
/// copied in runs. Paragraphs, headings, quotes and lists are written here, other blocks by
/// serde_json. [`json_without_photos`] relies on the form being serde_json's.
fn write_json(out: &mut Vec<u8>, blocks: &[Block]) -> serde_json::Result<()> {
    out.push(b'[');
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match block {
            Block::Paragraph { html } => {
                out.extend_from_slice(br#"{"type":"paragraph","html":"#);
                write_str(out, html.as_str());
            }
            Block::Heading { text } => {
                out.extend_from_slice(br#"{"type":"heading","text":"#);
                write_str(out, text);
            }
            Block::Quote { text, cite } => {
                out.extend_from_slice(br#"{"type":"quote","text":"#);
                write_str(out, text);
                out.extend_from_slice(br#","cite":"#);
                write_str(out, cite);
            }
            Block::List { ordered, items } => {
                out.extend_from_slice(match ordered {
                    true => br#"{"type":"list","ordered":true,"items":["#,
                    false => br#"{"type":"list","ordered":false,"items":["#,
                });
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(out, item.as_str());
                }
                out.push(b']');
            }
            other => {
                serde_json::to_writer(&mut *out, other)?;
                continue;
            }
        }
        out.push(b'}');
    }
    out.push(b']');
    Ok(())
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, the control characters
/// as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx`, everything else (all of UTF-8) as it is.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let special = |c: u8| c < 0x20 || c == b'"' || c == b'\\';
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    // `copied`: where the bytes not yet written start.
    let mut copied = 0;
    let mut start = 0;
    while start < b.len() {
        let end = (start + 32).min(b.len());
        // Whole chunks are tested without branches; only one with a special byte is
        // looked at byte by byte.
        if b[start..end].iter().fold(false, |acc, &c| acc | special(c)) {
            for (i, &c) in b.iter().enumerate().take(end).skip(start) {
                if !special(c) {
                    continue;
                }
                out.extend_from_slice(&b[copied..i]);
                copied = i + 1;
                match c {
                    b'"' => out.extend_from_slice(b"\\\""),
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    0x08 => out.extend_from_slice(b"\\b"),
                    0x09 => out.extend_from_slice(b"\\t"),
                    0x0a => out.extend_from_slice(b"\\n"),
                    0x0c => out.extend_from_slice(b"\\f"),
                    0x0d => out.extend_from_slice(b"\\r"),
                    _ => {
                        const HEX: &[u8; 16] = b"0123456789abcdef";
                        out.extend_from_slice(b"\\u00");
                        out.push(HEX[usize::from(c >> 4)]);
                        out.push(HEX[usize::from(c & 0xf)]);
                    }
                }
            }
        }
        start = end;
    }
    out.extend_from_slice(&b[copied..]);
    out.push(b'"');
}

/// The most a thread's encoding buffers keep between bodies (articles are ~10 KB).
const KEEP_SCRATCH: usize = 1 << 20;

/// The stored form of the body's JSON text in `scratch.json`.
fn encode_json(scratch: &mut Scratch) -> Vec<u8> {
    let Scratch { json, block, table } = scratch;
    if json.len() < MIN_COMPRESS || json.len() > MAX_BODY {
        return json.to_vec();
    }
    let bound = lz4_flex::block::get_maximum_output_size(json.len());
    if block.len() < bound {
        block.resize(bound, 0);
    }
    match lz4_flex::block::compress_into_with_table(json, &mut block[..bound], table) {
        Ok(n) => {
            let mut out = Vec::with_capacity(8 + n);
            out.extend_from_slice(MAGIC);
            out.extend_from_slice(&(json.len() as u32).to_le_bytes());
            out.extend_from_slice(&block[..n]);
            out
        }
        // Cannot happen with a buffer of the maximum size; plain JSON is always valid.
        Err(_) => json.to_vec(),
    }
}

/// The body's JSON text, decompressed if it was stored compressed.
pub(crate) fn decode_json(id: i64, stored: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>> {
    let Some(rest) = stored.strip_prefix(MAGIC) else {
        return Ok(std::borrow::Cow::Borrowed(stored));
    };
    let corrupt = |why: String| StoreError::Corrupt(format!("article {id}: body: {why}"));
    let (len, block) = rest
        .split_first_chunk::<4>()
        .ok_or_else(|| corrupt("compressed body is cut short".into()))?;
    let len = u32::from_le_bytes(*len) as usize;
    if len > MAX_BODY {
        return Err(corrupt(format!("claims {len} bytes")));
    }
    let mut out = vec![0; len];
    let n =
        lz4_flex::block::decompress_into(block, &mut out).map_err(|e| corrupt(e.to_string()))?;
    if n != len {
        return Err(corrupt(format!("{n} bytes where {len} were recorded")));
    }
    Ok(std::borrow::Cow::Owned(out))
}

/// The body's JSON text when Warta compressed it (so it is serde_json's compact form of
/// [`Block`]s) and it has no photo block; `None` otherwise. In that form a photo block
/// always contains the bytes `"type":"photo"` and no string can (its quotes would be
/// escaped), so the test is exact.
pub(crate) fn json_without_photos(id: i64, stored: &[u8]) -> Result<Option<Vec<u8>>> {
    if !stored.starts_with(MAGIC) {
        return Ok(None);
    }
    let json = decode_json(id, stored)?.into_owned();
    Ok(memchr::memmem::find(&json, br#""type":"photo""#)
        .is_none()
        .then_some(json))
}

pub(crate) fn decode(id: i64, stored: &[u8]) -> Result<Vec<Block>> {
    let json = decode_json(id, stored)?;
    serde_json::from_slice(&json)
        .map_err(|e| StoreError::Corrupt(format!("article {id}: body: {e}")))
}

#[cfg(test)]
mod tests {
    use warta_core::sanitize::SafeHtml;

    use super::*;

    fn paragraphs(n: usize) -> Vec<Block> {
        (0..n)
            .map(|i| Block::Paragraph {
                html: SafeHtml::from_text(&format!("Paragraf ke-{i} tentang banjir di Bekasi.")),
            })
            .collect()
    }

    #[test]
    fn round_trip_small_and_large() {
        for n in [0, 1, 40] {
            let blocks = paragraphs(n);
            let stored = encode(&blocks).expect("encode");
            assert_eq!(stored.starts_with(MAGIC), n == 40, "{n} paragraphs");
            assert_eq!(decode(1, &stored).expect("decode"), blocks);
        }
        assert!(encode(&paragraphs(40)).expect("encode").len() < 40 * 40);
        // The thread's buffers go from a long body to shorter ones: nothing of the
        // longer may stay behind.
        for n in [200, 40, 1, 120] {
            let blocks = paragraphs(n);
            let stored = encode(&blocks).expect("encode");
            assert_eq!(
                decode(1, &stored).expect("decode"),
                blocks,
                "{n} paragraphs"
            );
            assert_eq!(stored.capacity(), stored.len(), "stored bodies are exact");
        }
    }

    #[test]
    fn a_reused_lz4_table_compresses_as_a_fresh_one() {
        // 2,000 paragraphs are over 64 KB of JSON: LZ4's table grows to its large
        // form and stays so for the shorter bodies after it.
        for n in [40, 2000, 40, 7, 2000] {
            let blocks = paragraphs(n);
            let stored = encode(&blocks).expect("encode");
            let json = serde_json::to_vec(&blocks).expect("json");
            let mut expected = MAGIC.to_vec();
            expected.extend_from_slice(&(json.len() as u32).to_le_bytes());
            expected.extend_from_slice(&lz4_flex::block::compress(&json));
            assert_eq!(stored, expected, "{n} paragraphs");
            assert_eq!(decode(1, &stored).expect("decode"), blocks);
        }
    }

    fn serde_form(blocks: &[Block]) -> String {
        serde_json::to_string(blocks).expect("serde_json")
    }

    fn fast_form(blocks: &[Block]) -> String {
        let mut out = Vec::new();
        write_json(&mut out, blocks).expect("write_json");
        String::from_utf8(out).expect("the fast form is UTF-8")
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII character, and characters of two, three and four bytes, at the
        // start, the end and on each side of a 32-byte chunk's edge.
        let mut chars: Vec<char> = (0u8..0x80).map(char::from).collect();
        chars.extend(['é', '\u{85}', '€', '\u{2028}', '😀']);
        for c in chars {
            for at in [0, 1, 30, 31, 32, 33, 63, 64, 65] {
                let mut text: String = "x".repeat(at);
                text.push(c);
                text.push_str("yz");
                let blocks = [Block::Heading { text: text.clone() }];
                assert_eq!(fast_form(&blocks), serde_form(&blocks), "{c:?} at {at}");
                let mut end = "x".repeat(at);
                end.push(c);
                let blocks = [Block::Heading { text: end }];
                assert_eq!(fast_form(&blocks), serde_form(&blocks), "{c:?} ending");
            }
        }
        // Pseudo-random strings made of the characters that matter.
        let alphabet = [
            'a', ' ', '"', '\\', '\n', '\t', '\u{1}', '\u{1f}', '<', 'é', '😀',
        ];
        let mut seed: u64 = 0x5eed;
        for _ in 0..3000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 33) % 90;
            let text: String = (0..len)
                .map(|i| {
                    let mixed = seed.rotate_left(u32::try_from(i % 64).unwrap_or(0)) >> 7;
                    alphabet[usize::try_from(mixed % alphabet.len() as u64).unwrap_or(0)]
                })
                .collect();
            let blocks = [Block::Quote {
                text: text.clone(),
                cite: text,
            }];
            assert_eq!(fast_form(&blocks), serde_form(&blocks));
        }
    }

    #[test]
    fn every_kind_of_block_is_written_as_serde_json_writes_it() {
        let at = chrono::DateTime::from_timestamp(1_581_501_600, 0).expect("time");
        let cases: Vec<Vec<Block>> = vec![
            vec![],
            paragraphs(3),
            vec![
                Block::Paragraph {
                    html: SafeHtml::sanitize(
                        r#"Kata <a href="https://contoh.id/a?b=1&c=2">tautan</a> <em>miring</em>"#,
                    ),
                },
                Block::Heading {
                    text: "Judul \"kutip\"".into(),
                },
                Block::Quote {
                    text: "Kami siap.".into(),
                    cite: String::new(),
                },
                Block::List {
                    ordered: false,
                    items: vec![
                        SafeHtml::sanitize("satu <b>\"dua\"</b>"),
                        SafeHtml::from_text("tiga\\"),
                    ],
                },
                Block::List {
                    ordered: true,
                    items: vec![SafeHtml::from_text("pertama")],
                },
                Block::List {
                    ordered: true,
                    items: vec![],
                },
                Block::Photo {
                    media_id: -3,
                    caption: "Keterangan \\ foto".into(),
                    credit: "REUTERS/Foto".into(),
                },
                Block::Embed {
                    url: "https://contoh.id/video".into(),
                    title: "Video".into(),
                },
                Block::Correction {
                    text: "Ralat nama.".into(),
                    at,
                },
            ],
        ];
        for blocks in cases {
            assert_eq!(fast_form(&blocks), serde_form(&blocks));
        }
    }

    #[test]
    fn plain_json_is_read_as_it_is() {
        let json = br#"[{"type":"paragraph","html":"Halo"}]"#;
        assert_eq!(decode(1, json).expect("decode").len(), 1);
    }

    #[test]
    fn only_compressed_bodies_without_photos_pass_as_json() {
        let plain = encode(&paragraphs(40)).expect("encode");
        let json = json_without_photos(1, &plain)
            .expect("read")
            .expect("passed");
        assert_eq!(
            serde_json::from_slice::<Vec<Block>>(&json).expect("json"),
            paragraphs(40)
        );
        let mut with_photo = paragraphs(40);
        with_photo.push(Block::Photo {
            media_id: 7,
            caption: String::new(),
            credit: String::new(),
        });
        let stored = encode(&with_photo).expect("encode");
        assert_eq!(json_without_photos(1, &stored).expect("read"), None);
        // A paragraph quoting the words is text, not a photo block.
        let mut quoting = paragraphs(40);
        quoting.push(Block::Paragraph {
            html: SafeHtml::from_text(r#"{"type":"photo"}"#),
        });
        let stored = encode(&quoting).expect("encode");
        assert!(json_without_photos(1, &stored).expect("read").is_some());
        // Short bodies are stored plain and are parsed instead.
        let short = encode(&paragraphs(1)).expect("encode");
        assert_eq!(json_without_photos(1, &short).expect("read"), None);
    }

    #[test]
    fn corrupt_bodies_are_errors_not_panics() {
        let good = encode(&paragraphs(40)).expect("encode");
        let cases: Vec<Vec<u8>> = vec![
            MAGIC.to_vec(),
            [MAGIC.as_slice(), &[1, 0]].concat(),
            [MAGIC.as_slice(), &u32::MAX.to_le_bytes(), &[0; 8]].concat(),
            [MAGIC.as_slice(), &100u32.to_le_bytes(), &[0xff; 8]].concat(),
            good[..good.len() / 2].to_vec(),
            b"not json".to_vec(),
        ];
        for case in cases {
            let err = decode(7, &case).expect_err("corrupt");
            assert!(err.to_string().contains("article 7"), "{err}");
        }
    }
}
