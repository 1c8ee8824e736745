//! What a reader types into the search box, read the forgiving way: words, quoted
//! phrases (`"kim jong un"`, also with typographic quotes) and excluded words
//! (`-banjir`). There is no syntax to get wrong: an unbalanced quote runs to the end,
//! a lone `-` is nothing, `AND`, `field:` or `(` are just words or punctuation, control
//! characters are spaces, and anything past [`MAX_QUERY_CHARS`] is dropped (and said).

/// Characters of a query that are read; the rest is cut off.
pub const MAX_QUERY_CHARS: usize = 200;

/// A parsed query. Words and phrases are as typed (lower-cased); the analyzer makes
/// index terms of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    pub words: Vec<String>,
    pub phrases: Vec<String>,
    pub excluded: Vec<String>,
    /// The input was longer than [`MAX_QUERY_CHARS`].
    pub truncated: bool,
}

impl UserQuery {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{201d}' | '\u{201e}')
}

pub fn parse(input: &str) -> UserQuery {
    let mut q = UserQuery {
        truncated: input.chars().nth(MAX_QUERY_CHARS).is_some(),
        ..UserQuery::default()
    };
    let text: String = input
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut in_phrase = false;
    let mut current = String::new();
    let flush_word = |w: &mut String, q: &mut UserQuery| {
        let word = std::mem::take(w);
        let (excluded, rest) = match word.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, word.as_str()),
        };
        if !rest.chars().any(char::is_alphanumeric) {
            return;
        }
        let rest = rest.to_lowercase();
        if excluded {
            q.excluded.push(rest);
        } else {
            q.words.push(rest);
        }
    };
    for c in text.chars() {
        if is_quote(c) {
            if in_phrase {
                let phrase = std::mem::take(&mut current);
                if phrase.chars().any(char::is_alphanumeric) {
                    q.phrases.push(phrase.trim().to_lowercase());
                }
            } else {
                flush_word(&mut current, &mut q);
            }
            in_phrase = !in_phrase;
        } else if in_phrase || !c.is_whitespace() {
            current.push(c);
        } else {
            flush_word(&mut current, &mut q);
        }
    }
    if in_phrase {
        // An unbalanced quote: what follows it is still a phrase.
        if current.chars().any(char::is_alphanumeric) {
            q.phrases.push(current.trim().to_lowercase());
        }
    } else {
        flush_word(&mut current, &mut q);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_exclusions() {
        let q = parse("Perundingan \"Kim Jong Un\" -banjir nuklir");
        assert_eq!(q.words, ["perundingan", "nuklir"]);
        assert_eq!(q.phrases, ["kim jong un"]);
        assert_eq!(q.excluded, ["banjir"]);
        assert!(!q.truncated);
    }

    #[test]
    fn hostile_input_table() {
        let cases: [(&str, &[&str], &[&str]); 9] = [
            ("\"kim jong", &[], &["kim jong"]),
            ("-", &[], &[]),
            ("- -- ---", &[], &[]),
            ("\"\"", &[], &[]),
            ("a\u{0}b\u{7}c", &["a", "b", "c"], &[]),
            ("title:foo AND (bar", &["title:foo", "and", "(bar"], &[]),
            (
                "' OR 1=1; DROP TABLE articles; --",
                &["or", "1=1;", "drop", "table", "articles;"],
                &[],
            ),
            ("“Kim Jong Un”", &[], &["kim jong un"]),
            ("😀 مرحبا", &["مرحبا"], &[]),
        ];
        for (input, words, phrases) in cases {
            let q = parse(input);
            assert_eq!(q.words, words, "{input:?}");
            assert_eq!(q.phrases, phrases, "{input:?}");
        }
    }

    #[test]
    fn long_input_is_cut_and_said() {
        let q = parse(&"kata ".repeat(2_000));
        assert!(q.truncated);
        assert_eq!(q.words.len(), MAX_QUERY_CHARS / 5);
        assert!(!parse("kata").truncated);
    }
}
