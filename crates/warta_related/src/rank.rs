//! Ranking a neighbourhood into a related list. Pure: the index found the candidates,
//! this scores and picks.
//!
//! score = relevance × freshness, where
//! - relevance = `w_text` × text similarity (the candidate's "more like this" score
//!   over the best candidate's) + `w_names` × shared names, each weighted by how rare
//!   it is (idf: sharing `kim jong un` says more than sharing `jakarta`), over the
//!   article's own names;
//! - freshness = `1 − w_recency + w_recency × 0.5^(age / half-life)`, with age counted
//!   to *now*, not to the article: an old article's list shows new coverage first
//!   among equally related ones, and a fresh but unrelated story never gets in (a
//!   candidate needs some relevance before freshness counts at all).
//!
//! Then near-copies (SimHash within 6 bits) of the article or of an entry already
//! picked are dropped, and the list is picked greedily by maximal marginal relevance so
//! that five takes on one sub-story do not crowd out the rest.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use warta_search::{Candidate, Neighbourhood};
use warta_text::simhash;

#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub w_text: f32,
    /// BM25 of the headline's and lede's words over the candidate (its
    /// `subject_score`): measured on people's judgements, the text signal that
    /// lifted the lists most (BENCHMARKS.md, issue #31).
    pub w_subject: f32,
    /// Shared tags: the newsroom's own judgement of what a story is about.
    pub w_tags: f32,
    pub w_names: f32,
    pub w_recency: f32,
    pub half_life_days: f32,
    /// MMR trade-off: 1 is pure relevance.
    pub lambda: f32,
    /// Relevance below this never enters a list.
    pub min_relevance: f32,
    /// Shared tags and names count in full only for a candidate whose text similarity
    /// reaches this, and in proportion below it (0: always in full). Sharing `Jakarta`
    /// and the governor says "same story" only when the texts agree.
    pub text_gate: f32,
    pub limit: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            w_text: 1.0,
            w_subject: 0.3,
            w_tags: 0.3,
            w_names: 0.3,
            w_recency: 0.15,
            half_life_days: 30.0,
            lambda: 0.85,
            min_relevance: 0.12,
            text_gate: 0.0,
            limit: 10,
        }
    }
}

impl Config {
    /// Text similarity only: the "pure text" baseline of the evaluation.
    pub fn text_only() -> Config {
        Config {
            w_text: 1.0,
            w_subject: 0.0,
            w_tags: 0.0,
            w_names: 0.0,
            w_recency: 0.0,
            lambda: 1.0,
            min_relevance: 0.0,
            ..Config::default()
        }
    }
}

/// The idf-weighted share of `mine` that `theirs` holds. Keys no other article
/// carries cannot be shared: they weigh nothing either way.
fn overlap(mine: &[String], theirs: &[String], docs: &HashMap<String, u64>, n: u64) -> f32 {
    let idf = |k: &String| {
        let df = docs.get(k).copied().unwrap_or(1).max(1);
        (1.0 + n as f32 / df as f32).ln()
    };
    let shareable = mine
        .iter()
        .filter(|k| docs.get(*k).is_some_and(|df| *df > 1));
    let total: f32 = shareable.clone().map(idf).sum();
    if total <= 0.0 {
        return 0.0;
    }
    shareable
        .filter(|k| theirs.contains(k))
        .map(idf)
        .sum::<f32>()
        / total
}

fn similarity(a: &Candidate, b: &Candidate) -> f32 {
    let (ea, eb) = (&a.profile.entities, &b.profile.entities);
    let inter = ea.iter().filter(|e| eb.contains(e)).count() as f32;
    let union = (ea.len() + eb.len()) as f32 - inter;
    let jaccard = if union > 0.0 { inter / union } else { 0.0 };
    let bits = simhash::distance(a.profile.simhash, b.profile.simhash) as f32;
    let text = if a.profile.simhash == 0 || b.profile.simhash == 0 {
        0.0
    } else {
        (1.0 - bits / 32.0).clamp(0.0, 1.0)
    };
    0.5 * jaccard + 0.5 * text
}

/// The related list for `n`'s article: (id, score), best first, at most
/// `cfg.limit`, never an id in `excluded`.
pub fn rank(
    n: &Neighbourhood,
    excluded: &[i64],
    now: DateTime<Utc>,
    cfg: &Config,
) -> Vec<(i64, f32)> {
    let mut scored: Vec<(f32, &Candidate)> = n
        .candidates
        .iter()
        .filter(|c| c.profile.id != n.target.id && !excluded.contains(&c.profile.id))
        .filter(|c| !simhash::near_copies(c.profile.simhash, n.target.simhash))
        .filter_map(|c| {
            let text = c.text_score.clamp(0.0, 1.0);
            let t = &n.target;
            let gate = if cfg.text_gate > 0.0 {
                (text / cfg.text_gate).min(1.0)
            } else {
                1.0
            };
            let relevance = cfg.w_text * text
                + cfg.w_subject * c.subject_score.clamp(0.0, 1.0)
                + gate
                    * (cfg.w_tags * overlap(&t.tags, &c.profile.tags, &n.tag_docs, n.num_docs)
                        + cfg.w_names
                            * overlap(
                                &t.entities,
                                &c.profile.entities,
                                &n.entity_docs,
                                n.num_docs,
                            ));
            if relevance < cfg.min_relevance || relevance <= 0.0 {
                return None;
            }
            let age_days = (now - c.profile.published_at).num_seconds().max(0) as f32 / 86_400.0;
            let fresh = 0.5f32.powf(age_days / cfg.half_life_days.max(0.01));
            Some((relevance * (1.0 - cfg.w_recency + cfg.w_recency * fresh), c))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.profile.id.cmp(&b.1.profile.id))
    });
    let mut picked: Vec<(f32, &Candidate)> = Vec::with_capacity(cfg.limit);
    // Each remaining candidate's redundancy (its greatest similarity to an entry
    // picked so far), brought up to date with each pick rather than recomputed.
    let mut redundancy = vec![0.0f32; scored.len()];
    while picked.len() < cfg.limit && !scored.is_empty() {
        let mut best: Option<(usize, f32)> = None;
        for (i, (s, c)) in scored.iter().enumerate() {
            if picked
                .iter()
                .any(|(_, p)| simhash::near_copies(p.profile.simhash, c.profile.simhash))
            {
                continue;
            }
            let mmr = cfg.lambda * s - (1.0 - cfg.lambda) * redundancy[i];
            if best.is_none_or(|(_, b)| mmr > b) {
                best = Some((i, mmr));
            }
        }
        let Some((i, _)) = best else { break };
        let chosen = scored.remove(i);
        redundancy.remove(i);
        for ((_, c), r) in scored.iter().zip(redundancy.iter_mut()) {
            *r = r.max(similarity(chosen.1, c));
        }
        picked.push(chosen);
    }
    picked.into_iter().map(|(s, c)| (c.profile.id, s)).collect()
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use warta_search::Profile;

    use super::*;

    // Fingerprints of unrelated texts: about half their bits differ.
    const A: u64 = 0x9e37_79b9_7f4a_7c15;
    const B: u64 = 0x6a09_e667_f3bc_c908;
    const C: u64 = 0xbb67_ae85_84ca_a73b;
    const D: u64 = 0x3c6e_f372_fe94_f82b;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn cand(id: i64, text: f32, names: &[&str], days_old: i64, simhash: u64) -> Candidate {
        Candidate {
            profile: std::sync::Arc::new(Profile {
                id,
                published_at: now() - Duration::days(days_old),
                entities: names.iter().map(|s| (*s).to_owned()).collect(),
                tags: Vec::new(),
                simhash,
            }),
            text_score: text,
            subject_score: 0.0,
        }
    }

    fn hood(candidates: Vec<Candidate>) -> Neighbourhood {
        Neighbourhood {
            target: cand(
                1,
                0.0,
                &["kim jong un", "jakarta"],
                2000,
                0xffff_0000_ffff_0000,
            )
            .profile
            .as_ref()
            .clone(),
            candidates,
            num_docs: 10_000,
            entity_docs: HashMap::from([("kim jong un".into(), 20), ("jakarta".into(), 4_000)]),
            tag_docs: HashMap::new(),
        }
    }

    #[test]
    fn a_rare_shared_name_outweighs_a_common_one() {
        let n = hood(vec![
            cand(2, 5.0, &["jakarta"], 10, A),
            cand(3, 5.0, &["kim jong un"], 10, B),
        ]);
        let r = rank(&n, &[], now(), &Config::default());
        assert_eq!(r[0].0, 3, "{r:?}");
    }

    #[test]
    fn among_equals_the_fresher_wins_but_freshness_never_buys_relevance() {
        let n = hood(vec![
            cand(2, 5.0, &["kim jong un"], 900, A),
            cand(3, 5.0, &["kim jong un"], 3, B),
            // Brand new, shares nothing, barely similar text: not related at all.
            cand(4, 0.1, &[], 0, C),
            // Brand new, somewhat similar: listed, but after the close old one.
            cand(5, 0.4, &[], 0, D),
        ]);
        let r = rank(&n, &[], now(), &Config::default());
        assert_eq!(
            r.iter().map(|x| x.0).collect::<Vec<_>>(),
            [3, 2, 5],
            "{r:?}"
        );
    }

    /// With a text gate, a shared rare name lifts a textually close candidate but no
    /// longer carries one whose text says nothing.
    #[test]
    fn the_text_gate_scales_names_by_text_similarity() {
        let n = hood(vec![
            cand(2, 0.0, &["kim jong un"], 10, A),
            cand(3, 0.2, &[], 10, B),
        ]);
        let open = rank(&n, &[], now(), &Config::default());
        assert_eq!(open[0].0, 2, "ungated, the name alone wins: {open:?}");
        let gated = Config {
            text_gate: 0.5,
            ..Config::default()
        };
        let r = rank(&n, &[], now(), &gated);
        assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), vec![3], "{r:?}");
    }

    /// Of two candidates whose telling words cover the article alike, the one that
    /// answers its headline and lede better comes first.
    #[test]
    fn the_subject_score_breaks_what_coverage_cannot() {
        let mut about = cand(3, 0.5, &[], 10, A);
        let mut passing = cand(2, 0.5, &[], 10, B);
        about.subject_score = 1.0;
        passing.subject_score = 0.2;
        let n = hood(vec![passing, about]);
        let r = rank(&n, &[], now(), &Config::default());
        assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [3, 2], "{r:?}");
        let off = Config {
            w_subject: 0.0,
            ..Config::default()
        };
        let r = rank(&n, &[], now(), &off);
        assert_eq!(r[0].0, 2, "a tie without it goes to the lower id: {r:?}");
        assert!((r[0].1 - r[1].1).abs() < 1e-6, "{r:?}");
    }

    #[test]
    fn near_copies_and_exclusions_are_dropped() {
        let wire = 0x0f0f_0f0f_0f0f_0f0f;
        let n = hood(vec![
            cand(2, 9.0, &["kim jong un"], 1, wire),
            cand(3, 8.0, &["kim jong un"], 1, wire ^ 0b11),
            cand(4, 5.0, &["kim jong un"], 1, 0x1234_5678_9abc_def0),
            // A copy of the article itself.
            cand(5, 10.0, &["kim jong un"], 1, 0xffff_0000_ffff_0001),
        ]);
        let r: Vec<i64> = rank(&n, &[4], now(), &Config::default())
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(r, [2], "{r:?}");
    }

    #[test]
    fn nothing_to_go_on_gives_an_empty_list() {
        let mut n = hood(vec![]);
        assert!(rank(&n, &[], now(), &Config::default()).is_empty());
        n.target.entities.clear();
        n.candidates = vec![cand(2, 0.0, &[], 1, 0)];
        assert!(rank(&n, &[], now(), &Config::default()).is_empty());
    }
}
