//! The import, export and generate subcommands: argument handling, the progress bar
//! and the summary. The work itself is `warta_import`'s.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use warta_import::write_behind::WriteBehind;
use warta_store::Store;

pub async fn import(
    store: &Store,
    format: warta_import::Format,
    paths: &[PathBuf],
    opts: &warta_import::Options,
    rejects: &Path,
) -> anyhow::Result<()> {
    let total: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    // Drawn on a terminal only; quiet in pipes and CI.
    let bars = indicatif::MultiProgress::new();
    let bar = bars.add(indicatif::ProgressBar::new(total));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // With --media-from, a second line counts the photos as they are processed.
    let photos = opts.media_from.as_ref().map(|m| {
        let line = indicatif::ProgressBar::new_spinner();
        line.set_style(
            indicatif::ProgressStyle::with_template("{spinner} photos: {pos} {per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        let shown = bars.add(line);
        let done = m.done.clone();
        let ticker = shown.clone();
        let task = tokio::spawn(async move {
            loop {
                ticker.set_position(done.load(std::sync::atomic::Ordering::Relaxed) as u64);
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        });
        (shown, task)
    });
    let started = std::time::Instant::now();
    let result = warta_import::import(store, format, paths, opts, &mut |n| bar.inc(n)).await;
    if let Some((line, task)) = photos {
        task.abort();
        line.finish_and_clear();
    }
    bar.finish_and_clear();
    let report = result?;
    say!("{}", report.summary());
    let secs = started.elapsed().as_secs_f64();
    let n = report.created + report.updated + report.unchanged;
    say!(
        "{n} articles in {secs:.2} s ({:.0} articles/s)",
        n as f64 / secs.max(1e-9)
    );
    if !report.failed.is_empty() {
        let mut f = std::fs::File::create(rejects)
            .with_context(|| format!("rejects file {} cannot be written", rejects.display()))?;
        for e in &report.failed {
            let line = serde_json::json!({
                "location": e.location.to_string(),
                "reason": e.reason,
                "record": e.raw,
            });
            writeln!(f, "{line}").with_context(|| format!("writing {}", rejects.display()))?;
        }
        anyhow::bail!(
            "{} records failed; they are in {}",
            report.failed.len(),
            rejects.display()
        );
    }
    Ok(())
}

pub async fn export(
    store: &Store,
    out: Option<&Path>,
    media: Option<&Path>,
    media_dir: &Path,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // The file is written by a thread of its own, beside the reading and formatting.
    let mut w = match out {
        Some(path) => {
            let f = std::fs::File::create(path)
                .with_context(|| format!("{} cannot be written", path.display()))?;
            WriteBehind::new(f, 1 << 20)
        }
        None => WriteBehind::new(std::io::stdout(), 1 << 20),
    };
    let n = warta_import::jsonl::export(store, &mut w).await?;
    w.finish().with_context(|| match out {
        Some(path) => format!("{} cannot be written", path.display()),
        None => "the export cannot be written to standard output".to_owned(),
    })?;
    if let Some(dir) = media {
        copy_media(media_dir, dir)?;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "exported {n} articles in {secs:.2} s ({:.0} articles/s)",
        n as f64 / secs.max(1e-9)
    );
    Ok(())
}

/// Copies the media folder's files into `dir` (made if missing); returns how many.
fn copy_media(media_dir: &Path, dir: &Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("{} cannot be created", dir.display()))?;
    let mut n = 0;
    if media_dir.is_dir() {
        for entry in std::fs::read_dir(media_dir)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                std::fs::copy(entry.path(), dir.join(entry.file_name())).with_context(|| {
                    format!("copying {} to {}", entry.path().display(), dir.display())
                })?;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// `warta backup`: a consistent copy of a SQLite site's database while it serves and
/// writes, and with `media` its media files beside it (`FILE.media/`).
pub async fn backup(
    store: &Store,
    out: &Path,
    media: bool,
    media_dir: &Path,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bytes = store
        .backup_sqlite(out, chrono::Utc::now())
        .await
        .with_context(|| format!("the backup to {} failed", out.display()))?;
    say!(
        "backed up the database to {} ({bytes} bytes) in {:.2} s",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    if media {
        let mut dir = out.as_os_str().to_owned();
        dir.push(".media");
        let dir = std::path::PathBuf::from(dir);
        let n = copy_media(media_dir, &dir)?;
        say!("copied {n} media files to {}", dir.display());
    }
    Ok(())
}

pub fn generate(articles: usize, out: &Path, seed: u64) -> anyhow::Result<()> {
    let f = std::fs::File::create(out)
        .with_context(|| format!("{} cannot be written", out.display()))?;
    let mut w = std::io::BufWriter::new(f);
    let corpus = warta_import::generate::Corpus::new(seed);
    corpus
        .write_jsonl(articles, seed, chrono::Utc::now(), &mut w)
        .with_context(|| format!("writing {}", out.display()))?;
    say!("wrote {articles} articles to {}", out.display());
    Ok(())
}

/// Brings the search index and the related lists up to date with what an import
/// wrote, and says how long each took (figures of their own, beside the import's). A
/// running server holds the index and does both itself.
pub async fn index_after_import(store: &Store, dir: &Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let index = warta_search::SearchIndex::open_bulk(dir, warta_search::DEFAULT_STEMMER)
        .with_context(|| format!("search index {} cannot be opened", dir.display()))?;
    match index.catch_up(store).await {
        Ok(n) => say!(
            "search index: {n} changes applied in {:.2} s",
            started.elapsed().as_secs_f64()
        ),
        Err(warta_search::SearchError::Busy) => {
            say!("search index: a running server is indexing the import");
            return Ok(());
        }
        Err(e) => return Err(e).context("updating the search index"),
    }
    // Every visible article without a current list: the import's, and any older ones.
    let started = std::time::Instant::now();
    let now = chrono::Utc::now();
    let indexed = index.seq().context("reading the search index's position")?;
    let engine = warta_related::Engine::new(store.clone(), index);
    let before = now - chrono::Duration::hours(warta_related::MAX_LIST_AGE_HOURS);
    let ids = store
        .stale_lists(before, u32::MAX, now)
        .await
        .context("finding articles without related lists")?;
    let visible = store
        .count(warta_store::ListFilter::All, now)
        .await
        .context("counting the visible articles")?;
    let n = engine
        .rebuild(&ids, now)
        .await
        .context("computing related lists")?;
    // Every visible story's list was just computed from the index as it stands: the
    // change log up to there needs no more work. Left behind, a server started next
    // would recompute every list of the import again, one change at a time (at a
    // million, hours of a core and more; issue #26). When only some lists were
    // computed, the others still learn of the import's stories from the log.
    if i64::try_from(ids.len()).unwrap_or(i64::MAX) >= visible
        && store.related_cursor().await? < indexed
    {
        store
            .set_related_cursor(indexed)
            .await
            .context("noting the related lists' position")?;
    }
    let secs = started.elapsed().as_secs_f64();
    say!(
        "related lists: {n} computed in {secs:.2} s ({:.0} lists/s)",
        n as f64 / secs.max(1e-9)
    );
    Ok(())
}

/// `warta reindex`: a new index generation built from the whole store.
pub async fn reindex(
    store: &Store,
    dir: &Path,
    kind: warta_search::StemmerKind,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let n = warta_search::SearchIndex::rebuild(dir, store, kind)
        .await
        .with_context(|| format!("rebuilding the search index in {}", dir.display()))?;
    say!(
        "search index rebuilt ({kind:?} stemmer): {n} articles in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `warta copy-store`: the whole site, table by table, with a line per table.
pub async fn copy_store(from: &str, to: &str) -> anyhow::Result<()> {
    if from == to {
        anyhow::bail!("--from and --to are the same database");
    }
    let source = open_url(from, "--from").await?;
    let dest = open_url(to, "--to").await?;
    // Drawn on a terminal only; quiet in pipes and CI.
    let bar = indicatif::ProgressBar::new_spinner();
    let report = source
        .copy_into(&dest, |table, n| {
            bar.set_message(format!("{table}: {n} rows"));
            bar.tick();
        })
        .await
        .context("copying (run the same command again to resume)")?;
    bar.finish_and_clear();
    let mut short = Vec::new();
    for t in &report {
        say!(
            "{:<20} {:>9} rows copied ({} in the destination)",
            t.table,
            t.source_rows,
            t.destination_rows
        );
        if t.destination_rows < t.source_rows {
            short.push(t.table);
        }
    }
    source.close().await;
    dest.close().await;
    if !short.is_empty() {
        anyhow::bail!("the destination has fewer rows in: {}", short.join(", "));
    }
    say!("copied; compare `warta export` of both to check");
    Ok(())
}

async fn open_url(url: &str, flag: &str) -> anyhow::Result<warta_store::Store> {
    if let Some(path) = url.strip_prefix("sqlite://")
        && let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{flag}: folder {} cannot be created", dir.display()))?;
    }
    warta_store::Store::open_url(url)
        .await
        .with_context(|| format!("{flag} {}", warta_store::redact(url)))
}
