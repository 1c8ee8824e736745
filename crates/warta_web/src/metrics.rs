//! `/metrics` in Prometheus' text format (issue #34), on its own listen address
//! (`metrics_listen` in the config; off by default, so never public by accident).
//!
//! What it counts:
//! - `warta_http_requests_total{route, method, status}` and
//!   `warta_http_request_duration_seconds{route}`: every request, by the route's
//!   template (`/{section}/{y}/{m}/{d}/{slug}`, not the address asked for, so that the
//!   label set stays small); answers no route made (a 404, a redirect to the login) are `route="other"`.
//! - `warta_page_cache_requests_total{result="hit"|"miss"}`, `warta_page_cache_sent_bytes_total`,
//!   `warta_page_cache_bytes` and `warta_page_cache_pages` (what it holds).
//! - `warta_search_lag_seconds`, `warta_related_lag_seconds`: how far behind the change
//!   log this node's search index and the site's related lists are (as `/readyz` says).
//! - `warta_write_lock_wait_seconds`: how long each write waited for the write lock.
//! - `warta_newsroom_saves_total{action}` (`published`, `saved`, …) and
//!   `warta_scheduled_publications_total`: articles put live by the scheduler.
//! - `warta_deliveries_total{kind="webhook"|"purge", outcome="ok"|"failed"}`.
//! - `warta_logins_total{outcome="ok"|"failed"|"throttled"}`.
//! - `warta_database_connections{pool, state="open"|"idle"|"max"}`.
//!
//! Counters and histograms are this process's (a node's own, from its start), as
//! Prometheus expects; gauges are read when scraped.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::AppState;
use crate::cache::PageCache;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: &'static str,
}

/// A route template as a `&'static str`, so that counting a request allocates
/// nothing: the router's templates are a fixed few, each kept once for the process.
fn interned(route: &str) -> &'static str {
    static SEEN: std::sync::RwLock<Vec<&'static str>> = std::sync::RwLock::new(Vec::new());
    if let Some(r) = SEEN
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|r| **r == route)
    {
        return r;
    }
    let mut seen = SEEN.write().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = seen.iter().find(|r| **r == route) {
        return r;
    }
    let r: &'static str = Box::leak(route.to_owned().into_boxed_str());
    seen.push(r);
    r
}

fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ActionLabel {
    action: &'static str,
}

/// What a delivery was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryKind {
    Webhook,
    Purge,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DeliveryLabels {
    kind: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabel {
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
    state: &'static str,
}

/// How a login attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Login {
    Ok,
    Failed,
    Throttled,
}

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabel, Histogram>,
    saves: Family<ActionLabel, Counter>,
    scheduled: Counter,
    deliveries: Family<DeliveryLabels, Counter>,
    logins: Family<OutcomeLabel, Counter>,
    write_waits: Histogram,
    search_lag: Gauge<f64, AtomicU64>,
    related_lag: Gauge<f64, AtomicU64>,
    cache_bytes: Gauge,
    cache_pages: Gauge,
    connections: Family<PoolLabels, Gauge>,
}

/// A node's metrics. Cheap to clone.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

/// Seconds from 1 ms to about 16 s, doubling.
fn seconds_buckets() -> impl Iterator<Item = f64> {
    exponential_buckets(0.001, 2.0, 15)
}

impl Metrics {
    /// Metrics over `cache` (its hit and miss counters are read when scraped).
    pub(crate) fn new(cache: &PageCache) -> Metrics {
        let mut registry = Registry::with_prefix("warta");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route template, method and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabel, Histogram>::new_with_constructor(|| {
            Histogram::new(seconds_buckets())
        });
        registry.register(
            "http_request_duration_seconds",
            "Time from the request's arrival to its answer's headers, by route template",
            latency.clone(),
        );
        let saves = Family::<ActionLabel, Counter>::default();
        registry.register(
            "newsroom_saves",
            "Articles saved in the newsroom, by what the save did (published, saved, scheduled, ...)",
            saves.clone(),
        );
        let scheduled = Counter::default();
        registry.register(
            "scheduled_publications",
            "Scheduled or embargoed articles this node put live",
            scheduled.clone(),
        );
        let deliveries = Family::<DeliveryLabels, Counter>::default();
        registry.register(
            "deliveries",
            "Webhook and purge-hook calls, by outcome (after their retries)",
            deliveries.clone(),
        );
        let logins = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "logins",
            "Newsroom login attempts, by outcome (throttled: refused before the password was checked)",
            logins.clone(),
        );
        let write_waits = Histogram::new(seconds_buckets());
        registry.register(
            "write_lock_wait_seconds",
            "How long each write transaction waited for the database's write lock",
            write_waits.clone(),
        );
        let search_lag = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "search_lag_seconds",
            "How far this node's search index is behind the change log (-1: cannot tell)",
            search_lag.clone(),
        );
        let related_lag = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "related_lag_seconds",
            "How far the related lists are behind the change log (-1: cannot tell)",
            related_lag.clone(),
        );
        let cache_bytes = Gauge::default();
        registry.register(
            "page_cache_bytes",
            "What the page cache holds, in bytes (pages with their compressed variants)",
            cache_bytes.clone(),
        );
        let cache_pages = Gauge::default();
        registry.register(
            "page_cache_pages",
            "Pages the page cache holds",
            cache_pages.clone(),
        );
        let connections = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "database_connections",
            "The database pool's connections: open, idle, and the most it opens",
            connections.clone(),
        );
        registry.register_collector(Box::new(CacheCounters(cache.stats_handle())));
        Metrics(Arc::new(Inner {
            registry,
            requests,
            latency,
            saves,
            scheduled,
            deliveries,
            logins,
            write_waits,
            search_lag,
            related_lag,
            cache_bytes,
            cache_pages,
            connections,
        }))
    }

    /// One newsroom save, by what it did (`published`, `saved`, …).
    pub fn saved(&self, action: &'static str) {
        self.0.saves.get_or_create(&ActionLabel { action }).inc();
    }

    /// Articles the scheduler put live.
    pub fn scheduled(&self, n: usize) {
        self.0.scheduled.inc_by(n as u64);
    }

    /// One webhook or purge call's end, after its retries.
    pub fn delivered(&self, kind: DeliveryKind, ok: bool) {
        let outcome = if ok { "ok" } else { "failed" };
        let kind = match kind {
            DeliveryKind::Webhook => "webhook",
            DeliveryKind::Purge => "purge",
        };
        self.0
            .deliveries
            .get_or_create(&DeliveryLabels { kind, outcome })
            .inc();
    }

    pub fn login(&self, how: Login) {
        let outcome = match how {
            Login::Ok => "ok",
            Login::Failed => "failed",
            Login::Throttled => "throttled",
        };
        self.0.logins.get_or_create(&OutcomeLabel { outcome }).inc();
    }

    /// A write's wait for the write lock (see `Store::observe_write_waits`).
    pub fn write_waited(&self, wait: std::time::Duration) {
        self.0.write_waits.observe(wait.as_secs_f64());
    }

    fn request(&self, route: &'static str, method: &'static str, status: StatusCode, took: f64) {
        self.0
            .latency
            .get_or_create(&RouteLabel { route })
            .observe(took);
        self.0
            .requests
            .get_or_create(&RequestLabels {
                route,
                method,
                status: status.as_u16(),
            })
            .inc();
    }

    /// The text Prometheus reads, with the gauges read now.
    pub async fn render(&self, app: &AppState) -> String {
        let now = app.now();
        let secs = |d: Result<chrono::Duration, String>| match d {
            Ok(d) => d.num_milliseconds() as f64 / 1000.0,
            Err(_) => -1.0,
        };
        self.0
            .search_lag
            .set(secs(crate::health::search_lag(app, now).await));
        self.0
            .related_lag
            .set(secs(crate::health::related_lag(app, now).await));
        let (pages, bytes) = app.cache.size();
        self.0
            .cache_pages
            .set(i64::try_from(pages).unwrap_or(i64::MAX));
        self.0
            .cache_bytes
            .set(i64::try_from(bytes).unwrap_or(i64::MAX));
        let pool = app.store.pool_state();
        for (state, n) in [("open", pool.open), ("idle", pool.idle), ("max", pool.max)] {
            self.0
                .connections
                .get_or_create(&PoolLabels {
                    pool: "primary",
                    state,
                })
                .set(i64::from(n));
        }
        let mut out = String::new();
        if prometheus_client::encoding::prometheus_text::encode(&mut out, &self.0.registry).is_err()
        {
            tracing::error!("metrics could not be written");
        }
        out
    }
}

/// The page cache's own counters, read when scraped.
#[derive(Debug)]
struct CacheCounters(Arc<crate::cache::Stats>);

impl prometheus_client::collector::Collector for CacheCounters {
    fn encode(
        &self,
        mut encoder: prometheus_client::encoding::DescriptorEncoder,
    ) -> Result<(), std::fmt::Error> {
        use prometheus_client::encoding::EncodeMetric;
        use prometheus_client::metrics::MetricType;
        let read = |c: &AtomicU64| c.load(Ordering::Relaxed);
        {
            let mut family = encoder.encode_descriptor(
                "page_cache_requests",
                "Pages answered from the page cache (hit) and rendered for it (miss)",
                None,
                MetricType::Counter,
            )?;
            for (result, n) in [("hit", read(&self.0.hits)), ("miss", read(&self.0.misses))] {
                let labels = ResultLabel { result };
                ConstCounter::new(n).encode(family.encode_family(&labels)?)?;
            }
        }
        let sent = encoder.encode_descriptor(
            "page_cache_sent_bytes",
            "Bytes of page bodies sent from the page cache, as sent (compressed where asked)",
            None,
            MetricType::Counter,
        )?;
        ConstCounter::new(read(&self.0.bytes_sent)).encode(sent)?;
        Ok(())
    }
}

/// Records every request's route template, status and time (a layer on the whole
/// router; the template is the `MatchedPath` that `access::mark_route` puts on the
/// answer: `other` for answers no route made, such as a 404 or a redirect to the
/// login before the route ran).
pub(crate) async fn track(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    let res = next.run(req).await;
    let route = res
        .extensions()
        .get::<MatchedPath>()
        .map_or("other", |p| interned(p.as_str()));
    app.metrics
        .request(route, method, res.status(), started.elapsed().as_secs_f64());
    res
}

/// The router of the metrics address: `/metrics` alone.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", axum::routing::get(serve))
        .with_state(state)
}

async fn serve(State(app): State<AppState>) -> Response {
    let text = app.metrics.render(&app).await;
    (
        [
            (
                header::CONTENT_TYPE,
                prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_is_kept_once() {
        let a = interned("/{section}/{y}/{m}/{d}/{slug}");
        let b = interned(&String::from("/{section}/{y}/{m}/{d}/{slug}"));
        assert!(std::ptr::eq(a, b));
        assert_eq!(interned("/cari"), "/cari");
        assert_eq!(method_label(&axum::http::Method::GET), "GET");
        assert_eq!(method_label(&axum::http::Method::TRACE), "other");
    }
}
