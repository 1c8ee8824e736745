//! Stemmer and analyzer speed with divan (`cargo bench -p warta_text`). The words are
//! the demo site's own text (every word of `warta_demo`'s articles, written for
//! Warta), so the mix of roots, affixed forms, names and numbers is a news text's.
//! Figures go to BENCHMARKS.md; CI only compiles this.

use std::sync::OnceLock;

use divan::{Bencher, black_box};
use warta_text::{Analyzer, StemCache, StemmerKind, tokenize};

const TEXT: &str = include_str!("../../warta_demo/content/articles.toml");

fn words() -> &'static [String] {
    static W: OnceLock<Vec<String>> = OnceLock::new();
    W.get_or_init(|| {
        tokenize(TEXT)
            .into_iter()
            .map(|t| t.text)
            .filter(|w| w.chars().all(char::is_alphabetic) && w.len() >= 3)
            .collect()
    })
}

fn main() {
    divan::main();
}

/// Stemming every word of the demo once (`words` words per iteration).
#[divan::bench(args = [StemmerKind::Snowball, StemmerKind::Dictionary])]
fn stem(bencher: Bencher, kind: StemmerKind) {
    let a = Analyzer::new(kind);
    let ws = words();
    bencher
        .counter(divan::counter::ItemsCount::new(ws.len()))
        .bench(|| {
            for w in ws {
                black_box(a.stem(black_box(w)));
            }
        });
}

/// The whole analysis of the demo text (tokenize, stop words, stem) with the stem
/// cache an indexer keeps.
#[divan::bench(args = [StemmerKind::None, StemmerKind::Snowball, StemmerKind::Dictionary])]
fn analyze_cached(bencher: Bencher, kind: StemmerKind) {
    let a = Analyzer::new(kind);
    let mut cache = StemCache::default();
    bencher
        .counter(divan::counter::BytesCount::new(TEXT.len()))
        .bench_local(|| black_box(a.analyze_cached(black_box(TEXT), &mut cache)));
}
