//! Splitting text into words. Indonesian needs a few rules beyond "letters and
//! digits": reduplication (`anak-anak`, `kupu-kupu`) is one word, hyphenated names
//! (`Kim Jong-un`) are their parts, numbers keep their separators (`3.200`, `2,5`),
//! abbreviations in capitals (`AS`, `PBB`, `KTT`) are marked so they are not
//! stemmed, and an apostrophe inside a name (`O'Brien`) does not split it.

/// A word of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lower-cased.
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Written in capitals in the text (`AS`, `PBB`): an abbreviation.
    pub is_abbreviation: bool,
}

impl Token {
    /// The terms this word stands for: a reduplicated word is its base once
    /// (`anak-anak` → `anak`); another hyphenated word is its parts (`jong-un` →
    /// `jong`, `un`); anything else is itself.
    pub fn parts(&self) -> Vec<(String, usize, usize)> {
        if !self.text.contains('-') {
            return vec![(self.text.clone(), self.start, self.end)];
        }
        let pieces: Vec<&str> = self.text.split('-').filter(|p| !p.is_empty()).collect();
        if pieces.len() == 2
            && (pieces[0] == pieces[1]
                || pieces[1].ends_with(pieces[0])
                || pieces[0].starts_with(pieces[1]))
        {
            // anak-anak, sayur-mayur is not caught (rhyming pairs stay split).
            return vec![(pieces[0].to_owned(), self.start, self.end)];
        }
        pieces
            .into_iter()
            .map(|p| (p.to_owned(), self.start, self.end))
            .collect()
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The words of a text, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    // The character at byte `i` (always a boundary here); ASCII without decoding.
    let at = |i: usize| -> Option<char> {
        match *bytes.get(i)? {
            b if b < 0x80 => Some(char::from(b)),
            _ => text.get(i..)?.chars().next(),
        }
    };
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut i = 0;
    while let Some(c) = at(i) {
        if !is_word_char(c) {
            i += c.len_utf8();
            continue;
        }
        let s = i;
        let mut prev = c;
        let mut j = i + c.len_utf8();
        while let Some(c) = at(j) {
            if is_word_char(c) {
                prev = c;
                j += c.len_utf8();
                continue;
            }
            // Joiners count only between two word characters.
            let next = at(j + c.len_utf8());
            let next_is_word = next.is_some_and(is_word_char);
            let joins = match c {
                '-' | '\u{2010}' | '\u{2011}' => next_is_word,
                '\'' | '\u{2019}' => next_is_word && prev.is_alphabetic(),
                '.' | ',' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                _ => false,
            };
            if !joins {
                break;
            }
            prev = c;
            j += c.len_utf8();
        }
        let raw = &text[s..j];
        let (mut letters, mut all_upper) = (0usize, true);
        let mut lower = String::with_capacity(raw.len());
        if raw.is_ascii() {
            for b in raw.bytes() {
                if b.is_ascii_alphabetic() {
                    letters += 1;
                    all_upper &= b.is_ascii_uppercase();
                }
                if b != b'\'' {
                    lower.push(char::from(b.to_ascii_lowercase()));
                }
            }
        } else {
            for c in raw.chars() {
                if c.is_alphabetic() {
                    letters += 1;
                    all_upper &= c.is_uppercase();
                }
                match c {
                    '\'' | '\u{2019}' => {}
                    '\u{2010}' | '\u{2011}' => lower.push('-'),
                    _ => lower.extend(c.to_lowercase()),
                }
            }
        }
        out.push(Token {
            text: lower,
            start: s,
            end: j,
            is_abbreviation: letters >= 2 && all_upper,
        });
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokenizer as first written (a vector of every character, a vector of
    /// every word's letters): what the faster one must agree with.
    fn tokenize_reference(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            if !is_word_char(chars[i].1) {
                i += 1;
                continue;
            }
            let start = i;
            let mut j = i + 1;
            while j < chars.len() {
                let c = chars[j].1;
                if is_word_char(c) {
                    j += 1;
                    continue;
                }
                // Joiners count only between two word characters.
                let next_is_word = chars.get(j + 1).is_some_and(|(_, n)| is_word_char(*n));
                let prev = chars[j - 1].1;
                let joins = match c {
                    '-' | '\u{2010}' | '\u{2011}' => next_is_word,
                    '\'' | '\u{2019}' => next_is_word && prev.is_alphabetic(),
                    '.' | ',' => {
                        next_is_word && prev.is_ascii_digit() && chars[j + 1].1.is_ascii_digit()
                    }
                    _ => false,
                };
                if !joins {
                    break;
                }
                j += 1;
            }
            let s = chars[start].0;
            let e = chars.get(j).map_or(text.len(), |(b, _)| *b);
            let raw = &text[s..e];
            let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
            let is_abbreviation = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
            let mut lower = String::with_capacity(raw.len());
            for c in raw.chars() {
                match c {
                    '\'' | '\u{2019}' => {}
                    '\u{2010}' | '\u{2011}' => lower.push('-'),
                    _ => lower.extend(c.to_lowercase()),
                }
            }
            out.push(Token {
                text: lower,
                start: s,
                end: e,
                is_abbreviation,
            });
            i = j;
        }
        out
    }

    #[test]
    fn agrees_with_the_reference_on_odd_and_mixed_text() {
        let pieces = [
            "a", "Z", "7", "-", "\u{2010}", "\u{2011}", "'", "\u{2019}", ".", ",", " ", "\n", "É",
            "ß", "İ", "Ω", "日", "😀", "\u{0}", "\u{202e}", "ǅ", "Ⅻ", "٣", "AS", "kim",
        ];
        // Every string of up to three pieces, then longer ones from a fixed sequence.
        let mut texts: Vec<String> = vec![String::new()];
        for _ in 0..3 {
            let mut next = Vec::new();
            for t in &texts {
                for p in pieces {
                    next.push(format!("{t}{p}"));
                }
            }
            texts.extend(next.into_iter().filter(|t| t.chars().count() <= 4));
            texts.sort();
            texts.dedup();
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2_000 {
            let mut t = String::new();
            for _ in 0..24 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push_str(pieces[(x % pieces.len() as u64) as usize]);
            }
            texts.push(t);
        }
        assert!(texts.len() > 10_000);
        for t in &texts {
            assert_eq!(tokenize(t), tokenize_reference(t), "{t:?}");
        }
    }

    fn words(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokenizer_table() {
        let cases: [(&str, &[&str]); 9] = [
            ("Anak-anak bermain", &["anak-anak", "bermain"]),
            ("Kim Jong-un tiba.", &["kim", "jong-un", "tiba"]),
            ("KTT ASEAN di Makassar", &["ktt", "asean", "di", "makassar"]),
            (
                "sekitar 3.200 warga, naik 2,5 persen",
                &["sekitar", "3.200", "warga", "naik", "2,5", "persen"],
            ),
            ("Robert O'Brien berkata", &["robert", "obrien", "berkata"]),
            ("\"tangan kosong\".", &["tangan", "kosong"]),
            ("akhir - awal", &["akhir", "awal"]),
            ("", &[]),
            ("😀 مرحبا 日本", &["مرحبا", "日本"]),
        ];
        for (text, want) in cases {
            assert_eq!(words(text), want, "{text:?}");
        }
    }

    #[test]
    fn abbreviations_and_offsets() {
        let t = tokenize("Presiden AS dan PBB");
        assert!(t[1].is_abbreviation && t[3].is_abbreviation);
        assert!(!t[0].is_abbreviation);
        assert_eq!(&"Presiden AS dan PBB"[t[1].start..t[1].end], "AS");
    }

    #[test]
    fn reduplication_and_names() {
        let parts = |s: &str| -> Vec<String> {
            tokenize(s)
                .iter()
                .flat_map(Token::parts)
                .map(|p| p.0)
                .collect()
        };
        assert_eq!(parts("anak-anak"), ["anak"]);
        assert_eq!(parts("kupu-kupu"), ["kupu"]);
        assert_eq!(parts("Jong-un"), ["jong", "un"]);
    }

    #[test]
    fn long_and_odd_input_does_not_panic() {
        let long = "a-".repeat(10_000);
        assert!(!tokenize(&long).is_empty());
        for s in [
            "-",
            "'",
            "''a",
            "a'",
            "1.",
            ".1",
            "1..2",
            "\u{202e}abc",
            "a\u{0}b",
        ] {
            let _ = tokenize(s);
        }
    }
}
