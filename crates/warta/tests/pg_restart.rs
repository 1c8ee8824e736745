//! PostgreSQL restarted under load (issue #8): while it is down, a request that needs
//! the database gets a 503 page quickly (cached pages keep being served); when it is
//! back, the node recovers on its own, without a restart.
//!
//! Runs its own PostgreSQL cluster (the server binaries of the machine's PostgreSQL,
//! `initdb` + `pg_ctl`, as the `postgres` user when run as root) on a free loopback
//! port, so that stopping it touches nothing else. Skipped, with a note, where no
//! server binaries are installed, unless `WARTA_REQUIRE_POSTGRES` is set.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use support::{Node, get, wait_for};

struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    as_postgres: bool,
}

impl Cluster {
    fn new() -> Option<Cluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("pg_ctl").is_file() && b.join("initdb").is_file())
            .max()?;
        let dir = tempfile::Builder::new()
            .prefix("warta-pg-")
            .tempdir()
            .expect("dir");
        // PostgreSQL refuses to run as root.
        let as_postgres = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            assert!(ok, "cannot hand the cluster folder to the postgres user");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let c = Cluster {
            bin,
            dir,
            port,
            as_postgres,
        };
        let data = c.data();
        c.run(
            "initdb",
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        );
        c.start();
        Some(c)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = cmd
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run a PostgreSQL tool");
        assert!(
            out.status.success(),
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn start(&self) {
        let opts = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("log").display().to_string();
        self.run(
            "pg_ctl",
            &["-D", &self.data(), "-o", &opts, "-l", &log, "-w", "start"],
        );
    }

    fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let exe = self.bin.join("pg_ctl");
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let _ = cmd.args(["-D", &data, "-m", "immediate", "stop"]).output();
    }
}

/// A path that asks the database every time (no such article: 404 when it answers).
fn uncached(n: usize) -> String {
    format!("/nasional/2026/01/01/tidak-ada-{n}")
}

#[test]
fn a_restarted_database_gives_quick_503s_then_the_node_recovers_by_itself() {
    if !Path::new("/usr/lib/postgresql").is_dir() {
        assert!(
            std::env::var("WARTA_REQUIRE_POSTGRES").is_err(),
            "WARTA_REQUIRE_POSTGRES is set but no PostgreSQL server binaries are installed"
        );
        eprintln!("no PostgreSQL server binaries: restart test skipped");
        return;
    }
    let Some(pg) = Cluster::new() else {
        assert!(std::env::var("WARTA_REQUIRE_POSTGRES").is_err());
        eprintln!("no PostgreSQL server binaries: restart test skipped");
        return;
    };
    let node = Node::start(&pg.url(), true);
    assert_eq!(node.get("/").0, 200);
    assert_eq!(node.get(&uncached(0)).0, 404);
    // Ready once the first catch-up is done (issue #34).
    wait_for(Duration::from_secs(20), || node.get("/readyz").0 == 200)
        .expect("the node never became ready");

    // Load all along: the home page (cached) and pages that need the database.
    let stop = Arc::new(AtomicBool::new(false));
    let load = {
        let (addr, stop) = (node.addr.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
            let mut n = 1_000;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                for path in ["/".to_owned(), uncached(n)] {
                    *statuses.entry(get(&addr, &path).0).or_default() += 1;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            statuses
        })
    };
    std::thread::sleep(Duration::from_millis(500));
    pg.stop();
    let mut slowest = Duration::ZERO;
    for n in 1..=5 {
        let started = Instant::now();
        let (status, body) = node.get(&uncached(n));
        let took = started.elapsed();
        slowest = slowest.max(took);
        assert_eq!(status, 503, "with the database down: {body}");
    }
    // Readiness says so, naming the database, and liveness does not.
    let (ready, body) = node.get("/readyz");
    assert_eq!(ready, 503, "/readyz with the database down: {body}");
    let checks: serde_json::Value = serde_json::from_str(&body).expect("/readyz is JSON");
    assert_eq!(checks["status"], "not ready", "{body}");
    assert!(
        checks["checks"].as_array().is_some_and(|c| c
            .iter()
            .any(|c| c["name"] == "database" && c["ok"] == false)),
        "{body}"
    );
    assert_eq!(node.get("/healthz").0, 200);
    let (home, _) = node.get("/");
    eprintln!(
        "database down: 503 in at most {} ms; home page (cached) {home}",
        slowest.as_millis()
    );
    assert!(
        slowest < Duration::from_secs(5),
        "503s took up to {slowest:?}"
    );
    pg.start();
    let back = wait_for(Duration::from_secs(20), || node.get(&uncached(99)).0 == 404)
        .expect("the node did not recover after the database came back");
    eprintln!(
        "database back: the node answered from it after {} ms",
        back.as_millis()
    );
    assert_eq!(node.get("/").0, 200);
    let ready_again = wait_for(Duration::from_secs(20), || node.get("/readyz").0 == 200)
        .expect("/readyz stayed 503 after the database came back");
    eprintln!("ready again after {} ms", ready_again.as_millis());
    stop.store(true, Ordering::Relaxed);
    let statuses = load.join().expect("load");
    eprintln!("statuses under load: {statuses:?}");
    assert!(
        statuses.keys().all(|s| [200, 404, 503].contains(s)),
        "only 200, 404 and 503 expected: {statuses:?}"
    );
    assert!(statuses.get(&503).is_some_and(|n| *n > 0), "{statuses:?}");
}
