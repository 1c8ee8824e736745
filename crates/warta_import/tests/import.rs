//! Importing and exporting through the public API, on fresh stores.

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use warta_core::sanitize::SafeHtml;
use warta_import::{Format, ImportError, Options};
use warta_store::{ListFilter, Store};

struct Site {
    store: Store,
    dir: tempfile::TempDir,
}

async fn site() -> Site {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    Site { store, dir }
}

fn opts() -> Options {
    Options {
        keep_going: false,
        dry_run: false,
        default_section: "berita".into(),
        cache_mib: 256,
        overwrite_edited: false,
        media_from: None,
        now: Utc
            .with_ymd_and_hms(2024, 5, 1, 0, 0, 0)
            .single()
            .expect("date"),
    }
}

/// Imports one JSONL file.
async fn import_jsonl(
    store: &Store,
    file: &Path,
    opts: &Options,
) -> Result<warta_import::Report, warta_import::ImportError> {
    warta_import::import(
        store,
        Format::Jsonl,
        &[file.to_path_buf()],
        opts,
        &mut |_| {},
    )
    .await
}

async fn export_text(store: &Store) -> String {
    let mut out = Vec::new();
    warta_import::jsonl::export(store, &mut out)
        .await
        .expect("export");
    String::from_utf8(out).expect("utf-8")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

async fn demo_export() -> (Site, String) {
    let a = site().await;
    warta_demo::seed(&a.store, &a.dir.path().join("media"), opts().now)
        .await
        .expect("seed");
    // Two demo stories as translations of each other: exported by slug, linked again.
    a.store
        .set_translation_of(2, Some(1), opts().now)
        .await
        .expect("translation");
    // The front page as editors arranged it: exported by slugs, after the articles.
    let sections: Vec<i64> = a
        .store
        .sections()
        .await
        .expect("sections")
        .iter()
        .rev()
        .map(|s| s.id)
        .collect();
    a.store
        .save_front_page(&warta_store::FrontPage {
            main: Some(3),
            secondary: vec![4, 5],
            picks: vec![6],
            sections,
        })
        .await
        .expect("front");
    let text = export_text(&a.store).await;
    assert_eq!(text.matches("\"translation_of\":").count(), 1);
    // After the articles: the front page, then the publication's pages (the demo's
    // four), which the round trip below brings back too.
    let tail: Vec<&str> = text.lines().rev().take(5).collect();
    assert!(
        tail[4].starts_with("{\"type\":\"front\",\"main\":\""),
        "{}",
        tail[4]
    );
    assert!(
        tail[..4]
            .iter()
            .all(|l| l.starts_with("{\"type\":\"page\",\"slug\":\"")),
        "{tail:?}"
    );
    (a, text)
}

#[tokio::test]
async fn a_translation_of_a_missing_article_is_named_and_nothing_lands() {
    let (a, text) = demo_export().await;
    let at = text.find("\"translation_of\":\"").expect("a translation") + 18;
    let end = text[at..].find('"').expect("end") + at;
    let line = text[..at].lines().count();
    let broken = format!("{}tidak-ada{}", &text[..at], &text[end..]);
    let file = write(a.dir.path(), "broken.jsonl", broken.as_bytes());
    let b = site().await;
    let err = import_jsonl(&b.store, &file, &opts())
        .await
        .expect_err("refused");
    let msg = err.to_string();
    assert!(
        msg.contains("translation_of") && msg.contains("tidak-ada"),
        "{msg}"
    );
    assert!(msg.contains(&format!("broken.jsonl:{line}")), "{msg}");
    assert!(b.store.is_empty().await.expect("empty"));
    // With --keep-going the articles land, the link is reported as failed.
    let mut keep = opts();
    keep.keep_going = true;
    let report = import_jsonl(&b.store, &file, &keep).await.expect("import");
    assert_eq!(report.failed.len(), 1);
    assert!(!b.store.is_empty().await.expect("not empty"));
}

#[tokio::test]
async fn jsonl_round_trip_gives_back_the_same_site() {
    let (a, first) = demo_export().await;
    let file = write(a.dir.path(), "site.jsonl", first.as_bytes());
    let b = site().await;
    let report = import_jsonl(&b.store, &file, &opts())
        .await
        .expect("import");
    assert_eq!(report.created, warta_demo::article_count().expect("count"));
    assert!(report.failed.is_empty());
    let second = export_text(&b.store).await;
    assert_same(&first, &second);

    // Importing the same file again finds every article as it is: nothing duplicated,
    // nothing written, no change logged (issue #32: no flood of webhooks and purges).
    let logged = b
        .store
        .changes_after(0, 100_000)
        .await
        .expect("changes")
        .len();
    let again = import_jsonl(&b.store, &file, &opts())
        .await
        .expect("re-import");
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, report.created)
    );
    assert_eq!(
        b.store
            .changes_after(0, 100_000)
            .await
            .expect("changes")
            .len(),
        logged
    );
    assert_same(&export_text(&b.store).await, &first);
}

/// A record of an export with each paragraph's HTML as the sanitiser spells it: a
/// body is exported as stored, and the same text may be stored as `&quot;` (written
/// by `SafeHtml::from_text`) or `"` (cleaned on import).
fn normalized(line: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(line) else {
        return line.to_owned();
    };
    if let Some(blocks) = v.get_mut("body").and_then(|b| b.as_array_mut()) {
        for block in blocks {
            if let Some(html) = block.get_mut("html") {
                let clean = SafeHtml::sanitize(html.as_str().unwrap_or_default());
                *html = clean.as_str().into();
            }
        }
    }
    v.to_string()
}

/// Compares two exports (up to how paragraph HTML is spelt, see [`normalized`]) and
/// shows only the first difference.
fn assert_same(a: &str, b: &str) {
    for (n, (la, lb)) in a.lines().zip(b.lines()).enumerate() {
        let (la, lb) = (normalized(la), normalized(lb));
        if la != lb {
            let at = la
                .bytes()
                .zip(lb.bytes())
                .take_while(|(x, y)| x == y)
                .count();
            let from = at.saturating_sub(80);
            panic!(
                "line {} differs at byte {at}:\n  {}\n  {}",
                n + 1,
                la.get(from..(at + 120).min(la.len())).unwrap_or(""),
                lb.get(from..(at + 120).min(lb.len())).unwrap_or("")
            );
        }
    }
    assert_eq!(
        a.lines().count(),
        b.lines().count(),
        "different number of records"
    );
}

#[tokio::test]
async fn a_bad_record_stops_the_import_and_nothing_lands() {
    let (a, text) = demo_export().await;
    let mut lines: Vec<&str> = text.lines().collect();
    // An article's line (the last five are the front page and the demo's four pages).
    let bad_line = lines.len() - 7;
    lines[bad_line] = "{\"type\":\"article\",\"slug\":\"x\"";
    let file = write(a.dir.path(), "bad.jsonl", lines.join("\n").as_bytes());

    let b = site().await;
    // An article that was there before the failed run.
    let earlier = write(
        a.dir.path(),
        "one.jsonl",
        text.lines()
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
            .as_bytes(),
    );
    import_jsonl(&b.store, &earlier, &opts())
        .await
        .expect("first import");
    let before = export_text(&b.store).await;

    let err = import_jsonl(&b.store, &file, &opts())
        .await
        .expect_err("must stop");
    let ImportError::Record(rec) = &err else {
        panic!("{err}")
    };
    assert_eq!(rec.location.line, Some(bad_line + 1));
    assert!(err.to_string().contains("bad.jsonl"), "{err}");
    assert!(
        err.to_string().contains(&format!(":{}", bad_line + 1)),
        "{err}"
    );
    assert_same(&export_text(&b.store).await, &before);

    // With keep_going the good records land and the bad one is reported.
    let mut keep = opts();
    keep.keep_going = true;
    let report = import_jsonl(&b.store, &file, &keep)
        .await
        .expect("keep going");
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].location.line, Some(bad_line + 1));
    assert!(report.failed[0].raw.is_some());
    assert_eq!(
        report.created + report.updated + report.unchanged,
        warta_demo::article_count().expect("n") - 1
    );
}

#[tokio::test]
async fn dry_run_writes_nothing() {
    let (a, text) = demo_export().await;
    let file = write(a.dir.path(), "site.jsonl", text.as_bytes());
    let b = site().await;
    let mut dry = opts();
    dry.dry_run = true;
    let report = import_jsonl(&b.store, &file, &dry).await.expect("dry run");
    assert!(report.created > 0);
    assert!(report.summary().starts_with("dry run"));
    assert!(b.store.is_empty().await.expect("q"));
}

#[tokio::test]
async fn broken_files_are_reported_not_panicked_on() {
    let s = site().await;
    let dir = s.dir.path();
    let mut keep = opts();
    keep.keep_going = true;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated.jsonl", b"{\"type\":\"section\",\"slug\":\"a\",\"name\":\"A\"}\n{\"type\":\"article\",\"slug\":\"x\",\"headl".to_vec()),
        ("binary.jsonl", vec![0xff, 0xfe, 0x00, 0x01, 0x02, 0x03]),
        ("empty.jsonl", Vec::new()),
        ("not-json.jsonl", b"<rss><channel/></rss>".to_vec()),
        ("wrong-type.jsonl", b"{\"type\":\"comment\",\"text\":\"hi\"}".to_vec()),
        ("bad-settings.jsonl", b"{\"type\":\"settings\",\"settings\":{\"time_zone\":\"Mars/Base\"}}".to_vec()),
        ("unknown-field.jsonl", b"{\"type\":\"article\",\"slug\":\"x\",\"headline\":\"H\",\"section\":\"s\",\"status\":\"draft\",\"created_at\":\"2020-01-01T00:00:00Z\",\"colour\":\"red\"}".to_vec()),
    ];
    for (name, bytes) in cases {
        let file = write(dir, name, &bytes);
        let r = import_jsonl(&s.store, &file, &keep)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if name != "empty.jsonl" {
            assert!(!r.failed.is_empty(), "{name}: nothing failed");
            assert!(r.failed.iter().all(|f| f.location.line.is_some()), "{name}");
        }
    }
    // A 50 MB single line: read, rejected by name, no hang.
    let mut huge = b"{\"type\":\"article\",\"slug\":\"x\",\"headline\":\"".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 50 * 1024 * 1024));
    huge.extend_from_slice(
        b"\",\"section\":\"s\",\"status\":\"draft\",\"created_at\":\"2020-01-01T00:00:00Z\"}",
    );
    let file = write(dir, "huge.jsonl", &huge);
    let r = import_jsonl(&s.store, &file, &keep).await.expect("huge");
    assert_eq!(r.failed.len(), 1);
    assert!(
        r.failed[0].reason.contains("headline"),
        "{}",
        r.failed[0].reason
    );
    assert!(
        r.failed[0]
            .raw
            .as_ref()
            .is_none_or(|raw| raw.len() <= 64 * 1024)
    );
    let huge_text = write(dir, "huge.txt", &huge);
    let r = warta_import::import(&s.store, Format::Text, &[huge_text], &keep, &mut |_| {})
        .await
        .expect("huge text");
    assert_eq!(r.failed.len(), 1);
    assert!(s.store.is_empty().await.expect("q"));
}

/// Text pages in other encodings read the same as UTF-8.
#[tokio::test]
async fn text_pages_in_any_encoding() {
    let page = "Kopi Gayo Naik Kelas di Pasar Ekspor\n\nKamis, 7 Maret 2024 09:15 WIB\n\n\
                Petani memetik kopi di Takengon. ANTARA FOTO/Rahmat\n\n\
                WARTA, Takengon - Harga kopi arabika gayo naik tajam café.\n\nAdvertising\n\n\
                Paragraf kedua tentang ekspor.\n";
    let s = site().await;
    let dir = s.dir.path();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(page.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    let latin1: Vec<u8> = page.chars().map(|c| c as u32 as u8).collect();
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(page.as_bytes());
    let files = vec![
        write(dir, "a-utf16.txt", &utf16),
        write(dir, "b-latin1.txt", &latin1),
        write(dir, "c-bom.txt", &bom),
    ];
    let r = warta_import::import(&s.store, Format::Text, &files, &opts(), &mut |_| {})
        .await
        .expect("import");
    assert_eq!(r.created, 3);
    let now = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("date");
    let page = s
        .store
        .list(ListFilter::All, 1, 10, now)
        .await
        .expect("list");
    for item in &page.items {
        let a = s.store.article(item.id).await.expect("article");
        assert_eq!(a.headline, "Kopi Gayo Naik Kelas di Pasar Ekspor");
        assert_eq!(a.dateline_brand, "WARTA");
        assert_eq!(a.dateline_place, "Takengon");
        assert_eq!(
            a.hero.as_ref().map(|h| h.credit.as_str()),
            Some("ANTARA FOTO/Rahmat")
        );
        let text: Vec<String> = a
            .body
            .iter()
            .filter_map(|b| match b {
                warta_core::Block::Paragraph { html } => Some(html.to_text()),
                _ => None,
            })
            .collect();
        assert_eq!(
            text,
            [
                "Harga kopi arabika gayo naik tajam café.",
                "Paragraf kedua tentang ekspor."
            ]
        );
    }
}

#[tokio::test]
async fn a_text_page_without_a_date_line_names_the_line() {
    let s = site().await;
    let file = write(
        s.dir.path(),
        "nodate.txt",
        b"Judul\n\nBukan tanggal\n\nIsi berita.\n",
    );
    let err = warta_import::import(&s.store, Format::Text, &[file], &opts(), &mut |_| {})
        .await
        .expect_err("no date");
    let msg = err.to_string();
    assert!(msg.contains("nodate.txt:3"), "{msg}");
    assert!(msg.contains("date line"), "{msg}");
}

/// The exclusive store, once every other connection of this process is gone: sqlx
/// closes a connection on its worker thread, a moment after `close` returns (or after
/// a failed open gives up).
async fn exclusive(path: &Path, phase: &str) -> Store {
    for _ in 0..100 {
        if let Some(store) = Store::open_sqlite_exclusive(path).await.expect("opened") {
            return store;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{} stayed open elsewhere ({phase})", path.display());
}

/// An import on a database nothing else has open writes in a rollback journal on one
/// connection; it gives the same site, refuses to start while another store has the
/// file open, and a failed run through it keeps every earlier record and none of its
/// own.
#[tokio::test]
async fn an_exclusive_import_gives_the_same_site_and_loses_nothing_when_it_fails() {
    let (a, first) = demo_export().await;
    let file = write(a.dir.path(), "site.jsonl", first.as_bytes());
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("w.db");

    let bulk = exclusive(&path, "first").await;
    let report = import_jsonl(&bulk, &file, &opts()).await.expect("import");
    assert_eq!(report.created, warta_demo::article_count().expect("count"));
    bulk.close().await;

    // A bad record in a second run: the run is rolled back, the first stays whole.
    let mut lines: Vec<String> = first
        .lines()
        .map(|l| l.replace("Jakarta", "Bandung"))
        .collect();
    let bad = lines.len() - 2;
    lines[bad] = "{\"type\":\"article\",\"slug\":".into();
    let broken = write(a.dir.path(), "broken.jsonl", lines.join("\n").as_bytes());
    let bulk = exclusive(&path, "second").await;
    let err = import_jsonl(&bulk, &broken, &opts())
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("broken.jsonl"), "{err}");
    bulk.close().await;

    // The usual store (WAL again) finds the first run whole.
    let store = Store::open_sqlite(&path).await.expect("store again");
    assert_same(&first, &export_text(&store).await);

    // Another store has the database open: no exclusive store.
    assert!(
        Store::open_sqlite_exclusive(&path)
            .await
            .expect("tried")
            .is_none()
    );
}

/// An exclusive import with a page cache far smaller than the run, as `warta import`
/// keeps it, with the file flushed meanwhile (`Writeback`): pages of the run reach
/// the database file before the commit, and a run that fails after that still keeps
/// every earlier record and none of its own; one that succeeds keeps all of itself.
#[tokio::test]
async fn an_exclusive_import_that_spills_pages_still_loses_nothing_when_it_fails() {
    const N: usize = 400;
    let (a, first) = demo_export().await;
    let site_file = write(a.dir.path(), "site.jsonl", first.as_bytes());
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("w.db");
    let bulk = exclusive(&path, "first").await;
    import_jsonl(&bulk, &site_file, &opts())
        .await
        .expect("site");
    bulk.close().await;

    // 400 generated articles (about 3 MB of pages) through a 1 MiB cache, the last
    // line cut short.
    let mut text = Vec::new();
    warta_import::generate::Corpus::new(5)
        .write_jsonl(N, 5, opts().now, &mut text)
        .expect("generate");
    let small = Options {
        cache_mib: 1,
        ..opts()
    };
    let mut broken = text.clone();
    broken.extend_from_slice(b"{\"type\":\"article\",\"slug\":\n");
    let broken = write(a.dir.path(), "broken.jsonl", &broken);
    let bulk = exclusive(&path, "failing").await;
    let writeback = warta_store::Writeback::start(&path);
    let err = import_jsonl(&bulk, &broken, &small)
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("broken.jsonl"), "{err}");
    bulk.close().await;
    writeback.stop();
    let store = Store::open_sqlite(&path).await.expect("store again");
    assert_same(&first, &export_text(&store).await);
    store.close().await;

    let good = write(a.dir.path(), "good.jsonl", &text);
    let bulk = exclusive(&path, "succeeding").await;
    let writeback = warta_store::Writeback::start(&path);
    let report = import_jsonl(&bulk, &good, &small).await.expect("import");
    assert_eq!(report.created, N);
    bulk.close().await;
    writeback.stop();
    let store = Store::open_sqlite(&path).await.expect("store again");
    let exported = export_text(&store).await;
    let articles = exported
        .lines()
        .filter(|l| l.starts_with("{\"type\":\"article\""))
        .count();
    assert_eq!(
        articles,
        N + warta_demo::article_count().expect("count"),
        "every article of both runs"
    );
}

/// More articles than one write batch, with more links than one statement carries:
/// every article lands with its own tags, author, section and date, and no link is lost
/// or given to a neighbour where a batch or a statement ends.
#[tokio::test]
async fn an_import_larger_than_a_batch_keeps_every_article_whole() {
    const N: usize = 1_100;
    let s = site().await;
    let corpus = warta_import::generate::Corpus::new(11);
    let mut text = Vec::new();
    corpus
        .write_jsonl(N, 11, opts().now, &mut text)
        .expect("generate");
    let file = write(s.dir.path(), "corpus.jsonl", &text);
    let report = import_jsonl(&s.store, &file, &opts())
        .await
        .expect("import");
    assert_eq!((report.created, report.failed.len()), (N, 0));

    let fields = ["headline", "section", "tags", "authors", "published_at"];
    let by_slug = |text: &str| -> std::collections::HashMap<String, serde_json::Value> {
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["type"] == "article")
            .map(|v| {
                let slug = v["slug"].as_str().unwrap_or_default().to_owned();
                let picked: serde_json::Map<String, serde_json::Value> = fields
                    .iter()
                    .map(|f| ((*f).to_owned(), v[*f].clone()))
                    .collect();
                (slug, serde_json::Value::Object(picked))
            })
            .collect()
    };
    let given = by_slug(std::str::from_utf8(&text).expect("utf-8"));
    let exported = by_slug(&export_text(&s.store).await);
    assert_eq!(given.len(), N);
    assert_eq!(exported.len(), N);
    let tagged = given
        .values()
        .filter(|v| v["tags"] != serde_json::json!([]))
        .count();
    assert!(tagged > N / 2, "the corpus has tags to lose");
    for (slug, want) in &given {
        assert_eq!(exported.get(slug), Some(want), "{slug}");
    }
}

/// A newsroom save of article `id`, as the editor makes it: under the write lock, a
/// new headline and a revision signed by `user`.
async fn newsroom_save(store: &Store, id: i64, user: i64, headline: &str) {
    let mut input = store.article(id).await.expect("article").to_input();
    input.headline = headline.to_owned();
    let mut w = store.writer(opts().now).await.expect("writer");
    let mut item = warta_store::ArticleWrite::new(input.clone());
    item.id = Some(id);
    w.write(vec![item]).await.expect("write");
    w.add_revision(id, Some(user), "saved", &input)
        .await
        .expect("revision");
    w.commit().await.expect("commit");
}

async fn editor(store: &Store) -> i64 {
    store
        .add_user(
            "ed@warta.test",
            "Edi",
            warta_core::newsroom::Role::Editor,
            "x",
            None,
            opts().now,
        )
        .await
        .expect("user")
        .id
}

#[tokio::test]
async fn an_import_keeps_what_the_newsroom_edited_unless_told() {
    let (a, text) = demo_export().await;
    let file = write(a.dir.path(), "demo.jsonl", text.as_bytes());
    let b = site().await;
    import_jsonl(&b.store, &file, &opts()).await.expect("first");
    let user = editor(&b.store).await;
    let id = 3;
    let original = b.store.article(id).await.expect("a").headline;
    newsroom_save(&b.store, id, user, "Judul dari Redaksi").await;

    let report = import_jsonl(&b.store, &file, &opts()).await.expect("again");
    assert_eq!(
        b.store.article(id).await.expect("a").headline,
        "Judul dari Redaksi"
    );
    let kept: Vec<_> = report
        .skipped
        .iter()
        .filter(|(_, why)| why == warta_import::KEPT_EDITED)
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", report.skipped);
    assert!(kept[0].0.contains(&format!("article {id}")), "{kept:?}");
    assert!(
        report.summary().contains("edited in the newsroom"),
        "{}",
        report.summary()
    );

    let overwrite = Options {
        overwrite_edited: true,
        media_from: None,
        ..opts()
    };
    let report = import_jsonl(&b.store, &file, &overwrite)
        .await
        .expect("overwrite");
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(b.store.article(id).await.expect("a").headline, original);
    let revs = b.store.revisions(id).await.expect("revisions");
    assert_eq!(revs[0].note, "imported", "{revs:?}");
    // The import's version is the newest now: the next import replaces it freely.
    let report = import_jsonl(&b.store, &file, &opts()).await.expect("third");
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
}

/// A newsroom save and an import of the same article at the same moment: whichever
/// takes the write lock first, the save is never undone.
#[tokio::test]
async fn a_save_racing_an_import_is_never_lost() {
    let (a, text) = demo_export().await;
    let file = write(a.dir.path(), "demo.jsonl", text.as_bytes());
    let b = site().await;
    import_jsonl(&b.store, &file, &opts()).await.expect("first");
    let user = editor(&b.store).await;
    for round in 0..8 {
        let headline = format!("Judul Redaksi Putaran {round}");
        // Both in flight at once: they meet at the write lock in either order.
        let o = opts();
        let imported = if round % 2 == 0 {
            // The import takes the lock first; the save waits for it and lands after.
            tokio::join!(
                import_jsonl(&b.store, &file, &o),
                newsroom_save(&b.store, 5, user, &headline)
            )
            .0
        } else {
            // The save holds the lock while the import starts and waits for it.
            let mut input = b.store.article(5).await.expect("article").to_input();
            input.headline = headline.clone();
            let mut w = b.store.writer(o.now).await.expect("writer");
            let mut item = warta_store::ArticleWrite::new(input.clone());
            item.id = Some(5);
            w.write(vec![item]).await.expect("write");
            w.add_revision(5, Some(user), "saved", &input)
                .await
                .expect("revision");
            let commit_later = async {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                w.commit().await.expect("commit");
            };
            tokio::join!(import_jsonl(&b.store, &file, &o), commit_later).0
        };
        imported.expect("import");
        assert_eq!(
            b.store.article(5).await.expect("a").headline,
            headline,
            "round {round}"
        );
    }
}

/// Issue #24: a real archive's over-long paragraph (50,000 characters) is cut at
/// sentence ends and said in the summary, not refused; the article imports whole.
#[tokio::test]
async fn an_over_long_paragraph_is_cut_not_refused() {
    let a = site().await;
    let long = "Banjir merendam jalan utama kota selama dua hari. ".repeat(1_000);
    let line = serde_json::json!({
        "type": "article", "slug": "banjir-panjang", "headline": "Banjir Panjang",
        "section": "berita", "status": "published",
        "published_at": "2024-04-01T00:00:00Z", "created_at": "2024-04-01T00:00:00Z",
        "body": [{"type": "paragraph", "html": long}]
    });
    let file = write(a.dir.path(), "long.jsonl", format!("{line}\n").as_bytes());
    let report = import_jsonl(&a.store, &file, &opts())
        .await
        .expect("imported");
    assert_eq!(report.created, 1);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("cut at sentence ends")),
        "{:?}",
        report.notes
    );
    let id = a
        .store
        .article_id_by_source("banjir-panjang")
        .await
        .expect("q");
    let article = match id {
        Some(id) => a.store.article(id).await.expect("article"),
        None => {
            let page = a
                .store
                .list(ListFilter::All, 1, 5, opts().now)
                .await
                .expect("list");
            a.store.article(page.items[0].id).await.expect("article")
        }
    };
    assert!(article.body.len() >= 3, "{} blocks", article.body.len());
    let text: usize = article
        .body
        .iter()
        .map(|b| match b {
            warta_core::Block::Paragraph { html } => html.as_str().len(),
            _ => 0,
        })
        .sum();
    assert!(
        text + article.body.len() >= long.trim().len(),
        "nothing lost"
    );
}
