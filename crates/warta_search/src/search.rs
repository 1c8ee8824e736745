//! Running a reader's search: the parsed query becomes a tantivy query over the
//! analysed fields (headline weighted most), filters narrow it, and each hit comes
//! back with a highlighted snippet. When nothing (or little) matches and a word looks
//! misspelt, a corrected query is suggested.

use std::ops::Bound;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};
use warta_text::{Analyzer, StemmerKind};

use crate::index::{Fields, Generation, SearchIndex, doc_id, text_of, unix};
use crate::memo::Key;
use crate::query::{self, UserQuery};
use crate::{Result, SearchError};

/// Results per page, and pages a reader can go into.
pub const PER_PAGE: usize = 10;
pub const MAX_PAGE: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
}

/// What a reader asked for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    pub section: Option<String>,
    pub tag: Option<String>,
    pub author: Option<String>,
    /// Published at or after (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Published before (exclusive).
    pub to: Option<DateTime<Utc>>,
    pub sort: Sort,
    /// 1-based.
    pub page: u32,
    pub per_page: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub section_slug: String,
    pub section_name: String,
    pub published_at: DateTime<Utc>,
    /// Escaped text with `<b>` around the matched words.
    pub snippet_html: String,
    pub score: f32,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub page: u32,
    pub last_page: u32,
    pub hits: Vec<Hit>,
    /// A corrected query that finds more, when a word looked misspelt.
    pub suggestion: Option<String>,
    /// The query was longer than the part that was read.
    pub truncated: bool,
    /// Nothing searchable was asked: no words (only stop words or punctuation) and no
    /// filter.
    pub empty_query: bool,
}

/// Text fields and their weights: a word in the headline says most.
fn weighted(f: &Fields) -> [(Field, f32); 5] {
    [
        (f.headline, 3.0),
        (f.tag_names, 2.0),
        (f.lede, 1.5),
        (f.body, 1.0),
        (f.captions, 0.7),
    ]
}

/// Weight of a word's exact (unstemmed) form beside its stem's matches.
const EXACT_BOOST: f32 = 2.0;

/// How many of `n` term clauses a document must match: all for short queries (what a
/// reader typing two or three words means), a share of them for long ones (a pasted
/// sentence), ranked by how much they match.
fn required(n: usize) -> usize {
    if n <= 3 {
        n
    } else {
        (n * 2).div_ceil(5).max(3)
    }
}

/// Terms of one user word or phrase, analysed the way the index was.
fn terms(analyzer: &Analyzer, text: &str) -> Vec<String> {
    analyzer.analyze(text).into_iter().map(|t| t.0).collect()
}

fn term_clause(fields: &Fields, term: &str) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = weighted(fields)
        .into_iter()
        .map(|(field, boost)| {
            let q = TermQuery::new(
                Term::from_field_text(field, term),
                IndexRecordOption::WithFreqs,
            );
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

fn phrase_clause(fields: &Fields, words: &[String]) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = weighted(fields)
        .into_iter()
        .map(|(field, boost)| {
            let terms = words
                .iter()
                .map(|w| Term::from_field_text(field, w))
                .collect();
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost))
                    as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

fn filter(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The tantivy query for a parsed query and filters, or `None` when there is nothing
/// to search for.
/// The latest publication time in the index (`None`: empty, or not known).
fn newest(searcher: &Searcher) -> Option<i64> {
    let mut newest = None;
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().i64("published_at").ok()?;
        newest = newest.max(Some(column.max_value()));
    }
    newest
}

/// The query for `uq` with `req`'s filters. `searcher` tells whether anything in the
/// index is embargoed (published after `now`): when nothing is and no dates were asked
/// for, the time filter is left out (at a million articles it is a range over every
/// document's time, and most of a search's cost).
fn build(
    g: &Generation,
    searcher: &Searcher,
    analyzer: &Analyzer,
    uq: &UserQuery,
    req: &SearchRequest,
    now: DateTime<Utc>,
) -> Option<Box<dyn Query>> {
    let f = &g.fields;
    let mut text: Vec<Box<dyn Query>> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let raw = Analyzer::new(StemmerKind::None);
    for w in &uq.words {
        let stems = terms(analyzer, w);
        let forms = terms(&raw, w);
        for (i, t) in stems.into_iter().enumerate() {
            if seen.contains(&t) || seen.len() >= 32 {
                continue;
            }
            // The word as typed, where the stemmer changed it, also scores on the
            // unstemmed field: the exact form ranks above its relatives.
            let clause = match forms.get(i).filter(|f| **f != t) {
                Some(form) => Box::new(BooleanQuery::new(vec![
                    (Occur::Should, term_clause(f, &t)),
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(TermQuery::new(
                                Term::from_field_text(f.spell, form),
                                IndexRecordOption::WithFreqs,
                            )),
                            EXACT_BOOST,
                        )),
                    ),
                ])) as Box<dyn Query>,
                None => term_clause(f, &t),
            };
            text.push(clause);
            seen.push(t);
        }
    }
    let mut phrases: Vec<Box<dyn Query>> = Vec::new();
    for p in &uq.phrases {
        let ts = terms(analyzer, p);
        match ts.len() {
            0 => {}
            1 => phrases.push(term_clause(f, &ts[0])),
            _ => phrases.push(phrase_clause(f, &ts[..ts.len().min(16)])),
        }
    }
    let has_filter = req.section.is_some()
        || req.tag.is_some()
        || req.author.is_some()
        || req.from.is_some()
        || req.to.is_some();
    if text.is_empty() && phrases.is_empty() && !has_filter {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !text.is_empty() {
        let need = required(text.len());
        let words = text.into_iter().map(|q| (Occur::Should, q)).collect();
        clauses.push((
            Occur::Must,
            Box::new(BooleanQuery::with_minimum_required_clauses(words, need)),
        ));
    }
    for p in phrases {
        clauses.push((Occur::Must, p));
    }
    if clauses.is_empty() {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    for w in &uq.excluded {
        for t in terms(analyzer, w) {
            clauses.push((Occur::MustNot, term_clause(f, &t)));
        }
    }
    if let Some(s) = &req.section {
        clauses.push(filter(exact(f.section, s)));
    }
    if let Some(t) = &req.tag {
        clauses.push(filter(exact(f.tag, t)));
    }
    if let Some(a) = &req.author {
        clauses.push(filter(exact(f.author, a)));
    }
    // Embargoed articles are in the index with a future time: never shown early.
    let upper = match req.to {
        Some(to) if unix(to) <= unix(now) => Bound::Excluded(unix(to)),
        _ => Bound::Included(unix(now)),
    };
    let lower = req
        .from
        .map_or(Bound::Unbounded, |t| Bound::Included(unix(t)));
    let unbounded = matches!(lower, Bound::Unbounded) && upper == Bound::Included(unix(now));
    let embargoed = newest(searcher).is_none_or(|t| t > unix(now));
    if !unbounded || embargoed {
        let term = |v: i64| Term::from_field_i64(f.published_at, v);
        clauses.push(filter(Box::new(RangeQuery::new(
            lower.map(term),
            upper.map(term),
        ))));
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

impl SearchIndex {
    /// Runs a search. Any query string gives results or an empty result with the
    /// reason; errors are the index's own (I/O, corruption).
    pub fn search(&self, req: &SearchRequest, now: DateTime<Utc>) -> Result<SearchResults> {
        let g = self.live();
        let analyzer = Analyzer::new(g.kind);
        let uq = query::parse(&req.q);
        let per_page = req.per_page.clamp(1, 50);
        let page = req.page.clamp(1, MAX_PAGE);
        let mut out = SearchResults {
            total: 0,
            page,
            last_page: 1,
            hits: Vec::new(),
            suggestion: None,
            truncated: uq.truncated,
            empty_query: false,
        };
        let searcher = g.reader.searcher();
        // Kept results hold only while the clock cannot change them (see `memo`).
        let key = newest(&searcher)
            .is_some_and(|t| t <= unix(now))
            .then(|| Key::new(&g.name, searcher.generation(), req, page, per_page));
        if let Some(kept) = key.as_ref().and_then(|k| self.memo.get(k)) {
            return Ok(kept);
        }
        let Some(q) = build(&g, &searcher, &analyzer, &uq, req, now) else {
            out.empty_query = true;
            return Ok(out);
        };
        let offset = (page as usize - 1) * per_page;
        let total;
        let addrs: Vec<(f32, DocAddress)> = if req.sort == Sort::Newest || uq.is_empty() {
            let top = TopDocs::with_limit(per_page)
                .and_offset(offset)
                .order_by_fast_field::<i64>("published_at", Order::Desc);
            let (n, docs) = searcher.search(&*q, &(Count, top))?;
            total = n;
            docs.into_iter().map(|(_, a)| (0.0, a)).collect()
        } else {
            let top = TopDocs::with_limit(per_page)
                .and_offset(offset)
                .order_by_score();
            let (n, docs) = searcher.search(&*q, &(Count, top))?;
            total = n;
            docs
        };
        out.total = total;
        out.last_page = u32::try_from(total.div_ceil(per_page))
            .unwrap_or(MAX_PAGE)
            .clamp(1, MAX_PAGE);
        out.hits = hits(&searcher, &g.fields, &*q, &addrs)?;
        if total < 3 && !uq.words.is_empty() {
            out.suggestion = suggest(&g, &searcher, &analyzer, &uq, req, now, total)?;
        }
        if let Some(key) = key {
            self.memo.keep(key, &out);
        }
        Ok(out)
    }

    /// Searches answered from the results of an identical earlier one on the same
    /// index state, since the index was opened.
    pub fn searches_remembered(&self) -> u64 {
        self.memo.answered()
    }

    /// Article ids of the best `limit` matches, best first (evaluation and tools).
    pub fn top_ids(&self, q: &str, limit: usize, now: DateTime<Utc>) -> Result<Vec<i64>> {
        let req = SearchRequest {
            q: q.to_owned(),
            per_page: limit,
            page: 1,
            ..SearchRequest::default()
        };
        let g = self.live();
        let analyzer = Analyzer::new(g.kind);
        let uq = query::parse(&req.q);
        let searcher = g.reader.searcher();
        let Some(q) = build(&g, &searcher, &analyzer, &uq, &req, now) else {
            return Ok(Vec::new());
        };
        let docs = searcher.search(&*q, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        docs.into_iter()
            .map(|(_, a)| {
                let d: TantivyDocument = searcher.doc(a)?;
                doc_id(&d, &g.fields)
            })
            .collect()
    }
}

fn hits(
    searcher: &Searcher,
    f: &Fields,
    q: &dyn Query,
    addrs: &[(f32, DocAddress)],
) -> Result<Vec<Hit>> {
    let mut body_snippets = SnippetGenerator::create(searcher, q, f.body)?;
    body_snippets.set_max_num_chars(220);
    let mut lede_snippets = SnippetGenerator::create(searcher, q, f.lede)?;
    lede_snippets.set_max_num_chars(220);
    let mut out = Vec::with_capacity(addrs.len());
    for (score, addr) in addrs {
        let d: TantivyDocument = searcher.doc(*addr)?;
        let id = doc_id(&d, f)?;
        let published = d
            .get_first(f.published_at)
            .and_then(|v| v.as_i64())
            .and_then(|t| DateTime::from_timestamp(t, 0))
            .ok_or_else(|| SearchError::Corrupt(format!("document {id} has no time")))?;
        let lede = text_of(&d, f.lede);
        let mut snippet = lede_snippets.snippet(&lede);
        if snippet.highlighted().is_empty() {
            let body = text_of(&d, f.body);
            let from_body = body_snippets.snippet(&body);
            if !from_body.highlighted().is_empty() || lede.is_empty() {
                snippet = from_body;
            }
        }
        let mut snippet_html = snippet.to_html();
        if snippet_html.is_empty() {
            snippet_html =
                warta_core::sanitize::escape(&lede.chars().take(220).collect::<String>());
        }
        out.push(Hit {
            id,
            slug: text_of(&d, f.slug),
            headline: text_of(&d, f.headline),
            section_slug: text_of(&d, f.section),
            section_name: text_of(&d, f.section_name),
            published_at: published,
            snippet_html,
            score: *score,
        });
    }
    Ok(out)
}

/// How often a written word occurs in the index (documents containing it).
fn spelled_freq(searcher: &Searcher, f: &Fields, word: &str) -> Result<u64> {
    Ok(searcher.doc_freq(&Term::from_field_text(f.spell, word))?)
}

/// The most frequent indexed word within edit distance 2 of `word` (1 for short
/// words), sharing its first letter; `None` if there is none more common.
fn closest_word(searcher: &Searcher, f: &Fields, word: &str) -> Result<Option<String>> {
    let len = word.chars().count();
    if !(4..=30).contains(&len) || !word.chars().all(char::is_alphabetic) {
        return Ok(None);
    }
    let max_dist = if len <= 5 { 1 } else { 2 };
    let own = spelled_freq(searcher, f, word)?;
    let Some(first) = word.chars().next() else {
        return Ok(None);
    };
    let mut lo = String::new();
    lo.push(first);
    let mut hi = lo.clone();
    hi.push(char::MAX);
    let mut best: Option<(u64, String)> = None;
    for segment in searcher.segment_readers() {
        let inv = segment.inverted_index(f.spell)?;
        let mut stream = inv
            .terms()
            .range()
            .ge(lo.as_bytes())
            .lt(hi.as_bytes())
            .into_stream()
            .map_err(|e| SearchError::Corrupt(format!("reading the word list: {e}")))?;
        while stream.advance() {
            let Ok(cand) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let clen = cand.chars().count();
            if clen.abs_diff(len) > max_dist || cand == word {
                continue;
            }
            if edit_distance(word, cand, max_dist) > max_dist {
                continue;
            }
            let df = u64::from(stream.value().doc_freq);
            if best.as_ref().is_none_or(|(b, _)| df > *b) {
                best = Some((df, cand.to_owned()));
            }
        }
    }
    Ok(match best {
        Some((_, w)) => {
            let total = spelled_freq(searcher, f, &w)?;
            (total > own.saturating_mul(4)).then_some(w)
        }
        None => None,
    })
}

/// Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`.
fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A corrected query, if replacing rare words with common near neighbours finds more
/// than the query as typed.
fn suggest(
    g: &Generation,
    searcher: &Searcher,
    analyzer: &Analyzer,
    uq: &UserQuery,
    req: &SearchRequest,
    now: DateTime<Utc>,
    found: usize,
) -> Result<Option<String>> {
    let mut changed = false;
    let mut words = Vec::with_capacity(uq.words.len());
    for w in uq.words.iter().take(8) {
        match closest_word(searcher, &g.fields, w)? {
            Some(better) => {
                changed = true;
                words.push(better);
            }
            None => words.push(w.clone()),
        }
    }
    if !changed {
        return Ok(None);
    }
    let mut text = words.join(" ");
    for p in &uq.phrases {
        text.push_str(&format!(" \"{p}\""));
    }
    let better = query::parse(&text);
    let Some(q) = build(g, searcher, analyzer, &better, req, now) else {
        return Ok(None);
    };
    let n = searcher.search(&*q, &Count)?;
    Ok((n > found).then_some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_table() {
        assert_eq!(edit_distance("banjir", "banjir", 2), 0);
        assert_eq!(edit_distance("banjr", "banjir", 2), 1);
        assert_eq!(edit_distance("bajnir", "banjir", 2), 2);
        assert_eq!(edit_distance("makasar", "makassar", 2), 1);
        assert_eq!(edit_distance("abcdef", "uvwxyz", 2), 3);
    }

    #[test]
    fn short_queries_need_every_word() {
        assert_eq!(required(1), 1);
        assert_eq!(required(3), 3);
        assert_eq!(required(10), 4);
    }
}
