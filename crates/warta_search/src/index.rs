//! The index on disk: its schema, its generations, and keeping it in step with the
//! store's change log.
//!
//! Layout under the data folder:
//!
//! ```text
//! search/
//!   CURRENT        the name of the live generation (`gen-3`), replaced atomically
//!   gen-3/         a tantivy index; its last commit's payload is the change-log
//!                  sequence number it has read up to
//! ```
//!
//! `warta reindex` builds `gen-4` beside the live one and then points `CURRENT` at it;
//! a running server notices on its next catch-up tick, opens the new generation,
//! catches it up and drops the old one. Search never goes offline.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use tantivy::schema::Value;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use warta_core::{Article, Block, Status};
use warta_store::Store;
use warta_text::StemmerKind;

use crate::analysis::{self, kind_of_tokenizer, tokenizer_name};
use crate::{Result, SearchError};

/// Change-log entries read per catch-up batch, and applied between commits (a
/// commit is what makes changes durable and visible; a big catch-up, after an import,
/// commits rarely).
const BATCH: u32 = 2_000;
const COMMIT_EVERY: usize = 50_000;
/// The server's writer: one thread and a modest memory budget; bulk rebuilds use more.
const SERVE_WRITER_BYTES: usize = 64 << 20;
const BUILD_WRITER_BYTES: usize = 512 << 20;

/// The fields of a Warta index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub headline: Field,
    pub lede: Field,
    pub body: Field,
    pub captions: Field,
    pub tag_names: Field,
    pub tag: Field,
    pub section: Field,
    pub author: Field,
    pub language: Field,
    pub published_at: Field,
    pub slug: Field,
    pub section_name: Field,
    /// Words of headline, lede and body as written (lower-cased, not stemmed): an
    /// exact form ranks above another form of the same root, and spelling
    /// suggestions come from here.
    pub spell: Field,
    /// Names the article is about: its tags' and those found in its text
    /// (normalised), for related news.
    pub entity: Field,
    /// SimHash of headline, lede and body, for telling near-copies apart.
    pub simhash: Field,
}

pub(crate) fn schema(kind: StemmerKind) -> Schema {
    let mut b = Schema::builder();
    let analysed = |stored: bool| {
        let idx = TextFieldIndexing::default()
            .set_tokenizer(tokenizer_name(kind))
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let opts = TextOptions::default().set_indexing_options(idx);
        if stored { opts.set_stored() } else { opts }
    };
    b.add_u64_field("id", INDEXED | FAST | STORED);
    b.add_text_field("headline", analysed(true));
    b.add_text_field("lede", analysed(true));
    b.add_text_field("body", analysed(true));
    b.add_text_field("captions", analysed(false));
    b.add_text_field("tag_names", analysed(false));
    b.add_text_field("tag", STRING | STORED);
    b.add_text_field("section", STRING | STORED);
    b.add_text_field("author", STRING);
    b.add_text_field("language", STRING);
    b.add_i64_field("published_at", INDEXED | FAST | STORED);
    b.add_text_field("slug", STORED);
    b.add_text_field("section_name", STORED);
    b.add_text_field(
        "spell",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer_name(StemmerKind::None))
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    b.add_text_field("entity", STRING | STORED);
    b.add_u64_field("simhash", FAST | STORED);
    b.build()
}

impl Fields {
    fn of(schema: &Schema) -> Result<Fields> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| SearchError::Corrupt(format!("the index has no `{name}` field")))
        };
        Ok(Fields {
            id: f("id")?,
            headline: f("headline")?,
            lede: f("lede")?,
            body: f("body")?,
            captions: f("captions")?,
            tag_names: f("tag_names")?,
            tag: f("tag")?,
            section: f("section")?,
            author: f("author")?,
            language: f("language")?,
            published_at: f("published_at")?,
            slug: f("slug")?,
            section_name: f("section_name")?,
            spell: f("spell")?,
            entity: f("entity")?,
            simhash: f("simhash")?,
        })
    }
}

/// One opened generation of the index.
pub(crate) struct Generation {
    pub name: String,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub kind: StemmerKind,
    /// Taken lazily: only the process that writes holds tantivy's writer lock.
    writer: Mutex<Option<IndexWriter>>,
    writer_bytes: usize,
}

impl Generation {
    fn open(dir: &Path, name: &str, writer_bytes: usize) -> Result<Generation> {
        let index = Index::open_in_dir(dir.join(name)).map_err(|e| SearchError::at(dir, e))?;
        Generation::from_index(index, name, writer_bytes)
    }

    fn create(
        dir: &Path,
        name: &str,
        kind: StemmerKind,
        writer_bytes: usize,
    ) -> Result<Generation> {
        let path = dir.join(name);
        std::fs::create_dir_all(&path).map_err(|e| SearchError::Io(path.clone(), e))?;
        let index =
            Index::create_in_dir(&path, schema(kind)).map_err(|e| SearchError::at(&path, e))?;
        Generation::from_index(index, name, writer_bytes)
    }

    fn from_index(index: Index, name: &str, writer_bytes: usize) -> Result<Generation> {
        analysis::register(index.tokenizers());
        let kind = index_kind(&index.schema()).ok_or_else(|| {
            SearchError::Corrupt("the index's body field has no Warta analyzer".into())
        })?;
        if index.schema() != schema(kind) {
            return Err(SearchError::OldSchema(kind));
        }
        let fields = Fields::of(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Generation {
            name: name.to_owned(),
            index,
            reader,
            fields,
            kind,
            writer: Mutex::new(None),
            writer_bytes,
        })
    }

    /// The change-log sequence number this generation has read up to.
    pub fn seq(&self) -> Result<i64> {
        let meta = self.index.load_metas()?;
        Ok(meta
            .payload
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(0))
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| SearchError::Corrupt("index writer lock poisoned".into()))?;
        if guard.is_none() {
            let threads = if self.writer_bytes > SERVE_WRITER_BYTES {
                2
            } else {
                1
            };
            let w = self
                .index
                .writer_with_num_threads(threads, self.writer_bytes)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => SearchError::Busy,
                    e => SearchError::Tantivy(e),
                })?;
            *guard = Some(w);
        }
        match guard.as_mut() {
            Some(w) => f(w),
            None => Err(SearchError::Busy),
        }
    }

    /// Applies one batch: every id is removed, then the articles that are published
    /// are added back. Nothing is visible or durable until [`Generation::commit`].
    fn apply(&self, ids: &[i64], articles: &[Article]) -> Result<()> {
        self.with_writer(|w| {
            for id in ids {
                w.delete_term(Term::from_field_u64(self.fields.id, id_u64(*id)));
            }
            for a in articles {
                if let Some(doc) = document(&self.fields, a) {
                    w.add_document(doc)?;
                }
            }
            Ok(())
        })
    }

    /// Commits with `seq` (the last change applied) as the payload, then makes it
    /// searchable.
    fn commit(&self, seq: i64) -> Result<()> {
        self.with_writer(|w| {
            let mut commit = w.prepare_commit()?;
            commit.set_payload(&seq.to_string());
            commit.commit()?;
            Ok(())
        })?;
        self.reader.reload()?;
        Ok(())
    }

    /// Drops the writer, releasing tantivy's lock on this generation.
    fn release(&self) {
        if let Ok(mut g) = self.writer.lock()
            && let Some(w) = g.take()
        {
            let _ = w.wait_merging_threads();
        }
    }
}

/// The stemmer an index's body field was analysed with.
fn index_kind(schema: &Schema) -> Option<StemmerKind> {
    let body = schema.get_field("body").ok()?;
    match schema.get_field_entry(body).field_type() {
        tantivy::schema::FieldType::Str(opts) => opts
            .get_indexing_options()
            .and_then(|i| kind_of_tokenizer(i.tokenizer())),
        _ => None,
    }
}

fn id_u64(id: i64) -> u64 {
    u64::try_from(id).unwrap_or(0)
}

/// The document for an article, or `None` when readers cannot see it at any time
/// (only published articles are indexed; an embargo is a publication time in the
/// future, filtered at query time).
pub(crate) fn document(f: &Fields, a: &Article) -> Option<TantivyDocument> {
    if a.status != Status::Published {
        return None;
    }
    let published = a.published_at?;
    let mut d = TantivyDocument::new();
    d.add_u64(f.id, id_u64(a.id));
    d.add_text(f.headline, &a.headline);
    d.add_text(f.lede, &a.lede);
    let mut body = String::new();
    let mut captions = String::new();
    for b in &a.body {
        match b {
            Block::Paragraph { html } => push_line(&mut body, &html.to_text()),
            Block::List { items, .. } => {
                for i in items {
                    push_line(&mut body, &i.to_text());
                }
            }
            Block::Heading { text } => push_line(&mut body, text),
            Block::Quote { text, cite } => {
                push_line(&mut body, text);
                push_line(&mut body, cite);
            }
            Block::Embed { title, .. } => push_line(&mut body, title),
            Block::Correction { text, .. } => push_line(&mut body, text),
            Block::Photo {
                media_id,
                caption,
                credit,
            } => {
                let m = a.body_media.iter().find(|m| m.id == *media_id);
                let caption = if caption.is_empty() {
                    m.map_or("", |m| m.caption.as_str())
                } else {
                    caption
                };
                let credit = if credit.is_empty() {
                    m.map_or("", |m| m.credit.as_str())
                } else {
                    credit
                };
                push_line(&mut captions, caption);
                push_line(&mut captions, credit);
            }
        }
    }
    if let Some(h) = &a.hero {
        push_line(&mut captions, &h.caption);
        push_line(&mut captions, &h.credit);
    }
    d.add_text(f.body, &body);
    d.add_text(f.captions, &captions);
    for t in &a.tags {
        d.add_text(f.tag_names, &t.name);
        d.add_text(f.tag, &t.slug);
    }
    for au in &a.authors {
        d.add_text(f.author, &au.slug);
    }
    d.add_text(f.section, &a.section.slug);
    d.add_text(f.section_name, &a.section.name);
    d.add_text(f.language, &a.language);
    d.add_i64(f.published_at, published.timestamp());
    d.add_text(f.slug, &a.slug);
    d.add_text(f.spell, &a.headline);
    d.add_text(f.spell, &a.lede);
    d.add_text(f.spell, &body);
    for e in entities(a, &body) {
        d.add_text(f.entity, &e);
    }
    d.add_u64(
        f.simhash,
        warta_text::simhash::simhash(&format!("{}\n{}\n{body}", a.headline, a.lede)),
    );
    Some(d)
}

/// Entities per article at most, tags included.
const ENTITIES: usize = 12;

/// The article's tags (normalised) and then the names found in its text.
fn entities(a: &Article, body: &str) -> Vec<String> {
    let mut out: Vec<String> = a
        .tags
        .iter()
        .map(|t| warta_text::entities::normalise(&t.name))
        .collect();
    // Not the headline: headlines are written in Title Case, every word a capital.
    let text = format!("{}\n{body}", a.lede);
    for e in warta_text::entities::extract(&text, ENTITIES) {
        if out.len() >= ENTITIES {
            break;
        }
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

fn push_line(out: &mut String, s: &str) {
    if s.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(s);
}

/// The search index of a data folder: the live generation, swapped whole when a
/// rebuild finishes. Cheap to clone.
#[derive(Clone)]
pub struct SearchIndex {
    dir: PathBuf,
    live: Arc<RwLock<Arc<Generation>>>,
    writer_bytes: usize,
    /// Results of recent searches, for the same index state (see [`crate::memo`]).
    pub(crate) memo: crate::memo::Memo,
}

fn read_current(dir: &Path) -> Result<Option<String>> {
    let path = dir.join("CURRENT");
    match std::fs::read_to_string(&path) {
        Ok(s) => {
            let name = s.trim().to_owned();
            if name.starts_with("gen-") && !name.contains(['/', '\\']) {
                Ok(Some(name))
            } else {
                Err(SearchError::Corrupt(format!(
                    "{}: `{}` is not a generation name",
                    path.display(),
                    name.chars().take(40).collect::<String>()
                )))
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SearchError::Io(path, e)),
    }
}

fn write_current(dir: &Path, name: &str) -> Result<()> {
    let tmp = dir.join("CURRENT.tmp");
    std::fs::write(&tmp, format!("{name}\n")).map_err(|e| SearchError::Io(tmp.clone(), e))?;
    let path = dir.join("CURRENT");
    std::fs::rename(&tmp, &path).map_err(|e| SearchError::Io(path, e))
}

fn generation_number(name: &str) -> u64 {
    name.strip_prefix("gen-")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The next unused generation name in `dir`.
fn next_generation(dir: &Path) -> Result<String> {
    let mut max = 0;
    let entries = std::fs::read_dir(dir).map_err(|e| SearchError::Io(dir.to_path_buf(), e))?;
    for e in entries.flatten() {
        max = max.max(generation_number(&e.file_name().to_string_lossy()));
    }
    Ok(format!("gen-{}", max + 1))
}

impl SearchIndex {
    /// Opens the index in `dir` (`<data>/search`), creating an empty one analysed
    /// with `kind` if there is none. An existing index keeps the stemmer it was built
    /// with; `warta reindex --stemmer` changes it.
    pub fn open(dir: &Path, kind: StemmerKind) -> Result<SearchIndex> {
        SearchIndex::open_with(dir, kind, SERVE_WRITER_BYTES)
    }

    /// [`SearchIndex::open`] for bulk work (after an import): two indexing threads
    /// and a large memory budget.
    pub fn open_bulk(dir: &Path, kind: StemmerKind) -> Result<SearchIndex> {
        SearchIndex::open_with(dir, kind, BUILD_WRITER_BYTES)
    }

    fn open_with(dir: &Path, kind: StemmerKind, writer_bytes: usize) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Io(dir.to_path_buf(), e))?;
        let generation = match read_current(dir)? {
            Some(name) => match Generation::open(dir, &name, writer_bytes) {
                Ok(g) => g,
                // An index written by an older Warta: a new generation with today's
                // schema and the same stemmer, filled by the next catch-up.
                Err(SearchError::OldSchema(kind)) => {
                    let name = next_generation(dir)?;
                    tracing::info!(generation = %name, "search index schema changed; rebuilding");
                    let g = Generation::create(dir, &name, kind, writer_bytes)?;
                    write_current(dir, &name)?;
                    g
                }
                Err(e) => return Err(e),
            },
            None => {
                let name = next_generation(dir)?;
                let g = Generation::create(dir, &name, kind, writer_bytes)?;
                write_current(dir, &name)?;
                g
            }
        };
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            live: Arc::new(RwLock::new(Arc::new(generation))),
            writer_bytes,
            memo: crate::memo::Memo::new(),
        })
    }

    pub(crate) fn live(&self) -> Arc<Generation> {
        match self.live.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// The stemmer the live generation was built with.
    pub fn stemmer(&self) -> StemmerKind {
        self.live().kind
    }

    /// The change-log sequence number the live generation has read up to.
    pub fn seq(&self) -> Result<i64> {
        self.live().seq()
    }

    /// Published articles in the index (including embargoed ones).
    pub fn num_docs(&self) -> u64 {
        self.live().reader.searcher().num_docs()
    }

    /// Reads the change log from where the index stopped and applies it: returns how
    /// many log entries were read. Also switches to a newer generation if a rebuild
    /// has finished. `SearchError::Busy` means another process holds the writer.
    pub async fn catch_up(&self, store: &Store) -> Result<usize> {
        self.follow_current(store).await?;
        let g = self.live();
        catch_up_generation(&g, store).await
    }

    async fn follow_current(&self, store: &Store) -> Result<()> {
        let Some(name) = read_current(&self.dir)? else {
            return Ok(());
        };
        if name == self.live().name {
            return Ok(());
        }
        let dir = self.dir.clone();
        let bytes = self.writer_bytes;
        let n = name.clone();
        let g = Arc::new(blocking(move || Generation::open(&dir, &n, bytes)).await?);
        catch_up_generation(&g, store).await?;
        let old = {
            let mut live = self
                .live
                .write()
                .map_err(|_| SearchError::Corrupt("index lock poisoned".into()))?;
            std::mem::replace(&mut *live, g)
        };
        tracing::info!(from = %old.name, to = %name, "search index generation switched");
        old.release();
        // Older generations are no longer read by this process; remove them.
        let current = generation_number(&name);
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.starts_with("gen-") && generation_number(&n) < current {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        Ok(())
    }

    /// Builds a new generation from the whole store, analysed with `kind`, beside the
    /// live one, then makes it live. Returns the number of articles indexed.
    pub async fn rebuild(dir: &Path, store: &Store, kind: StemmerKind) -> Result<u64> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Io(dir.to_path_buf(), e))?;
        let name = next_generation(dir)?;
        let (d, n) = (dir.to_path_buf(), name.clone());
        let g =
            Arc::new(blocking(move || Generation::create(&d, &n, kind, BUILD_WRITER_BYTES)).await?);
        // Read the log position first: anything written during the build is applied
        // again by the catch-up after it, which is harmless.
        let seq = store.last_change().await?;
        let mut after = 0;
        let mut count = 0u64;
        loop {
            let page = store.export_page(after, 1_000).await?;
            let Some(last) = page.last() else { break };
            after = last.article.id;
            let g2 = g.clone();
            count += blocking(move || {
                g2.with_writer(|w| {
                    let mut n = 0;
                    for f in &page {
                        if let Some(doc) = document(&g2.fields, &f.article) {
                            w.add_document(doc)?;
                            n += 1;
                        }
                    }
                    Ok(n)
                })
            })
            .await?;
        }
        let g2 = g.clone();
        blocking(move || {
            g2.with_writer(|w| {
                let mut c = w.prepare_commit()?;
                c.set_payload(&seq.to_string());
                c.commit()?;
                Ok(())
            })?;
            g2.release();
            Ok(())
        })
        .await?;
        catch_up_generation(&g, store).await?;
        g.release();
        write_current(dir, &name)?;
        Ok(count)
    }

    /// Where the index lives.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

async fn catch_up_generation(g: &Arc<Generation>, store: &Store) -> Result<usize> {
    let mut seq = g.seq()?;
    let mut read = 0;
    let mut uncommitted = 0;
    loop {
        let changes = store.changes_after(seq, BATCH).await?;
        let Some(last) = changes.last() else { break };
        let last_seq = last.seq;
        let mut ids: Vec<i64> = changes.iter().map(|c| c.article_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let articles = store.articles_by_ids(&ids).await?;
        let g2 = g.clone();
        uncommitted += changes.len();
        let commit = uncommitted >= COMMIT_EVERY || changes.len() < BATCH as usize;
        blocking(move || {
            g2.apply(&ids, &articles)?;
            if commit { g2.commit(last_seq) } else { Ok(()) }
        })
        .await?;
        if commit {
            uncommitted = 0;
        }
        read += changes.len();
        seq = last_seq;
    }
    if uncommitted > 0 {
        let g2 = g.clone();
        blocking(move || g2.commit(seq)).await?;
    }
    if read == 0 {
        // Another process (an import) may have committed to this generation.
        g.reader.reload()?;
    }
    Ok(read)
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SearchError::Corrupt(format!("index task failed: {e}")))?
}

impl SearchIndex {
    /// One catch-up as a follow loop makes it: errors are logged, not returned;
    /// another process holding the writer (a `warta import` or a second server on the
    /// same folder) is waited out, said once while it lasts (`busy_said`).
    pub async fn catch_up_logged(&self, store: &Store, busy_said: &mut bool) {
        match self.catch_up(store).await {
            Ok(_) => *busy_said = false,
            Err(SearchError::Busy) => {
                if !*busy_said {
                    tracing::warn!("search index is locked by another process; waiting");
                    *busy_said = true;
                }
            }
            Err(e) => tracing::error!(error = %e, "search index catch-up failed"),
        }
    }
}

/// Keeps `index` in step with `store` until the process ends: a catch-up every
/// `every`. (`serve` uses `warta_related::follow`, which does this and the related
/// lists.)
pub fn follow(index: SearchIndex, store: Store, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut busy_said = false;
        loop {
            index.catch_up_logged(&store, &mut busy_said).await;
            tokio::time::sleep(every).await;
        }
    });
}

/// A time as the index stores it: Unix seconds, like the store.
pub(crate) fn unix(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// The article id of a stored document.
pub(crate) fn doc_id(d: &TantivyDocument, f: &Fields) -> Result<i64> {
    d.get_first(f.id)
        .and_then(|v| v.as_u64())
        .and_then(|v| i64::try_from(v).ok())
        .ok_or_else(|| SearchError::Corrupt("a document without an id".into()))
}

/// A stored text field of a document (empty if absent).
pub(crate) fn text_of(d: &TantivyDocument, field: Field) -> String {
    d.get_first(field)
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
