//! Upgrades (issue #23): a site as an earlier release left it, opened by this code.
//! `fixtures/upgrade/<release>/` holds, made by `tools/make_upgrade_fixture.py` with
//! that release's binary: its SQLite file, a plain-SQL dump of the same site on
//! PostgreSQL, and the export that release gave. Each is opened here (which runs the
//! migrations added since), and must export the same articles, and keep its accounts,
//! revisions and related pins. Every migration added later runs through this test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use warta_store::Store;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no upgrade fixtures in {}", dir.display());
    out
}

/// The article records of an export, by slug.
fn articles(jsonl: &str) -> BTreeMap<String, serde_json::Value> {
    jsonl
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "article")
        .map(|v| (v["slug"].as_str().unwrap_or_default().to_owned(), v))
        .collect()
}

async fn check(store: &Store, fixture: &Path, backend: &str) {
    let expected = std::fs::read_to_string(fixture.join("export.jsonl")).expect("export.jsonl");
    let mut out = Vec::new();
    warta_import::jsonl::export(store, &mut out)
        .await
        .expect("export");
    let got = articles(&String::from_utf8(out).expect("utf-8"));
    let want = articles(&expected);
    assert_eq!(
        want.len(),
        28,
        "{}: the fixture's articles",
        fixture.display()
    );
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{backend}"
    );
    for (slug, w) in &want {
        assert_eq!(
            &got[slug], w,
            "{backend}: article `{slug}` after the upgrade"
        );
    }
    // What an export leaves out survives too: accounts, revisions, pins.
    let users: Vec<String> = store
        .users()
        .await
        .expect("users")
        .into_iter()
        .map(|u| u.email)
        .collect();
    assert!(
        users.contains(&"ed@warta.test".to_owned()),
        "{backend}: {users:?}"
    );
    let revisions = store.revisions(1).await.expect("revisions");
    assert!(revisions.len() >= 2, "{backend}: {revisions:?}");
    let edits = store.related_edits(1).await.expect("edits");
    assert_eq!(edits.pins, [5, 9], "{backend}");
    assert_eq!(edits.excludes, [12], "{backend}");
    // And the upgraded store takes a newsroom login's new rows.
    store
        .add_device("upgrade-test", 1, chrono::Utc::now(), chrono::Utc::now())
        .await
        .expect("devices table");
}

#[tokio::test]
async fn an_earlier_releases_sqlite_file_opens_migrates_and_exports_the_same() {
    for fixture in fixtures() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("warta.db");
        std::fs::copy(fixture.join("warta.db"), &db).expect("copy");
        let store = Store::open_sqlite(&db).await.expect("open and migrate");
        check(&store, &fixture, "sqlite").await;
    }
}

#[tokio::test]
async fn an_earlier_releases_postgres_dump_loads_migrates_and_exports_the_same() {
    let Some(base) = warta_store::testing::postgres_url() else {
        assert!(
            std::env::var("WARTA_REQUIRE_POSTGRES").is_err(),
            "WARTA_REQUIRE_POSTGRES is set but WARTA_TEST_POSTGRES_URL is not"
        );
        eprintln!("WARTA_TEST_POSTGRES_URL is not set: PostgreSQL half skipped");
        return;
    };
    for fixture in fixtures() {
        let dump = std::fs::read_to_string(fixture.join("postgres.sql")).expect("postgres.sql");
        let (_, store) = warta_store::testing::restore_dump(&base, &dump, "warta_fixture")
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
        check(&store, &fixture, "postgres").await;
    }
}
