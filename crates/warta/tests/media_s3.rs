//! Media in an S3-compatible bucket (issue #8), against moto in server mode on
//! loopback: the demo's photos go up to the bucket, and the node serves `/media/…`
//! from the bucket, not from its data folder.
//!
//! Needs `moto_server` (PyPI `moto[server]`; `.ci/run` installs it); skipped with a
//! note without it, unless `WARTA_REQUIRE_S3` is set.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::{get, wait_for};

/// A child process (moto, a node), killed when dropped, also when a check fails.
struct Moto(Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A raw request to moto; its status and body bytes.
fn raw(addr: &str, method: &str, path: &str) -> (u16, Vec<u8>) {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return (0, Vec::new());
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if s.write_all(req.as_bytes()).is_err() {
        return (0, Vec::new());
    }
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(buf.len(), |p| p + 4);
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut body = buf[split..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&b[start..(start + size).min(b.len())]);
        b = &b[(start + size + 2).min(b.len())..];
    }
    out
}

#[test]
fn media_go_to_the_bucket_and_are_served_from_it() {
    let Ok(moto_bin) = which("moto_server") else {
        assert!(
            std::env::var("WARTA_REQUIRE_S3").is_err(),
            "WARTA_REQUIRE_S3 is set but moto_server is not installed"
        );
        eprintln!("moto_server is not installed: S3 media test skipped");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let addr = format!("127.0.0.1:{port}");
    let _moto = Moto(
        Command::new(moto_bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto"),
    );
    wait_for(Duration::from_secs(20), || raw(&addr, "GET", "/").0 == 200)
        .expect("moto did not start");
    assert_eq!(
        raw(&addr, "PUT", "/warta-media").0,
        200,
        "create the bucket"
    );

    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("warta.toml"),
        format!(
            "[media]\ns3_bucket = \"warta-media\"\ns3_endpoint = \"http://{addr}\"\ns3_prefix = \"situs\"\n"
        ),
    )
    .expect("config");
    let mut child = Moto(
        support::warta()
            .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data"])
            .arg(dir.path())
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("WARTA_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("serve"),
    );
    let out = child.0.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut said = Vec::new();
    let node = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("the node did not start: {said:?}"));
        if let Some(a) = line.strip_prefix("Warta is serving http://") {
            break a.trim().to_owned();
        }
        said.push(line);
    };
    let uploaded = said
        .iter()
        .find(|l| l.starts_with("media: s3://warta-media/situs"));
    assert!(
        uploaded.is_some_and(|l| !l.contains("(0 files")),
        "{said:?}"
    );

    let (_, home) = get(&node, "/");
    let src = home
        .split("src=\"/media/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a photo on the home page")
        .to_owned();
    // Served from the bucket: the local copy is gone (moto wants signed requests,
    // so the bytes are compared with the file that was uploaded).
    let local = std::fs::read(dir.path().join("media").join(&src)).expect("the local file");
    std::fs::remove_dir_all(dir.path().join("media")).expect("remove the local media");
    let (status, from_node) = raw(&node, "GET", &format!("/media/{src}"));
    assert_eq!(status, 200, "/media/{src}");
    assert!(from_node.len() > 1000);
    assert_eq!(
        from_node, local,
        "the node serves the uploaded bytes from the bucket"
    );
    // Unsigned requests cannot read the bucket behind the node's back.
    assert_eq!(
        raw(&addr, "GET", &format!("/warta-media/situs/{src}")).0,
        403
    );
    assert_eq!(raw(&node, "GET", "/media/tidak-ada.jpg").0, 404);
    assert_eq!(raw(&node, "GET", "/media/../warta.toml").0, 404);
    drop(child);
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}
