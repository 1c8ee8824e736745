//! Logs as an operator reads them (issue #34): `WARTA_LOG_FORMAT=json` gives one JSON
//! object a line, the access log (target `access`) names each request's id, route
//! template, status and time, and no colour codes reach a file.

mod support;

use std::process::Stdio;

use support::{get, serving_address, warta};

/// Serves the demo with these variables, asks for `paths`, and returns what it wrote
/// to standard error.
fn logs_of(vars: &[(&str, &str)], paths: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let err = dir.path().join("stderr.log");
    let mut cmd = warta();
    cmd.args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&err).expect("log file"));
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start");
    let addr = serving_address(&mut child);
    for p in paths {
        assert_eq!(get(&addr, p).0, 200, "{p}");
    }
    let _ = child.kill();
    let _ = child.wait();
    std::fs::read_to_string(&err).expect("read log")
}

#[test]
fn json_logs_name_each_request_and_carry_no_colour() {
    let out = logs_of(
        &[
            ("WARTA_LOG", "warn,warta=info,access=info"),
            ("WARTA_LOG_FORMAT", "json"),
        ],
        &["/", "/nasional", "/healthz"],
    );
    assert!(!out.contains('\u{1b}'), "colour codes: {out}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["message"]
            .as_str()
            .is_some_and(|m| m.contains("accepting connections"))),
        "{out}"
    );
    let access: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["target"] == "access").collect();
    let routes: Vec<(&str, &str, u64)> = access
        .iter()
        .map(|l| {
            (
                l["route"].as_str().unwrap_or(""),
                l["path"].as_str().unwrap_or(""),
                l["status"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        routes,
        [
            ("/", "/", 200),
            ("/{section}", "/nasional", 200),
            ("/healthz", "/healthz", 200)
        ],
        "{out}"
    );
    for l in access {
        assert!(
            l["request_id"].as_str().is_some_and(|s| !s.is_empty()),
            "{l}"
        );
        assert!(l["ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{l}");
        assert_eq!(l["method"], "GET", "{l}");
    }
}

#[test]
fn text_logs_to_a_file_carry_no_colour_and_no_access_log_by_default() {
    let out = logs_of(&[], &["/"]);
    assert!(out.contains("accepting connections"), "{out}");
    assert!(!out.contains('\u{1b}'), "colour codes: {out}");
    assert!(!out.contains("request_id"), "{out}");
}

#[test]
fn an_unknown_log_format_is_refused_with_what_to_write() {
    let out = warta()
        .args(["serve", "--demo"])
        .env("WARTA_LOG_FORMAT", "xml")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("WARTA_LOG_FORMAT is `xml`"), "{err}");
    assert!(err.contains("`json`"), "{err}");
}
