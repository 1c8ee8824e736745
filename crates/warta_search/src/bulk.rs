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
//! candidate's whole text) is measured exactly as there, from the index's postings.
//!
//! So a list from here can differ from the one-by-one list only in which candidates
//! were considered: a candidate that contains the article's telling words but has none
//! of them among its own is not fetched by text. `eval_related` reports both.

use std::collections::HashMap;

use foldhash::HashMap as FastMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::index::{Fields, SearchIndex};
use crate::similar::{
    Candidate, Neighbourhood, Profile, coverage, mlt_text, profile, telling_terms,
};
use crate::{Result, SearchError};

/// Documents read by one task of the first pass.
const CHUNK: u32 = 512;
/// Articles kept in a term's pruned postings: those it weighs most in. Bounds the
/// work per list whatever the archive's size (without it, a list's cost grows with
/// the archive, and a rebuild's with its square).
const POSTINGS_CAP: usize = 2_000;

struct Doc {
    addr: DocAddress,
    profile: Arc<Profile>,
    /// Telling terms: (term number, weight), best first.
    telling: Vec<(u32, f32)>,
}

/// Every article's profile and telling terms, with the pruned postings over them:
/// built once ([`SearchIndex::bulk_neighbours`]), then asked for any article's
/// neighbourhood from any thread.
pub struct BulkNeighbours {
    searcher: Searcher,
    fields: Fields,
    num_docs: u64,
    docs: Vec<Doc>,
    /// Each article's publication time (seconds), apart from its profile: the
    /// visibility test of every scored candidate reads it.
    published: Vec<i64>,
    by_id: FastMap<i64, u32>,
    /// Term number → (the word, its document frequency).
    terms: Vec<(String, u64)>,
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
}

/// Per-thread scratch for scoring: a dense accumulator and the slots it touched.
pub struct Scratch {
    acc: Vec<f32>,
    touched: Vec<u32>,
    scored: Vec<(f32, u32)>,
}

impl Scratch {
    fn add(&mut self, n: u32, score: f32) {
        let slot = &mut self.acc[n as usize];
        if *slot == 0.0 {
            self.touched.push(n);
        }
        *slot += score;
    }

    /// The best `k` of the articles scored since the last call that pass `keep`, best
    /// first (ties: the earlier in the index); the accumulator is left empty.
    fn best(&mut self, k: usize, keep: impl Fn(u32) -> bool) -> &[(f32, u32)] {
        self.scored.clear();
        for &n in &self.touched {
            let s = std::mem::take(&mut self.acc[n as usize]);
            if keep(n) {
                self.scored.push((s, n));
            }
        }
        self.touched.clear();
        let cmp = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if self.scored.len() > k {
            self.scored.select_nth_unstable_by(k, cmp);
            self.scored.truncate(k);
        }
        self.scored.sort_by(cmp);
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
            searcher: searcher.clone(),
            fields: f,
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
        };
        let dfs = spell_dfs(&searcher, &f)?;
        let mut term_no: FastMap<String, u32> = FastMap::default();
        let threads = rayon::current_num_threads().max(1);
        // Ranges a few at a time, so the words of a million articles are never all
        // held as strings at once.
        for group in ranges.chunks(threads * 4) {
            let read: Vec<Vec<Read>> = group
                .par_iter()
                .map(|&(seg, start, end)| {
                    read_range(&searcher, &f, num_docs, &dfs, seg, start, end)
                })
                .collect::<Result<_>>()?;
            for (addr, profile, telling) in read.into_iter().flatten() {
                let n = u32::try_from(bulk.docs.len())
                    .map_err(|_| SearchError::Corrupt("more than 4 billion articles".into()))?;
                let mut numbered = Vec::with_capacity(telling.len());
                for (t, w) in telling {
                    let next = u32::try_from(bulk.terms.len()).unwrap_or(u32::MAX);
                    let no = *term_no.entry(t).or_insert_with_key(|t| {
                        bulk.terms
                            .push((t.clone(), dfs.get(t).copied().unwrap_or(0)));
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
                    addr,
                    profile: Arc::new(profile),
                    telling: numbered,
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

/// The document frequency of every word of the `spell` field (what
/// `Searcher::doc_freq` gives, summed over segments), read from the term dictionaries
/// in one pass.
fn spell_dfs(searcher: &Searcher, f: &Fields) -> Result<FastMap<String, u64>> {
    let mut dfs: FastMap<String, u64> = FastMap::default();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(f.spell)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(|e| SearchError::Corrupt(format!("reading the term dictionary: {e}")))?;
        while terms.advance() {
            if let Ok(word) = std::str::from_utf8(terms.key()) {
                *dfs.entry(word.to_owned()).or_default() += u64::from(terms.value().doc_freq);
            }
        }
    }
    Ok(dfs)
}

type Read = (DocAddress, Profile, Vec<(String, f32)>);

/// The first pass over documents `start..end` of segment `seg`: each live one's
/// profile and telling terms.
fn read_range(
    searcher: &Searcher,
    f: &Fields,
    num_docs: u64,
    dfs: &FastMap<String, u64>,
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
        let df = |t: &str| Ok(dfs.get(t).copied().unwrap_or(0));
        let telling = telling_terms(&mlt_text(&d, f), num_docs, df)?;
        out.push((DocAddress::new(seg, doc_id), profile, telling));
    }
    Ok(out)
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
            touched: Vec::new(),
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
        let f = &self.fields;
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

        // The text score ranking uses: coverage, exactly as one by one.
        let shareable: Vec<(String, f32)> = doc
            .telling
            .iter()
            .filter_map(|&(t, w)| {
                let (word, df) = &self.terms[t as usize];
                (*df > 1).then(|| (word.clone(), w))
            })
            .collect();
        let addrs = found.iter().map(|n| self.docs[*n as usize].addr);
        let (covered, total) = coverage(&self.searcher, f, &shareable, addrs)?;
        let candidates = found
            .iter()
            .map(|n| {
                let d = &self.docs[*n as usize];
                Candidate {
                    profile: d.profile.clone(),
                    text_score: if total > 0.0 {
                        covered.get(&d.addr).copied().unwrap_or(0.0) / total
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
