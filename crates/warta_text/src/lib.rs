//! Indonesian text analysis: the tokenizer, the stop-word list and two stemmers, for
//! search and related news. No I/O; the root-word list is compiled in.
//!
//! `analyze` is the whole pipeline: tokens, lower-cased, stop words out, stemmed. The
//! stemmer is chosen by [`StemmerKind`] so that search quality can be measured with
//! each (issue #4): none, Snowball's Indonesian stemmer (Tala's algorithm), or Warta's
//! dictionary stemmer (the Nazief–Adriani / ECS family, on a root list that allows
//! commercial use).

pub mod entities;
pub mod simhash;
pub mod stem;
pub mod stopwords;
pub mod tokenize;

pub use stem::{DictStemmer, StemmerKind};
pub use tokenize::{Token, tokenize};

/// An analyzer: tokenizer, lower-casing, stop words and a stemmer.
pub struct Analyzer {
    kind: StemmerKind,
    snowball: frostem::Stemmer,
    dict: &'static DictStemmer,
}

impl Analyzer {
    pub fn new(kind: StemmerKind) -> Analyzer {
        Analyzer {
            kind,
            snowball: frostem::Stemmer::new(frostem::Algorithm::Indonesian),
            dict: DictStemmer::shared(),
        }
    }

    /// The stem of one lower-cased word.
    pub fn stem(&self, word: &str) -> String {
        match self.kind {
            StemmerKind::None => word.to_owned(),
            StemmerKind::Snowball => self.snowball.stem(word).into_owned(),
            StemmerKind::Dictionary => self.dict.stem(word),
        }
    }

    /// Index terms of a text, with the byte offsets of the words they came from.
    pub fn analyze(&self, text: &str) -> Vec<(String, usize, usize)> {
        self.analyze_cached(text, &mut StemCache::default())
    }

    /// [`Analyzer::analyze`] remembering stems in `cache`: news text repeats its words
    /// (Zipf), so an indexer that keeps one cache per thread stems each word once.
    pub fn analyze_cached(&self, text: &str, cache: &mut StemCache) -> Vec<(String, usize, usize)> {
        let mut out = Vec::new();
        for t in tokenize(text) {
            let is_abbreviation = t.is_abbreviation;
            // Most words have no hyphen: they are their own single part, moved, not copied.
            let parts = if t.text.contains('-') {
                t.parts()
            } else {
                vec![(t.text, t.start, t.end)]
            };
            for (part, start, end) in parts {
                if stopwords::is_stop(&part) {
                    continue;
                }
                // Numbers and abbreviations are kept as they are.
                let term = if self.kind == StemmerKind::None
                    || is_abbreviation
                    || part.chars().any(|c| c.is_ascii_digit())
                {
                    part
                } else if let Some(s) = cache.map.get(&part) {
                    s.clone()
                } else {
                    let s = self.stem(&part);
                    if cache.map.len() >= StemCache::MAX {
                        cache.map.clear();
                    }
                    cache.map.insert(part, s.clone());
                    s
                };
                out.push((term, start, end));
            }
        }
        out
    }
}

/// Stems already computed, word → stem; bounded (cleared when full).
#[derive(Debug, Default, Clone)]
pub struct StemCache {
    map: std::collections::HashMap<String, String>,
}

impl StemCache {
    const MAX: usize = 200_000;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(kind: StemmerKind, text: &str) -> Vec<String> {
        Analyzer::new(kind)
            .analyze(text)
            .into_iter()
            .map(|t| t.0)
            .collect()
    }

    #[test]
    fn inflected_forms_meet_at_their_root() {
        let a = terms(
            StemmerKind::Dictionary,
            "Para perunding AS berunding soal denuklirisasi",
        );
        assert_eq!(a, ["runding", "as", "runding", "soal", "nuklir"]);
        let q = terms(StemmerKind::Dictionary, "perundingan nuklir");
        assert!(q.iter().all(|t| a.contains(t)), "{q:?} not all in {a:?}");
    }

    #[test]
    fn without_stemming_words_stay_apart() {
        let a = terms(StemmerKind::None, "Para perunding berunding");
        assert_eq!(a, ["perunding", "berunding"]);
    }

    #[test]
    fn numbers_names_and_reduplication() {
        let a = terms(
            StemmerKind::Dictionary,
            "Kim Jong-un menemui anak-anak 3.200 kali",
        );
        assert_eq!(a, ["kim", "jong", "un", "temu", "anak", "3.200", "kali"]);
    }

    #[test]
    fn hostile_text_gives_terms_or_nothing() {
        for s in [
            "",
            "\"\"\"",
            "----",
            "😀😀",
            "yang dan di",
            &"kata ".repeat(20_000),
        ] {
            let _ = terms(StemmerKind::Dictionary, s);
        }
        assert!(terms(StemmerKind::Dictionary, "yang dan di").is_empty());
    }
}
