//! Search quality, with each stemmer: none, Snowball, Warta's dictionary stemmer.
//!
//! ```text
//! cargo run --release -p warta_search --example eval_search -- relevance [--distractors N]
//! cargo run --release -p warta_search --example eval_search -- indosum PATH
//! ```
//!
//! `relevance`: the judged set in `eval/relevance.toml` (queries and the demo articles
//! that answer them), over the demo site plus N generated distractor articles
//! (default 5,000); prints MRR@10 and nDCG@10 per stemmer, overall and by query kind.
//!
//! `indosum`: the known-item test on real text (`../shared/data/indosum/articles.jsonl`,
//! IndoSum, Kurniawan and Louvan 2018, CC BY-SA 4.0). Every article is indexed (its
//! title is the slug in its id); each one's human-written summary is a query twice:
//! its first sentence, and five of its content words. Prints recall@10 and MRR@10 of
//! the article itself. The data stays in `../shared`; this only reads it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, Status};
use warta_search::{SearchIndex, StemmerKind};
use warta_store::Store;

const KINDS: [StemmerKind; 3] = [
    StemmerKind::None,
    StemmerKind::Snowball,
    StemmerKind::Dictionary,
];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("relevance") => {
            let n = args
                .iter()
                .position(|a| a == "--distractors")
                .and_then(|i| args.get(i + 1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(5_000);
            relevance(n).await
        }
        Some("indosum") => {
            let path = args
                .get(1)
                .map(PathBuf::from)
                .ok_or("indosum needs the path of articles.jsonl")?;
            indosum(&path).await
        }
        _ => Err("usage: eval_search relevance [--distractors N] | indosum PATH".into()),
    }
}

#[derive(Deserialize)]
struct Set {
    q: Vec<Judged>,
}

#[derive(Deserialize)]
struct Judged {
    kind: String,
    q: String,
    relevant: Vec<String>,
}

/// Reciprocal rank of the first relevant result in the top 10, and nDCG@10 with
/// binary gains.
fn score(ranked: &[bool], relevant: usize) -> (f64, f64) {
    let rr = ranked
        .iter()
        .take(10)
        .position(|r| *r)
        .map_or(0.0, |i| 1.0 / (i as f64 + 1.0));
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .filter(|(_, r)| **r)
        .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
        .sum();
    let ideal: f64 = (0..relevant.min(10))
        .map(|i| 1.0 / (i as f64 + 2.0).log2())
        .sum();
    (rr, if ideal > 0.0 { dcg / ideal } else { 0.0 })
}

async fn fresh_store(dir: &Path) -> Res<Store> {
    Ok(Store::open_sqlite(&dir.join("w.db")).await?)
}

async fn relevance(distractors: usize) -> Res<()> {
    let set: Set = toml::from_str(include_str!("../eval/relevance.toml"))?;
    // One store for all three indexes: the same articles, analysed three ways.
    let dir = tempfile::tempdir()?;
    let store = fresh_store(dir.path()).await?;
    warta_demo::seed(&store, &dir.path().join("media"), now()).await?;
    if distractors > 0 {
        let corpus = dir.path().join("corpus.jsonl");
        let mut f = std::io::BufWriter::new(std::fs::File::create(&corpus)?);
        warta_import::generate::Corpus::new(7).write_jsonl(distractors, 7, now(), &mut f)?;
        drop(f);
        let opts = warta_import::Options {
            keep_going: false,
            dry_run: false,
            default_section: "berita".into(),
            now: now(),
            cache_mib: 256,
            overwrite_edited: false,
            media_from: None,
        };
        warta_import::import(
            &store,
            warta_import::Format::Jsonl,
            &[corpus],
            &opts,
            &mut |_| {},
        )
        .await?;
    }
    let mut headline_of: HashMap<i64, String> = HashMap::new();
    let ids: Vec<i64> = (1..=i64::try_from(warta_demo::article_count()?)?).collect();
    for a in store.articles_by_ids(&ids).await? {
        headline_of.insert(a.id, a.headline);
    }
    println!(
        "relevance set: {} queries, demo articles + {distractors} generated distractors",
        set.q.len()
    );
    println!("| stemmer | MRR@10 | nDCG@10 | inflected MRR | phrase MRR | name MRR | topic MRR |");
    println!("|---|---|---|---|---|---|---|");
    for kind in KINDS {
        let idx = SearchIndex::open(&dir.path().join(format!("search-{kind:?}")), kind)?;
        idx.catch_up(&store).await?;
        let (mut mrr, mut ndcg) = (0.0, 0.0);
        let mut by_kind: HashMap<&str, (f64, usize)> = HashMap::new();
        for j in &set.q {
            let top = idx.top_ids(&j.q, 10, now())?;
            let ranked: Vec<bool> = top
                .iter()
                .map(|id| {
                    headline_of
                        .get(id)
                        .is_some_and(|h| j.relevant.iter().any(|r| h.starts_with(r.as_str())))
                })
                .collect();
            let (rr, nd) = score(&ranked, j.relevant.len());
            mrr += rr;
            ndcg += nd;
            let e = by_kind.entry(j.kind.as_str()).or_default();
            e.0 += rr;
            e.1 += 1;
        }
        let n = set.q.len() as f64;
        let k = |name: &str| {
            by_kind
                .get(name)
                .map_or(0.0, |(s, c)| s / (*c).max(1) as f64)
        };
        println!(
            "| {kind:?} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            mrr / n,
            ndcg / n,
            k("inflected"),
            k("phrase"),
            k("name"),
            k("topic")
        );
    }
    Ok(())
}

#[derive(Deserialize)]
struct IndoSum {
    id: String,
    paragraphs: Vec<Vec<Vec<String>>>,
    summary: Vec<Vec<String>>,
}

/// Tokens joined back into text (`kata .` stays as it is: the tokenizer drops it).
fn join(tokens: &[String]) -> String {
    tokens.join(" ")
}

async fn indosum(path: &Path) -> Res<()> {
    let text = std::fs::read_to_string(path)?;
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let d: IndoSum = serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1))?;
        docs.push(d);
    }
    let dir = tempfile::tempdir()?;
    let store = fresh_store(dir.path()).await?;
    store.upsert_section("berita", "Berita", 0).await?;
    let mut inputs = Vec::with_capacity(docs.len());
    for d in &docs {
        let (stamp, slug) = d.id.split_once('-').unwrap_or(("0", &d.id));
        let mut a = ArticleInput::empty();
        a.headline = slug.replace('-', " ");
        a.section = "berita".into();
        a.status = Status::Published;
        a.published_at = stamp
            .parse()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .or(Some(now()));
        a.body = d
            .paragraphs
            .iter()
            .map(|p| Block::Paragraph {
                html: SafeHtml::from_text(&p.iter().map(|s| join(s)).collect::<Vec<_>>().join(" ")),
            })
            .collect();
        inputs.push(a);
    }
    let ids = store.create_articles(inputs, now()).await?;
    let stop = |w: &str| warta_text::stopwords::is_stop(w);
    let queries: Vec<(i64, String, String)> = docs
        .iter()
        .zip(&ids)
        .map(|(d, id)| {
            let first = d.summary.first().map(|s| join(s)).unwrap_or_default();
            let mut words: Vec<String> = Vec::new();
            for w in d.summary.iter().flatten() {
                let lw = w.to_lowercase();
                if lw.chars().count() >= 4
                    && lw.chars().all(char::is_alphabetic)
                    && !stop(&lw)
                    && !words.contains(&lw)
                {
                    words.push(lw);
                }
                if words.len() == 5 {
                    break;
                }
            }
            (*id, first, words.join(" "))
        })
        .collect();
    println!(
        "IndoSum known-item test: {} articles, {} queries of each kind",
        docs.len(),
        queries.len()
    );
    println!(
        "| stemmer | sentence recall@10 | sentence MRR@10 | 5 words recall@10 | 5 words MRR@10 | index ms |"
    );
    println!("|---|---|---|---|---|---|");
    for kind in KINDS {
        let started = std::time::Instant::now();
        let idx = SearchIndex::open(&dir.path().join(format!("search-{kind:?}")), kind)?;
        idx.catch_up(&store).await?;
        let index_ms = started.elapsed().as_millis();
        let mut sums = [0.0f64; 4];
        for (id, sentence, words) in &queries {
            for (k, q) in [sentence, words].into_iter().enumerate() {
                let top = idx.top_ids(q, 10, now())?;
                if let Some(pos) = top.iter().position(|t| t == id) {
                    sums[k * 2] += 1.0;
                    sums[k * 2 + 1] += 1.0 / (pos as f64 + 1.0);
                }
            }
        }
        let n = queries.len() as f64;
        println!(
            "| {kind:?} | {:.3} | {:.3} | {:.3} | {:.3} | {index_ms} |",
            sums[0] / n,
            sums[1] / n,
            sums[2] / n,
            sums[3] / n
        );
    }
    Ok(())
}
