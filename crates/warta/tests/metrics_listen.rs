//! `--metrics-listen` (issue #34): `/metrics` answers on its own address, counting
//! what the site's address served, and not on the site's address.

mod support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use support::{get, warta};

#[test]
fn metrics_answer_on_their_own_address_only() {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = warta()
        .args([
            "serve",
            "--demo",
            "--listen",
            "127.0.0.1:0",
            "--metrics-listen",
            "127.0.0.1:0",
        ])
        .arg("--data")
        .arg(dir.path())
        .env("WARTA_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("warta serve");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let (mut site, mut metrics) = (None, None);
    while site.is_none() || metrics.is_none() {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("warta serve did not say where it serves");
        if let Some(a) = line.strip_prefix("Warta is serving http://") {
            site = Some(a.trim().to_owned());
        }
        if let Some(a) = line.strip_prefix("metrics: http://") {
            metrics = Some(a.split('/').next().unwrap_or_default().to_owned());
        }
    }
    let (site, metrics) = (site.unwrap_or_default(), metrics.unwrap_or_default());
    assert_ne!(site, metrics);
    assert_eq!(get(&site, "/").0, 200);
    assert_eq!(get(&site, "/").0, 200);
    let (status, body) = get(&metrics, "/metrics");
    let on_site = get(&site, "/metrics").0;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200);
    assert!(
        body.contains("warta_http_requests_total{route=\"/\",method=\"GET\",status=\"200\"} 2"),
        "{body}"
    );
    assert!(
        body.contains("warta_page_cache_requests_total{result=\"hit\"} 1"),
        "{body}"
    );
    assert_eq!(on_site, 404, "the site's address does not serve metrics");
}
