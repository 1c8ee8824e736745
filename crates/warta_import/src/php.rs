//! Just enough of PHP's `serialize()` format to read what WordPress stores in post meta
//! (`_wp_attachment_metadata`: a photo's size, file and resized copies). Strings are
//! counted in bytes, as PHP counts them; anything unreadable is `None`, never a panic.
//! Objects (`O:`) and references (`r:`, `R:`) are not read: WordPress does not put them
//! in attachment metadata, and a value holding one is refused whole.

use std::collections::BTreeMap;

/// A value read from PHP's format. Array keys are kept as text (`0`, `sizes`).
#[derive(Debug, Clone, PartialEq)]
pub enum Php {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(BTreeMap<String, Php>),
}

impl Php {
    pub fn get(&self, key: &str) -> Option<&Php> {
        match self {
            Php::Array(m) => m.get(key),
            _ => None,
        }
    }

    pub fn as_u32(&self) -> Option<u32> {
        match self {
            Php::Int(n) => u32::try_from(*n).ok(),
            Php::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Php::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Nesting deeper than this is refused (metadata is three levels deep).
const MAX_DEPTH: usize = 16;

/// Reads one serialised value; `None` when the text is not exactly one.
pub fn unserialize(text: &str) -> Option<Php> {
    let bytes = text.trim().as_bytes();
    let mut at = 0;
    let v = value(bytes, &mut at, 0)?;
    (at == bytes.len()).then_some(v)
}

/// The bytes up to `end` from `at`, moving past `end`.
fn until<'a>(b: &'a [u8], at: &mut usize, end: u8) -> Option<&'a [u8]> {
    let start = *at;
    let len = b.get(start..)?.iter().position(|c| *c == end)?;
    *at = start + len + 1;
    b.get(start..start + len)
}

fn number<T: std::str::FromStr>(b: &[u8], at: &mut usize, end: u8) -> Option<T> {
    std::str::from_utf8(until(b, at, end)?).ok()?.parse().ok()
}

fn expect(b: &[u8], at: &mut usize, c: u8) -> Option<()> {
    (b.get(*at) == Some(&c)).then(|| *at += 1)
}

fn value(b: &[u8], at: &mut usize, depth: usize) -> Option<Php> {
    if depth > MAX_DEPTH {
        return None;
    }
    let kind = *b.get(*at)?;
    *at += 1;
    if kind == b'N' {
        expect(b, at, b';')?;
        return Some(Php::Null);
    }
    expect(b, at, b':')?;
    match kind {
        b'b' => Some(Php::Bool(number::<u8>(b, at, b';')? != 0)),
        b'i' => Some(Php::Int(number(b, at, b';')?)),
        b'd' => Some(Php::Float(number(b, at, b';')?)),
        b's' => {
            let len: usize = number(b, at, b':')?;
            expect(b, at, b'"')?;
            let s = b.get(*at..at.checked_add(len)?)?;
            *at += len;
            expect(b, at, b'"')?;
            expect(b, at, b';')?;
            // Exports are UTF-8; a string cut by a bad byte count reads lossily.
            Some(Php::Str(String::from_utf8_lossy(s).into_owned()))
        }
        b'a' => {
            let n: usize = number(b, at, b':')?;
            expect(b, at, b'{')?;
            let mut map = BTreeMap::new();
            for _ in 0..n {
                let key = match value(b, at, depth + 1)? {
                    Php::Int(i) => i.to_string(),
                    Php::Str(s) => s,
                    _ => return None,
                };
                let v = value(b, at, depth + 1)?;
                map.insert(key, v);
            }
            expect(b, at, b'}')?;
            Some(Php::Array(map))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As WordPress 6 writes it for a photo with two resized copies (the `image_meta`
    /// part shortened).
    const META: &str = r#"a:6:{s:5:"width";i:2400;s:6:"height";i:1600;s:4:"file";s:31:"2021/03/banjir-pluit-scaled.jpg";s:8:"filesize";i:612345;s:5:"sizes";a:2:{s:6:"medium";a:4:{s:4:"file";s:24:"banjir-pluit-300x200.jpg";s:5:"width";i:300;s:6:"height";i:200;s:9:"mime-type";s:10:"image/jpeg";}s:5:"large";a:4:{s:4:"file";s:25:"banjir-pluit-1024x683.jpg";s:5:"width";i:1024;s:6:"height";i:683;s:9:"mime-type";s:10:"image/jpeg";}}s:10:"image_meta";a:3:{s:8:"aperture";s:3:"2.8";s:7:"caption";s:0:"";s:8:"keywords";a:0:{}}}"#;

    #[test]
    fn attachment_metadata_reads() {
        let m = unserialize(META).expect("reads");
        assert_eq!(m.get("width").and_then(Php::as_u32), Some(2400));
        assert_eq!(m.get("height").and_then(Php::as_u32), Some(1600));
        assert_eq!(
            m.get("file").and_then(Php::as_str),
            Some("2021/03/banjir-pluit-scaled.jpg")
        );
        let large = m.get("sizes").and_then(|s| s.get("large")).expect("large");
        assert_eq!(large.get("width").and_then(Php::as_u32), Some(1024));
    }

    #[test]
    fn strings_count_bytes_not_characters() {
        // "Kafé" is five bytes in UTF-8.
        let v = unserialize(r#"a:1:{s:7:"caption";s:5:"Kafé";}"#).expect("reads");
        assert_eq!(v.get("caption").and_then(Php::as_str), Some("Kafé"));
        assert_eq!(unserialize(r#"s:4:"Kafé";"#), None, "a wrong count");
    }

    #[test]
    fn broken_or_hostile_text_is_none() {
        for bad in [
            "",
            "a:2:{s:1:\"a\";i:1;}",
            "s:99999999999999999999:\"x\";",
            "s:18446744073709551615:\"x\";",
            "i:12",
            "O:8:\"stdClass\":0:{}",
            "a:1:{a:0:{}i:1;}",
            "b:1;trailing",
        ] {
            assert_eq!(unserialize(bad), None, "{bad}");
        }
        let deep = "a:1:{i:0;".repeat(100) + "N;" + &"}".repeat(100);
        assert_eq!(unserialize(&deep), None);
        assert_eq!(unserialize("N;"), Some(Php::Null));
        assert_eq!(unserialize("d:0.5;"), Some(Php::Float(0.5)));
    }
}
