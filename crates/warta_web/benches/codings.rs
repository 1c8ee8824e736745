//! What a page-cache miss pays to compress a page, and what the background upgrade
//! pays, per coding and level (`cargo bench -p warta_web --bench codings`). The input
//! is 13 KB of the demo's own text (the size of a demo article page). Figures go to
//! BENCHMARKS.md; CI only compiles this.

use divan::{Bencher, black_box};
use warta_web::encoding::{Coding, Level, compress};

const TEXT: &str = include_str!("../../warta_demo/content/articles.toml");

fn page() -> &'static [u8] {
    let end = TEXT
        .char_indices()
        .map(|(i, _)| i)
        .find(|i| *i >= 13_000)
        .unwrap_or(TEXT.len());
    &TEXT.as_bytes()[..end]
}

fn main() {
    divan::main();
}

#[divan::bench(args = [Coding::Brotli, Coding::Zstd, Coding::Gzip])]
fn fast(bencher: Bencher, coding: Coding) {
    bencher.bench(|| compress(coding, Level::Fast, black_box(page())).len());
}

#[divan::bench(args = [Coding::Brotli, Coding::Zstd, Coding::Gzip])]
fn best(bencher: Bencher, coding: Coding) {
    bencher.bench(|| compress(coding, Level::Best, black_box(page())).len());
}

/// Brotli's quality levels near the fast one, for choosing it (size printed once).
#[divan::bench(args = [3, 4, 5, 6])]
fn brotli_quality(bencher: Bencher, quality: i32) {
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        lgwin: 22,
        ..Default::default()
    };
    bencher.bench(|| {
        let mut out = Vec::new();
        let mut input = black_box(page());
        let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
        out.len()
    });
}
