//! Candidates for the related lists of a whole archive at once: what a full rebuild
//! and an import use instead of asking [`SearchIndex::neighbours`] article by article.
//!
//! [`SearchIndex::neighbours`] reads the article's stored text, asks the term
//! dictionary for the document frequency of each of its words, runs a 25-term query
//! over the full postings and then reads ~90 stored candidates: for one article a few
//! milliseconds, for a million about an hour and a quarter on two cores. Here each
//! stored document is read and analysed once, for every article, into what ranking
//! needs (its [`Profile`]) and its telling terms; then an article's candidates by text
//! come from a *pruned* inverted index, in memory, holding for each term only the
//! articles that have it among their own telling terms (static index pruning: the
//! articles a term matters most to). The text score is the weighted overlap of the two
//! articles' telling terms. Candidates by shared names come from in-memory postings of
//! tags and names, scored by their rarity as [`SearchIndex::neighbours`] boosts them;
//! the text similarity ranking then uses (coverage of the article's telling terms by the
//! candidate's whole text) gives exactly the scores there, measured on each article's
//! words kept in memory from the same read instead of the index's postings.
//!
//! So a list from here can differ from the one-by-one list only in which candidates
//! were considered: a candidate that contains the article's telling words but has none
//! of them among its own is not fetched by text. `eval_related` reports both.

use std::collections::HashMap;

use foldhash::HashMap as FastMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use tantivy::{Searcher, TantivyDocument};

use crate::index::{Fields, SearchIndex, text_of};
use crate::similar::{
    Candidate, Neighbourhood, Profile, best_telling, bm25_idf, bm25_tf, is_long, mlt_text_cut,
    profile, subject_words, telling_weight, term_counts,
};
use crate::{Result, SearchError};

/// Documents read by one task of the first pass.
const CHUNK: u32 = 512;
/// Articles kept in a term's pruned postings: those it weighs most in. Bounds the
/// work per list whatever the archive's size (without it, a list's cost grows with
/// the archive, and a rebuild's with its square).
const POSTINGS_CAP: usize = 2_000;

struct Doc {
    profile: Arc<Profile>,
    /// Telling terms: (term number, weight), best first.
    telling: Vec<(u32, f32)>,
    /// Every word of the article's text (what its `spell` field holds), as word
    /// numbers with their counts, sorted ([`Words`]). What the text score's
    /// coverage is measured on, without a seek in the index's postings.
    words: Box<[u32]>,
    /// The words of its headline and lede that other articles have too, as word
    /// numbers ([`Words`]): the query of the subject score.
    subject: Box<[u32]>,
    /// Its length in words, as the `spell` field's norm counts them.
    len: u32,
}

/// Every article's profile and telling terms, with the pruned postings over them:
/// built once ([`SearchIndex::bulk_neighbours`]), then asked for any article's
/// neighbourhood from any thread.
pub struct BulkNeighbours {
    num_docs: u64,
    docs: Vec<Doc>,
    /// Each article's publication time (seconds), apart from its profile: the
    /// visibility test of the best scored candidates reads it.
    published: Vec<i64>,
    by_id: FastMap<i64, u32>,
    /// Term number → (its word number, its document frequency).
    terms: Vec<(u32, u64)>,
    /// Term number → the articles holding it among their telling terms, and its weight
    /// there.
    postings: Vec<Vec<(u32, f32)>>,
    /// Tag and name → the articles carrying it.
    tags: FastMap<String, Vec<u32>>,
    entities: FastMap<String, Vec<u32>>,
    /// How many articles carry each tag, and each name (before the postings are
    /// capped).
    tag_count: FastMap<String, u64>,
    entity_count: FastMap<String, u64>,
    /// Word number → its document frequency (saturating at `u32::MAX`).
    word_df: Vec<u32>,
    /// The average length of an article in words (BM25's `avgdl`).
    avg_len: f32,
}

/// Per-thread scratch for scoring: a dense accumulator and the slots it touched.
pub struct Scratch {
    acc: Vec<f32>,
    /// The slots touched are `touched[..count]`; it has room for every slot (and one
    /// more), so that recording one needs no branch.
    touched: Vec<u32>,
    count: usize,
    scored: Vec<(f32, u32)>,
}

impl Scratch {
    fn add(&mut self, n: u32, score: f32) {
        let slot = &mut self.acc[n as usize];
        let fresh = *slot == 0.0;
        *slot += score;
        // Written always, kept only if the slot was fresh: a branch here would be
        // mispredicted about as often as it is taken.
        self.touched[self.count] = n;
        self.count += usize::from(fresh);
    }

    /// The best `k` of the articles scored since the last call that pass `keep`, best
    /// first (ties: the earlier in the index); the accumulator is left empty.
    fn best(&mut self, k: usize, keep: impl Fn(u32) -> bool) -> &[(f32, u32)] {
        self.scored.clear();
        for &n in &self.touched[..self.count] {
            let s = std::mem::take(&mut self.acc[n as usize]);
            self.scored.push((s, n));
        }
        self.count = 0;
        let cmp = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        // `keep` is asked of the best few only (it reads memory at random), and of
        // more only if too few of those pass.
        let mut take = k.saturating_add(16);
        loop {
            if self.scored.len() > take {
                self.scored.select_nth_unstable_by(take, cmp);
            }
            let kept = self.scored.iter().take(take).filter(|x| keep(x.1)).count();
            if kept >= k || take >= self.scored.len() {
                self.scored.truncate(take);
                self.scored.retain(|x| keep(x.1));
                break;
            }
            take = take.saturating_mul(4);
        }
        self.scored.sort_unstable_by(cmp);
        self.scored.truncate(k);
        &self.scored
    }
}

impl SearchIndex {
    /// Reads every article of the index once (both cores) into a [`BulkNeighbours`].
    pub fn bulk_neighbours(&self) -> Result<BulkNeighbours> {
        let g = self.live();
        let f = g.fields;
        let searcher = g.reader.searcher();
        let num_docs = searcher.num_docs().max(1);
        let mut ranges = Vec::new();
        for (seg, reader) in searcher.segment_readers().iter().enumerate() {
            let seg = u32::try_from(seg).unwrap_or(u32::MAX);
            let max = reader.max_doc();
            let mut start = 0;
            while start < max {
                ranges.push((seg, start, (start + CHUNK).min(max)));
                start += CHUNK;
            }
        }
        let mut bulk = BulkNeighbours {
            num_docs,
            docs: Vec::new(),
            published: Vec::new(),
            by_id: FastMap::default(),
            terms: Vec::new(),
            postings: Vec::new(),
            tags: FastMap::default(),
            entities: FastMap::default(),
            tag_count: FastMap::default(),
            entity_count: FastMap::default(),
            word_df: Vec::new(),
            avg_len: 1.0,
        };
        let dict = spell_words(&searcher, &f)?;
        bulk.word_df = vec![0; dict.len()];
        for (no, df) in dict.values() {
            if let Some(slot) = bulk.word_df.get_mut(*no as usize) {
                *slot = u32::try_from(*df).unwrap_or(u32::MAX);
            }
        }
        let mut tokens: u64 = 0;
        for reader in searcher.segment_readers() {
            tokens += reader.inverted_index(f.spell)?.total_num_tokens();
        }
        bulk.avg_len = tokens as f32 / num_docs as f32;
        let mut term_no: FastMap<String, u32> = FastMap::default();
        let threads = rayon::current_num_threads().max(1);
        // Ranges a few at a time, so the words of a million articles are never all
        // held as strings at once.
        for group in ranges.chunks(threads * 4) {
            let read: Vec<Vec<Read>> = group
                .par_iter()
                .map(|&(seg, start, end)| {
                    read_range(&searcher, &f, num_docs, &dict, seg, start, end)
                })
                .collect::<Result<_>>()?;
            for (profile, telling, words, subject, len) in read.into_iter().flatten() {
                let n = u32::try_from(bulk.docs.len())
                    .map_err(|_| SearchError::Corrupt("more than 4 billion articles".into()))?;
                let mut numbered = Vec::with_capacity(telling.len());
                for (t, w) in telling {
                    let next = u32::try_from(bulk.terms.len()).unwrap_or(u32::MAX);
                    let no = *term_no.entry(t).or_insert_with_key(|t| {
                        bulk.terms
                            .push(dict.get(t).copied().unwrap_or((u32::MAX, 0)));
                        bulk.postings.push(Vec::new());
                        next
                    });
                    bulk.postings[no as usize].push((n, w));
                    numbered.push((no, w));
                }
                for t in &profile.tags {
                    bulk.tags.entry(t.clone()).or_default().push(n);
                }
                for e in &profile.entities {
                    bulk.entities.entry(e.clone()).or_default().push(n);
                }
                bulk.by_id.insert(profile.id, n);
                bulk.published.push(profile.published_at.timestamp());
                bulk.docs.push(Doc {
                    profile: Arc::new(profile),
                    telling: numbered,
                    words,
                    subject,
                    len,
                });
            }
        }
        let cap = POSTINGS_CAP;
        bulk.postings.par_iter_mut().for_each(|p| {
            if p.len() > cap {
                p.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                p.truncate(cap);
            }
        });
        for (keyed, count) in [
            (&bulk.tags, &mut bulk.tag_count),
            (&bulk.entities, &mut bulk.entity_count),
        ] {
            count.extend(keyed.iter().map(|(k, p)| (k.clone(), p.len() as u64)));
        }
        // A name on thousands of articles: its newest ones (it weighs little anyway).
        let docs = &bulk.docs;
        let newest_first = |a: &u32, b: &u32| {
            let (pa, pb) = (&docs[*a as usize].profile, &docs[*b as usize].profile);
            pb.published_at.cmp(&pa.published_at).then(a.cmp(b))
        };
        for keyed in [&mut bulk.tags, &mut bulk.entities] {
            keyed.par_iter_mut().for_each(|(_, p)| {
                if p.len() > cap {
                    p.sort_unstable_by(newest_first);
                    p.truncate(cap);
                }
            });
        }
        Ok(bulk)
    }
}

/// Every word of the `spell` field, numbered, with its document frequency (what
/// `Searcher::doc_freq` gives, summed over segments), read from the term dictionaries
/// in one pass.
fn spell_words(searcher: &Searcher, f: &Fields) -> Result<FastMap<String, (u32, u64)>> {
    let mut dict: FastMap<String, (u32, u64)> = FastMap::default();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(f.spell)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(|e| SearchError::Corrupt(format!("reading the term dictionary: {e}")))?;
        while terms.advance() {
            let Ok(word) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            let df = u64::from(terms.value().doc_freq);
            if let Some(known) = dict.get_mut(word) {
                known.1 += df;
            } else {
                let no = u32::try_from(dict.len())
                    .map_err(|_| SearchError::Corrupt("more than 4 billion words".into()))?;
                dict.insert(word.to_owned(), (no, df));
            }
        }
    }
    Ok(dict)
}

/// An article as the first pass reads it: profile, telling terms, words, subject
/// words and length.
type Read = (Profile, Vec<(String, f32)>, Box<[u32]>, Box<[u32]>, u32);

/// The first pass over documents `start..end` of segment `seg`: each live one's
/// profile, telling terms and words (the text analysed once for both).
fn read_range(
    searcher: &Searcher,
    f: &Fields,
    num_docs: u64,
    dict: &FastMap<String, (u32, u64)>,
    seg: u32,
    start: u32,
    end: u32,
) -> Result<Vec<Read>> {
    let reader = searcher.segment_reader(seg);
    let store = reader
        .get_store_reader(4)
        .map_err(|e| SearchError::Corrupt(format!("reading stored documents: {e}")))?;
    let mut out = Vec::with_capacity((end - start) as usize);
    for doc_id in start..end {
        if reader.is_deleted(doc_id) {
            continue;
        }
        let d: TantivyDocument = store.get(doc_id)?;
        let profile = profile(&d, f)?;
        // As `telling_terms` chooses them, with the words kept on the way.
        let (text, cut) = mlt_text_cut(&d, f);
        let tf = term_counts(&text);
        let long = is_long(&tf);
        let mut weighted = Vec::with_capacity(tf.len());
        let mut words = Vec::with_capacity(tf.len());
        for (t, &n) in &tf {
            let Some(&(no, df)) = dict.get(t.as_str()) else {
                continue;
            };
            words.push((no, n));
            if long && n < 2 {
                continue;
            }
            if let Some(w) = telling_weight(n, df, num_docs) {
                weighted.push((t.as_str(), w));
            }
        }
        let telling = best_telling(weighted);
        let headline = text_of(&d, f.headline);
        // The norm counts the headline once; the text read above holds it twice.
        let mut len: u64 = tf
            .values()
            .map(|n| u64::from(*n))
            .sum::<u64>()
            .saturating_sub(term_counts(&headline).values().map(|n| u64::from(*n)).sum());
        let mut subject: Vec<u32> = subject_words(&headline, &text_of(&d, f.lede))
            .iter()
            .filter_map(|t| dict.get(t.as_str()))
            .filter(|(_, df)| *df > 1)
            .map(|(no, _)| *no)
            .collect();
        subject.sort_unstable();
        subject.dedup();
        if cut {
            // A body too long to be read whole for its telling terms is read whole
            // for its words.
            let all = format!(
                "{}\n{}\n{}",
                text_of(&d, f.headline),
                text_of(&d, f.lede),
                text_of(&d, f.body)
            );
            let counts = term_counts(&all);
            len = counts.values().map(|n| u64::from(*n)).sum();
            words = counts
                .iter()
                .filter_map(|(t, n)| dict.get(t.as_str()).map(|x| (x.0, *n)))
                .collect();
        }
        words.sort_unstable();
        words.dedup_by_key(|w| w.0);
        let subject: Vec<(u32, u32)> = subject.into_iter().map(|w| (w, 1)).collect();
        out.push((
            profile,
            telling,
            Words::encode(&words),
            Words::encode(&subject),
            u32::try_from(len).unwrap_or(u32::MAX),
        ));
    }
    Ok(out)
}

/// A sorted set of word numbers, each with how often the text says it (up to
/// [`MAX_SAID`]), stored as `word << 2 | count - 1` (four bytes a word), read in order.
struct Words<'a> {
    items: std::slice::Iter<'a, u32>,
}

/// The highest count a [`Words`] set keeps: BM25's weight of a word said four times
/// is 88 % of one said ten times (k1 = 1.2), so what is said more is counted four times,
/// in both the bulk and the one-by-one subject score.
pub(crate) const MAX_SAID: u32 = 4;

/// Word numbers [`Words`] can hold (two bits go to the count).
const MAX_WORD: u32 = 1 << 30;

impl<'a> Words<'a> {
    /// `sorted` must be strictly increasing in its word numbers. A word numbered
    /// 2^30 or above (a vocabulary of over a billion words) is left out.
    fn encode(sorted: &[(u32, u32)]) -> Box<[u32]> {
        sorted
            .iter()
            .filter(|&&(w, _)| w < MAX_WORD)
            .map(|&(w, said)| (w << 2) | (said.clamp(1, MAX_SAID) - 1))
            .collect()
    }

    fn new(items: &'a [u32]) -> Words<'a> {
        Words {
            items: items.iter(),
        }
    }
}

impl Words<'_> {
    /// One pass over the set for both scores of a candidate. `targets` are the words
    /// looked for, strictly increasing, each with its bit in the telling words' mask
    /// (or none) and its place among the subject's words (or none). Returns the mask
    /// of the telling words held and the sum of `weigh(place, count)` over the
    /// subject's words held.
    fn scan(mut self, targets: &[Target], mut weigh: impl FnMut(usize, u32) -> f32) -> (u32, f32) {
        let (mut mask, mut sum) = (0u32, 0.0f32);
        let mut t = 0;
        while let Some(target) = targets.get(t) {
            let Some((c, said)) = self.next() else { break };
            if c < target.word {
                continue;
            }
            while targets.get(t).is_some_and(|x| x.word < c) {
                t += 1;
            }
            if let Some(x) = targets.get(t)
                && x.word == c
            {
                if let Some(bit) = x.bit {
                    mask |= 1 << bit;
                }
                if let Some(i) = x.subject {
                    sum += weigh(usize::from(i), said);
                }
                t += 1;
            }
        }
        (mask, sum)
    }
}

/// A word [`Words::scan`] looks for.
#[derive(Debug, Clone, Copy)]
struct Target {
    word: u32,
    /// Its bit among the telling words (at most 32).
    bit: Option<u8>,
    /// Its place among the subject's words.
    subject: Option<u16>,
}

/// The targets of a scan: the telling words (sorted, their first 32 with bits) and
/// the subject's words (sorted), merged.
fn targets(wanted: &[u32], subject: &[u32]) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::with_capacity(wanted.len() + subject.len());
    for (bit, &w) in wanted.iter().enumerate().take(32) {
        out.push(Target {
            word: w,
            bit: u8::try_from(bit).ok(),
            subject: None,
        });
    }
    for (i, &w) in subject.iter().enumerate() {
        let Ok(i) = u16::try_from(i) else { break };
        match out.iter_mut().find(|t| t.word == w) {
            Some(t) => t.subject = Some(i),
            None => out.push(Target {
                word: w,
                bit: None,
                subject: Some(i),
            }),
        }
    }
    out.sort_unstable_by_key(|t| t.word);
    out
}

impl Iterator for Words<'_> {
    /// A word number and how often the text says it.
    type Item = (u32, u32);

    #[inline]
    fn next(&mut self) -> Option<(u32, u32)> {
        let v = *self.items.next()?;
        Some((v >> 2, (v & 3) + 1))
    }
}

impl BulkNeighbours {
    /// Articles read.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Scratch space for [`BulkNeighbours::neighbours`], one per thread.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            acc: vec![0.0; self.docs.len()],
            touched: vec![0; self.docs.len() + 1],
            count: 0,
            scored: Vec::new(),
        }
    }

    /// What [`SearchIndex::neighbours`] gives for article `id`, from the pruned
    /// postings: up to `limit` candidates by text and `limit / 2` by shared names,
    /// visible at `now`. `None` if the article was not read.
    pub fn neighbours(
        &self,
        id: i64,
        limit: usize,
        now: DateTime<Utc>,
        scratch: &mut Scratch,
    ) -> Result<Option<Neighbourhood>> {
        let Some(&me) = self.by_id.get(&id) else {
            return Ok(None);
        };
        let doc = &self.docs[me as usize];
        let now = now.timestamp();
        let visible = |n: u32| n != me && self.published[n as usize] <= now;

        // By text: the weighted overlap of telling terms.
        for &(t, w) in &doc.telling {
            for &(n, wn) in &self.postings[t as usize] {
                scratch.add(n, w * wn);
            }
        }
        let mut found: Vec<u32> = scratch
            .best(limit.max(1), visible)
            .iter()
            .map(|x| x.1)
            .collect();

        // By shared tags and names, the rarer the better.
        let target = &doc.profile;
        let df = |count: &FastMap<String, u64>, k: &String| {
            (k.clone(), count.get(k).copied().unwrap_or(0))
        };
        let entity_docs: HashMap<String, u64> = target
            .entities
            .iter()
            .map(|k| df(&self.entity_count, k))
            .collect();
        let tag_docs: HashMap<String, u64> =
            target.tags.iter().map(|k| df(&self.tag_count, k)).collect();
        let keyed = [
            (&target.tags, &tag_docs, &self.tags),
            (&target.entities, &entity_docs, &self.entities),
        ];
        for (keys, docs, postings) in keyed {
            for k in keys {
                let df = docs.get(k).copied().unwrap_or(0);
                if df <= 1 {
                    continue;
                }
                let idf = ((self.num_docs as f32) / (df as f32)).ln().max(0.1);
                for &n in postings.get(k).map_or(&[][..], Vec::as_slice) {
                    scratch.add(n, idf);
                }
            }
        }
        for &(_, n) in scratch.best((limit / 2).max(1), visible) {
            if !found.contains(&n) {
                found.push(n);
            }
        }

        // The text score ranking uses: coverage, exactly as one by one (the same
        // words, the weights summed in the same order).
        let shareable: Vec<(u32, f32)> = doc
            .telling
            .iter()
            .filter_map(|&(t, w)| {
                let (word, df) = self.terms[t as usize];
                (df > 1).then_some((word, w))
            })
            .collect();
        let total: f32 = shareable.iter().map(|(_, w)| w).sum();
        let mut order: Vec<usize> = (0..shareable.len()).collect();
        order.sort_unstable_by_key(|&i| shareable[i].0);
        let wanted: Vec<u32> = order.iter().map(|&i| shareable[i].0).collect();
        // The subject score: BM25 of the headline's and lede's words, with each word
        // counted once in the candidate (the words kept here have no counts; one by
        // one, the index's counts are used).
        let subject: Vec<u32> = Words::new(&doc.subject).map(|x| x.0).collect();
        let idf: Vec<f32> = subject
            .iter()
            .map(|w| {
                let df = self.word_df.get(*w as usize).copied().unwrap_or(0);
                bm25_idf(u64::from(df), self.num_docs)
            })
            .collect();
        let targets = targets(&wanted, &subject);
        let scanned: Vec<(u32, f32)> = found
            .iter()
            .map(|n| {
                let d = &self.docs[*n as usize];
                let (len, avg) = (d.len as f32, self.avg_len);
                Words::new(&d.words)
                    .scan(&targets, |i, said| idf[i] * bm25_tf(said as f32, len, avg))
            })
            .collect();
        let best_subject = scanned.iter().map(|x| x.1).fold(0.0f32, f32::max);
        let candidates = found
            .iter()
            .zip(&scanned)
            .map(|(n, &(mask, subject_score))| {
                let d = &self.docs[*n as usize];
                let mut held = [false; 32];
                for (bit, &i) in order.iter().enumerate().take(32) {
                    held[i] = mask & (1 << bit) != 0;
                }
                let covered = shareable
                    .iter()
                    .zip(held)
                    .filter(|(_, h)| *h)
                    .fold(0.0, |sum, ((_, w), _)| sum + w);
                Candidate {
                    profile: d.profile.clone(),
                    text_score: if total > 0.0 { covered / total } else { 0.0 },
                    subject_score: if best_subject > 0.0 {
                        subject_score / best_subject
                    } else {
                        0.0
                    },
                }
            })
            .collect();
        Ok(Some(Neighbourhood {
            target: Profile::clone(target),
            candidates,
            num_docs: self.num_docs,
            entity_docs,
            tag_docs,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_their_numbers_and_counts_up_to_four() {
        let set = [
            (3, 1),
            (4, 2),
            (200, 9),
            (70_000, 4),
            (1_000_000_000, 3),
            (MAX_WORD, 1),
        ];
        let bytes = Words::encode(&set);
        let back: Vec<(u32, u32)> = Words::new(&bytes).collect();
        assert_eq!(
            back,
            [(3, 1), (4, 2), (200, 4), (70_000, 4), (1_000_000_000, 3)]
        );
        let weights = [1.0, 1_000.0, 10.0, 100.0];
        let (mask, held) = Words::new(&bytes)
            .scan(&targets(&[4, 5, 70_000], &[3, 4, 200, 201]), |i, n| {
                weights[i] * n as f32
            });
        assert_eq!(mask, 0b101);
        assert_eq!(held, 1.0 + 2_000.0 + 40.0);
    }
}
