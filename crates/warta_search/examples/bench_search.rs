//! Query latency on a real data folder (one built with `warta generate` and
//! `warta import`):
//!
//! ```text
//! cargo run --release -p warta_search --example bench_search -- DATA_DIR [QUERIES]
//! ```
//!
//! Queries are made from the headlines of articles spread over the archive: one, two
//! and three words, and a quoted two-word phrase; QUERIES of each (default 500). Each
//! is timed through `SearchIndex::search`, the call the search page makes: ranking,
//! the first page of ten hits, their stored fields and highlighted snippets. Prints
//! p50 and p99 per kind and the index's size on disk. Measured, never asserted.

use std::path::{Path, PathBuf};
use std::time::Instant;

use warta_search::{SearchIndex, SearchRequest};
use warta_store::Store;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn dir_size(p: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(p) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = PathBuf::from(
        args.first()
            .ok_or("usage: bench_search DATA_DIR [QUERIES]")?,
    );
    let per_kind: usize = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(500);
    let store = Store::open_sqlite(&data.join("warta.db")).await?;
    let index = SearchIndex::open(&data.join("search"), warta_search::DEFAULT_STEMMER)?;
    let started = Instant::now();
    let caught = index.catch_up(&store).await?;
    println!(
        "index: {} documents, {:.1} MB on disk, stemmer {:?} (catch-up of {caught} changes: {:.2} s)",
        index.num_docs(),
        dir_size(&data.join("search")) as f64 / 1e6,
        index.stemmer(),
        started.elapsed().as_secs_f64()
    );
    let last = store.last_change().await?.max(1);
    let step = (last / (per_kind as i64).max(1)).max(1);
    let ids: Vec<i64> = (0..per_kind as i64)
        .map(|i| 1 + (i * step) % last)
        .collect();
    let mut headlines: Vec<Vec<String>> = Vec::new();
    for a in store.articles_by_ids(&ids).await? {
        let words: Vec<String> = a
            .headline
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| w.chars().count() >= 4)
            .collect();
        if words.len() >= 3 {
            headlines.push(words);
        }
    }
    let now = chrono::Utc::now();
    println!("| query | n | p50 ms | p99 ms | mean hits |");
    println!("|---|---|---|---|---|");
    for kind in ["1 word", "2 words", "3 words", "phrase"] {
        let mut times = Vec::with_capacity(headlines.len());
        let mut hits = 0usize;
        for (i, h) in headlines.iter().enumerate() {
            let q = match kind {
                "1 word" => h[i % h.len()].clone(),
                "2 words" => format!("{} {}", h[0], h[h.len() - 1]),
                "3 words" => format!("{} {} {}", h[0], h[1], h[2]),
                _ => format!("\"{} {}\"", h[0], h[1]),
            };
            let req = SearchRequest {
                q,
                page: 1,
                per_page: 10,
                ..SearchRequest::default()
            };
            let t = Instant::now();
            let r = index.search(&req, now)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            hits += r.total;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "| {kind} | {} | {:.2} | {:.2} | {} |",
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            hits / times.len().max(1)
        );
    }
    Ok(())
}
