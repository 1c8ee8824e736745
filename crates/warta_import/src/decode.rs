//! Turning a file's bytes into text. Archives come in every encoding: UTF-8 with or
//! without a byte-order mark, UTF-16 from Windows tools, and Latin-1/Windows-1252 from
//! old CMSes. A BOM decides; otherwise valid UTF-8 is UTF-8, and anything else is read
//! as Windows-1252 (a superset of Latin-1 for printable text), which never fails.

use encoding_rs::{UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Like [`to_text`], without copying a file that is UTF-8 already.
pub fn into_text(bytes: Vec<u8>) -> (String, &'static str) {
    if encoding_rs::Encoding::for_bom(&bytes).is_none() && !looks_utf16(&bytes) {
        match String::from_utf8(bytes) {
            Ok(s) => return (s, UTF_8.name()),
            Err(e) => return to_text(e.as_bytes()),
        }
    }
    to_text(&bytes)
}

/// Whether a file beginning with `head` must be decoded as a whole (a byte-order
/// mark or UTF-16) rather than piece by piece.
pub fn needs_whole_file(head: &[u8]) -> bool {
    encoding_rs::Encoding::for_bom(head).is_some() || looks_utf16(head)
}

fn looks_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(512)];
    sample.len() >= 4 && sample.iter().filter(|b| **b == 0).count() * 4 > sample.len()
}

/// The text and the name of the encoding it was read as.
pub fn to_text(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc.name());
    }
    // UTF-16 without a BOM: many NULs in alternate positions.
    if bytes.len() >= 4 && bytes.len().is_multiple_of(2) {
        let sample = &bytes[..bytes.len().min(512)];
        let even_nuls = sample.iter().step_by(2).filter(|b| **b == 0).count();
        let odd_nuls = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count();
        let half = sample.len() / 2;
        if odd_nuls * 10 > half * 6 && even_nuls == 0 {
            let (text, _, _) = UTF_16LE.decode(bytes);
            return (text.into_owned(), UTF_16LE.name());
        }
        if even_nuls * 10 > half * 6 && odd_nuls == 0 {
            let (text, _, _) = UTF_16BE.decode(bytes);
            return (text.into_owned(), UTF_16BE.name());
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), UTF_8.name()),
        Err(_) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            (text.into_owned(), WINDOWS_1252.name())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_table() {
        let word = "Pemilu dan Kopi Gayo, café";
        let utf8 = word.as_bytes().to_vec();
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(word.as_bytes());
        let mut le = vec![0xFF, 0xFE];
        le.extend(word.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut be = vec![0xFE, 0xFF];
        be.extend(word.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let le_nobom: Vec<u8> = word.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let latin1: Vec<u8> = word.chars().map(|c| c as u32 as u8).collect();
        for (bytes, enc) in [
            (utf8, "UTF-8"),
            (bom8, "UTF-8"),
            (le, "UTF-16LE"),
            (be, "UTF-16BE"),
            (le_nobom, "UTF-16LE"),
            (latin1, "windows-1252"),
        ] {
            let (text, used) = to_text(&bytes);
            assert_eq!(text, word, "{enc}");
            assert_eq!(used, enc);
        }
    }

    #[test]
    fn truncated_utf8_falls_back_without_failing() {
        let mut b = "Ekonomi ".as_bytes().to_vec();
        b.extend_from_slice(&[0xE2, 0x82]); // cut inside a character
        let (text, used) = to_text(&b);
        assert!(text.starts_with("Ekonomi "));
        assert_eq!(used, "windows-1252");
    }
}
