//! Importers and the exporter. Each format turns a file into [`Record`]s — articles
//! ready for the store's one write path, sections and authors, or a skip with its
//! reason — and [`import`] feeds them to the store in batches inside one transaction.
//!
//! Bad input never panics and never half-lands: a record that cannot be read becomes a
//! [`RecordError`] naming its file, line or element and the reason. Without
//! `keep_going` the first one rolls the whole run back; with it, the good records land
//! and the bad ones are reported (and written to a rejects file by the CLI).

pub mod blocks;
pub mod date;
pub mod decode;
mod finish;
pub mod generate;
pub mod ghost;
pub mod html;
pub mod jsonl;
pub mod photos;
pub mod php;
pub mod text;
pub mod write_behind;
pub mod wxr;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use warta_core::{Locale, SiteSettings};
use warta_store::{ArticleWrite, Store, StoreError};

/// The formats `warta import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Text,
    Wxr,
    Html,
    Ghost,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "jsonl" => Some(Format::Jsonl),
            "text" => Some(Format::Text),
            "wxr" => Some(Format::Wxr),
            "html" => Some(Format::Html),
            "ghost" => Some(Format::Ghost),
            _ => None,
        }
    }
}

/// Where a record is: a file and a line, or an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub element: Option<String>,
}

impl Location {
    pub fn file(file: &Path) -> Location {
        Location {
            file: file.to_path_buf(),
            line: None,
            element: None,
        }
    }

    pub fn line(file: &Path, line: usize) -> Location {
        Location {
            line: Some(line),
            ..Location::file(file)
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(e) = &self.element {
            write!(f, " ({e})")?;
        }
        Ok(())
    }
}

/// A record that could not be read or written.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{location}: {reason}")]
pub struct RecordError {
    pub location: Location,
    pub reason: String,
    /// The record as it was in the file (cut at 64 KiB), for the rejects file.
    pub raw: Option<String>,
}

impl RecordError {
    pub fn new(location: Location, reason: impl Into<String>) -> RecordError {
        RecordError {
            location,
            reason: reason.into(),
            raw: None,
        }
    }

    pub fn with_raw(mut self, raw: &str) -> RecordError {
        let mut end = raw.len().min(64 * 1024);
        while !raw.is_char_boundary(end) {
            end -= 1;
        }
        self.raw = Some(raw[..end].to_owned());
        self
    }
}

/// An article ready for the store, with what it needs to exist first.
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub write: ArticleWrite,
    /// Name for the section (`write.input.section` is its slug) if it must be created.
    pub section_name: String,
    /// Authors (slug, name) to create if missing.
    pub authors: Vec<(String, String)>,
    pub location: Location,
    /// Things worth telling about this record (dropped related links, …).
    pub notes: Vec<String>,
    /// The slug of the article this one translates (Warta's own exports).
    pub translation_of: Option<String>,
    /// A published story kept at the top of the old site's front page (WordPress'
    /// sticky posts), with its publication time: offered to the front page's
    /// secondary headlines once imported.
    pub sticky: Option<DateTime<Utc>>,
}

/// What a format reads from a file.
#[derive(Debug)]
pub enum Record {
    Article(Box<ImportItem>),
    Section {
        slug: String,
        name: String,
        position: i64,
    },
    Author {
        slug: String,
        name: String,
        bio: String,
    },
    Settings(Box<SiteSettings>),
    /// The front page's arrangement (Warta's own exports), saved after the articles.
    Front(Location, jsonl::FrontRecord),
    Page(Location, jsonl::PageRecord),
    /// Read fine, but not content Warta imports (WordPress pages, menus, comments).
    Skipped {
        location: Location,
        reason: String,
    },
    Failed(RecordError),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub keep_going: bool,
    pub dry_run: bool,
    /// The section for articles whose source names none (slug).
    pub default_section: String,
    pub now: DateTime<Utc>,
    /// Page cache for the import transaction, MiB (allocated as used).
    pub cache_mib: u32,
    /// Replace articles the newsroom edited since they were imported (otherwise they
    /// are kept as they are and reported as skipped).
    pub overwrite_edited: bool,
    /// A copy of the old site's upload folder to bring photos from (`--media-from`).
    pub media_from: Option<photos::MediaFrom>,
}

/// What an import did.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    /// Articles given exactly as stored: nothing written.
    pub unchanged: usize,
    pub skipped: Vec<(String, String)>,
    pub failed: Vec<RecordError>,
    pub notes: Vec<String>,
    pub dry_run: bool,
    /// Published sticky posts written (their publication time, their id).
    pub(crate) sticky: Vec<(DateTime<Utc>, i64)>,
    /// With `--media-from`: what became of the photos.
    pub photos: Option<photos::PhotoCounts>,
}

impl Report {
    pub fn summary(&self) -> String {
        let mut out = format!(
            "{}imported {}, updated {}, unchanged {}, skipped {}, failed {}",
            if self.dry_run {
                "dry run (nothing written): "
            } else {
                ""
            },
            self.created,
            self.updated,
            self.unchanged,
            self.skipped.len(),
            self.failed.len()
        );
        // Posts that were not public on the old site, whatever the reason.
        let drafted = self
            .notes
            .iter()
            .filter(|n| n.ends_with("imported as a draft"))
            .count();
        if drafted > 0 {
            out.push_str(&format!(
                "\n  {drafted} not public on the old site (password, private, members only, email only): imported as drafts"
            ));
        }
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for (_, why) in &self.skipped {
            match reasons.iter_mut().find(|(r, _)| r == why) {
                Some((_, n)) => *n += 1,
                None => reasons.push((why.clone(), 1)),
            }
        }
        for (why, n) in reasons {
            out.push_str(&format!("\n  skipped {n}: {why}"));
        }
        for e in self.failed.iter().take(20) {
            out.push_str(&format!("\n  failed: {e}"));
        }
        if self.failed.len() > 20 {
            out.push_str(&format!(
                "\n  … and {} more failures",
                self.failed.len() - 20
            ));
        }
        for n in self.notes.iter().take(20) {
            out.push_str(&format!("\n  note: {n}"));
        }
        if self.notes.len() > 20 {
            out.push_str(&format!("\n  … and {} more notes", self.notes.len() - 20));
        }
        if let Some(p) = &self.photos {
            out.push('\n');
            out.push_str(&p.summary());
        }
        out
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot be read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Without `keep_going`, the first bad record; nothing was written.
    #[error("{0} (nothing was imported)")]
    Record(RecordError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads a file in the given format. The whole file is read; records come out in order.
pub fn read_file(format: Format, path: &Path) -> Result<Vec<Record>, ImportError> {
    let text = read_text(path)?;
    Ok(records(format, path, &text, Locale::Id).collect())
}

fn read_text(path: &Path) -> Result<String, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(decode::into_text(bytes).0)
}

/// The records of a file's text, lazily where the format allows (JSONL: a line at a
/// time, so a large archive is never held as records all at once).
fn records<'a>(
    format: Format,
    path: &'a Path,
    text: &'a str,
    locale: Locale,
) -> Box<dyn Iterator<Item = Record> + 'a> {
    match format {
        Format::Jsonl => Box::new(jsonl::records(path, text)),
        Format::Text => Box::new(std::iter::once(text::parse(path, text))),
        Format::Wxr => Box::new(wxr::parse_for(path, text, locale).into_iter()),
        Format::Html => Box::new(std::iter::once(html::parse(path, text))),
        Format::Ghost => Box::new(ghost::parse_for(path, text, locale).into_iter()),
    }
}

/// Feeds a file's records to `each` in order until it returns `false` (then `Ok(false)`).
/// JSONL is streamed through one reused buffer: an archive of gigabytes is never held
/// whole (reading it into fresh memory cost a sixth of an import's time in page
/// faults). The other formats are documents, read whole.
fn for_each_record(
    format: Format,
    path: &Path,
    locale: Locale,
    each: &mut dyn FnMut(Record) -> bool,
) -> Result<bool, ImportError> {
    if format == Format::Jsonl {
        return stream_jsonl(path, each);
    }
    let text = read_text(path)?;
    for record in records(format, path, &text, locale) {
        if !each(record) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Bytes read at a time from a JSONL file (a longer line grows the buffer).
const STREAM_CHUNK: usize = 8 << 20;

fn stream_jsonl(path: &Path, each: &mut dyn FnMut(Record) -> bool) -> Result<bool, ImportError> {
    stream_jsonl_by(path, each, STREAM_CHUNK)
}

fn stream_jsonl_by(
    path: &Path,
    each: &mut dyn FnMut(Record) -> bool,
    chunk: usize,
) -> Result<bool, ImportError> {
    use std::io::Read;
    let err = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(err)?;
    let mut buf: Vec<u8> = vec![0; chunk.max(1)];
    let mut filled = 0;
    let mut line = 0;
    let mut first = true;
    loop {
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        let n = file.read(&mut buf[filled..]).map_err(err)?;
        filled += n;
        if first {
            if filled < 512 && n != 0 {
                continue;
            }
            first = false;
            // A byte-order mark or UTF-16 decides the encoding of the whole file: read
            // it the way documents are read.
            if decode::needs_whole_file(&buf[..filled]) {
                let text = read_text(path)?;
                for record in jsonl::records(path, &text) {
                    if !each(record) {
                        return Ok(false);
                    }
                }
                return Ok(true);
            }
        }
        // Whole lines only, unless the file has ended.
        let end = if n == 0 {
            filled
        } else {
            match buf[..filled].iter().rposition(|b| *b == b'\n') {
                Some(i) => i + 1,
                None => continue,
            }
        };
        if end > 0 {
            let bytes = &buf[..end];
            // Each piece is decoded on its own: UTF-8 when it is, else as
            // `decode::to_text` guesses (a Latin-1 archive reads as Latin-1).
            let owned;
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    owned = decode::to_text(bytes).0;
                    &owned
                }
            };
            for record in jsonl::records_from(path, text, line) {
                if !each(record) {
                    return Ok(false);
                }
            }
            line += bytes.iter().filter(|b| **b == b'\n').count();
            buf.copy_within(end..filled, 0);
            filled -= end;
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

/// Articles per write batch: two statements' worth of articles (see the store's
/// `CHUNK`). Each batch also costs a few look-ups (existing articles, slugs, tags), so
/// fewer, larger batches keep the database's thread busier.
const BATCH: usize = 1000;

/// What the reading thread hands to the writer, in file order.
enum Msg {
    Records(Vec<Record>),
    FileDone(u64),
    Unreadable(ImportError),
    /// Sent last with `--media-from`.
    Photos(photos::PhotoCounts),
}

/// Reads and parses every file on its own thread, sending records in chunks of about
/// one write batch: parsing one chunk overlaps writing the one before (the two halves of
/// an import take about the same time, and the machine has more than one core).
fn spawn_reader(
    format: Format,
    paths: Vec<PathBuf>,
    default_section: String,
    locale: Locale,
    mut photos: Option<photos::Photos>,
) -> tokio::sync::mpsc::Receiver<Msg> {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    std::thread::spawn(move || {
        // Photos are brought in for each chunk just before it is handed over.
        let mut send = |mut chunk: Vec<Record>| {
            if let Some(p) = photos.as_mut() {
                p.bring(&mut chunk);
            }
            photos::leave_out_unreachable(&mut chunk);
            tx.blocking_send(Msg::Records(chunk)).is_ok()
        };
        for path in &paths {
            let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            let mut chunk = Vec::with_capacity(BATCH);
            let mut articles = 0;
            let mut each = |mut record: Record| {
                if let Record::Article(item) = &mut record {
                    if item.write.input.section.is_empty() {
                        item.write.input.section = default_section.clone();
                        item.section_name = title_case(&default_section);
                    }
                    // Real archives stay whole: a paragraph over the limit is cut at
                    // sentence ends, and said.
                    let cut = warta_core::limits::split_long_paragraphs(&mut item.write.input.body);
                    if cut > 0 {
                        item.notes.push(format!(
                            "{cut} paragraph(s) over {} characters cut at sentence ends",
                            warta_core::limits::MAX_PARAGRAPH
                        ));
                    }
                    // Checking, cleaning and encoding here, beside the store's writing.
                    item.write.prepare();
                    articles += 1;
                }
                chunk.push(record);
                if articles >= BATCH || chunk.len() >= 4 * BATCH {
                    articles = 0;
                    // The receiver is gone only when the import stopped early.
                    return send(std::mem::take(&mut chunk));
                }
                true
            };
            match for_each_record(format, path, locale, &mut each) {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => {
                    let _ = tx.blocking_send(Msg::Unreadable(e));
                    return;
                }
            }
            if !chunk.is_empty() && !send(chunk) {
                return;
            }
            if tx.blocking_send(Msg::FileDone(size)).is_err() {
                return;
            }
        }
        if let Some(p) = photos {
            let _ = tx.blocking_send(Msg::Photos(p.counts));
        }
    });
    rx
}

/// Imports files into the store in one transaction. `progress` is called after each
/// file with the number of bytes done.
pub async fn import(
    store: &Store,
    format: Format,
    paths: &[PathBuf],
    opts: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<Report, ImportError> {
    let mut report = Report {
        dry_run: opts.dry_run,
        ..Report::default()
    };
    // The site's language names what the source left unnamed (an untitled post).
    let locale = store.settings().await?.locale().unwrap_or(Locale::Id);
    let mut writer = store.writer(opts.now).await?;
    // Read under the write lock this run holds to its end: no newsroom save can land
    // between this and the import's writes.
    let edited = writer.newsroom_edited().await?;
    writer.bulk_cache(opts.cache_mib).await?;
    if !opts.keep_going {
        // The first failure ends the run and rolls it all back: no savepoints needed.
        writer.all_or_nothing();
    }
    let mut batch: Vec<ImportItem> = Vec::with_capacity(BATCH);
    let mut settings: Option<SiteSettings> = None;
    let mut front: Option<(Location, jsonl::FrontRecord)> = None;
    let mut pages: Vec<(Location, jsonl::PageRecord)> = Vec::new();
    // Linked once every article of the run is written (a translation may come first).
    let mut translations: Vec<(String, String)> = Vec::new();
    let mut translation_at: std::collections::HashMap<String, Location> =
        std::collections::HashMap::new();
    let photos = opts.media_from.clone().map(|from| {
        photos::Photos::new(
            from,
            store.clone(),
            tokio::runtime::Handle::current(),
            opts.dry_run,
        )
    });
    let mut incoming = spawn_reader(
        format,
        paths.to_vec(),
        opts.default_section.clone(),
        locale,
        photos,
    );
    while let Some(msg) = incoming.recv().await {
        let records = match msg {
            Msg::Records(records) => records,
            Msg::FileDone(size) => {
                progress(size);
                continue;
            }
            Msg::Unreadable(e) => {
                writer.rollback().await?;
                return Err(e);
            }
            Msg::Photos(counts) => {
                report.photos = Some(counts);
                continue;
            }
        };
        for record in records {
            match record {
                Record::Article(item) => {
                    if let (Some(of), Some(slug)) = (&item.translation_of, &item.write.input.slug) {
                        translations.push((slug.clone(), of.clone()));
                        translation_at.insert(slug.clone(), item.location.clone());
                    }
                    batch.push(*item);
                    if batch.len() >= BATCH {
                        flush(&mut writer, &mut batch, opts, &edited, &mut report).await?;
                    }
                }
                Record::Section {
                    slug,
                    name,
                    position,
                } => {
                    writer.put_section(&slug, &name, position).await?;
                }
                Record::Author { slug, name, bio } => {
                    writer.put_author(&slug, &name, &bio).await?;
                }
                Record::Settings(s) => settings = Some(*s),
                Record::Front(at, f) => front = Some((at, f)),
                Record::Page(at, p) => pages.push((at, p)),
                Record::Skipped { location, reason } => {
                    report.skipped.push((location.to_string(), reason));
                }
                Record::Failed(e) => {
                    if !opts.keep_going {
                        writer.rollback().await?;
                        return Err(ImportError::Record(e));
                    }
                    report.failed.push(e);
                }
            }
        }
    }
    flush(&mut writer, &mut batch, opts, &edited, &mut report).await?;
    for (slug, of) in writer.link_translations(&translations).await? {
        let reason = format!("field `translation_of`: `{of}` names no article");
        let at = translation_at
            .remove(&slug)
            .unwrap_or_else(|| Location::file(Path::new("")));
        if !opts.keep_going {
            writer.rollback().await?;
            return Err(ImportError::Record(RecordError::new(at, reason)));
        }
        report.failed.push(RecordError::new(at, reason));
    }
    if opts.dry_run {
        writer.rollback().await?;
        // What saving the pages would refuse, as a real run would report it.
        for (at, p) in pages {
            finish::save_page(store, &at, p, &mut report, true).await?;
        }
    } else {
        writer.commit().await?;
        // Into the database file now, and counted in the import's time: otherwise the
        // next writer (the server, the indexer) pays for copying the whole import out
        // of the write-ahead log.
        store.checkpoint().await?;
        if let Some(s) = settings {
            store.save_settings(&s).await?;
        }
        if let Some((at, f)) = front {
            finish::save_front(store, &at, &f, &mut report).await?;
        }
        for (at, p) in pages {
            finish::save_page(store, &at, p, &mut report, false).await?;
        }
        finish::place_sticky(store, &mut report).await?;
    }
    Ok(report)
}

/// Why an article the newsroom edited is not replaced.
pub const KEPT_EDITED: &str = "edited in the newsroom since it was imported: the newsroom's version is kept (--overwrite-edited replaces it)";

async fn flush(
    writer: &mut warta_store::Writer,
    batch: &mut Vec<ImportItem>,
    opts: &Options,
    edited: &warta_store::NewsroomEdited,
    report: &mut Report,
) -> Result<(), ImportError> {
    let mut items = std::mem::take(batch);
    // Articles the newsroom changed since their import: kept, or (when told) replaced
    // and marked by an import revision, so that the next import replaces them again.
    let mut overwritten = Vec::new();
    if !edited.is_empty() {
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            match edited.target(&item.write) {
                Some(id) if opts.overwrite_edited => {
                    overwritten.push((id, item.write.input.clone()));
                    kept.push(item);
                }
                Some(id) => report.skipped.push((
                    format!("{} (article {id})", item.location),
                    KEPT_EDITED.to_owned(),
                )),
                None => kept.push(item),
            }
        }
        items = kept;
    }
    loop {
        if items.is_empty() {
            return Ok(());
        }
        for item in &items {
            let name = if item.section_name.is_empty() {
                item.write.input.section.clone()
            } else {
                item.section_name.clone()
            };
            writer
                .ensure_section(&item.write.input.section, &name)
                .await?;
            for (slug, name) in &item.authors {
                writer.ensure_author(slug, name).await?;
            }
        }
        // The slugs asked for that may be given a suffix when taken (WordPress' -2).
        let wanted: Vec<Option<String>> = items
            .iter()
            .map(|i| i.write.input.slug.clone().filter(|_| i.write.slug_may_move))
            .collect();
        // Only --keep-going needs the articles again after a failed batch; otherwise
        // they go to the store without a copy.
        let backup: Option<Vec<ArticleWrite>> = opts
            .keep_going
            .then(|| items.iter().map(|i| i.write.clone()).collect());
        let writes: Vec<ArticleWrite> = items
            .iter_mut()
            .map(|i| std::mem::replace(&mut i.write, placeholder()))
            .collect();
        let result = writer.write(writes).await;
        if let Some(backup) = backup {
            for (item, w) in items.iter_mut().zip(backup) {
                item.write = w;
            }
        }
        match result {
            Ok(outcomes) => {
                for (id, input) in &overwritten {
                    if outcomes.iter().any(|o| o.id() == *id) {
                        writer.add_revision(*id, None, "imported", input).await?;
                    }
                }
                count(report, &outcomes, &items);
                note_renamed(writer, report, &outcomes, &items, &wanted).await?;
                return Ok(());
            }
            Err(e) => {
                let Some(failed_at) = e.index else {
                    if !opts.keep_going {
                        let loc = items
                            .first()
                            .map_or_else(|| Location::file(Path::new("")), |i| i.location.clone());
                        return Err(ImportError::Record(RecordError::new(
                            loc,
                            format!("in the batch starting here: {}", e.error),
                        )));
                    }
                    // Not pinned to one article: write them one at a time.
                    for item in items.drain(..) {
                        match writer.write(vec![item.write.clone()]).await {
                            Ok(outcomes) => count(report, &outcomes, std::slice::from_ref(&item)),
                            Err(err) => {
                                let rec =
                                    RecordError::new(item.location.clone(), err.error.to_string());
                                if !opts.keep_going {
                                    return Err(ImportError::Record(rec));
                                }
                                report.failed.push(rec);
                            }
                        }
                    }
                    return Ok(());
                };
                let item = items.remove(failed_at);
                let rec = RecordError::new(item.location.clone(), e.error.to_string());
                if !opts.keep_going {
                    return Err(ImportError::Record(rec));
                }
                report.failed.push(rec);
            }
        }
    }
}

/// Says which new articles could not have the slug their source gave (another story
/// holds it) and what they got instead; their old addresses lead to them either way.
async fn note_renamed(
    writer: &mut warta_store::Writer,
    report: &mut Report,
    outcomes: &[warta_store::Outcome],
    items: &[ImportItem],
    wanted: &[Option<String>],
) -> Result<(), ImportError> {
    let asked: Vec<(i64, &str, &Location)> = outcomes
        .iter()
        .zip(items.iter().zip(wanted))
        .filter_map(|(o, (item, w))| match (o, w) {
            (warta_store::Outcome::Created(id), Some(w)) => Some((*id, w.as_str(), &item.location)),
            _ => None,
        })
        .collect();
    if asked.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = asked.iter().map(|a| a.0).collect();
    let got = writer.slugs_of(&ids).await?;
    for (id, w, at) in asked {
        if let Some(g) = got.get(&id).filter(|g| g.as_str() != w) {
            report.notes.push(format!(
                "{at}: the slug `{w}` is another story's: this one is `{g}`"
            ));
        }
    }
    Ok(())
}

fn count(report: &mut Report, outcomes: &[warta_store::Outcome], items: &[ImportItem]) {
    for (o, item) in outcomes.iter().zip(items) {
        // (`item.write` may have gone to the store by now: `sticky` says it all.)
        if let Some(at) = item.sticky {
            report.sticky.push((at, o.id()));
        }
        match o {
            warta_store::Outcome::Created(_) => report.created += 1,
            warta_store::Outcome::Updated(_) => report.updated += 1,
            warta_store::Outcome::Unchanged(_) => report.unchanged += 1,
        }
        report
            .notes
            .extend(item.notes.iter().map(|n| format!("{}: {n}", item.location)));
    }
}

fn title_case(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn placeholder() -> ArticleWrite {
    ArticleWrite::new(warta_core::ArticleInput::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records as text, to compare two readings of a file.
    fn read_in_pieces(path: &Path, chunk: usize) -> Vec<String> {
        let mut out = Vec::new();
        let done = stream_jsonl_by(
            path,
            &mut |r| {
                out.push(match r {
                    Record::Article(item) => format!("article {}", item.write.input.headline),
                    Record::Failed(e) => format!("failed {e}"),
                    other => format!("{other:?}"),
                });
                true
            },
            chunk,
        );
        assert!(matches!(done, Ok(true)), "{done:?}");
        out
    }

    #[test]
    fn a_file_read_in_pieces_reads_as_a_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.jsonl");
        let mut text = String::new();
        for i in 0..40 {
            if i % 7 == 3 {
                text.push_str("{not json\n\n");
            } else {
                text.push_str(&format!(
                    r#"{{"type":"article","slug":"b-{i}","headline":"Berita nomor {i} tentang Bogor","section":"berita","status":"draft","created_at":"2024-01-02T03:04:05Z"}}"#
                ));
                text.push('\n');
            }
        }
        std::fs::write(&path, &text).expect("write");
        let whole: Vec<String> = read_file(Format::Jsonl, &path)
            .expect("read")
            .into_iter()
            .map(|r| match r {
                Record::Article(item) => format!("article {}", item.write.input.headline),
                Record::Failed(e) => format!("failed {e}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(whole.iter().filter(|r| r.starts_with("failed")).count(), 6);
        assert!(whole.iter().any(|r| r.contains(".jsonl:44:")), "{whole:?}");
        // Pieces shorter than a line, a few lines, and the whole file.
        for chunk in [1, 50, 333, 1 << 20] {
            assert_eq!(read_in_pieces(&path, chunk), whole, "chunk {chunk}");
        }
    }

    #[test]
    fn a_latin1_piece_is_decoded_and_a_bom_file_read_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let line = |h: &str| {
            format!(
                r#"{{"type":"article","slug":"s","headline":"{h}","section":"berita","status":"draft","created_at":"2024-01-02T03:04:05Z"}}"#
            )
        };
        let latin = dir.path().join("latin.jsonl");
        let mut bytes = line("Rapat di Jakarta").into_bytes();
        bytes.push(b'\n');
        bytes.extend(line("Caf\u{e9} baru").chars().map(|c| c as u32 as u8));
        bytes.push(b'\n');
        std::fs::write(&latin, &bytes).expect("write");
        let got = read_in_pieces(&latin, 16);
        assert_eq!(got, ["article Rapat di Jakarta", "article Caf\u{e9} baru"]);

        let bom = dir.path().join("bom.jsonl");
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(line("Dengan tanda urutan").into_bytes());
        std::fs::write(&bom, &bytes).expect("write");
        assert_eq!(read_in_pieces(&bom, 8), ["article Dengan tanda urutan"]);
    }
}
