//! An SMTP receiver inside the test process: it accepts every message on a local port
//! and keeps it, so tests assert on the mail the newsroom really sent (no service
//! needed). It speaks just enough SMTP for one client: greeting, EHLO/HELO, MAIL,
//! RCPT, DATA, RSET, NOOP, QUIT.
#![allow(dead_code)]
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// One message as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    /// Headers and body as sent (dot-stuffing undone).
    pub data: String,
}

impl Received {
    /// A header's value (first occurrence, unfolded).
    pub fn header(&self, name: &str) -> String {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
            .unwrap_or_default()
    }

    /// The body as text: quoted-printable undone where the message says it is used.
    pub fn text(&self) -> String {
        let body = self
            .data
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or("");
        match self
            .header("Content-Transfer-Encoding")
            .to_ascii_lowercase()
            .as_str()
        {
            "quoted-printable" => decode_qp(body),
            "base64" => panic!("a base64 body: the test reads text mail only"),
            _ => body.to_owned(),
        }
    }

    /// The newsroom link the mail carries (`/admin/reset/…` or `/admin/invite/…`), as
    /// a path.
    pub fn link_path(&self) -> String {
        let text = self.text();
        let start = text.find("/admin/").expect("a newsroom link in the mail");
        text[start..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_owned()
    }
}

/// Quoted-printable (RFC 2045) to text: soft line breaks joined, `=XX` decoded.
pub fn decode_qp(s: &str) -> String {
    let joined = s.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(hex).unwrap_or("x"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

#[derive(Clone)]
pub struct Inbox {
    pub addr: SocketAddr,
    mails: Arc<Mutex<Vec<Received>>>,
    arrived: Arc<Notify>,
}

impl Inbox {
    /// A receiver on a free local port, running until the test ends.
    pub async fn start() -> Inbox {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let inbox = Inbox {
            addr,
            mails: Arc::default(),
            arrived: Arc::new(Notify::new()),
        };
        let keep = inbox.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let keep = keep.clone();
                tokio::spawn(async move {
                    let _ = keep.session(socket).await;
                });
            }
        });
        inbox
    }

    async fn session(&self, socket: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 warta-test ESMTP\r\n").await?;
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
            match verb.as_str() {
                "EHLO" => {
                    write
                        .write_all(b"250-warta-test\r\n250 8BITMIME\r\n")
                        .await?
                }
                "HELO" | "MAIL" | "NOOP" => write.write_all(b"250 OK\r\n").await?,
                "RSET" => {
                    to.clear();
                    write.write_all(b"250 OK\r\n").await?
                }
                "RCPT" => {
                    let addr = line
                        .split_once('<')
                        .and_then(|(_, r)| r.split_once('>'))
                        .map(|(a, _)| a.to_owned())
                        .unwrap_or_default();
                    to.push(addr);
                    write.write_all(b"250 OK\r\n").await?
                }
                "DATA" => {
                    write.write_all(b"354 go on\r\n").await?;
                    let mut data = String::new();
                    loop {
                        line.clear();
                        if lines.read_line(&mut line).await? == 0 {
                            return Ok(());
                        }
                        if line == ".\r\n" {
                            break;
                        }
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    }
                    self.mails.lock().expect("inbox").push(Received {
                        to: std::mem::take(&mut to),
                        data,
                    });
                    self.arrived.notify_waiters();
                    write.write_all(b"250 kept\r\n").await?
                }
                "QUIT" => {
                    write.write_all(b"221 bye\r\n").await?;
                    return Ok(());
                }
                _ => write.write_all(b"502 not here\r\n").await?,
            }
        }
    }

    /// Every message so far.
    pub fn all(&self) -> Vec<Received> {
        self.mails.lock().expect("inbox").clone()
    }

    /// Waits (up to ten seconds) until `n` messages have arrived; returns the `n`th.
    pub async fn nth(&self, n: usize) -> Received {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let wait = self.arrived.notified();
            if let Some(m) = self.all().get(n - 1) {
                return m.clone();
            }
            if tokio::time::timeout_at(deadline, wait).await.is_err() {
                panic!("mail {n} never arrived; got {:?}", self.all());
            }
        }
    }

    /// The settings that send to this receiver.
    pub fn config(&self) -> warta_web::mail::MailConfig {
        warta_web::mail::MailConfig {
            host: self.addr.ip().to_string(),
            port: self.addr.port(),
            security: warta_web::mail::Security::None,
            username: None,
            password: None,
            from: "Redaksi Warta <redaksi@warta.test>".to_owned(),
        }
    }
}

#[test]
fn quoted_printable_is_undone() {
    assert_eq!(decode_qp("a=3Db=\r\nc\r\nd"), "a=bc\nd");
    assert_eq!(decode_qp("50=25 ="), "50% =");
}
