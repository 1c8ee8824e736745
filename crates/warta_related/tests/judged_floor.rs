//! The floor of related-news quality on people's judgements (issue #31): the engine's
//! lists for the forty judged IndoSum queries (`../shared/data/indosum`), scored as
//! `eval_related judged` scores them, must not fall below what BENCHMARKS.md reports
//! (nDCG@5 0.770 on all forty, 0.812 on the twenty held out, bulk 0.772), less a
//! margin of 0.005. The data lives beside the checkout, not in it: without it the test
//! says so and passes, as the README's test command must.

#[allow(dead_code)]
#[path = "../examples/eval_related/common.rs"]
mod common;
#[allow(dead_code)]
#[path = "../examples/eval_related/judged.rs"]
mod judged;

use std::path::Path;

use judged::{ALL, BM25, HELD_OUT, Options, WARTA, WARTA_BULK};

const FLOOR_ALL: f64 = 0.765;
const FLOOR_HELD_OUT: f64 = 0.807;
const FLOOR_BULK: f64 = 0.767;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn related_lists_stay_above_the_judged_floor() -> common::Res<()> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/indosum");
    if !data.join("related-judgements.json").exists() {
        eprintln!("skipped: {} is not beside the checkout", data.display());
        return Ok(());
    }
    // The shared data set alone, with the tuned configuration (no overrides).
    for (k, _) in std::env::vars() {
        if k.starts_with("WARTA_W_") || k == "WARTA_LAMBDA" || k == "WARTA_MIN_RELEVANCE" {
            return Err(format!("{k} is set: the floor is for the default blend").into());
        }
    }
    let readers = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/judged");
    let mut args = Vec::new();
    for r in ["2026-12-05-reader-a.json", "2026-12-05-reader-b.json"] {
        args.push("--extra".to_owned());
        args.push(readers.join(r).display().to_string());
    }
    let out = judged::judged(&Options::parse(&args, &data)?).await?;
    let m = |s: usize, h: usize| out.means[s][h];
    // The site was built as the pool was: the baseline comes out as the README gives it.
    let bm25 = m(BM25, ALL).ndcg5;
    assert!(
        (bm25 - 0.719).abs() < 0.002,
        "BM25's nDCG@5 is {bm25:.3}, not the 0.719 the judgements define: the harness changed"
    );
    let (all, held, bulk) = (
        m(WARTA, ALL).ndcg5,
        m(WARTA, HELD_OUT).ndcg5,
        m(WARTA_BULK, ALL).ndcg5,
    );
    assert!(all >= FLOOR_ALL, "nDCG@5 on all forty fell to {all:.3}");
    assert!(held >= FLOOR_HELD_OUT, "nDCG@5 held out fell to {held:.3}");
    assert!(
        bulk >= FLOOR_BULK,
        "the bulk rebuild's nDCG@5 fell to {bulk:.3}"
    );
    // At most one unjudged candidate in ten among a list's first eight, counting the
    // readers' blind grades of the engine's pool (eval/judged) beside the shared ones.
    for s in [WARTA, WARTA_BULK] {
        let unjudged = out.with_extra[s][ALL].unjudged;
        assert!(
            unjudged <= 0.8,
            "{unjudged:.2} of the first eight are unjudged ({})",
            judged::SYSTEMS[s]
        );
    }
    // And the blind grades do not turn the comparison over.
    let (ours, theirs) = (
        out.with_extra[WARTA][ALL].ndcg5,
        out.with_extra[BM25][ALL].ndcg5,
    );
    assert!(
        ours >= theirs + 0.04,
        "with the blind grades: Warta {ours:.3}, BM25 {theirs:.3}"
    );
    Ok(())
}
