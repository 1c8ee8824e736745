//! A PostgreSQL site backed up with `pg_dump` and restored into a fresh database
//! (`CREATE DATABASE`, `pg_restore`) exports exactly what the original exports
//! (issue #34; the README's "Backups" steps).
//!
//! Needs `WARTA_TEST_POSTGRES_URL` (`.ci/run` sets it) and the PostgreSQL client tools;
//! without them the test says so and passes, unless `WARTA_REQUIRE_POSTGRES` is set.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::warta;

fn ok(what: &str, out: Output) -> Output {
    assert!(
        out.status.success(),
        "{what}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A database made for this test on the server of `base`, dropped at the end.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    fn create(base: &str, role: &str) -> Database {
        let name = format!("warta_dump_{role}_{}", std::process::id());
        let (server, _) = base.rsplit_once('/').expect("a database address");
        let db = Database {
            admin: base.to_owned(),
            url: format!("{server}/{name}"),
            name,
        };
        db.psql(&format!("DROP DATABASE IF EXISTS {}", db.name));
        db.psql(&format!("CREATE DATABASE {}", db.name));
        db
    }

    fn psql(&self, sql: &str) {
        ok(
            sql,
            Command::new("psql")
                .args([&self.admin, "-qAtc", sql])
                .env("PGOPTIONS", "-c client_min_messages=warning")
                .output()
                .expect("psql"),
        );
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args([
                &self.admin,
                "-qAtc",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            ])
            .output();
    }
}

fn export(database: &str, out: &Path) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("dir");
    ok(
        "warta export",
        warta()
            .args(["export", "--database", database, "--data"])
            .arg(dir.path())
            .arg("--out")
            .arg(out)
            .output()
            .expect("warta export"),
    );
    std::fs::read(out).expect("export")
}

#[test]
fn a_dumped_and_restored_site_exports_the_same() {
    let Some(base) = warta_store::testing::postgres_url() else {
        assert!(
            std::env::var("WARTA_REQUIRE_POSTGRES").is_err(),
            "WARTA_REQUIRE_POSTGRES is set but WARTA_TEST_POSTGRES_URL is not"
        );
        eprintln!("WARTA_TEST_POSTGRES_URL is not set: pg_dump test skipped");
        return;
    };
    let tools = ["psql", "pg_dump", "pg_restore"]
        .iter()
        .all(|t| Command::new(t).arg("--version").output().is_ok());
    if !tools {
        assert!(
            std::env::var("WARTA_REQUIRE_POSTGRES").is_err(),
            "WARTA_REQUIRE_POSTGRES is set but psql, pg_dump or pg_restore is missing"
        );
        eprintln!("no PostgreSQL client tools: pg_dump test skipped");
        return;
    }
    let work = tempfile::tempdir().expect("dir");
    let source = Database::create(&base, "src");
    let articles = work.path().join("articles.jsonl");
    ok(
        "warta generate",
        warta()
            .args(["generate", "--articles", "300", "--out"])
            .arg(&articles)
            .output()
            .expect("warta generate"),
    );
    let data = tempfile::tempdir().expect("dir");
    ok(
        "warta import",
        warta()
            .args(["import", "--format", "jsonl", "--database", &source.url])
            .arg("--data")
            .arg(data.path())
            .arg(&articles)
            .output()
            .expect("warta import"),
    );
    let before = export(&source.url, &work.path().join("before.jsonl"));
    let lines = before
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert!(lines >= 300, "the export holds the site: {lines} lines");

    // The README's steps: pg_dump in the custom format, a new database, pg_restore.
    let dump = work.path().join("warta.dump");
    ok(
        "pg_dump",
        Command::new("pg_dump")
            .args(["--format=custom", "--file"])
            .arg(&dump)
            .arg(&source.url)
            .output()
            .expect("pg_dump"),
    );
    let restored = Database::create(&base, "dst");
    ok(
        "pg_restore",
        Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "--dbname", &restored.url])
            .arg(&dump)
            .output()
            .expect("pg_restore"),
    );
    let after = export(&restored.url, &work.path().join("after.jsonl"));
    assert!(
        before == after,
        "the restored site exports differently ({} and {} bytes)",
        before.len(),
        after.len()
    );
}
