//! `eval_related judged`: related lists scored on people's judgements
//! (`../shared/data/indosum/related-judgements.json`, its README beside it).
//!
//! The site is built as the judgements' pool was: every IndoSum article a Warta
//! article with the words of its `id` after the timestamp as headline, its first
//! paragraph as lede, the others as body, its category as section and its timestamp
//! as publication time. The engine computes its lists as on any site; only this
//! harness reads the grades, to score what the systems proposed.
//!
//! Scores (the README's definitions, which reproduce its table): nDCG@5 and @8 with
//! gain 2^grade − 1, an unjudged candidate counting 0, the ideal list made of every
//! graded candidate of the query; precision@5 at grade ≥ 1 and at grade 2; the
//! unjudged candidates among each list's first eight; and the "condensed" nDCG, the
//! list with its unjudged candidates removed. Queries are the forty in the file's
//! order: the odd positions (1st, 3rd, …) are the ones tuned on, the even ones are held
//! out.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, Status};
use warta_related::Engine;

use crate::common::{IndoSum, Res, blend_config, site};

/// The day the pool's lists were computed: what "now" was for cc0a1a7's engine.
fn pooled_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct Judgements {
    queries: Ordered<Query>,
}

#[derive(Deserialize)]
struct Query {
    grades: HashMap<String, u8>,
    pooled_from: HashMap<String, Vec<String>>,
}

/// A JSON object's entries in the file's order.
struct Ordered<T>(Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// One system's scores on one query (or their sum, or their mean).
#[derive(Default, Clone, Copy, Debug)]
pub struct Scores {
    pub ndcg5: f64,
    pub ndcg8: f64,
    pub p5: f64,
    pub p5_two: f64,
    /// The unjudged candidates among the list's first eight.
    pub unjudged: f64,
    pub condensed5: f64,
    pub condensed8: f64,
}

impl Scores {
    fn mean(self, n: f64) -> Scores {
        let n = n.max(1.0);
        Scores {
            ndcg5: self.ndcg5 / n,
            ndcg8: self.ndcg8 / n,
            p5: self.p5 / n,
            p5_two: self.p5_two / n,
            unjudged: self.unjudged / n,
            condensed5: self.condensed5 / n,
            condensed8: self.condensed8 / n,
        }
    }
}

impl std::ops::AddAssign for Scores {
    fn add_assign(&mut self, o: Scores) {
        self.ndcg5 += o.ndcg5;
        self.ndcg8 += o.ndcg8;
        self.p5 += o.p5;
        self.p5_two += o.p5_two;
        self.unjudged += o.unjudged;
        self.condensed5 += o.condensed5;
        self.condensed8 += o.condensed8;
    }
}

fn dcg(grades: impl Iterator<Item = u8>, k: usize) -> f64 {
    grades
        .take(k)
        .enumerate()
        .map(|(i, g)| (2f64.powi(i32::from(g)) - 1.0) / (i as f64 + 2.0).log2())
        .sum()
}

fn score(list: &[String], grades: &HashMap<String, u8>) -> Scores {
    let mut ideal: Vec<u8> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let of = |c: &String| grades.get(c).copied().unwrap_or(0);
    let ndcg = |k: usize, judged_only: bool| {
        let best = dcg(ideal.iter().copied(), k);
        let got = dcg(
            list.iter()
                .filter(|c| !judged_only || grades.contains_key(*c))
                .map(of),
            k,
        );
        if best > 0.0 { got / best } else { 0.0 }
    };
    let top5 = list.iter().take(5);
    Scores {
        ndcg5: ndcg(5, false),
        ndcg8: ndcg(8, false),
        p5: top5.clone().filter(|c| of(c) >= 1).count() as f64 / 5.0,
        p5_two: top5.filter(|c| of(c) == 2).count() as f64 / 5.0,
        unjudged: list
            .iter()
            .take(8)
            .filter(|c| !grades.contains_key(*c))
            .count() as f64,
        condensed5: ndcg(5, true),
        condensed8: ndcg(8, true),
    }
}

/// Okapi BM25 exactly as the judgements' README defines its baseline.
struct Bm25 {
    docs: Vec<HashMap<String, u32>>,
    lens: Vec<f64>,
    df: HashMap<String, u32>,
    avg: f64,
}

fn tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|t| t.len() > 2)
        .map(str::to_owned)
        .collect()
}

impl Bm25 {
    fn new(texts: &[String]) -> Bm25 {
        let mut docs = Vec::with_capacity(texts.len());
        let mut lens = Vec::with_capacity(texts.len());
        let mut df: HashMap<String, u32> = HashMap::new();
        for t in texts {
            let mut tf: HashMap<String, u32> = HashMap::new();
            let toks = tokens(t);
            lens.push(toks.len() as f64);
            for w in toks {
                *tf.entry(w).or_default() += 1;
            }
            for w in tf.keys() {
                *df.entry(w.clone()).or_default() += 1;
            }
            docs.push(tf);
        }
        let avg = lens.iter().sum::<f64>() / lens.len().max(1) as f64;
        Bm25 {
            docs,
            lens,
            df,
            avg,
        }
    }

    /// The best `k` documents for `query`, never `own`.
    fn top(&self, query: &str, own: usize, k: usize) -> Vec<usize> {
        let (k1, b) = (1.2, 0.75);
        let n = self.docs.len() as f64;
        // Each query word once (what reproduces the pool's lists).
        let mut seen = HashSet::new();
        let q: Vec<String> = tokens(query)
            .into_iter()
            .filter(|w| seen.insert(w.clone()))
            .collect();
        let mut scored: Vec<(f64, usize)> = self
            .docs
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != own)
            .map(|(i, tf)| {
                let s: f64 = q
                    .iter()
                    .map(|w| {
                        let Some(&f) = tf.get(w) else { return 0.0 };
                        let df = f64::from(self.df.get(w).copied().unwrap_or(0));
                        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                        let f = f64::from(f);
                        idf * f * (k1 + 1.0) / (f + k1 * (1.0 - b + b * self.lens[i] / self.avg))
                    })
                    .sum();
                (s, i)
            })
            .filter(|(s, _)| *s > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(k).map(|x| x.1).collect()
    }
}

fn category_slug(c: &str) -> String {
    c.replace(' ', "-")
}

/// The systems scored, in the order of [`Outcome::sums`].
pub const SYSTEMS: [&str; 5] = [
    "Okapi BM25 (computed here)",
    "Warta at cc0a1a7 (the pool's lists)",
    "same section, nearest in time (the pool's lists)",
    "Warta now",
    "Warta now, bulk rebuild",
];
// The floor test (`tests/judged_floor.rs`) reads these; the example only prints.
/// [`SYSTEMS`]' positions of the baseline and of the engine's two ways.
#[allow(dead_code)]
pub const BM25: usize = 0;
#[allow(dead_code)]
pub const WARTA: usize = 3;
#[allow(dead_code)]
pub const WARTA_BULK: usize = 4;
/// [`Outcome::sums`]' halves: the queries tuned on, those held out, all.
pub const TUNED: usize = 0;
pub const HELD_OUT: usize = 1;
pub const ALL: usize = 2;

/// Each system's mean scores on the shared grades, per half; and on the shared
/// grades with the readers' blind ones (`--extra`).
#[allow(dead_code)]
pub struct Outcome {
    pub means: [[Scores; 3]; SYSTEMS.len()],
    pub with_extra: [[Scores; 3]; SYSTEMS.len()],
}

/// What `judged` is asked to do.
pub struct Options {
    pub articles: PathBuf,
    pub judgements: PathBuf,
    /// Write the unjudged candidates of the engine's lists here, pooled, shuffled and
    /// without the system that proposed them, for blind grading.
    pub pool: Option<PathBuf>,
    /// Blind grades of such a pool, one file per reader (committed before any score
    /// is computed with them): scored apart from the shared set.
    pub extra: Vec<PathBuf>,
}

impl Options {
    pub fn parse(args: &[String], data: &Path) -> Res<Options> {
        let mut o = Options {
            articles: data.join("articles.jsonl"),
            judgements: data.join("related-judgements.json"),
            pool: None,
            extra: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = || {
                it.next()
                    .map(PathBuf::from)
                    .ok_or(format!("{a} needs a path"))
            };
            match a.as_str() {
                "--articles" => o.articles = value()?,
                "--judgements" => o.judgements = value()?,
                "--pool" => o.pool = Some(value()?),
                "--extra" => o.extra.push(value()?),
                other => return Err(format!("judged: unknown argument `{other}`").into()),
            }
        }
        Ok(o)
    }
}

/// One reader's blind grades (`eval/judged/*.json`).
#[derive(Deserialize)]
struct Reader {
    grades: Vec<Graded>,
}

#[derive(Deserialize, serde::Serialize)]
struct Graded {
    query: String,
    candidate: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grade: Option<u8>,
}

/// Several readers' grades of one pair combined: the mean, a half rounded down.
fn combine(readers: &[Reader]) -> HashMap<(String, String), u8> {
    let mut all: HashMap<(String, String), Vec<u8>> = HashMap::new();
    for r in readers {
        for g in &r.grades {
            if let Some(grade) = g.grade {
                all.entry((g.query.clone(), g.candidate.clone()))
                    .or_default()
                    .push(grade.min(2));
            }
        }
    }
    all.into_iter()
        .map(|(k, v)| {
            let sum: u32 = v.iter().map(|g| u32::from(*g)).sum();
            let n = u32::try_from(v.len()).unwrap_or(1).max(1);
            // Twice the mean, halved rounding down: 1.5 → 1, 0.5 → 0.
            (k, u8::try_from((2 * sum / n) / 2).unwrap_or(0))
        })
        .collect()
}

/// A fixed shuffle (xorshift), so that a pool can be made again.
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let j = usize::try_from(seed % (i as u64 + 1)).unwrap_or(0);
        v.swap(i, j);
    }
}

pub async fn judged(o: &Options) -> Res<Outcome> {
    let (articles, judgements) = (o.articles.as_path(), o.judgements.as_path());
    let docs: Vec<IndoSum> = std::fs::read_to_string(articles)?
        .lines()
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect::<Result<_, _>>()?;
    let judged: Judgements = serde_json::from_str(&std::fs::read_to_string(judgements)?)?;
    let dir = tempfile::tempdir()?;
    let (store, index) = site(dir.path()).await?;
    let categories: HashSet<&str> = docs.iter().map(|d| d.category.as_str()).collect();
    for (i, c) in categories.iter().enumerate() {
        store
            .upsert_section(&category_slug(c), c, i64::try_from(i)?)
            .await?;
    }
    let now = pooled_at();
    let mut inputs = Vec::new();
    let mut texts = Vec::new();
    let mut queries = Vec::new();
    for d in &docs {
        let (stamp, slug) = d.id.split_once('-').unwrap_or(("0", &d.id));
        let paragraphs: Vec<String> = d
            .paragraphs
            .iter()
            .map(|p| p.iter().map(|s| s.join(" ")).collect::<Vec<_>>().join(" "))
            .collect();
        let headline = slug.replace('-', " ");
        let mut a = ArticleInput::empty();
        a.headline = headline.clone();
        // A lede holds 2,000 characters: a longer first paragraph keeps the sentences
        // that fit, and the rest opens the body.
        let mut rest = Vec::new();
        for s in d.paragraphs.first().into_iter().flatten() {
            let s = s.join(" ");
            if rest.is_empty() && a.lede.chars().count() + s.chars().count() < 1_990 {
                a.lede = format!("{} {s}", a.lede).trim().to_owned();
            } else {
                rest.push(s);
            }
        }
        a.section = category_slug(&d.category);
        a.status = Status::Published;
        a.published_at = stamp
            .parse()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0));
        a.body = (!rest.is_empty())
            .then(|| rest.join(" "))
            .iter()
            .chain(paragraphs.iter().skip(1))
            .map(|p| Block::Paragraph {
                html: SafeHtml::from_text(p),
            })
            .collect();
        inputs.push(a);
        texts.push(format!("{headline} {}", paragraphs.join(" ")));
        queries.push(format!(
            "{headline} {}",
            paragraphs.first().map_or("", String::as_str)
        ));
    }
    let ids = store.create_articles(inputs, now).await?;
    index.catch_up(&store).await?;
    let pos_of: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let name_of: HashMap<i64, &str> = ids
        .iter()
        .zip(&docs)
        .map(|(id, d)| (*id, d.id.as_str()))
        .collect();
    let bm25 = Bm25::new(&texts);
    let mut engine = Engine::new(store, index);
    engine.config = blend_config();
    let verbose = std::env::var_os("WARTA_EVAL_VERBOSE").is_some();

    let bulk = engine.index.bulk_neighbours()?;
    // Per system: [odd positions, even positions, all].
    let mut sums = [[Scores::default(); 3]; SYSTEMS.len()];
    let mut counted = [0.0f64; 3];
    let mut bm25_equal = 0;
    let mut unjudged: Vec<Graded> = Vec::new();
    let readers: Vec<Reader> = o
        .extra
        .iter()
        .map(|p| -> Res<Reader> { Ok(serde_json::from_str(&std::fs::read_to_string(p)?)?) })
        .collect::<Res<_>>()?;
    let extra = combine(&readers);
    let mut with_extra = [[Scores::default(); 3]; SYSTEMS.len()];
    let mut pool_recall = (0usize, 0usize);
    for (q_no, (qid, q)) in judged.queries.0.iter().enumerate() {
        let Some(&pos) = pos_of.get(qid.as_str()) else {
            return Err(format!("judged query `{qid}` is not in {}", articles.display()).into());
        };
        if !q.grades.values().any(|g| *g > 0) {
            continue;
        }
        let ours_bm25: Vec<String> = bm25
            .top(&queries[pos], pos, 8)
            .into_iter()
            .map(|i| docs[i].id.clone())
            .collect();
        if q.pooled_from.get("bm25") == Some(&ours_bm25) {
            bm25_equal += 1;
        }
        let pooled = |s: &str| q.pooled_from.get(s).cloned().unwrap_or_default();
        let now_list: Vec<String> = engine
            .compute(ids[pos], now)
            .await?
            .unwrap_or_default()
            .into_iter()
            .take(8)
            .filter_map(|(id, _)| name_of.get(&id).map(|s| (*s).to_owned()))
            .collect();
        if std::env::var_os("WARTA_EVAL_POOL").is_some() {
            // How many of the judged relevant candidates the engine even considers.
            let hood = engine.index.neighbours(ids[pos], 60, now)?;
            let considered: HashSet<&str> = hood
                .iter()
                .flat_map(|h| h.candidates.iter())
                .filter_map(|c| name_of.get(&c.profile.id).copied())
                .collect();
            let relevant: Vec<&String> = q
                .grades
                .iter()
                .filter(|(_, g)| **g > 0)
                .map(|(c, _)| c)
                .collect();
            let inside = relevant
                .iter()
                .filter(|c| considered.contains(c.as_str()))
                .count();
            pool_recall.0 += inside;
            pool_recall.1 += relevant.len();
        }
        let bulk_list: Vec<String> = engine
            .lists_from(&bulk, &[ids[pos]], &HashMap::new(), now)?
            .pop()
            .and_then(|(_, l)| l)
            .unwrap_or_default()
            .into_iter()
            .take(8)
            .filter_map(|(id, _)| name_of.get(&id).map(|s| (*s).to_owned()))
            .collect();
        let lists = [
            ours_bm25,
            pooled("warta"),
            pooled("section"),
            now_list,
            bulk_list,
        ];
        if verbose {
            println!("\n{qid}");
            for (name, list) in SYSTEMS
                .iter()
                .zip(&lists)
                .filter(|(n, _)| !n.starts_with("same"))
            {
                let shown: Vec<String> = list
                    .iter()
                    .map(|c| {
                        let g = q.grades.get(c).map_or("?".to_owned(), |g| g.to_string());
                        format!("{g} {}", c.chars().take(45).collect::<String>())
                    })
                    .collect();
                let sc = score(list, &q.grades);
                println!(
                    "  {name} (nDCG@5 {:.2}):\n    {}",
                    sc.ndcg5,
                    shown.join("\n    ")
                );
            }
        }
        for list in &lists[3..] {
            for c in list {
                if !q.grades.contains_key(c)
                    && !unjudged
                        .iter()
                        .any(|g| g.query == *qid && g.candidate == *c)
                {
                    unjudged.push(Graded {
                        query: qid.clone(),
                        candidate: c.clone(),
                        grade: None,
                    });
                }
            }
        }
        let mut grades_plus = q.grades.clone();
        for ((query, candidate), g) in &extra {
            if query == qid {
                grades_plus.entry(candidate.clone()).or_insert(*g);
            }
        }
        let half = if q_no % 2 == 0 { TUNED } else { HELD_OUT };
        for (s, list) in lists.iter().enumerate() {
            let sc = score(list, &q.grades);
            sums[s][half] += sc;
            sums[s][ALL] += sc;
            let sc = score(list, &grades_plus);
            with_extra[s][half] += sc;
            with_extra[s][ALL] += sc;
        }
        counted[half] += 1.0;
        counted[ALL] += 1.0;
    }
    println!(
        "Related news on people's judgements: {} queries ({} tuned on, {} held out); \
         the computed BM25 equals the pool's BM25 lists on {bm25_equal} of them",
        counted[2], counted[0], counted[1]
    );
    if pool_recall.1 > 0 {
        println!(
            "the engine's candidates hold {} of the {} judged relevant",
            pool_recall.0, pool_recall.1
        );
    }
    print_table(&SYSTEMS, &sums, &counted);
    if !readers.is_empty() {
        println!(
            "\nThe same lists on the shared grades plus {} blind grades by {} readers \
             (eval/judged; a pair's grade is the readers' mean, a half rounded down):",
            extra.len(),
            readers.len()
        );
        print_table(&SYSTEMS, &with_extra, &counted);
    }
    if let Some(path) = &o.pool {
        shuffle(&mut unjudged, 0x5eed_2026_1205);
        let out = serde_json::json!({
            "about": "Candidates the engine proposed that the shared judgements do not grade, \
                      pooled from its one-by-one and bulk lists, shuffled, without the system \
                      that proposed them. Grade each pair 0, 1 or 2 (see the scale).",
            "scale": {
                "2": "same story, event or ongoing case (a follow-up, another angle, a precursor)",
                "1": "same specific topic, or the same main person or organisation in another matter",
                "0": "nothing shared beyond the broad section"
            },
            "grades": unjudged,
        });
        std::fs::write(path, serde_json::to_string_pretty(&out)?)?;
        println!(
            "{} unjudged pairs pooled into {}",
            unjudged.len(),
            path.display()
        );
    }
    let mean = |sums: [[Scores; 3]; SYSTEMS.len()]| {
        sums.map(|s| [TUNED, HELD_OUT, ALL].map(|h| s[h].mean(counted[h])))
    };
    Ok(Outcome {
        means: mean(sums),
        with_extra: mean(with_extra),
    })
}

fn print_table(systems: &[&str], sums: &[[Scores; 3]], counted: &[f64; 3]) {
    println!(
        "| system | queries | nDCG@5 | nDCG@8 | P@5 (≥1) | P@5 (2) | unjudged in 8 | condensed nDCG@5 | condensed nDCG@8 |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (s, name) in systems.iter().enumerate() {
        for (half, label) in ["odd (tuned on)", "even (held out)", "all"]
            .iter()
            .enumerate()
        {
            let x = sums[s][half].mean(counted[half]);
            println!(
                "| {name} | {label} | {:.3} | {:.3} | {:.3} | {:.3} | {:.2} | {:.3} | {:.3} |",
                x.ndcg5, x.ndcg8, x.p5, x.p5_two, x.unjudged, x.condensed5, x.condensed8
            );
        }
    }
}
