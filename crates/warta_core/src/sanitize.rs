//! The one place raw HTML is made safe. Templates print HTML unescaped only when it is a
//! [`SafeHtml`], and the only way to make one is through the sanitiser.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize};

/// Inline HTML that went through [`SafeHtml::sanitize`]: links and emphasis, nothing
/// else. Deserialising sanitises too, so stored or imported JSON cannot smuggle markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn sanitize(html: &str) -> SafeHtml {
        SafeHtml::sanitize_owned(html.to_owned())
    }

    /// [`SafeHtml::sanitize`] of an owned string: plain text that needs no change is
    /// kept as it is, without a copy (what bulk imports mostly see).
    pub fn sanitize_owned(html: String) -> SafeHtml {
        if !is_plain(&html) {
            let cleaned = builder().clean(&strip_controls(&html)).to_string();
            return SafeHtml(cleaned.trim().to_owned());
        }
        if !html.contains('>') && html.trim().len() == html.len() {
            return SafeHtml(html);
        }
        SafeHtml(html.trim().replace('>', "&gt;"))
    }

    /// Wraps plain text, escaping it.
    pub fn from_text(text: &str) -> SafeHtml {
        SafeHtml(escape(&clean_text(text)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text without tags and with entities decoded, for summaries and search.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.0.len());
        let mut in_tag = false;
        for c in self.0.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        unescape(&out)
    }
}

impl<'de> Deserialize<'de> for SafeHtml {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SafeHtml, D::Error> {
        let raw = String::deserialize(d)?;
        Ok(SafeHtml::sanitize_owned(raw))
    }
}

impl std::fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Plain text (no markup, no entities, no control characters) is what most paragraphs
/// are; ammonia would only escape `>` and trim. Skipping the HTML parser for it makes
/// bulk imports several times faster with the same output. One pass over the bytes:
/// C0 controls and DEL are single bytes, C1 controls (U+0080–U+009F) are `C2 80`–`C2 9F`.
fn is_plain(s: &str) -> bool {
    // Whole 32-byte chunks are tested without branches (the compiler vectorises it);
    // only a chunk with a suspect byte (`0xC2` also starts `é`…) is looked at closely.
    let suspect = |c: u8| c < 0x20 || c == b'<' || c == b'&' || c == 0x7f || c == 0xc2;
    let b = s.as_bytes();
    let mut start = 0;
    while start < b.len() {
        let end = (start + 32).min(b.len());
        if b[start..end].iter().fold(false, |acc, &c| acc | suspect(c)) {
            // Look one byte past the chunk so a `C2` at its end sees its partner.
            let mut i = start;
            while i < end {
                match b[i] {
                    b'<' | b'&' | 0..=0x1f | 0x7f => return false,
                    0xc2 if b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) => {
                        return false;
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        start = end;
    }
    true
}

fn builder() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let tags: HashSet<&str> = ["a", "b", "strong", "i", "em", "br", "sub", "sup"]
            .into_iter()
            .collect();
        let mut b = ammonia::Builder::default();
        b.tags(tags)
            .link_rel(Some("noopener"))
            .url_schemes(["http", "https", "mailto"].into_iter().collect());
        b
    })
}

/// Drops control characters (keeping none: text fields are single-line or paragraph
/// text) and trims. Warta's page cache uses U+0001 as a slot marker, so no text field
/// may carry it.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            if c == '\n' || c == '\t' || c == '\r' {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_controls(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Decodes the entities the sanitiser and [`escape`] write.
pub(crate) fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_table() {
        let cases = [
            ("plain", "plain"),
            ("<script>x</script>ok", "ok"),
            ("<img src=x onerror=alert(1)>", ""),
            (
                "<a href=\"javascript:alert(1)\">x</a>",
                "<a rel=\"noopener\">x</a>",
            ),
            (
                "<a href=\"https://contoh.id/\">x</a>",
                "<a href=\"https://contoh.id/\" rel=\"noopener\">x</a>",
            ),
            ("<em>a</em> &amp; <b>b</b>", "<em>a</em> &amp; <b>b</b>"),
            ("a\u{1}b", "a b"),
            ("  1 > 0 \"kutip\" 'x'  ", "1 &gt; 0 \"kutip\" 'x'"),
        ];
        for (input, want) in cases {
            assert_eq!(SafeHtml::sanitize(input).as_str(), want, "input {input:?}");
        }
    }

    /// The plain-text shortcut gives what ammonia gives.
    #[test]
    fn fast_path_matches_ammonia() {
        for text in [
            "a > b",
            "Kata \"dia\" 'itu'",
            "  spasi  ",
            "100% = 1/1",
            "é ñ 日本",
            "kontrol\u{85}C1",
            "tab\there",
            "» « ©",
            "panjang sekali, lebih dari tiga puluh dua bita sebelum kontrol\u{9f}",
            "tiga puluh dua bita pas di sini: ab\u{85}",
        ] {
            let slow = builder().clean(&strip_controls(text)).to_string();
            assert_eq!(SafeHtml::sanitize(text).as_str(), slow.trim(), "{text:?}");
            assert_eq!(
                SafeHtml::sanitize_owned(text.to_owned()).as_str(),
                slow.trim(),
                "{text:?}"
            );
        }
    }

    /// A C1 control split across the 32-byte chunks is still seen.
    #[test]
    fn plain_text_check_at_chunk_edges() {
        for pad in 28..36 {
            let text = format!("{}\u{85}", "a".repeat(pad));
            assert!(!is_plain(&text), "pad {pad}");
            let fine = format!("{}é<", "a".repeat(pad));
            assert!(!is_plain(&fine), "pad {pad}");
            assert!(is_plain(&format!("{}é", "a".repeat(pad))), "pad {pad}");
        }
    }

    #[test]
    fn deserialising_sanitises() {
        let h: SafeHtml = serde_json::from_str("\"<script>x</script>hi\"").expect("json");
        assert_eq!(h.as_str(), "hi");
    }

    #[test]
    fn to_text_strips_tags_and_entities() {
        let h = SafeHtml::sanitize("<b>Kim</b> &amp; \"Trump\"");
        assert_eq!(h.to_text(), "Kim & \"Trump\"");
        assert_eq!(SafeHtml::from_text("a < b").as_str(), "a &lt; b");
    }

    #[test]
    fn clean_text_table() {
        assert_eq!(clean_text("  a \n\t b  "), "a b");
        assert_eq!(clean_text("x\u{1}y\u{7f}z"), "xyz");
        assert_eq!(clean_text(""), "");
    }
}
