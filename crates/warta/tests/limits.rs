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
