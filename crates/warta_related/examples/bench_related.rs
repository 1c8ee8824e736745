//! Related-news speed on an imported archive (`warta generate` + `warta import`):
//!
//! ```text
//! cargo run --release -p warta_related --example bench_related -- DATA_DIR [N] [--full]
//! ```
//!
//! 1. computing one article's list (`Engine::compute`) for N articles spread over the
//!    archive (default 500): p50, p99, the slowest and where in the run they came;
//!    then the same N again (the index now warm): p50, p99, max;
//! 2. the full rebuild rate (lists computed and stored per second, over those N), one
//!    by one and with `Engine::rebuild`; then the archive-wide path
//!    (`SearchIndex::bulk_neighbours`, what `Engine::rebuild` uses from
//!    `BULK_FROM` lists on): the time to read the archive, the rate of lists from it,
//!    how many of the one-by-one top 10 the bulk lists share, and the rate on 20,000
//!    lists spread over the archive (computed, not stored); with `--full`, every
//!    list of the archive rebuilt and stored (`Engine::rebuild` of all ids);
//! 3. publishing one new article and updating every list it enters (store write,
//!    index catch-up, related catch-up), 20 times: p50, max, lists written;
//! 4. serving: the stored list read for a page (`Store::related_list`), first from the
//!    database and then from its in-memory cache, against the tag query it replaces
//!    (`Store::related_by_tags`): p50 each.
//!
//! It writes to DATA_DIR (lists and 20 new articles): use a copy.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use chrono::{Duration, Utc};
use warta_core::{ArticleInput, Block, Status};
use warta_related::Engine;
use warta_search::SearchIndex;
use warta_store::Store;

/// The binary's allocator, so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(((v.len().max(1) - 1) as f64 * p).round() as usize)
        .copied()
        .unwrap_or(0.0)
}

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = PathBuf::from(args.first().ok_or("usage: bench_related DATA_DIR [N]")?);
    let n: i64 = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(500);
    let store = Store::open_sqlite(&data.join("warta.db")).await?;
    let index = SearchIndex::open_bulk(&data.join("search"), warta_search::DEFAULT_STEMMER)?;
    let t = Instant::now();
    let caught = index.catch_up(&store).await?;
    println!(
        "index: {} documents (catch-up of {caught} changes: {:.1} s)",
        index.num_docs(),
        t.elapsed().as_secs_f64()
    );
    let engine = Engine::new(store.clone(), index.clone());
    let now = Utc::now();
    let last = store.last_change().await?.max(1);
    let step = (last / n.max(1)).max(1);
    let ids: Vec<i64> = (0..n).map(|i| 1 + (i * step) % last).collect();

    let mut compute = Vec::new();
    let mut one_by_one = Vec::new();
    let started = Instant::now();
    for id in &ids {
        let t = Instant::now();
        let list = engine.compute(*id, now).await?.unwrap_or_default();
        compute.push(t.elapsed().as_secs_f64() * 1e3);
        store.save_related(*id, &list, now).await?;
        one_by_one.push(list);
    }
    let rate = ids.len() as f64 / started.elapsed().as_secs_f64();
    // Where the slowest were: the first lists of a freshly opened index read it from
    // the disk (a server has long since warmed it).
    let mut slowest: Vec<(f64, usize)> = compute.iter().copied().zip(0..).collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = slowest
        .iter()
        .take(6)
        .map(|(ms, i)| format!("{ms:.1} ms (#{i})"))
        .collect();
    println!(
        "compute one list: p50 {:.2} ms, p99 {:.2} ms (n = {}); computed and stored one by one: {rate:.0} lists/s; slowest {}",
        pct(&mut compute, 0.5),
        pct(&mut compute, 0.99),
        ids.len(),
        slowest.join(", ")
    );
    // The same lists again, the index now warm (computed, not stored).
    let mut warm = Vec::new();
    for id in &ids {
        let t = Instant::now();
        engine.compute(*id, now).await?;
        warm.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "compute one list, second pass: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(&mut warm, 0.5),
        pct(&mut warm, 0.99),
        pct(&mut warm, 1.0)
    );
    let started = Instant::now();
    engine.rebuild(&ids, now).await?;
    println!(
        "bulk rebuild (Engine::rebuild, a task per core, stored in chunks): {:.0} lists/s",
        ids.len() as f64 / started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let bulk = index.bulk_neighbours()?;
    let read = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let from_bulk = engine.lists_from(&bulk, &ids, &HashMap::new(), now)?;
    let rate = ids.len() as f64 / started.elapsed().as_secs_f64();
    let (mut shared, mut of) = (0, 0);
    for (one, (_, bulk_list)) in one_by_one.iter().zip(&from_bulk) {
        let bulk_ids: Vec<i64> = bulk_list.iter().flatten().take(10).map(|x| x.0).collect();
        for (id, _) in one.iter().take(10) {
            of += 1;
            shared += usize::from(bulk_ids.contains(id));
        }
    }
    println!(
        "archive-wide: {} articles read in {read:.1} s; lists from it {rate:.0}/s (not stored); \
         {:.3} of the one-by-one top 10 in the bulk lists",
        bulk.len(),
        shared as f64 / of.max(1) as f64
    );
    // The rate on a sample big enough to be steady: 20,000 lists spread over the
    // archive, computed on every core, not stored.
    let sample: Vec<i64> = {
        let m = last.min(20_000);
        let step = (last / m.max(1)).max(1);
        (0..m).map(|i| 1 + (i * step) % last).collect()
    };
    let started = Instant::now();
    let lists = engine.lists_from(&bulk, &sample, &HashMap::new(), now)?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "archive-wide, {} lists spread over the archive: {secs:.1} s, {:.0} lists/s (not stored; {} not visible)",
        sample.len(),
        sample.len() as f64 / secs,
        lists.iter().filter(|x| x.1.is_none()).count()
    );
    drop(bulk);
    if args.iter().any(|a| a == "--full") {
        let all: Vec<i64> = (1..=last).collect();
        let started = Instant::now();
        engine.rebuild(&all, now).await?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "full rebuild (Engine::rebuild of all {} ids, stored): {secs:.1} s, {:.0} lists/s",
            all.len(),
            all.len() as f64 / secs
        );
    }
    // Everything already in the log counts as read: only the new articles are news.
    store.set_related_cursor(store.last_change().await?).await?;

    let mut publish = Vec::new();
    let mut written = Vec::new();
    for (i, id) in ids.iter().take(20).enumerate() {
        let a = store.article(*id).await?;
        let other = store.article(ids[(i + 7) % ids.len()]).await?;
        // Half of one story, half of another: related to both, a copy of neither.
        let half = a.body.len() / 2;
        let mut input = ArticleInput::empty();
        input.headline = format!("{} (lanjutan {i})", a.headline);
        input.lede = a.lede.clone();
        input.section = a.section.slug.clone();
        input.body = a.body[..half]
            .iter()
            .chain(other.body.iter().skip(other.body.len() / 2))
            .filter(|b| matches!(b, Block::Paragraph { .. } | Block::Heading { .. }))
            .cloned()
            .collect();
        input.tags = a
            .tags
            .iter()
            .map(|t| warta_core::TagRef {
                kind: t.kind,
                name: t.name.clone(),
            })
            .collect();
        input.status = Status::Published;
        input.published_at = Some(now - Duration::seconds(1));
        let t = Instant::now();
        store.create_article(input, now).await?;
        index.catch_up(&store).await?;
        let p = engine.catch_up(now).await?;
        publish.push(t.elapsed().as_secs_f64() * 1e3);
        written.push(p.lists as f64);
    }
    println!(
        "publish one article and update the lists it enters: p50 {:.1} ms, max {:.1} ms; lists written p50 {:.0}, max {:.0}",
        pct(&mut publish.clone(), 0.5),
        pct(&mut publish, 1.0),
        pct(&mut written.clone(), 0.5),
        pct(&mut written, 1.0)
    );

    // First read of each list: from the database (the in-memory cache is empty for
    // it); second read: what a page render pays until something it shows changes.
    let (mut miss, mut hit, mut tags) = (Vec::new(), Vec::new(), Vec::new());
    for id in &ids {
        for times in [&mut miss, &mut hit] {
            let t = Instant::now();
            let _ = store.related_list(*id, 10, now).await?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let t = Instant::now();
        let _ = store.related_by_tags(*id, 10, now).await?;
        tags.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "serve: stored list from the database p50 {:.3} ms (p99 {:.3}), from memory p50 {:.4} ms (p99 {:.4}); tag query p50 {:.3} ms (p99 {:.3})",
        pct(&mut miss.clone(), 0.5),
        pct(&mut miss, 0.99),
        pct(&mut hit.clone(), 0.5),
        pct(&mut hit, 0.99),
        pct(&mut tags.clone(), 0.5),
        pct(&mut tags, 0.99)
    );
    Ok(())
}
