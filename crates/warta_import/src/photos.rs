//! `--media-from DIR`: the photos an export refers to by address, brought in from a
//! copy of the old site's upload folder (WordPress' `wp-content/uploads`, Ghost's
//! `content/images`) through the shared photo pipeline (`warta_media`: checked,
//! metadata and location stripped, renditions, stored in the data folder or the
//! bucket).
//!
//! An address is matched to a file by the part after the upload folder's name in it
//! (`…/wp-content/uploads/2021/03/banjir.jpg` → `DIR/2021/03/banjir.jpg`). The copies
//! the old site made are mapped back to their original where it is there: WordPress'
//! `-1024x768` and `-scaled` names, Ghost's `size/w600/` folders. Photos are processed
//! on one thread per core; one found already imported (the same bytes: the pipeline
//! names files by their hash) is reused without decoding. A dry run reads each file's
//! bytes to find it again but decodes nothing. Without a match the record keeps its
//! address, as without the option.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use warta_media::store::MediaStore;
use warta_store::{NewMedia, Store};

use crate::Record;

/// Where the photos come from and go to.
#[derive(Debug, Clone)]
pub struct MediaFrom {
    /// The copy of the old site's upload folder.
    pub dir: PathBuf,
    /// Where processed photos are stored.
    pub store: MediaStore,
    /// Counts the files handled so far (brought in, reused, refused), for a progress
    /// display.
    pub done: std::sync::Arc<AtomicUsize>,
}

impl MediaFrom {
    pub fn new(dir: PathBuf, store: MediaStore) -> MediaFrom {
        MediaFrom {
            dir,
            store,
            done: Default::default(),
        }
    }
}

/// What became of the photos an import referred to.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PhotoCounts {
    /// Processed and stored by this run.
    pub brought: usize,
    /// Found already imported (the same bytes), reused.
    pub reused: usize,
    /// Found in the folder by a dry run (nothing decoded).
    pub matched: usize,
    /// Addresses into the upload folder with no file there (the first few named).
    pub missing: Vec<String>,
    /// Files the pipeline refused, with the reason.
    pub refused: Vec<(String, String)>,
    /// Addresses outside the upload folder, kept as they are.
    pub elsewhere: usize,
}

impl PhotoCounts {
    pub fn summary(&self) -> String {
        let mut out = format!(
            "photos: {} brought in, {} already imported, {} missing, {} refused, {} elsewhere (kept as addresses)",
            self.brought + self.matched,
            self.reused,
            self.missing.len(),
            self.refused.len(),
            self.elsewhere
        );
        for m in self.missing.iter().take(10) {
            out.push_str(&format!("\n  missing: {m}"));
        }
        for (f, why) in self.refused.iter().take(10) {
            out.push_str(&format!("\n  refused: {f}: {why}"));
        }
        out
    }
}

/// The part of an address inside the upload folder, without query or fragment.
fn inside_uploads(url: &str) -> Option<String> {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let rest = ["/wp-content/uploads/", "/content/images/"]
        .iter()
        .find_map(|m| url.find(m).map(|i| &url[i + m.len()..]))?;
    let decoded = percent_decode(rest);
    // Never outside the folder.
    if decoded.is_empty()
        || decoded.starts_with('/')
        || decoded
            .split('/')
            .any(|p| p.is_empty() || p == ".." || p == "." || p.contains('\\'))
    {
        return None;
    }
    Some(decoded)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(h) = b.get(i + 1..i + 3)
            && let Ok(h) = std::str::from_utf8(h)
            && let Ok(v) = u8::from_str_radix(h, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The names to look for, the original first: `a-1024x768.jpg`, `a-scaled.jpg` and
/// Ghost's `size/w600/a.jpg` lead to `a.jpg`, then to themselves.
fn candidates(rel: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Ghost: size/w600/2021/03/a.jpg (and size/w600/format/webp/…).
    if let Some(rest) = rel.strip_prefix("size/")
        && let Some((_, rest)) = rest.split_once('/')
    {
        let rest = rest
            .strip_prefix("format/")
            .and_then(|r| r.split_once('/').map(|(_, r)| r))
            .unwrap_or(rest);
        out.push(rest.to_owned());
    }
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    if let Some((stem, ext)) = name.rsplit_once('.') {
        let mut base = stem;
        if let Some(s) = base.strip_suffix("-scaled") {
            base = s;
        } else if let Some((s, size)) = base.rsplit_once('-')
            && let Some((w, h)) = size.split_once('x')
            && !w.is_empty()
            && !h.is_empty()
            && w.bytes().chain(h.bytes()).all(|c| c.is_ascii_digit())
        {
            base = s;
        }
        if base != stem {
            let original = format!("{base}.{ext}");
            out.push(if dir.is_empty() {
                original
            } else {
                format!("{dir}/{original}")
            });
        }
    }
    out.push(rel.to_owned());
    out
}

/// A photo as the pipeline stored it.
#[derive(Debug, Clone)]
struct Stored {
    file: String,
    mime: String,
    width: u32,
    height: u32,
    renditions: Vec<warta_core::Rendition>,
}

/// What a file came to: stored, or kept as its address.
#[derive(Debug, Clone)]
enum Outcome {
    Stored(Stored),
    Keep,
}

/// Brings in the photos of a batch of records: the reader thread calls it on every
/// batch before handing the records to the writer.
pub(crate) struct Photos {
    from: MediaFrom,
    store: Store,
    runtime: tokio::runtime::Handle,
    dry_run: bool,
    /// Each file once per run: by its address inside the folder.
    done: HashMap<String, Outcome>,
    pub(crate) counts: PhotoCounts,
}

impl Photos {
    pub(crate) fn new(
        from: MediaFrom,
        store: Store,
        runtime: tokio::runtime::Handle,
        dry_run: bool,
    ) -> Photos {
        Photos {
            from,
            store,
            runtime,
            dry_run,
            done: HashMap::new(),
            counts: PhotoCounts::default(),
        }
    }

    pub(crate) fn bring(&mut self, records: &mut [Record]) {
        // The files this batch needs that no earlier batch handled.
        let mut todo: Vec<(String, PathBuf)> = Vec::new();
        for r in records.iter() {
            let Record::Article(item) = r else { continue };
            for m in &item.write.media {
                let Some(rel) = inside_uploads(&m.file) else {
                    continue;
                };
                if self.done.contains_key(&rel) || todo.iter().any(|(r, _)| *r == rel) {
                    continue;
                }
                match candidates(&rel)
                    .into_iter()
                    .map(|c| self.from.dir.join(c))
                    .find(|p| p.is_file())
                {
                    Some(path) => todo.push((rel, path)),
                    None => {
                        self.counts.missing.push(rel.clone());
                        self.done.insert(rel, Outcome::Keep);
                    }
                }
            }
        }
        for (rel, outcome) in self.process(todo) {
            self.done.insert(rel, outcome);
        }
        for r in records.iter_mut() {
            let Record::Article(item) = r else { continue };
            for m in &mut item.write.media {
                let Some(rel) = inside_uploads(&m.file) else {
                    if m.file.contains("://") {
                        self.counts.elsewhere += 1;
                    }
                    continue;
                };
                if let Some(Outcome::Stored(s)) = self.done.get(&rel) {
                    replace(m, s);
                }
            }
        }
    }

    /// Reads, checks and stores the files, one thread per core.
    fn process(&mut self, todo: Vec<(String, PathBuf)>) -> Vec<(String, Outcome)> {
        if todo.is_empty() {
            return Vec::new();
        }
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<(String, Outcome)>> = Mutex::new(Vec::with_capacity(todo.len()));
        let counts = Mutex::new(PhotoCounts::default());
        let workers = warta_media::max_decodes().min(todo.len()).max(1);
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((rel, path)) = todo.get(i) else {
                            break;
                        };
                        let outcome = self.one(rel, path, &counts);
                        self.from.done.fetch_add(1, Ordering::Relaxed);
                        if let Ok(mut r) = results.lock() {
                            r.push((rel.clone(), outcome));
                        }
                    }
                });
            }
        });
        if let Ok(c) = counts.into_inner() {
            self.counts.brought += c.brought;
            self.counts.reused += c.reused;
            self.counts.matched += c.matched;
            self.counts.missing.extend(c.missing);
            self.counts.refused.extend(c.refused);
        }
        results.into_inner().unwrap_or_default()
    }

    fn one(&self, rel: &str, path: &Path, counts: &Mutex<PhotoCounts>) -> Outcome {
        let count = |f: &dyn Fn(&mut PhotoCounts)| {
            if let Ok(mut c) = counts.lock() {
                f(&mut c);
            }
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                count(&|c| {
                    c.refused
                        .push((rel.to_owned(), format!("cannot be read: {e}")))
                });
                return Outcome::Keep;
            }
        };
        let name = warta_media::content_name(&bytes);
        if let Ok(Some(m)) = self.runtime.block_on(self.store.media_by_content(&name)) {
            count(&|c| c.reused += 1);
            return Outcome::Stored(Stored {
                file: m.file,
                mime: m.mime,
                width: m.width,
                height: m.height,
                renditions: m.renditions,
            });
        }
        if self.dry_run {
            count(&|c| c.matched += 1);
            return Outcome::Keep;
        }
        let processed = match warta_media::process(&bytes) {
            Ok(p) => p,
            Err(e) => {
                count(&|c| c.refused.push((rel.to_owned(), e.to_string())));
                return Outcome::Keep;
            }
        };
        for (file, data) in processed.files {
            if let Err(e) = self.runtime.block_on(self.from.store.put_file(&file, data)) {
                count(&|c| c.refused.push((rel.to_owned(), e.to_string())));
                return Outcome::Keep;
            }
        }
        count(&|c| c.brought += 1);
        let m = processed.media;
        Outcome::Stored(Stored {
            file: m.file,
            mime: m.mime,
            width: m.width,
            height: m.height,
            renditions: m.renditions,
        })
    }
}

/// Whether a media record's file can be shown: an address on the web, a file of this
/// site's media (a name without folders), or none (a caption whose picture the source
/// did not keep, as crawled text gives). What is left is an address relative to the
/// old site (`/wp-content/uploads/…`, Ghost's `__GHOST_URL__/content/images/…`) that
/// `--media-from` did not bring in.
fn reachable(file: &str) -> bool {
    file.starts_with("https://") || file.starts_with("http://") || !file.contains('/')
}

/// Leaves out of each article the photos it could not show (see [`reachable`]), with
/// a note naming the first and saying how to bring them.
pub(crate) fn leave_out_unreachable(records: &mut [Record]) {
    for r in records.iter_mut() {
        let Record::Article(item) = r else { continue };
        let w = &mut item.write;
        if w.media.iter().all(|m| reachable(&m.file)) {
            continue;
        }
        // Old local reference (-1, -2, …) → new one, or gone.
        let mut map: Vec<Option<i64>> = Vec::with_capacity(w.media.len());
        let mut kept = Vec::new();
        let mut gone: Vec<String> = Vec::new();
        for m in w.media.drain(..) {
            if reachable(&m.file) {
                kept.push(m);
                map.push(Some(-(kept.len() as i64)));
            } else {
                gone.push(m.file.clone());
                map.push(None);
            }
        }
        w.media = kept;
        let new_ref = |id: i64| -> Option<i64> {
            if id >= 0 {
                return Some(id);
            }
            let k = usize::try_from(-id - 1).ok()?;
            map.get(k).copied().flatten()
        };
        w.input.hero_media_id = w.input.hero_media_id.and_then(new_ref);
        w.input.body.retain_mut(|b| match b {
            warta_core::Block::Photo { media_id, .. } => match new_ref(*media_id) {
                Some(id) => {
                    *media_id = id;
                    true
                }
                None => false,
            },
            _ => true,
        });
        item.notes.push(format!(
            "{} photo(s) at addresses of the old site left out (first: {}): bring them with --media-from and a copy of the upload folder",
            gone.len(),
            gone[0]
        ));
    }
}

/// The record points at the stored photo; its words (alt, caption, credit) stay.
fn replace(m: &mut NewMedia, s: &Stored) {
    m.file = s.file.clone();
    m.mime = s.mime.clone();
    m.width = s.width;
    m.height = s.height;
    m.renditions = s.renditions.clone();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_map_into_the_folder_and_never_out_of_it() {
        assert_eq!(
            inside_uploads(
                "https://lama.example/wp-content/uploads/2021/03/Banjir%20Pluit.jpg?w=300"
            )
            .as_deref(),
            Some("2021/03/Banjir Pluit.jpg")
        );
        assert_eq!(
            inside_uploads("https://blog.example/content/images/size/w600/2023/01/a.png")
                .as_deref(),
            Some("size/w600/2023/01/a.png")
        );
        for bad in [
            "https://x.example/wp-content/uploads/../../etc/passwd",
            "https://x.example/wp-content/uploads/%2e%2e/secret.jpg",
            "https://x.example/wp-content/uploads//etc/passwd",
            "https://x.example/images/a.jpg",
            "https://x.example/wp-content/uploads/",
        ] {
            assert_eq!(inside_uploads(bad), None, "{bad}");
        }
    }

    #[test]
    fn resized_copies_lead_to_their_original_first() {
        assert_eq!(
            candidates("2021/03/banjir-1024x683.jpg"),
            ["2021/03/banjir.jpg", "2021/03/banjir-1024x683.jpg"]
        );
        assert_eq!(
            candidates("2021/03/banjir-scaled.jpg"),
            ["2021/03/banjir.jpg", "2021/03/banjir-scaled.jpg"]
        );
        assert_eq!(
            candidates("size/w600/2023/01/a.png"),
            ["2023/01/a.png", "size/w600/2023/01/a.png"]
        );
        assert_eq!(
            candidates("size/w1000/format/webp/2023/01/a.png"),
            ["2023/01/a.png", "size/w1000/format/webp/2023/01/a.png"]
        );
        // Not a size: a name that happens to have an x in it.
        assert_eq!(candidates("peta-rw-x.png"), ["peta-rw-x.png"]);
        assert_eq!(candidates("a-1x.png"), ["a-1x.png"]);
    }
}
