//! Limits a real `warta serve` keeps (issue #24), measured from outside the process:
//! the peak memory (`VmHWM`) of a server that six uploads hit at once.

#[path = "support/mod.rs"]
mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use support::warta;

const PASSWORD: &str = "kata-sandi-panjang";

/// A server on a fresh folder with one editor; killed when dropped.
struct Server {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().expect("dir");
        let mut add = warta()
            .args([
                "user",
                "add",
                "ed@warta.test",
                "--role",
                "editor",
                "--password-stdin",
            ])
            .arg("--data")
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("user add");
        add.stdin
            .take()
            .expect("stdin")
            .write_all(format!("{PASSWORD}\n").as_bytes())
            .expect("password");
        assert!(add.wait().expect("user add").success());
        let mut child = warta()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .arg("--data")
            .arg(dir.path())
            .env("WARTA_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("serve");
        let addr = support::serving_address(&mut child);
        Server {
            child,
            addr,
            _dir: dir,
        }
    }

    /// The process's peak resident memory so far, in MB.
    fn peak_mb(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .expect("VmHWM")
            / 1024
    }

    /// One HTTP/1.1 request; the whole raw answer.
    fn request(&self, head: &str, body: &[u8]) -> String {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(120)))
            .expect("timeout");
        let head = format!(
            "{head}Host: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        );
        s.write_all(head.as_bytes()).expect("head");
        s.write_all(body).expect("body");
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        String::from_utf8_lossy(&raw).into_owned()
    }

    /// Logs the editor in: (cookie header, CSRF token).
    fn login(&self) -> (String, String) {
        let page = self.request("GET /admin/login HTTP/1.1\r\n", b"");
        let token = value_after(&page, "name=\"token\" value=\"");
        let form = format!("email=ed%40warta.test&password={PASSWORD}&token={token}&next=%2Fadmin");
        let answer = self.request(
            &format!(
                "POST /admin/login HTTP/1.1\r\nCookie: warta_login={token}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            ),
            form.as_bytes(),
        );
        let session = value_after(&answer, "warta_session=");
        let cookie = format!("warta_session={session}");
        let desk = self.request(&format!("GET /admin HTTP/1.1\r\nCookie: {cookie}\r\n"), b"");
        let csrf = value_after(&desk, "name=\"csrf\" value=\"");
        (cookie, csrf)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn value_after(text: &str, key: &str) -> String {
    let start = text
        .find(key)
        .unwrap_or_else(|| panic!("no {key} in {}", &text[..text.len().min(600)]))
        + key.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

fn upload_body(csrf: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----wartaLimits";
    let mut body = Vec::new();
    for (k, v) in [("csrf", csrf), ("alt", "Foto uji"), ("caption", name)] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Six uploads of `bytes` at once; each answer's status line.
fn six_at_once(server: &Server, name: &str, bytes: &[u8]) -> Vec<String> {
    let (cookie, csrf) = server.login();
    let (ct, body) = upload_body(&csrf, name, bytes);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                s.spawn(|| {
                    let head = format!(
                        "POST /admin/photos HTTP/1.1\r\nCookie: {cookie}\r\nContent-Type: {ct}\r\n"
                    );
                    let answer = server.request(&head, &body);
                    answer.lines().next().unwrap_or("").to_owned()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    })
}

fn encode(img: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

/// A 7000 × 7100 picture of 16-bit RGBA: a few hundred KB as a PNG, 397 MB decoded.
/// Six at once took the server past 3.5 GB before the decoded-memory budget.
#[test]
fn six_deep_pngs_at_once_leave_the_server_small() {
    let png = encode(
        image::DynamicImage::ImageRgba16(image::ImageBuffer::new(7000, 7100)),
        image::ImageFormat::Png,
    );
    assert!(png.len() < 2_000_000, "{} bytes", png.len());
    let server = Server::start();
    let before = server.peak_mb();
    let answers = six_at_once(&server, "dalam.png", &png);
    let peak = server.peak_mb();
    eprintln!(
        "deep PNG ({} KB) ×6: VmHWM {before} MB before, {peak} MB after; {answers:?}",
        png.len() / 1024
    );
    assert!(
        answers.iter().all(|a| a.contains(" 422 ")),
        "refused with a reason: {answers:?}"
    );
    assert!(peak < 250, "peak {peak} MB");
}

/// A 12-megapixel JPEG, six at once: decoded two at a time on two cores, then
/// renditions. The figure goes to BENCHMARKS.md; the bound here is generous.
#[test]
fn six_ordinary_photos_at_once_stay_within_their_budget() {
    let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    });
    let jpeg = encode(
        image::DynamicImage::ImageRgb8(img),
        image::ImageFormat::Jpeg,
    );
    let server = Server::start();
    let before = server.peak_mb();
    let answers = six_at_once(&server, "biasa.jpg", &jpeg);
    let peak = server.peak_mb();
    eprintln!(
        "12 MP JPEG ({} KB) ×6: VmHWM {before} MB before, {peak} MB after; {answers:?}",
        jpeg.len() / 1024
    );
    assert!(
        answers.iter().all(|a| a.contains(" 303 ")),
        "stored: {answers:?}"
    );
    assert!(peak < 1000, "peak {peak} MB");
}

/// A server on `data` under `prlimit --nofile=N` with a short header timeout; its
/// standard error goes to `data/server.log`.
fn start_limited(data: &std::path::Path, nofile: u32, header_secs: u64) -> (Child, String) {
    std::fs::write(
        data.join("warta.toml"),
        format!("header_timeout_secs = {header_secs}\n"),
    )
    .expect("config");
    let log = std::fs::File::create(data.join("server.log")).expect("log");
    let mut child = std::process::Command::new("prlimit")
        .arg(format!("--nofile={nofile}:{nofile}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_warta"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .arg("--data")
        .arg(data)
        .env("WARTA_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("prlimit (util-linux) runs warta serve");
    let addr = support::serving_address(&mut child);
    (child, addr)
}

/// Twice as many connections as the server has descriptors, each stuck in its
/// headers: a normal request is still answered at once, the stuck ones are closed
/// within the timeout plus a second, search still follows a write, and the log holds
/// no "too many open files". (Before: the normal request timed out and the log held
/// 73 EMFILE lines.)
#[test]
fn connections_stuck_in_their_headers_cannot_starve_the_server() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut child, addr) = start_limited(dir.path(), 256, 2);
    let mut stuck = Vec::new();
    for _ in 0..512 {
        let Ok(mut s) = TcpStream::connect(&addr) else {
            break;
        };
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n");
        stuck.push(s);
    }
    assert!(stuck.len() >= 400, "{} connections opened", stuck.len());
    let opened = std::time::Instant::now();
    let (status, _) = support::get(&addr, "/");
    let answered = opened.elapsed();
    assert_eq!(status, 200);
    assert!(
        answered < Duration::from_secs(2),
        "answered after {answered:?}"
    );
    // Every stuck connection is closed by the server within 2 s + 1 s of its start.
    std::thread::sleep(Duration::from_secs(3));
    let mut open = 0;
    for s in &mut stuck {
        s.set_read_timeout(Some(Duration::from_millis(20)))
            .expect("timeout");
        let mut b = [0u8; 64];
        if let Err(e) = s.read(&mut b)
            && matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            )
        {
            open += 1;
        }
    }
    assert_eq!(open, 0, "{open} stuck connections still open");
    drop(stuck);
    // Search follows a write made while the server runs (an import on its folder).
    let line = r#"{"type":"article","slug":"zebrakuda-muncul","headline":"Zebrakuda Muncul di Taman","section":"berita","status":"published","published_at":"2026-01-01T00:00:00Z","created_at":"2026-01-01T00:00:00Z","body":[{"type":"paragraph","html":"Seekor zebrakuda terlihat."}]}"#;
    let file = dir.path().join("one.jsonl");
    std::fs::write(&file, format!("{line}\n")).expect("jsonl");
    let imported = warta()
        .args(["import", "--format", "jsonl"])
        .arg(&file)
        .arg("--data")
        .arg(dir.path())
        .output()
        .expect("import");
    assert!(imported.status.success(), "{imported:?}");
    let found = support::wait_for(Duration::from_secs(10), || {
        support::get(&addr, "/cari?q=zebrakuda")
            .1
            .contains("Zebrakuda Muncul")
    });
    assert!(found.is_some(), "search did not follow the import");
    let _ = child.kill();
    let _ = child.wait();
    let log = std::fs::read_to_string(dir.path().join("server.log")).expect("log");
    assert!(
        !log.contains("Too many open files") && !log.contains("os error 24"),
        "{log}"
    );
}

/// SIGTERM with a request stuck half-way (its body never comes): the server stops
/// within its grace period (5 s) and a little, with nothing logged as an error.
#[test]
fn a_stop_ends_within_its_bound_and_cleanly() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut child, addr) = start_limited(dir.path(), 1024, 10);
    let mut stuck = TcpStream::connect(&addr).expect("connect");
    stuck
        .write_all(b"POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nemail=a")
        .expect("half a request");
    let mut idle = TcpStream::connect(&addr).expect("connect");
    idle.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("a request");
    std::thread::sleep(Duration::from_millis(300));
    let sent = std::time::Instant::now();
    let term = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    let ended = support::wait_for(Duration::from_secs(15), || {
        matches!(child.try_wait(), Ok(Some(_)))
    });
    let took = sent.elapsed();
    assert!(ended.is_some(), "still running after {took:?}");
    assert!(took < Duration::from_secs(8), "stopped after {took:?}");
    let status = child.wait().expect("status");
    assert!(status.success(), "{status:?}");
    let log = std::fs::read_to_string(dir.path().join("server.log")).expect("log");
    assert!(log.contains("stopped"), "{log}");
    for bad in ["ERROR", "closed pool", "panicked"] {
        assert!(!log.contains(bad), "`{bad}` in the log:\n{log}");
    }
    drop((stuck, idle));
}
