//! What the example's subcommands and the judged-quality test
//! (`tests/judged_floor.rs`) share: the site they build and the blend they score.

use std::path::Path;

use serde::Deserialize;
use warta_related::Config;
use warta_search::{SearchIndex, StemmerKind};
use warta_store::Store;

pub type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The blend's configuration, with overrides for tuning runs
/// (`WARTA_W_TEXT`, `WARTA_W_SUBJECT`, `WARTA_W_TAGS`, `WARTA_W_NAMES`, `WARTA_W_RECENCY`, `WARTA_LAMBDA`,
/// `WARTA_TEXT_GATE`).
pub fn blend_config() -> Config {
    let env = |k: &str, d: f32| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let d = Config::default();
    Config {
        w_text: env("WARTA_W_TEXT", d.w_text),
        w_subject: env("WARTA_W_SUBJECT", d.w_subject),
        min_relevance: env("WARTA_MIN_RELEVANCE", d.min_relevance),
        half_life_days: env("WARTA_HALF_LIFE", d.half_life_days),
        w_names: env("WARTA_W_NAMES", d.w_names),
        w_tags: env("WARTA_W_TAGS", d.w_tags),
        w_recency: env("WARTA_W_RECENCY", d.w_recency),
        lambda: env("WARTA_LAMBDA", d.lambda),
        text_gate: env("WARTA_TEXT_GATE", d.text_gate),
        ..d
    }
}

pub async fn site(dir: &Path) -> Res<(Store, SearchIndex)> {
    let store = Store::open_sqlite(&dir.join("w.db")).await?;
    let index = SearchIndex::open(&dir.join("search"), StemmerKind::Dictionary)?;
    Ok((store, index))
}

/// One IndoSum article as `articles.jsonl` holds it.
#[derive(Deserialize)]
pub struct IndoSum {
    pub id: String,
    pub category: String,
    pub paragraphs: Vec<Vec<Vec<String>>>,
}
