//! The `warta` binary's bad-input behaviour: one clear line, non-zero exit.

use std::process::Command;

fn warta() -> Command {
    Command::new(env!("CARGO_BIN_EXE_warta"))
}

/// Runs `command`, which must succeed; its standard output.
fn succeeds(command: &mut Command) -> String {
    let out = command.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `command` with its standard output closed from the start (as in
/// `warta … | head -0`, `head` gone before anything is written).
fn with_stdout_closed(command: &mut Command) -> std::process::Output {
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait")
}

/// Writes a generated corpus of `n` articles to `file`.
fn generate(n: usize, seed: u64, file: &std::path::Path) {
    succeeds(
        warta()
            .args([
                "generate",
                "--articles",
                &n.to_string(),
                "--seed",
                &seed.to_string(),
            ])
            .arg("--out")
            .arg(file),
    );
}

/// Runs `warta serve` on `data`, which must fail; its standard error.
fn serve_fails(data: &std::path::Path) -> String {
    let out = warta()
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .output()
        .expect("run");
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn version_prints() {
    let out = warta().arg("--version").output().expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("warta "));
}

#[test]
fn a_data_folder_that_cannot_be_written_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    // A plain file where the folder should be: cannot be created, even as root.
    let blocked = dir.path().join("not-a-folder");
    std::fs::write(&blocked, b"x").expect("write");
    let err = serve_fails(&blocked);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("not-a-folder"), "{err}");
    assert!(lines[0].contains("cannot be created"), "{err}");
}

#[test]
fn a_database_that_is_not_sqlite_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("warta.db"), vec![b'z'; 8192]).expect("write");
    let err = serve_fails(dir.path());
    assert!(err.contains("warta.db"), "{err}");
    assert!(err.contains("not a SQLite database"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );
}

#[test]
fn migrate_creates_the_database() {
    let dir = tempfile::tempdir().expect("dir");
    let out = warta()
        .args(["migrate", "--data"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("warta.db").is_file());
}

#[test]
fn import_indexes_and_reindex_rebuilds_beside() {
    let (_dir, corpus, data) = corpus(30);
    let out = warta()
        .args(["import", "--format", "jsonl", "--data"])
        .arg(&data)
        .arg(&corpus)
        .output()
        .expect("run");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("search index: 30 changes applied"), "{said}");
    // Then the related lists of what it imported, as their own figure.
    let lists: usize = said
        .split("related lists: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no related-lists line: {said}"));
    assert!(lists >= 20, "{said}");
    // Every list was just computed: a server started next has none of the import's
    // changes left to recompute them from.
    let (cursor, last) = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let store = warta_store::Store::open_sqlite(&data.join("warta.db"))
                .await
                .expect("store");
            (
                store.related_cursor().await.expect("cursor"),
                store.last_change().await.expect("last change"),
            )
        });
    assert_eq!(cursor, last, "the related lists' cursor after the import");
    assert!(last >= 30);
    assert_eq!(
        std::fs::read_to_string(data.join("search/CURRENT"))
            .expect("CURRENT")
            .trim(),
        "gen-1"
    );
    let out = warta()
        .args(["reindex", "--stemmer", "snowball", "--data"])
        .arg(&data)
        .output()
        .expect("run");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("rebuilt (Snowball stemmer): 30 articles"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(data.join("search/CURRENT"))
            .expect("CURRENT")
            .trim(),
        "gen-2"
    );
}

#[test]
fn a_bad_stemmer_name_and_a_broken_index_pointer_are_named() {
    let dir = tempfile::tempdir().expect("dir");
    let out = warta()
        .args(["reindex", "--stemmer", "porter", "--data"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("porter"));

    std::fs::create_dir_all(dir.path().join("search")).expect("mkdir");
    std::fs::write(dir.path().join("search/CURRENT"), "../../etc\n").expect("write");
    let err = serve_fails(dir.path());
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("CURRENT") && lines[0].contains("not a generation"),
        "{err}"
    );
}

#[test]
fn the_delivery_log_reads_and_a_weak_webhook_secret_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let out = warta()
        .arg("deliveries")
        .arg("--data")
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "no webhook deliveries yet"
    );
    std::fs::write(
        dir.path().join("warta.toml"),
        "[[webhooks]]\nurl = \"https://hooks.example/warta\"\nsecret = \"abc\"\n",
    )
    .expect("config");
    let err = serve_fails(dir.path());
    assert!(err.contains("webhooks[0].secret is 3 characters"), "{err}");
}

#[test]
fn api_keys_are_made_listed_and_revoked() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| {
        warta()
            .arg("api-key")
            .args(args)
            .arg("--data")
            .arg(dir.path())
            .output()
            .expect("run")
    };
    let out = run(&["add", "mitra"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(key.starts_with("wk_") && key.len() == 51, "{key}");
    let list = String::from_utf8_lossy(&run(&["list"]).stdout).into_owned();
    assert!(list.contains("mitra") && list.contains("live"), "{list}");
    assert!(!list.contains(&key), "the key itself is never shown again");
    assert!(run(&["revoke", "mitra"]).status.success());
    let list = String::from_utf8_lossy(&run(&["list"]).stdout).into_owned();
    assert!(list.contains("revoked"), "{list}");
    // Nothing left to revoke, and no name: one clear error each.
    let again = run(&["revoke", "mitra"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("has no live key"));
    let nameless = run(&["add"]);
    assert!(!nameless.status.success());
    assert!(String::from_utf8_lossy(&nameless.stderr).contains("give the partner's name"));
}

#[test]
fn a_database_address_that_is_neither_sqlite_nor_postgres_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    let out = warta()
        .args(["migrate", "--database", "mysql://localhost/warta", "--data"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mysql://localhost/warta"), "{err}");
    assert!(err.contains("postgres://"), "{err}");
}

#[test]
fn a_postgres_server_that_does_not_answer_is_named_without_its_password() {
    let dir = tempfile::tempdir().expect("dir");
    // Port 1 on loopback: nothing listens there.
    let out = warta()
        .args([
            "migrate",
            "--database",
            "postgres://warta:rahasia-sekali@127.0.0.1:1/warta",
            "--data",
        ])
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot connect to PostgreSQL"), "{err}");
    assert!(err.contains("127.0.0.1:1"), "{err}");
    assert!(
        !err.contains("rahasia-sekali"),
        "the password leaked: {err}"
    );
}

#[test]
fn copy_store_refuses_one_database_as_both_ends_and_copies_between_files() {
    let dir = tempfile::tempdir().expect("dir");
    let from = format!("sqlite://{}", dir.path().join("a.db").display());
    let out = warta()
        .args(["copy-store", "--from", &from, "--to", &from])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the same database"));
    let corpus = dir.path().join("c.jsonl");
    generate(12, 1, &corpus);
    let out = warta()
        .args(["import", "--format", "jsonl", "--database", &from, "--data"])
        .arg(dir.path().join("d"))
        .arg(&corpus)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let to = format!("sqlite://{}", dir.path().join("sub/b.db").display());
    let out = warta()
        .args(["copy-store", "--from", &from, "--to", &to])
        .output()
        .expect("run");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.lines()
            .any(|l| l.starts_with("articles") && l.contains(" 12 rows copied (12 in")),
        "{said}"
    );
}

#[test]
fn newsroom_accounts_are_made_reset_disabled_and_refused_when_bad() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = warta();
        cmd.arg("user").args(args).arg("--data").arg(dir.path());
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("run");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("write");
        }
        child.wait_with_output().expect("wait")
    };
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    // A made password is printed once.
    let out = run(
        &["add", "ana@warta.test", "--name", "Ana", "--role", "admin"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("added ana@warta.test (Ana) as admin"),
        "{stdout}"
    );
    let made = stdout
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("password printed");
    assert!(made.len() >= 12, "{made}");
    // From standard input: too short is refused, naming the rule.
    let out = run(
        &["add", "budi@warta.test", "--password-stdin"],
        Some("pendek\n"),
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("at least 10 characters"),
        "{}",
        text(&out.stderr)
    );
    let out = run(
        &["add", "budi@warta.test", "--password-stdin"],
        Some("cukup-panjang-sekali\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Bad input: a taken address, an unknown role, an unknown account.
    let out = run(&["add", "ANA@warta.test"], None);
    assert!(
        text(&out.stderr).contains("account `ana@warta.test` already exists"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["add", "c@warta.test", "--role", "raja"], None);
    assert!(text(&out.stderr).contains("--role must be contributor, editor or admin"));
    let out = run(&["disable", "siapa@warta.test"], None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("there is no account siapa@warta.test"));
    assert!(run(&["disable", "budi@warta.test"], None).status.success());
    assert!(
        run(&["reset-password", "ana@warta.test"], None)
            .status
            .success()
    );
    let list = text(&run(&["list"], None).stdout);
    assert!(list.contains("ana@warta.test\tAna\tadmin"), "{list}");
    assert!(
        list.contains("budi@warta.test\tbudi\tcontributor\tdisabled"),
        "{list}"
    );
}

/// A temporary folder with a generated corpus of `n` articles in it, and the path
/// of a data folder beside the corpus (not yet made).
fn corpus(n: usize) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let corpus = dir.path().join("c.jsonl");
    generate(n, 1, &corpus);
    let data = dir.path().join("d");
    (dir, corpus, data)
}

/// Runs `warta import` of `file` into `data`, which must print `summary`.
fn import_says(data: &std::path::Path, file: &std::path::Path, summary: &str) {
    let out = warta()
        .args(["import", "--format", "jsonl", "--data"])
        .arg(data)
        .arg(file)
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(summary),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Article lines in a `warta export`.
fn exported_articles(file: &std::path::Path) -> usize {
    std::fs::read_to_string(file)
        .expect("export")
        .lines()
        .filter(|l| l.starts_with(r#"{"type":"article""#))
        .count()
}

#[test]
fn an_import_killed_after_its_pages_reached_the_file_leaves_the_earlier_site_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("d");
    let small = dir.path().join("small.jsonl");
    generate(40, 1, &small);
    import_says(&data, &small, "imported 40,");
    let db = data.join("warta.db");
    let journal = data.join("warta.db-journal");
    let before = std::fs::metadata(&db).expect("db").len();

    // A large run through a 1 MiB page cache, so that its pages go to the file while
    // it runs; killed (as by a power cut or the OOM killer) once they have.
    let large = dir.path().join("large.jsonl");
    generate(4000, 2, &large);
    let mut child = warta()
        .args(["import", "--format", "jsonl", "--cache-mib", "1", "--data"])
        .arg(&data)
        .arg(&large)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let grown = |db: &std::path::Path| {
        std::fs::metadata(db).map_or(0, |m| m.len()) > before + (4 << 20)
            && std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0)
    };
    let started = std::time::Instant::now();
    while !grown(&db) {
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("the import ended ({status}) before it could be interrupted: give it more");
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "the import never wrote its pages"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().expect("kill");
    let _ = child.wait();
    assert!(journal.exists(), "no hot journal: nothing was interrupted");
    assert!(std::fs::metadata(&db).expect("db").len() > before + (4 << 20));

    // The next command that opens the site plays the journal back first.
    let exported = dir.path().join("e.jsonl");
    succeeds(
        warta()
            .args(["export", "--format", "jsonl", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(&exported),
    );
    assert_eq!(exported_articles(&exported), 40);
    assert!(!journal.exists());
    assert!(std::fs::metadata(&db).expect("db").len() <= before + (1 << 20));
    // And the site takes imports again.
    import_says(&data, &small, "imported 0, updated 0, unchanged 40,");
}

#[test]
fn an_import_whose_output_is_closed_still_finishes_its_work() {
    let (_dir, corpus, data) = corpus(12);
    // As `warta import … | head -1` with `head` gone before the summary: the summary
    // cannot be written, and that must not stop the indexing after it.
    let out = with_stdout_closed(
        warta()
            .args(["import", "--format", "jsonl", "--data"])
            .arg(&data)
            .arg(&corpus),
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}: {said}", out.status);
    assert!(!said.contains("panicked"), "{said}");
    // The indexing after the import ran: the search index exists.
    assert_eq!(
        std::fs::read_to_string(data.join("search/CURRENT"))
            .expect("CURRENT")
            .trim(),
        "gen-1"
    );
}

#[test]
fn a_new_key_that_cannot_be_shown_is_an_error_not_silence() {
    let dir = tempfile::tempdir().expect("dir");
    let out = with_stdout_closed(
        warta()
            .args(["api-key", "add", "mitra", "--data"])
            .arg(dir.path()),
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("make a new one"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
}

#[test]
fn backup_copies_the_site_and_its_media_and_refuses_to_overwrite() {
    let (dir, corpus, data) = corpus(30);
    import_says(&data, &corpus, "30 articles");
    std::fs::create_dir_all(data.join("media")).expect("media");
    std::fs::write(data.join("media").join("foto.jpg"), b"jpeg").expect("photo");
    let out = dir.path().join("cadangan.db");
    let said = succeeds(
        warta()
            .args(["backup", "--media", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(&out),
    );
    assert!(said.contains("backed up the database"), "{said}");
    assert!(said.contains("copied 1 media files"), "{said}");
    assert_eq!(
        std::fs::read(dir.path().join("cadangan.db.media").join("foto.jpg")).expect("copied"),
        b"jpeg"
    );
    // The copy exports what the site exports.
    let live = succeeds(warta().args(["export", "--data"]).arg(&data));
    let copy = succeeds(warta().args([
        "export",
        "--database",
        &format!("sqlite://{}", out.display()),
    ]));
    assert!(live.lines().count() > 30);
    assert_eq!(live, copy);
    // Never over an existing file.
    let again = warta()
        .args(["backup", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already exists"), "{err}");
}

/// `warta import --media-from DIR` (issue #32): the photos of a WordPress export come
/// from a copy of its upload folder into the data folder's media, and the summary
/// counts them; a folder that is not there is refused before anything is read.
#[test]
fn a_wordpress_import_brings_its_photos_from_the_upload_folder() {
    let dir = tempfile::tempdir().expect("dir");
    let uploads = dir.path().join("uploads");
    std::fs::create_dir_all(uploads.join("2022/06")).expect("mkdir");
    let photo = image::RgbImage::from_fn(800, 500, |x, y| image::Rgb([x as u8, y as u8, 90]));
    photo
        .save(uploads.join("2022/06/perahu-muara.jpg"))
        .expect("jpeg");
    photo
        .save(uploads.join("2022/06/peta-rob.png"))
        .expect("png");
    let export = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../warta_import/tests/data/with-uploads.wxr");
    let data = dir.path().join("d");
    let out = succeeds(
        warta()
            .args(["import", "--format", "wxr", "--data"])
            .arg(&data)
            .arg("--media-from")
            .arg(&uploads)
            .arg(&export),
    );
    assert!(
        out.contains("photos: 2 brought in, 0 already imported, 1 missing"),
        "{out}"
    );
    let stored: Vec<String> = std::fs::read_dir(data.join("media"))
        .expect("media folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        stored.iter().filter(|f| f.contains("-original.")).count(),
        2,
        "{stored:?}"
    );
    let missing = warta()
        .args(["import", "--format", "wxr", "--data"])
        .arg(&data)
        .arg("--media-from")
        .arg(dir.path().join("tidak-ada"))
        .arg(&export)
        .output()
        .expect("run");
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("not a folder"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

/// `warta import --format ghost` (issue #33): a Ghost export imports whole without flags.
#[test]
fn a_ghost_export_imports_from_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let export = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../warta_import/tests/data/ghost/ghost5.json");
    let out = succeeds(
        warta()
            .args(["import", "--format", "ghost", "--data"])
            .arg(dir.path().join("d"))
            .arg(&export),
    );
    assert!(out.contains("imported 8, updated 0"), "{out}");
    assert!(out.contains("`signup` left out"), "{out}");
}
