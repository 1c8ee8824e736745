//! The store's side of issue #23, on both backends: login attempts reserved against
//! their limits (also when they race), devices and kept forms, a photo's texts changed
//! only with permission and logged as an edit, reserved section names on every path,
//! and `copy-store` covering every table.

use chrono::{DateTime, Duration, TimeZone, Utc};
use warta_core::newsroom::Role;
use warta_core::{ArticleInput, Block, Status};
use warta_store::{ArticleWrite, FormStash, MediaEdit, MediaText, NewMedia, StoreError};

#[macro_use]
#[path = "support/backends.rs"]
mod backends;
use backends::*;

on_both_backends!(
    login_attempts_are_reserved_against_every_limit,
    devices_and_kept_forms_belong_to_their_account,
    a_live_photo_changes_only_with_permission_and_is_logged,
    reserved_names_are_refused_for_sections_on_every_path,
    every_table_is_copied_or_named,
    copy_store_refuses_an_article_over_the_limits,
);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0)
        .single()
        .expect("date")
}

async fn login_attempts_are_reserved_against_every_limit(f: Fresh) {
    let s = f.store;
    let since = t0() - Duration::minutes(15);
    let limits = |who: &str| vec![(format!("pair:{who}"), 3), ("address:x".to_owned(), 5)];
    // Twenty at once against a limit of three: three get through.
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let s = s.clone();
        let l = limits("rina");
        tasks.push(tokio::spawn(async move {
            s.reserve_login_attempt(&l, since, t0())
                .await
                .expect("reserve")
        }));
    }
    let mut granted = Vec::new();
    for t in tasks {
        if let Some(ids) = t.await.expect("task") {
            granted.push(ids);
        }
    }
    assert_eq!(granted.len(), 3);
    // The address limit holds across accounts: two more for another account, then no.
    assert!(
        s.reserve_login_attempt(&limits("sari"), since, t0())
            .await
            .expect("r")
            .is_some()
    );
    assert!(
        s.reserve_login_attempt(&limits("sari"), since, t0())
            .await
            .expect("r")
            .is_some()
    );
    assert!(
        s.reserve_login_attempt(&limits("sari"), since, t0())
            .await
            .expect("r")
            .is_none()
    );
    // A success gives its reservation back.
    s.release_login_attempt(&granted[0]).await.expect("release");
    assert_eq!(s.login_failures("pair:rina", since).await.expect("n"), 2);
    // Outside the window nothing counts.
    let later = t0() + Duration::minutes(20);
    assert!(
        s.reserve_login_attempt(&limits("rina"), later - Duration::minutes(15), later)
            .await
            .expect("r")
            .is_some()
    );
}

async fn devices_and_kept_forms_belong_to_their_account(f: Fresh) {
    let s = f.store;
    let rina = s
        .add_user("rina@warta.test", "Rina", Role::Editor, "h", None, t0())
        .await
        .expect("user");
    let sari = s
        .add_user("sari@warta.test", "Sari", Role::Editor, "h", None, t0())
        .await
        .expect("user");
    s.add_device("d1", rina.id, t0(), t0() + Duration::days(365))
        .await
        .expect("device");
    assert_eq!(s.device_user("d1", t0()).await.expect("q"), Some(rina.id));
    assert_eq!(s.device_user("d2", t0()).await.expect("q"), None);
    // A new password forgets the account's browsers.
    s.add_device("d3", sari.id, t0(), t0() + Duration::days(365))
        .await
        .expect("device");
    assert!(s.set_password("sari@warta.test", "h2").await.expect("set"));
    assert_eq!(s.device_user("d3", t0()).await.expect("q"), None);
    assert_eq!(
        s.device_user("d1", t0() + Duration::days(366))
            .await
            .expect("q"),
        None,
        "expired"
    );
    let kept = FormStash {
        path: "/admin/articles/3".into(),
        form: "headline=Judul&body=Teks".into(),
    };
    s.stash_form("k1", rina.id, &kept, t0(), t0() + Duration::hours(24))
        .await
        .expect("stash");
    assert_eq!(
        s.stashed_form("k1", rina.id, t0()).await.expect("q"),
        Some(kept.clone())
    );
    assert_eq!(s.stashed_form("k1", sari.id, t0()).await.expect("q"), None);
    // An account keeps its five newest forms at most.
    for i in 0..7 {
        let at = t0() + Duration::minutes(i);
        s.stash_form(
            &format!("s{i}"),
            sari.id,
            &kept,
            at,
            at + Duration::hours(24),
        )
        .await
        .expect("stash");
    }
    let later = t0() + Duration::minutes(10);
    let mut left = Vec::new();
    for i in 0..7 {
        if s.stashed_form(&format!("s{i}"), sari.id, later)
            .await
            .expect("q")
            .is_some()
        {
            left.push(i);
        }
    }
    assert_eq!(left, [2, 3, 4, 5, 6]);
    assert_eq!(
        s.stashed_form("k1", rina.id, t0() + Duration::hours(25))
            .await
            .expect("q"),
        None
    );
}

async fn a_live_photo_changes_only_with_permission_and_is_logged(f: Fresh) {
    let s = f.store;
    s.upsert_section("nasional", "Nasional", 0)
        .await
        .expect("section");
    let photo = |n: &str| NewMedia {
        file: format!("{n}.jpg"),
        mime: "image/jpeg".into(),
        width: 800,
        height: 600,
        alt: "Gambar".into(),
        caption: "Asli".into(),
        credit: "WARTA".into(),
        renditions: Vec::new(),
    };
    let hero = s.insert_media(&photo("a"), t0()).await.expect("media");
    let inline = s.insert_media(&photo("b"), t0()).await.expect("media");
    let unused = s.insert_media(&photo("c"), t0()).await.expect("media");
    let article = |headline: &str, status: Status| {
        let mut a = ArticleInput::empty();
        a.headline = headline.into();
        a.section = "nasional".into();
        a.status = status;
        a.published_at = (status == Status::Published).then(t0);
        a
    };
    let mut live = article("Terbit", Status::Published);
    live.hero_media_id = Some(hero.id);
    let mut draft = article("Draf", Status::Draft);
    draft.body.push(Block::Photo {
        media_id: inline.id,
        caption: String::new(),
        credit: String::new(),
    });
    let ids = s
        .create_articles(vec![live, draft], t0())
        .await
        .expect("write");
    let text = MediaText {
        alt: "Gambar baru",
        caption: Some("Baru"),
        credit: Some("WARTA/Baru"),
        focus: Some((30, 70)),
    };
    let now = t0() + Duration::hours(1);
    // Live: refused without permission, nothing written.
    let seq = s.watermark().await.expect("w").changes;
    assert_eq!(
        s.update_media_text(hero.id, text, None, false, now)
            .await
            .expect("edit"),
        MediaEdit::Live
    );
    assert_eq!(
        s.article(ids[0]).await.expect("a").hero.expect("h").caption,
        "Asli"
    );
    // Used by a draft only, or by nothing: anyone who may upload.
    assert_eq!(
        s.update_media_text(inline.id, text, None, false, now)
            .await
            .expect("edit"),
        MediaEdit::Done {
            articles: vec![ids[1]]
        }
    );
    assert_eq!(
        s.update_media_text(unused.id, text, None, false, now)
            .await
            .expect("edit"),
        MediaEdit::Done { articles: vec![] }
    );
    // With permission: written, a revision and a change per article using it.
    assert_eq!(
        s.update_media_text(hero.id, text, None, true, now)
            .await
            .expect("edit"),
        MediaEdit::Done {
            articles: vec![ids[0]]
        }
    );
    assert_eq!(
        s.article(ids[0]).await.expect("a").hero.expect("h").caption,
        "Baru"
    );
    let revs = s.revisions(ids[0]).await.expect("revisions");
    assert_eq!(revs[0].note, "photo text changed");
    let changed: Vec<i64> = s
        .changes_after(seq, 100)
        .await
        .expect("log")
        .iter()
        .map(|c| c.article_id)
        .collect();
    assert_eq!(changed, [ids[1], ids[0]]);
    // Set to go live by itself (scheduled, or published under an embargo): live too.
    let later = s.insert_media(&photo("d"), t0()).await.expect("media");
    let mut scheduled = article("Terjadwal", Status::Scheduled);
    scheduled.published_at = Some(t0() + Duration::days(3));
    scheduled.hero_media_id = Some(later.id);
    let mut embargoed = article("Embargo", Status::Published);
    embargoed.published_at = Some(t0() + Duration::days(3));
    embargoed.body.push(Block::Photo {
        media_id: later.id,
        caption: String::new(),
        credit: String::new(),
    });
    s.create_articles(vec![scheduled, embargoed], t0())
        .await
        .expect("write");
    assert_eq!(
        s.update_media_text(later.id, text, None, false, now)
            .await
            .expect("edit"),
        MediaEdit::Live
    );
    assert_eq!(
        s.update_media_text(9_999, text, None, true, now)
            .await
            .expect("edit"),
        MediaEdit::NotFound
    );
}

async fn reserved_names_are_refused_for_sections_on_every_path(f: Fresh) {
    let s = f.store;
    for name in [
        "admin",
        "cari",
        "indeks",
        "sitemaps",
        "sitemap-2024",
        "topik",
    ] {
        assert!(
            matches!(
                s.upsert_section(name, "X", 0).await,
                Err(StoreError::Invalid(_))
            ),
            "{name}"
        );
    }
    let mut w = s.writer(t0()).await.expect("writer");
    assert!(w.ensure_section("healthz", "X").await.is_err());
    assert!(w.put_section("metrics", "X", 1).await.is_err());
    // An article naming a reserved section is refused by the importers' path too.
    let mut a = ArticleInput::empty();
    a.headline = "Judul".into();
    a.section = "penulis".into();
    assert!(w.ensure_section(&a.section, "Penulis").await.is_err());
    w.rollback().await.expect("rollback");
    assert!(s.sections().await.expect("sections").is_empty());
    let _ = ArticleWrite::new(a);
}

async fn every_table_is_copied_or_named(f: Fresh) {
    let mut expected: Vec<String> = warta_store::copied_tables()
        .into_iter()
        .chain(warta_store::NOT_COPIED.iter().map(|(t, _)| *t))
        .map(str::to_owned)
        .collect();
    expected.sort();
    let tables = f.store.table_names().await.expect("tables");
    let missing: Vec<&String> = tables.iter().filter(|t| !expected.contains(t)).collect();
    assert!(
        missing.is_empty(),
        "tables neither copied by copy-store nor listed in NOT_COPIED: {missing:?}"
    );
    // And nothing is listed that the schema lacks (SQLite's and sqlx's own aside).
    for t in warta_store::copied_tables() {
        assert!(
            tables.iter().any(|x| x == t),
            "{t} is copied but not in the schema"
        );
    }
}

async fn copy_store_refuses_an_article_over_the_limits(f: Fresh) {
    let s = f.store;
    s.upsert_section("nasional", "Nasional", 0)
        .await
        .expect("section");
    let mut a = ArticleInput::empty();
    a.headline = "Judul".into();
    a.section = "nasional".into();
    let ids = s.create_articles(vec![a], t0()).await.expect("write");
    // As a site stored before the limits could hold it: a 400-character headline.
    warta_store::testing::execute(
        &s,
        &format!(
            "UPDATE articles SET headline = '{}' WHERE id = {}",
            "x".repeat(400),
            ids[0]
        ),
    )
    .await
    .expect("sql");
    let dir = tempfile::tempdir().expect("dir");
    let dest = warta_store::Store::open_sqlite(&dir.path().join("b.db"))
        .await
        .expect("dest");
    let err = s
        .copy_into(&dest, |_, _| {})
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains(&format!("article {}", ids[0]))
            && err.contains("headline")
            && err.contains("300"),
        "{err}"
    );
    assert!(
        dest.sections().await.expect("sections").is_empty(),
        "nothing copied"
    );
}

/// A backup taken while an article is written every few milliseconds holds every
/// article committed before it began, whole, and passes SQLite's integrity check
/// (issue #34).
#[tokio::test]
async fn a_backup_taken_during_writes_is_whole_and_consistent() {
    let dir = tempfile::tempdir().expect("dir");
    let store = warta_store::Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    store
        .upsert_section("nasional", "Nasional", 0)
        .await
        .expect("section");
    let now = chrono::Utc::now();
    let story = move |n: usize| {
        let mut input = ArticleInput {
            headline: format!("Berita nomor {n} tentang banjir di Bekasi"),
            lede: "Air naik di perumahan warga.".into(),
            section: "nasional".into(),
            status: Status::Published,
            published_at: Some(now),
            language: "id".into(),
            ..ArticleInput::empty()
        };
        input.body = (0..20)
            .map(|p| Block::Paragraph {
                html: warta_core::sanitize::SafeHtml::from_text(&format!(
                    "Paragraf {p} berita {n}: air naik setinggi satu meter di perumahan warga."
                )),
            })
            .collect();
        input
    };
    let committed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    for n in 0..50 {
        let a = store.create_article(story(n), now).await.expect("seed");
        committed.lock().expect("lock").push(a.id);
    }
    let writing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let writer = {
        let (store, writing, committed) = (store.clone(), writing.clone(), committed.clone());
        tokio::spawn(async move {
            let mut n = 1_000;
            while writing.load(std::sync::atomic::Ordering::SeqCst) {
                let a = store.create_article(story(n), now).await.expect("write");
                committed.lock().expect("lock").push(a.id);
                n += 1;
            }
            n - 1_000
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let before: Vec<i64> = committed.lock().expect("lock").clone();
    let out = dir.path().join("backup.db");
    let bytes = store.backup_sqlite(&out, now).await.expect("backup");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    writing.store(false, std::sync::atomic::Ordering::SeqCst);
    let written = writer.await.expect("writer");
    assert!(written > 5, "only {written} writes ran beside the backup");
    assert!(bytes > 0);
    assert_eq!(
        store.last_backup().await.expect("recorded"),
        chrono::DateTime::from_timestamp(now.timestamp(), 0)
    );
    // A second backup to the same file is refused, the first kept.
    assert!(store.backup_sqlite(&out, now).await.is_err());

    let copy = warta_store::Store::open_sqlite(&out)
        .await
        .expect("open the backup");
    assert_eq!(copy.integrity_check().await.expect("integrity"), ["ok"]);
    // Every article committed before the backup began is there, whole.
    let kept = copy.articles_by_ids(&before).await.expect("read");
    assert_eq!(kept.len(), before.len());
    // And every article the copy holds is whole: none half-written.
    let all: Vec<i64> = committed.lock().expect("lock").clone();
    let held = copy.articles_by_ids(&all).await.expect("read all");
    assert!(held.len() >= before.len());
    for a in &held {
        assert_eq!(a.body.len(), 20, "{}", a.headline);
        assert!(a.headline.starts_with("Berita nomor"), "{}", a.headline);
    }
}
