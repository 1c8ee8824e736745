//! The bridge from `warta_text` to tantivy: a tokenizer per stemmer, registered under
//! a name the schema records, so an index always knows how its terms were made.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer, TokenizerManager};
use warta_text::{Analyzer, StemCache, StemmerKind};

/// The tokenizer name an index's text fields are analysed with.
pub fn tokenizer_name(kind: StemmerKind) -> &'static str {
    match kind {
        StemmerKind::None => "warta_id_none",
        StemmerKind::Snowball => "warta_id_snowball",
        StemmerKind::Dictionary => "warta_id_dictionary",
    }
}

/// The stemmer behind a tokenizer name, if it is one of Warta's.
pub fn kind_of_tokenizer(name: &str) -> Option<StemmerKind> {
    [
        StemmerKind::None,
        StemmerKind::Snowball,
        StemmerKind::Dictionary,
    ]
    .into_iter()
    .find(|k| tokenizer_name(*k) == name)
}

/// Registers Warta's tokenizers with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    for kind in [
        StemmerKind::None,
        StemmerKind::Snowball,
        StemmerKind::Dictionary,
    ] {
        manager.register(tokenizer_name(kind), IndonesianTokenizer::new(kind));
    }
}

/// `warta_text::Analyzer` as a tantivy tokenizer: positions count the terms kept, so a
/// quoted phrase matches across the stop words the analyzer drops on both sides.
#[derive(Clone)]
pub struct IndonesianTokenizer {
    analyzer: Arc<Analyzer>,
    /// Each clone (one per field and indexing thread) remembers its own stems.
    cache: StemCache,
    token: Token,
}

impl IndonesianTokenizer {
    pub fn new(kind: StemmerKind) -> IndonesianTokenizer {
        IndonesianTokenizer {
            analyzer: Arc::new(Analyzer::new(kind)),
            cache: StemCache::default(),
            token: Token::default(),
        }
    }
}

pub struct TermStream<'a> {
    terms: std::vec::IntoIter<(String, usize, usize)>,
    position: usize,
    token: &'a mut Token,
}

impl Tokenizer for IndonesianTokenizer {
    type TokenStream<'a> = TermStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermStream<'a> {
        self.token.reset();
        TermStream {
            terms: self
                .analyzer
                .analyze_cached(text, &mut self.cache)
                .into_iter(),
            position: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for TermStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((text, from, to)) = self.terms.next() else {
            return false;
        };
        self.token.text = text;
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.position;
        self.token.position_length = 1;
        self.position += 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(kind: StemmerKind, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut t = IndonesianTokenizer::new(kind);
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            let k = s.token();
            out.push((k.text.clone(), k.position, k.offset_from, k.offset_to));
        }
        out
    }

    #[test]
    fn terms_positions_and_offsets() {
        let text = "Perundingan di Makassar";
        let got = stream(StemmerKind::Dictionary, text);
        assert_eq!(got[0].0, "runding");
        assert_eq!(got[1].0, "makassar");
        // `di` is a stop word: positions stay consecutive, offsets point at the words.
        assert_eq!((got[0].1, got[1].1), (0, 1));
        assert_eq!(&text[got[1].2..got[1].3], "Makassar");
    }

    #[test]
    fn names_round_trip() {
        for kind in [
            StemmerKind::None,
            StemmerKind::Snowball,
            StemmerKind::Dictionary,
        ] {
            assert_eq!(kind_of_tokenizer(tokenizer_name(kind)), Some(kind));
        }
        assert_eq!(kind_of_tokenizer("default"), None);
    }
}
