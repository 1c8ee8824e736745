//! Stems words read from standard input (one a line) with every stemmer and prints
//! `word<TAB>snowball<TAB>dictionary`; on standard error, each stemmer's speed in
//! words per second over the input, best of five passes.
//!
//!   cargo run --release -p warta_text --example stem_words < words.txt > stems.tsv

use std::io::{BufRead, Write};
use std::time::Instant;

use warta_text::{Analyzer, StemmerKind};

fn main() -> std::io::Result<()> {
    let words: Vec<String> = std::io::stdin()
        .lock()
        .lines()
        .map_while(Result::ok)
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let snowball = Analyzer::new(StemmerKind::Snowball);
    let dict = Analyzer::new(StemmerKind::Dictionary);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for w in &words {
        writeln!(out, "{w}\t{}\t{}", snowball.stem(w), dict.stem(w))?;
    }
    out.flush()?;
    for (name, a) in [("snowball", &snowball), ("dictionary", &dict)] {
        let best = (0..5)
            .map(|_| {
                let t = Instant::now();
                let mut n = 0usize;
                for w in &words {
                    n += a.stem(w).len();
                }
                std::hint::black_box(n);
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        eprintln!(
            "{name}: {:.0} words/s ({} words)",
            words.len() as f64 / best,
            words.len()
        );
    }
    Ok(())
}
