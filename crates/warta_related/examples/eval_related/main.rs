//! Related-news quality: the blend against two baselines — the fixture's (shared tags,
//! newest first) and pure text similarity.
//!
//! ```text
//! cargo run --release -p warta_related --example eval_related -- events [--distractors N]
//! cargo run --release -p warta_related --example eval_related -- indosum PATH
//! ```
//!
//! `events`: the demo site labelled by event (`eval/events.toml`) plus N generated
//! distractors (default 2,000). For every labelled article, the other articles of its
//! event are the relevant ones: precision@10, R-precision (precision at the event's
//! size) and nDCG@10.
//!
//! `judged`: the lists scored on people's judgements of IndoSum articles (`judged.rs`):
//!
//! ```text
//! cargo run --release -p warta_related --example eval_related -- judged [--articles F] [--judgements F] [--pool OUT] [--extra GRADES]...
//! ```
//!
//! `indosum`: the real articles of `../shared/data/indosum/articles.jsonl` (IndoSum,
//! Kurniawan and Louvan 2018, CC BY-SA 4.0), with no tags: entity extraction carries
//! the names part. Same-category precision@10 over every article.

mod common;
mod judged;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, Status};
use warta_related::{Config, Engine};
use warta_search::BulkNeighbours;

use common::{IndoSum, Res, blend_config, site};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("events") => {
            let n = args
                .iter()
                .position(|a| a == "--distractors")
                .and_then(|i| args.get(i + 1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(2_000);
            events(n).await
        }
        Some("indosum") => {
            let path = args
                .get(1)
                .map(PathBuf::from)
                .ok_or("indosum needs a path")?;
            indosum(&path).await
        }
        Some("judged") => {
            let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/indosum");
            judged::judged(&judged::Options::parse(&args[1..], &data)?)
                .await
                .map(|_| ())
        }
        _ => Err(
            "usage: eval_related events [--distractors N] | indosum PATH | judged [--articles F] [--judgements F] [--pool OUT] [--extra GRADES]..."
                .into(),
        ),
    }
}

/// The systems compared: the list each gives for an article. The blend twice: one
/// article at a time (as on publishing), and from the bulk rebuild's pruned postings.
async fn lists(engine: &Engine, bulk: &BulkNeighbours, id: i64) -> Res<[Vec<i64>; 4]> {
    let tags: Vec<i64> = engine
        .store
        .related_by_tags(id, 10, now())
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut text_engine = engine.clone();
    text_engine.config = Config::text_only();
    let ids = |l: Option<Vec<(i64, f32)>>| l.unwrap_or_default().into_iter().map(|x| x.0).collect();
    let text = ids(text_engine.compute(id, now()).await?);
    let blend = ids(engine.compute(id, now()).await?);
    let from_bulk = engine
        .lists_from(bulk, &[id], &HashMap::new(), now())?
        .pop()
        .and_then(|(_, l)| l);
    Ok([tags, text, blend, ids(from_bulk)])
}

/// The systems' names, in the order [`lists`] gives them.
const SYSTEMS: [&str; 4] = [
    "shared tags, newest first",
    "pure text",
    "Warta blend",
    "Warta blend, bulk rebuild",
];

/// How many of the one-by-one list's top 10 the bulk list also holds.
fn agreement(all: &[Vec<i64>; 4]) -> f64 {
    let one = &all[2];
    if one.is_empty() {
        return 1.0;
    }
    let top: Vec<&i64> = one.iter().take(10).collect();
    top.iter()
        .filter(|x| all[3].iter().take(10).any(|y| y == **x))
        .count() as f64
        / top.len() as f64
}

#[derive(Deserialize)]
struct Events {
    event: Vec<Event>,
    #[serde(default)]
    article: Vec<ArchiveArticle>,
}

#[derive(Deserialize)]
struct Event {
    articles: Vec<String>,
}

/// An article of `eval/archive.toml`: text, age and (maybe) broad tags.
#[derive(Deserialize)]
struct ArchiveArticle {
    headline: String,
    days: i64,
    #[serde(default)]
    tags: Vec<String>,
    body: String,
}

impl ArchiveArticle {
    fn input(&self) -> Res<ArticleInput> {
        let mut a = ArticleInput::empty();
        a.headline = self.headline.clone();
        a.section = "nasional".into();
        a.status = Status::Published;
        a.published_at = Some(now() - chrono::Duration::days(self.days));
        a.body = self
            .body
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| Block::Paragraph {
                html: SafeHtml::from_text(p.trim()),
            })
            .collect();
        for t in &self.tags {
            let (kind, name) = t.split_once(':').ok_or(format!("tag `{t}`: kind:Name"))?;
            a.tags.push(warta_core::TagRef {
                kind: warta_core::TagKind::parse(kind).ok_or(format!("tag kind `{kind}`"))?,
                name: name.to_owned(),
            });
        }
        Ok(a)
    }
}

async fn events(distractors: usize) -> Res<()> {
    let demo_set: Events = toml::from_str(include_str!("../../eval/events.toml"))?;
    let archive: Events = toml::from_str(include_str!("../../eval/archive.toml"))?;
    let dir = tempfile::tempdir()?;
    let (store, index) = site(dir.path()).await?;
    warta_demo::seed(&store, &dir.path().join("media"), now()).await?;
    let mut labelled: Vec<i64> = (1..=i64::try_from(warta_demo::article_count()?)?).collect();
    for a in &archive.article {
        labelled.push(store.create_article(a.input()?, now()).await?.id);
    }
    if distractors > 0 {
        let corpus = dir.path().join("corpus.jsonl");
        let mut f = std::io::BufWriter::new(std::fs::File::create(&corpus)?);
        warta_import::generate::Corpus::new(11).write_jsonl(distractors, 11, now(), &mut f)?;
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
    index.catch_up(&store).await?;
    let mut id_of: HashMap<String, i64> = HashMap::new();
    for a in store.articles_by_ids(&labelled).await? {
        id_of.insert(a.headline.clone(), a.id);
    }
    let find = |prefix: &str| {
        id_of
            .iter()
            .find(|(h, _)| h.starts_with(prefix))
            .map(|(_, id)| *id)
    };
    let bulk = index.bulk_neighbours()?;
    let mut engine = Engine::new(store, index);
    engine.config = blend_config();
    // Per set (demo, archive) and system: precision@10, R-precision, nDCG@10.
    let mut sums = [[[0.0f64; 3]; 4]; 2];
    let mut agree = 0.0;
    let mut n = [0.0; 2];
    let sets = [&demo_set, &archive];
    for (set_no, ev) in sets
        .iter()
        .enumerate()
        .flat_map(|(k, set)| set.event.iter().map(move |e| (k, e)))
    {
        let members: Vec<i64> = ev.articles.iter().filter_map(|p| find(p)).collect();
        for &a in &members {
            let relevant: Vec<i64> = members.iter().copied().filter(|m| *m != a).collect();
            let all = lists(&engine, &bulk, a).await?;
            agree += agreement(&all);
            if std::env::var_os("WARTA_EVAL_VERBOSE").is_some() {
                let name = |id: &i64| {
                    id_of
                        .iter()
                        .find(|(_, v)| *v == id)
                        .map_or(format!("#{id}"), |(h, _)| h.chars().take(30).collect())
                };
                println!(
                    "{} (relevant {:?})",
                    name(&a),
                    relevant.iter().map(name).collect::<Vec<_>>()
                );
                println!(
                    "   blend {:?}",
                    all[2].iter().take(5).map(name).collect::<Vec<_>>()
                );
            }
            for (s, list) in all.iter().enumerate() {
                let hit: Vec<bool> = list.iter().take(10).map(|x| relevant.contains(x)).collect();
                let p10 = hit.iter().filter(|h| **h).count() as f64 / 10.0;
                let r = relevant.len();
                let rprec = hit.iter().take(r).filter(|h| **h).count() as f64 / r as f64;
                let dcg: f64 = hit
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| **h)
                    .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
                    .sum();
                let ideal: f64 = (0..r.min(10)).map(|i| 1.0 / (i as f64 + 2.0).log2()).sum();
                sums[set_no][s][0] += p10;
                sums[set_no][s][1] += rprec;
                sums[set_no][s][2] += dcg / ideal;
            }
            n[set_no] += 1.0;
        }
    }
    println!(
        "events: {} demo articles in {} events, {} archive articles in {} events \
         (and {} archive distractors), {distractors} generated distractors",
        n[0],
        demo_set.event.len(),
        n[1],
        archive.event.len(),
        archive.article.len() - n[1] as usize,
    );
    println!(
        "| system | demo P@10 | demo R-prec | demo nDCG@10 | archive P@10 | archive R-prec | archive nDCG@10 | both nDCG@10 |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (s, name) in SYSTEMS.iter().enumerate() {
        let both = (sums[0][s][2] + sums[1][s][2]) / (n[0] + n[1]);
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {both:.3} |",
            sums[0][s][0] / n[0],
            sums[0][s][1] / n[0],
            sums[0][s][2] / n[0],
            sums[1][s][0] / n[1],
            sums[1][s][1] / n[1],
            sums[1][s][2] / n[1],
        );
    }
    println!(
        "bulk rebuild against one by one: {:.3} of the top 10 in common",
        agree / (n[0] + n[1])
    );
    Ok(())
}

async fn indosum(path: &Path) -> Res<()> {
    let text = std::fs::read_to_string(path)?;
    let docs: Vec<IndoSum> = text
        .lines()
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect::<Result<_, _>>()?;
    let dir = tempfile::tempdir()?;
    let (store, index) = site(dir.path()).await?;
    store.upsert_section("berita", "Berita", 0).await?;
    let mut inputs = Vec::new();
    for d in &docs {
        let (stamp, slug) = d.id.split_once('-').unwrap_or(("0", &d.id));
        let mut a = ArticleInput::empty();
        a.headline = slug.replace('-', " ");
        a.section = "berita".into();
        a.status = Status::Published;
        a.published_at = stamp
            .parse()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0));
        a.body = d
            .paragraphs
            .iter()
            .map(|p| Block::Paragraph {
                html: SafeHtml::from_text(
                    &p.iter().map(|s| s.join(" ")).collect::<Vec<_>>().join(" "),
                ),
            })
            .collect();
        inputs.push(a);
    }
    let ids = store.create_articles(inputs, now()).await?;
    index.catch_up(&store).await?;
    let category: HashMap<i64, &str> = ids
        .iter()
        .zip(&docs)
        .map(|(id, d)| (*id, d.category.as_str()))
        .collect();
    let bulk = index.bulk_neighbours()?;
    let mut engine = Engine::new(store, index);
    engine.config = blend_config();
    let mut sums = [0.0f64; 4];
    let mut lens = [0usize; 4];
    let mut agree = 0.0;
    let mut times = Vec::with_capacity(ids.len());
    for id in &ids {
        let t = std::time::Instant::now();
        let l = lists(&engine, &bulk, *id).await?;
        agree += agreement(&l);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        for (s, list) in l.iter().enumerate() {
            let same = list
                .iter()
                .take(10)
                .filter(|x| category.get(x) == category.get(id))
                .count();
            sums[s] += same as f64 / 10.0;
            lens[s] += list.len().min(10);
        }
    }
    let n = ids.len() as f64;
    println!(
        "IndoSum: {} articles, no tags; same-category precision@10",
        ids.len()
    );
    println!("| system | precision@10 | mean list length |");
    println!("|---|---|---|");
    for (s, name) in SYSTEMS.iter().enumerate() {
        println!(
            "| {name} | {:.3} | {:.1} |",
            sums[s] / n,
            lens[s] as f64 / n
        );
    }
    println!(
        "bulk rebuild against one by one: {:.3} of the top 10 in common",
        agree / n
    );
    Ok(())
}
