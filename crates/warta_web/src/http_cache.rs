//! HTTP caching for browsers and shared caches (CDNs): validators, `304`s, the
//! `Cache-Control` of pages and surrogate keys.
//!
//! - Every `200` answer to a `GET` or `HEAD` with a text body (pages, feeds, sitemaps,
//!   JSON) gets a weak `ETag` computed from the body as sent (its length and CRC-32:
//!   the same on every node), and a request whose `If-None-Match` names it gets a `304`
//!   with no body. A page's relative ages are part of its body, so its tag changes
//!   when they do. What the page cache sends already carries a tag per coding (the
//!   text's tag with `-br`, `-zstd` or `-gzip` appended), made once with the variant.
//! - `Last-Modified` (set by handlers: the article's update or publication time, a
//!   list's newest story) is informative: `If-Modified-Since` alone is not answered
//!   with `304`, because a page also changes when its related block or its ages do,
//!   which no date says.
//! - Pages may be kept by shared caches for 30 seconds and served stale for 30 more
//!   while they revalidate ([`PAGE_CACHE_CONTROL`]): a copy is at most a minute old, which is
//!   the bound on related lists and ages (publishing purges the pages it changes; see
//!   issue #7's purge hook).
//! - `Surrogate-Key` lists what a page shows (`article-17 section-dunia tag-kim-jong-un`,
//!   `home`, `feeds`, `sitemaps`…) so a CDN can purge by key.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

/// `Cache-Control` of pages, feeds, sitemaps and search answers: fresh for 30 s, then
/// served stale for at most 30 s more while a fresh copy is fetched.
pub(crate) const PAGE_CACHE_CONTROL: &str = "public, max-age=30, stale-while-revalidate=30";
/// The Content API's answers: behind a key, so no shared cache keeps them, and a client
/// asks again each time (a `304` when its variant's tag still holds).
pub(crate) const PRIVATE_CACHE_CONTROL: &str = "private, no-cache";

/// Bodies larger than this are sent without a validator (none of Warta's are).
const MAX_TAGGED: usize = 32 << 20;

/// An HTTP date: `Wed, 12 Feb 2020 10:00:00 GMT`.
pub(crate) fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// A surrogate key made safe for the header (keys are separated by spaces).
pub(crate) fn key(kind: &str, name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{kind}-{name}")
}

fn textual(h: &HeaderMap) -> bool {
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("text/") || t.starts_with("application/") && !t.contains("octet-stream")
        })
}

/// The weak entity tag of a body: its length and CRC-32.
pub(crate) fn etag(body: &[u8]) -> String {
    format!("W/\"{:x}-{:08x}\"", body.len(), crc32fast::hash(body))
}

/// Whether an `If-None-Match` value names `tag` (weak comparison, as RFC 9110 asks for
/// `GET`), or is `*`.
fn matches(if_none_match: &str, tag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let want = bare(tag);
    if_none_match
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == want)
}

/// The middleware: adds the `ETag` and answers `304` where the client has the body.
pub(crate) async fn validate(req: Request, next: Next) -> Response {
    let readable = matches!(*req.method(), Method::GET | Method::HEAD);
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let res = next.run(req).await;
    if !readable || res.status() != StatusCode::OK || !textual(res.headers()) {
        return res;
    }
    // The page cache tags each variant once, when it makes it.
    if let Some(tag) = res.headers().get(header::ETAG) {
        let hit = tag
            .to_str()
            .ok()
            .zip(if_none_match.as_deref())
            .is_some_and(|(tag, inm)| matches(inm, tag));
        if !hit {
            return res;
        }
        let (mut parts, _) = res.into_parts();
        not_modified(&mut parts);
        return Response::from_parts(parts, Body::empty());
    }
    let (mut parts, body) = res.into_parts();
    // A body too large to read into memory here (or of unknown size) goes out as it
    // is, without a tag: never a 500 for being large.
    use axum::body::HttpBody;
    if body
        .size_hint()
        .upper()
        .is_none_or(|n| usize::try_from(n).map_or(true, |n| n > MAX_TAGGED))
    {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_TAGGED).await else {
        tracing::error!("a response body could not be read for its ETag");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let tag = etag(&bytes);
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    if if_none_match.is_some_and(|inm| matches(&inm, &tag)) {
        not_modified(&mut parts);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A `200`'s head made a `304`'s: no body, so no type, length or coding of one (the
/// validators, `Vary` and caching headers stay).
fn not_modified(parts: &mut axum::http::response::Parts) {
    parts.status = StatusCode::NOT_MODIFIED;
    for h in [
        header::CONTENT_TYPE,
        header::CONTENT_LENGTH,
        header::CONTENT_ENCODING,
    ] {
        parts.headers.remove(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_table() {
        let tag = etag(b"<p>halo</p>");
        assert!(tag.starts_with("W/\"b-"), "{tag}");
        assert!(matches(&tag, &tag));
        assert!(matches(&tag.replace("W/", ""), &tag));
        assert!(matches(&format!("\"x\", {tag}"), &tag));
        assert!(matches("*", &tag));
        assert!(!matches("W/\"b-00000000\"", &tag));
        assert!(!matches("", &tag));
        assert_ne!(etag(b"<p>halo</p>"), etag(b"<p>hallo</p>"));
    }

    /// A page too large to read for its tag is still served whole, untagged (it was a
    /// 500 with an empty body).
    #[tokio::test]
    async fn a_body_too_large_to_tag_is_served_untagged() {
        use tower::ServiceExt;
        let big = "x".repeat(MAX_TAGGED + 10);
        let body = big.clone();
        let app = axum::Router::new()
            .route(
                "/",
                axum::routing::get(move || {
                    let body = body.clone();
                    async move { ([(header::CONTENT_TYPE, "text/html")], body) }
                }),
            )
            .layer(axum::middleware::from_fn(validate));
        let res = app
            .oneshot(Request::get("/").body(Body::empty()).expect("request"))
            .await
            .expect("response");
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers().get(header::ETAG).is_none());
        let got = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("body");
        assert_eq!(got.len(), big.len());
    }

    #[test]
    fn keys_and_dates() {
        assert_eq!(key("tag", "kim-jong-un"), "tag-kim-jong-un");
        assert_eq!(key("tag", "a b\r\nc"), "tag-a_b__c");
        let t = DateTime::from_timestamp(1_581_501_600, 0).expect("time");
        assert_eq!(http_date(t), "Wed, 12 Feb 2020 10:00:00 GMT");
    }
}
