//! Moving house (issue #8): a site copied into another store exports the same, keeps
//! what exports do not carry (related lists, pins, the change log, API keys, the
//! webhook log), and a copy that stopped half-way resumes.

use chrono::{DateTime, TimeZone, Utc};
use warta_store::{RelatedEdits, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0)
        .single()
        .expect("date")
}

async fn article_ids(store: &Store) -> Vec<i64> {
    store
        .export_page(0, 1000)
        .await
        .expect("ids")
        .iter()
        .map(|f| f.article.id)
        .collect()
}

async fn site(dir: &std::path::Path) -> Store {
    let store = Store::open_sqlite(&dir.join("from.db"))
        .await
        .expect("open");
    warta_demo::seed(&store, &dir.join("media"), now())
        .await
        .expect("demo");
    let ids = article_ids(&store).await;
    store
        .save_related(ids[0], &[(ids[1], 0.75), (ids[2], 0.5)], now())
        .await
        .expect("related");
    store
        .set_related_edits(
            ids[0],
            &RelatedEdits {
                pins: vec![ids[3]],
                excludes: vec![ids[2]],
            },
        )
        .await
        .expect("edits");
    store
        .add_api_key("mitra", "hash-1", now())
        .await
        .expect("key");
    // The front page's arrangement and reads for "Terpopuler" travel too.
    let sections: Vec<i64> = store
        .sections()
        .await
        .expect("sections")
        .iter()
        .rev()
        .map(|s| s.id)
        .collect();
    store
        .save_front_page(&warta_store::FrontPage {
            main: Some(ids[4]),
            secondary: vec![ids[5], ids[6]],
            picks: vec![ids[7]],
            sections,
        })
        .await
        .expect("front");
    store
        .add_reads(
            &[
                (ids[0], warta_store::hour_of(now()), 12),
                (ids[1], warta_store::hour_of(now()) - 1, 3),
            ],
            now(),
        )
        .await
        .expect("reads");
    let d = store
        .add_delivery(ids[0], "published", "http://127.0.0.1:9/h", "{}", now())
        .await
        .expect("delivery");
    store
        .record_attempt(d, 3, "failed", "refused", now())
        .await
        .expect("attempt");
    store
}

async fn export(store: &Store) -> String {
    let mut out = Vec::new();
    warta_import::jsonl::export(store, &mut out)
        .await
        .expect("export");
    String::from_utf8(out).expect("utf-8")
}

/// What exports do not carry, read back through the store.
async fn beyond_exports(store: &Store) -> String {
    let ids = article_ids(store).await;
    let mut s = String::new();
    for id in &ids {
        s += &format!(
            "{id}: {:?} {:?}\n",
            store.related_scores(*id).await.expect("scores"),
            store.related_edits(*id).await.expect("edits")
        );
    }
    s += &format!("{:?}\n", store.api_keys().await.expect("keys"));
    s += &format!(
        "{:?}\n",
        store
            .most_read(chrono::DateTime::UNIX_EPOCH, None, 10, now())
            .await
            .expect("reads")
            .iter()
            .map(|a| a.id)
            .collect::<Vec<_>>()
    );
    s += &format!("{:?}\n", store.deliveries(10).await.expect("log"));
    s += &format!("{:?}\n", store.changes_after(0, 10_000).await.expect("log"));
    s
}

async fn check_copy(source: &Store, dest: &Store) {
    let report = source.copy_into(dest, |_, _| {}).await.expect("copy");
    for t in &report {
        assert_eq!(t.source_rows, t.destination_rows, "{t:?}");
    }
    assert!(
        report
            .iter()
            .any(|t| t.table == "articles" && t.source_rows >= 20)
    );
    let (a, b) = (export(source).await, export(dest).await);
    assert!(a.lines().count() > 20);
    assert_eq!(a, b, "exports differ");
    assert_eq!(beyond_exports(source).await, beyond_exports(dest).await);
    // The copy numbers its own rows on from the copied ones.
    let s = dest
        .upsert_section("baru", "Baru", 99)
        .await
        .expect("a new section in the copy");
    assert!(
        source
            .sections()
            .await
            .expect("sections")
            .iter()
            .all(|x| x.id != s.id)
    );
    dest.add_api_key("lain", "hash-2", now())
        .await
        .expect("new key");
}

#[tokio::test]
async fn a_site_copied_into_another_sqlite_file_is_the_same_site() {
    let dir = tempfile::tempdir().expect("dir");
    let source = site(dir.path()).await;
    let dest = Store::open_url(&format!("sqlite://{}", dir.path().join("to.db").display()))
        .await
        .expect("dest");
    check_copy(&source, &dest).await;
}

#[tokio::test]
async fn a_site_copied_to_postgres_is_the_same_site_and_a_stopped_copy_resumes() {
    let Some(base) = warta_store::testing::postgres_url() else {
        assert!(std::env::var("WARTA_REQUIRE_POSTGRES").is_err());
        eprintln!("WARTA_TEST_POSTGRES_URL is not set: PostgreSQL copy skipped");
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let source = site(dir.path()).await;
    let (_, dest) = warta_store::testing::fresh_postgres(&base)
        .await
        .expect("postgres");
    check_copy(&source, &dest).await;

    // A copy that stopped half-way: the second half of the articles (and what
    // hangs on them) is missing from another fresh destination.
    let (_, half) = warta_store::testing::fresh_postgres(&base)
        .await
        .expect("postgres");
    source.copy_into(&half, |_, _| {}).await.expect("copy");
    let ids = article_ids(&half).await;
    for id in &ids[ids.len() / 2..] {
        half.delete_article(*id, now()).await.expect("delete");
    }
    assert_ne!(export(&source).await, export(&half).await);
    let report = source.copy_into(&half, |_, _| {}).await.expect("resume");
    let articles = report
        .iter()
        .find(|t| t.table == "articles")
        .expect("articles");
    assert_eq!(articles.source_rows, articles.destination_rows);
    assert_eq!(export(&source).await, export(&half).await);
}
