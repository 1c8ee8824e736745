//! Candidates for related news, from the index: articles whose text is like this
//! one's (BM25 "more like this" over its most telling terms) and articles that share
//! its rarest names. The ranking itself (blend, recency, near-copies, diversity) is
//! `warta_related`'s; this only finds and describes the candidates.

use std::collections::HashMap;
use std::ops::Bound;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tantivy::collector::TopDocs;
use tantivy::postings::Postings;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TantivyDocument, Term};
use warta_text::{Analyzer, StemCache, StemmerKind};

use crate::index::{Fields, SearchIndex, doc_id, text_of, unix};
use crate::{Result, SearchError};

/// Terms of the article that make up its "more like this" query.
const MLT_TERMS: usize = 25;
/// Text the query terms are chosen from (an article of 100,000 words is read in part).
const MLT_CHARS: usize = 20_000;

/// What ranking needs to know about an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub id: i64,
    pub published_at: DateTime<Utc>,
    /// Normalised names: tags first, then names found in the text.
    pub entities: Vec<String>,
    /// Tag slugs, as the newsroom set them.
    pub tags: Vec<String>,
    pub simhash: u64,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    /// Shared: a bulk rebuild hands the same profile to every list it is a candidate in.
    pub profile: Arc<Profile>,
    /// Text similarity, 0 to 1: the weighted share of the article's telling terms
    /// (those other articles can share) that the candidate's text contains.
    pub text_score: f32,
    /// How well the candidate answers the article's subject: Okapi BM25 of the words
    /// of the article's headline and lede (each once) over the candidate's whole text,
    /// over the best candidate's (0 to 1). The coverage above asks whether a candidate
    /// holds the article's telling words; this also weighs how often, in how long a
    /// text, and leans on what the writer put first.
    pub subject_score: f32,
}

/// An article and its candidates, with the statistics ranking weighs names by.
#[derive(Debug, Clone)]
pub struct Neighbourhood {
    pub target: Profile,
    pub candidates: Vec<Candidate>,
    /// Documents in the index, and how many carry each of the target's entities and
    /// tags.
    pub num_docs: u64,
    pub entity_docs: HashMap<String, u64>,
    pub tag_docs: HashMap<String, u64>,
}

pub(crate) fn profile(d: &TantivyDocument, f: &Fields) -> Result<Profile> {
    let id = doc_id(d, f)?;
    Ok(Profile {
        id,
        published_at: d
            .get_first(f.published_at)
            .and_then(|v| v.as_i64())
            .and_then(|t| DateTime::from_timestamp(t, 0))
            .unwrap_or_default(),
        entities: d
            .get_all(f.entity)
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        simhash: d.get_first(f.simhash).and_then(|v| v.as_u64()).unwrap_or(0),
        tags: d
            .get_all(f.tag)
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
    })
}

fn find(searcher: &Searcher, f: &Fields, id: i64) -> Result<Option<TantivyDocument>> {
    let q = TermQuery::new(
        Term::from_field_u64(f.id, u64::try_from(id).unwrap_or(0)),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
    match top.first() {
        Some((_, addr)) => Ok(Some(searcher.doc(*addr)?)),
        None => Ok(None),
    }
}

/// The text an article's telling terms are chosen from: the headline twice, the lede
/// and the body's first [`MLT_CHARS`] characters.
pub(crate) fn mlt_text(doc: &TantivyDocument, f: &Fields) -> String {
    mlt_text_cut(doc, f).0
}

/// [`mlt_text`], and whether the body was cut to fit.
pub(crate) fn mlt_text_cut(doc: &TantivyDocument, f: &Fields) -> (String, bool) {
    let headline = text_of(doc, f.headline);
    let mut text = format!("{headline}\n{headline}\n{}\n", text_of(doc, f.lede));
    let body = text_of(doc, f.body);
    let cut = body
        .char_indices()
        .nth(MLT_CHARS)
        .map_or(body.len(), |(i, _)| i);
    text.push_str(&body[..cut]);
    (text, cut < body.len())
}

/// An article's most telling terms (at most [`MLT_TERMS`]), weighted: frequent in it,
/// rare in the archive. `df` is a word's document frequency among `num_docs`.
pub(crate) fn telling_terms(
    text: &str,
    num_docs: u64,
    mut df: impl FnMut(&str) -> Result<u64>,
) -> Result<Vec<(String, f32)>> {
    let tf = term_counts(text);
    let long = is_long(&tf);
    let mut weighted: Vec<(&str, f32)> = Vec::with_capacity(tf.len());
    for (t, &n) in &tf {
        if long && n < 2 {
            continue;
        }
        if let Some(w) = telling_weight(n, df(t)?, num_docs) {
            weighted.push((t, w));
        }
    }
    Ok(best_telling(weighted))
}

/// How often each word (as written, stop words left out) occurs in `text`.
pub(crate) fn term_counts(text: &str) -> foldhash::HashMap<String, u32> {
    // Words as written, not stems: for "is this the same story" the exact
    // vocabulary is the better evidence (`Bekasi` is not `bekas`).
    let analyzer = Analyzer::new(StemmerKind::None);
    let mut tf: foldhash::HashMap<String, u32> = foldhash::HashMap::default();
    for (t, _, _) in analyzer.analyze_cached(text, &mut StemCache::default()) {
        *tf.entry(t).or_default() += 1;
    }
    tf
}

/// Whether the text `tf` counts is long: there a word said once is rarely what it is
/// about, and only words said twice or more can tell (the headline counts twice, so
/// its words always qualify).
pub(crate) fn is_long(tf: &foldhash::HashMap<String, u32>) -> bool {
    tf.values().sum::<u32>() > 150
}

/// A word's weight among the telling terms of a text where it occurs `n` times, when
/// `df` articles of `num_docs` have it; `None` if it cannot tell.
pub(crate) fn telling_weight(n: u32, df: u64, num_docs: u64) -> Option<f32> {
    // Terms in almost every article say nothing; terms only here find nothing.
    if df == 0 || df * 2 > num_docs {
        return None;
    }
    let idf = ((num_docs as f32) / (df as f32)).ln();
    Some((1.0 + (n as f32).ln()) * idf)
}

/// The best [`MLT_TERMS`] of the weighted words, best first.
pub(crate) fn best_telling(mut weighted: Vec<(&str, f32)>) -> Vec<(String, f32)> {
    // Ties broken by the word itself: `tf`'s order is random per process, and a
    // list must not change with a restart.
    let cmp = |a: &(&str, f32), b: &(&str, f32)| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0));
    if weighted.len() > MLT_TERMS {
        weighted.select_nth_unstable_by(MLT_TERMS, cmp);
        weighted.truncate(MLT_TERMS);
    }
    weighted.sort_unstable_by(cmp);
    weighted
        .into_iter()
        .map(|(t, w)| (t.to_owned(), w))
        .collect()
}

/// The telling terms that look for candidates: all of them in an archive of up to
/// twice [`RETRIEVE_MAX_DF`] articles; in a bigger one, those in at most that many
/// articles (but never fewer than the [`RETRIEVE_MIN`] rarest). A term in a tenth of
/// a million articles adds little to a candidate's score but its whole postings list
/// to the query's work; it still counts in every candidate's coverage.
fn retrieval_terms<'a>(weighted: &'a [(String, f32)], dfs: &[u64]) -> Vec<&'a (String, f32)> {
    // The df of the RETRIEVE_MIN-th rarest term: terms up to it always look.
    let mut sorted = dfs.to_vec();
    sorted.sort_unstable();
    let floor = sorted
        .get(RETRIEVE_MIN.saturating_sub(1))
        .or(sorted.last())
        .copied()
        .unwrap_or(0);
    let max_df = RETRIEVE_MAX_DF.max(floor);
    // In the weighted order: the query's score adds up as it did before.
    weighted
        .iter()
        .zip(dfs)
        .filter(|(_, df)| **df <= max_df)
        .map(|(tw, _)| tw)
        .collect()
}

/// See [`retrieval_terms`]. Chosen on 300,000 generated articles (one list's p99
/// 21.7 → 16.8 ms) and checked on the labelled sets with the cap scaled to their size
/// (BENCHMARKS.md, "Related news": no loss at 300,000's share, 0.4 points at
/// 1,000,000's).
const RETRIEVE_MAX_DF: u64 = 20_000;
const RETRIEVE_MIN: usize = 5;

/// Candidates grouped by segment, each group's documents in order.
fn by_segment(candidates: impl Iterator<Item = DocAddress>) -> Vec<(u32, Vec<u32>)> {
    let mut groups: HashMap<u32, Vec<u32>> = HashMap::new();
    for a in candidates {
        groups.entry(a.segment_ord).or_default().push(a.doc_id);
    }
    let mut out: Vec<(u32, Vec<u32>)> = groups.into_iter().collect();
    for (_, docs) in &mut out {
        docs.sort_unstable();
    }
    out
}

/// Calls `hit(i, postings)` for each of `docs` (in order) whose text holds word `t`,
/// the postings positioned on it: a seek per document, no walk of the postings.
fn seek_each(
    inv: &tantivy::InvertedIndexReader,
    f: &Fields,
    t: &str,
    option: IndexRecordOption,
    docs: &[u32],
    mut hit: impl FnMut(usize, &tantivy::postings::SegmentPostings),
) -> Result<()> {
    let term = Term::from_field_text(f.spell, t);
    let Some(mut postings) = inv
        .read_postings(&term, option)
        .map_err(|e| SearchError::Corrupt(format!("reading postings: {e}")))?
    else {
        return Ok(());
    };
    for (i, d) in docs.iter().enumerate() {
        if postings.doc() > *d {
            continue;
        }
        if postings.seek(*d) == *d {
            hit(i, &postings);
        }
    }
    Ok(())
}

/// Text similarity as coverage: the share of the article's telling terms (those
/// another article can have at all: `shareable`) that each candidate's text contains,
/// weighted. One shared word, however often repeated, is a small share. Returns the
/// covered weight per candidate and the total it is a share of.
pub(crate) fn coverage(
    searcher: &Searcher,
    f: &Fields,
    shareable: &[(String, f32)],
    candidates: impl Iterator<Item = DocAddress>,
) -> Result<(HashMap<DocAddress, f32>, f32)> {
    let total: f32 = shareable.iter().map(|(_, w)| w).sum();
    // Which candidates contain which shareable term: a seek in the term's
    // postings per candidate, segment by segment (no stored text is read).
    let mut covered: HashMap<DocAddress, f32> = HashMap::new();
    for (seg, docs) in by_segment(candidates) {
        let inv = searcher.segment_reader(seg).inverted_index(f.spell)?;
        for (t, w) in shareable {
            seek_each(&inv, f, t, IndexRecordOption::Basic, &docs, |i, _| {
                *covered.entry(DocAddress::new(seg, docs[i])).or_default() += *w;
            })?;
        }
    }
    Ok((covered, total))
}

/// BM25's parameters, as Lucene and tantivy set them.
pub(crate) const BM25_K1: f32 = 1.2;
pub(crate) const BM25_B: f32 = 0.75;

/// BM25's idf of a word in `df` of `num_docs` articles.
pub(crate) fn bm25_idf(df: u64, num_docs: u64) -> f32 {
    let (n, df) = (num_docs as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// BM25's weight of a word said `tf` times in a text of `len` words, where texts have
/// `avg_len` on average (without the idf).
pub(crate) fn bm25_tf(tf: f32, len: f32, avg_len: f32) -> f32 {
    let norm = 1.0 - BM25_B + BM25_B * len / avg_len.max(1.0);
    tf * (BM25_K1 + 1.0) / (tf + BM25_K1 * norm)
}

/// The words of a headline and lede, each once, in their order of first use: the
/// query the subject score asks with.
pub(crate) fn subject_words(headline: &str, lede: &str) -> Vec<String> {
    let analyzer = Analyzer::new(StemmerKind::None);
    let mut seen = foldhash::HashSet::default();
    let mut cache = StemCache::default();
    let mut out = Vec::new();
    for text in [headline, lede] {
        for (t, _, _) in analyzer.analyze_cached(text, &mut cache) {
            if seen.insert(t.clone()) {
                out.push(t);
            }
        }
    }
    out
}

/// Okapi BM25 of `words` (each with its idf, asked once) over each candidate's whole
/// text (`spell`), read from the postings and field norms of the candidates alone: a
/// word in half the archive costs a seek per candidate, not a walk of its postings.
pub(crate) fn subject_bm25(
    searcher: &Searcher,
    f: &Fields,
    words: &[(String, f32)],
    candidates: impl Iterator<Item = DocAddress>,
) -> Result<HashMap<DocAddress, f32>> {
    let mut scores: HashMap<DocAddress, f32> = HashMap::new();
    let groups = by_segment(candidates);
    if words.is_empty() || groups.is_empty() {
        return Ok(scores);
    }
    let mut tokens: u64 = 0;
    for reader in searcher.segment_readers() {
        tokens += reader.inverted_index(f.spell)?.total_num_tokens();
    }
    let avg_len = tokens as f32 / searcher.num_docs().max(1) as f32;
    for (seg, docs) in groups {
        let reader = searcher.segment_reader(seg);
        let inv = reader.inverted_index(f.spell)?;
        let norms = reader.get_fieldnorms_reader(f.spell)?;
        let lens: Vec<f32> = docs.iter().map(|d| norms.fieldnorm(*d) as f32).collect();
        for (t, idf) in words {
            seek_each(
                &inv,
                f,
                t,
                IndexRecordOption::WithFreqs,
                &docs,
                |i, postings| {
                    let tf = postings.term_freq().min(crate::bulk::MAX_SAID) as f32;
                    *scores.entry(DocAddress::new(seg, docs[i])).or_default() +=
                        idf * bm25_tf(tf, lens[i], avg_len);
                },
            )?;
        }
    }
    Ok(scores)
}

impl SearchIndex {
    /// The candidates for article `id`'s related list: up to `limit` by text and up
    /// to `limit / 2` more by shared names, visible at `now`, never the article
    /// itself. `None` if the article is not in the index (not published).
    pub fn neighbours(
        &self,
        id: i64,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Option<Neighbourhood>> {
        let g = self.live();
        let f = &g.fields;
        let searcher = g.reader.searcher();
        let Some(doc) = find(&searcher, f, id)? else {
            return Ok(None);
        };
        let target = profile(&doc, f)?;
        let num_docs = searcher.num_docs().max(1);

        // The article's most telling terms: frequent in it, rare in the archive.
        let weighted = telling_terms(&mlt_text(&doc, f), num_docs, |t| {
            Ok(searcher.doc_freq(&Term::from_field_text(f.spell, t))?)
        })?;

        let visible = |q: Box<dyn Query>| -> Box<dyn Query> {
            let own = TermQuery::new(
                Term::from_field_u64(f.id, u64::try_from(id).unwrap_or(0)),
                IndexRecordOption::Basic,
            );
            let time = RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(Term::from_field_i64(f.published_at, unix(now))),
            );
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, q),
                (Occur::MustNot, Box::new(own)),
                (Occur::Must, Box::new(time)),
            ]))
        };

        let dfs: Vec<u64> = weighted
            .iter()
            .map(|(t, _)| searcher.doc_freq(&Term::from_field_text(f.spell, t)))
            .collect::<std::result::Result<_, _>>()?;
        let retrieve = retrieval_terms(&weighted, &dfs);
        let mut found: Vec<(f32, DocAddress, bool)> = Vec::new();
        if !retrieve.is_empty() {
            let clauses: Vec<(Occur, Box<dyn Query>)> = retrieve
                .iter()
                .map(|(t, w)| {
                    let q = TermQuery::new(
                        Term::from_field_text(f.spell, t),
                        IndexRecordOption::WithFreqs,
                    );
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), *w)) as Box<dyn Query>,
                    )
                })
                .collect();
            let q = visible(Box::new(BooleanQuery::new(clauses)));
            for (s, a) in
                searcher.search(&*q, &TopDocs::with_limit(limit.max(1)).order_by_score())?
            {
                found.push((s, a, true));
            }
        }
        let mut entity_docs = HashMap::new();
        for e in &target.entities {
            let df = searcher.doc_freq(&Term::from_field_text(f.entity, e))?;
            entity_docs.insert(e.clone(), df);
        }
        let mut tag_docs = HashMap::new();
        for t in &target.tags {
            let df = searcher.doc_freq(&Term::from_field_text(f.tag, t))?;
            tag_docs.insert(t.clone(), df);
        }
        // Articles sharing its tags and names, the rarer the better.
        let keyed = |field, keys: &[String], docs: &HashMap<String, u64>| {
            keys.iter()
                .filter(|k| docs.get(*k).is_some_and(|df| *df > 1))
                .map(|k| {
                    let df = docs.get(k).copied().unwrap_or(1).max(1);
                    let idf = ((num_docs as f32) / (df as f32)).ln().max(0.1);
                    let q =
                        TermQuery::new(Term::from_field_text(field, k), IndexRecordOption::Basic);
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), idf)) as Box<dyn Query>,
                    )
                })
                .collect::<Vec<_>>()
        };
        let mut by_name = keyed(f.tag, &target.tags, &tag_docs);
        by_name.extend(keyed(f.entity, &target.entities, &entity_docs));
        if !by_name.is_empty() {
            let q = visible(Box::new(BooleanQuery::new(by_name)));
            let top = searcher.search(
                &*q,
                &TopDocs::with_limit((limit / 2).max(1)).order_by_score(),
            )?;
            for (_, a) in top {
                if !found.iter().any(|(_, b, _)| *b == a) {
                    found.push((0.0, a, false));
                }
            }
        }
        let shareable: Vec<(String, f32)> = weighted
            .iter()
            .zip(&dfs)
            .filter(|(_, df)| **df > 1)
            .map(|(tw, _)| tw.clone())
            .collect();
        let (covered, total) = coverage(&searcher, f, &shareable, found.iter().map(|x| x.1))?;
        let subject = subject_words(&text_of(&doc, f.headline), &text_of(&doc, f.lede));
        let mut weighted_subject = Vec::with_capacity(subject.len());
        for w in subject {
            let df = searcher.doc_freq(&Term::from_field_text(f.spell, &w))?;
            if df > 1 {
                weighted_subject.push((w, bm25_idf(df, num_docs)));
            }
        }
        let subject_scores =
            subject_bm25(&searcher, f, &weighted_subject, found.iter().map(|x| x.1))?;
        let best_subject = subject_scores.values().copied().fold(0.0f32, f32::max);
        let mut candidates = Vec::with_capacity(found.len());
        for (_, addr, _) in found {
            let d: TantivyDocument = searcher.doc(addr)?;
            let coverage = if total > 0.0 {
                covered.get(&addr).copied().unwrap_or(0.0) / total
            } else {
                0.0
            };
            let subject_score = if best_subject > 0.0 {
                subject_scores.get(&addr).copied().unwrap_or(0.0) / best_subject
            } else {
                0.0
            };
            candidates.push(Candidate {
                profile: Arc::new(profile(&d, f)?),
                text_score: coverage,
                subject_score,
            });
        }
        Ok(Some(Neighbourhood {
            target,
            candidates,
            num_docs,
            entity_docs,
            tag_docs,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(n: usize) -> Vec<(String, f32)> {
        (0..n).map(|i| (format!("t{i}"), 1.0)).collect()
    }

    #[test]
    fn a_small_archive_looks_with_every_term() {
        let weighted = terms(8);
        let dfs = [3, 9_000, 20_000, 7, 1, 12_000, 40, 2];
        let found = retrieval_terms(&weighted, &dfs);
        assert_eq!(found.len(), 8);
        assert_eq!(found[0].0, "t0");
    }

    #[test]
    fn common_terms_of_a_big_archive_only_score() {
        let weighted = terms(8);
        let dfs = [3, 90_000, 20_001, 7, 1, 120_000, 40, 20_000];
        let found: Vec<&str> = retrieval_terms(&weighted, &dfs)
            .iter()
            .map(|(t, _)| t.as_str())
            .collect();
        // In the weighted order, the three over the cap left out.
        assert_eq!(found, ["t0", "t3", "t4", "t6", "t7"]);
    }

    #[test]
    fn the_rarest_terms_always_look() {
        let weighted = terms(7);
        let dfs = [50_000, 90_000, 30_000, 70_000, 25_000, 120_000, 60_000];
        let found: Vec<&str> = retrieval_terms(&weighted, &dfs)
            .iter()
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(found, ["t0", "t2", "t3", "t4", "t6"]);
        assert!(retrieval_terms(&[], &[]).is_empty());
        assert_eq!(retrieval_terms(&terms(2), &[80_000, 90_000]).len(), 2);
    }
}
