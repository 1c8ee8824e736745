//! The access log (issue #34): one event per request at target `access` — request
//! id, method, route template, path, status, time taken — off by default (a busy
//! site answers tens of thousands of requests a second); on with
//! `WARTA_LOG=warn,warta=info,access=info`, as one JSON object a line with
//! `WARTA_LOG_FORMAT=json`. The request id is the client's `X-Request-Id` when it is a
//! short token, else made here, and is sent back in `X-Request-Id`. Query strings are
//! not logged (search terms are the reader's).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

static NEXT: AtomicU64 = AtomicU64::new(1);

fn on() -> bool {
    tracing::enabled!(target: "access", tracing::Level::INFO)
}

/// The id of a request: the client's (`X-Request-Id`: 1 to 64 of `A-Za-z0-9-_.`),
/// or this process's next number with the process id.
fn request_id(req: &Request) -> HeaderValue {
    if let Some(v) = req.headers().get("x-request-id")
        && (1..=64).contains(&v.len())
        && v.as_bytes()
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
    {
        return v.clone();
    }
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    HeaderValue::from_str(&format!("{:x}-{n:x}", std::process::id()))
        .unwrap_or_else(|_| HeaderValue::from_static("-"))
}

/// Keeps the route template the router matched on the response, for [`log`] and the
/// metrics (a layer outside the router sees the request before it is matched).
pub(crate) async fn mark_route(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let mut res = next.run(req).await;
    if let Some(r) = route {
        res.extensions_mut().insert(r);
    }
    res
}

/// A path as logs may keep it: the secret of an invitation or reset link
/// (`/admin/reset/{token}`, `/admin/invite/{token}`) is masked, as anyone who reads
/// the log could otherwise use a link that was not used yet.
pub(crate) fn loggable_path(path: &str) -> String {
    for prefix in ["/admin/reset/", "/admin/invite/"] {
        if path.starts_with(prefix) && path.len() > prefix.len() {
            return format!("{prefix}…");
        }
    }
    path.to_owned()
}

/// The access-log middleware.
pub(crate) async fn log(req: Request, next: Next) -> Response {
    if !on() {
        return next.run(req).await;
    }
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().clone();
    let path = loggable_path(req.uri().path());
    let mut res = next.run(req).await;
    let route = res
        .extensions()
        .get::<MatchedPath>()
        .map_or("-", MatchedPath::as_str);
    tracing::info!(
        target: "access",
        request_id = id.to_str().unwrap_or("-"),
        %method,
        route,
        path,
        status = res.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
    );
    res.headers_mut().insert("x-request-id", id);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_secrets_stay_out_of_logs() {
        assert_eq!(loggable_path("/admin/reset/abc123"), "/admin/reset/…");
        assert_eq!(loggable_path("/admin/invite/abc123"), "/admin/invite/…");
        assert_eq!(loggable_path("/admin/reset"), "/admin/reset");
        assert_eq!(loggable_path("/dunia/2020/x"), "/dunia/2020/x");
    }
}
