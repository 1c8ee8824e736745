//! What the several-node and fault tests share: `warta serve` processes on loopback,
//! a plain HTTP client, polling.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn warta() -> Command {
    Command::new(env!("CARGO_BIN_EXE_warta"))
}

/// A `warta serve` process; killed when dropped.
pub struct Node {
    pub child: Child,
    pub addr: String,
    _dir: tempfile::TempDir,
}

impl Node {
    pub fn start(database: &str, demo: bool) -> Node {
        let dir = tempfile::tempdir().expect("dir");
        let mut cmd = warta();
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--database", database])
            .arg("--data")
            .arg(dir.path())
            .env("WARTA_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if demo {
            cmd.arg("--demo");
        }
        let mut child = cmd.spawn().expect("start warta serve");
        let addr = serving_address(&mut child);
        Node {
            child,
            addr,
            _dir: dir,
        }
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        get(&self.addr, path)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address a `warta serve` started with piped standard output says it serves on
/// (waiting up to 60 s).
pub fn serving_address(child: &mut Child) -> String {
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("Warta is serving http://") {
                let _ = tx.send(addr.trim().to_owned());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("warta serve did not start serving within 60 s")
}

/// A plain HTTP/1.1 GET; (status, body). Status 0 when nothing answers.
pub fn get(addr: &str, path: &str) -> (u16, String) {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return (0, String::new());
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Polls `check` every 50 ms for up to `limit`; how long it took to become true.
pub fn wait_for(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}
