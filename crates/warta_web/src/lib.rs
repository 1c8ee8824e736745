//! Warta's HTTP layer: the axum router, the reader-site handlers, the templates, the
//! page cache and the one error type every handler returns.
//!
//! A page request goes: router → handler → page cache (hit: fill in the relative ages
//! for *now* and send) → on a miss, store queries → view model → askama template →
//! split into text and age slots → cached → filled → sent.

mod access;
pub mod admin;
mod assets;
mod cache;
mod client;
pub mod content_api;
pub mod encoding;
mod error;
mod feeds;
mod follow;
mod health;
mod http_cache;
mod indeks;
pub mod mail;
pub mod media;
pub(crate) mod memo;
pub mod metrics;
pub mod popular;
mod public;
pub mod purge;
pub mod recent;
pub mod routes;
mod search;
pub mod server;
mod views;
pub mod webhooks;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use chrono::{DateTime, Utc};
use warta_search::SearchIndex;
use warta_store::Store;

pub use cache::{PageCache, Stats as CacheStats};
pub use client::{client_ip, parse_proxy};
pub use error::AppError;
pub use follow::follow_site;
pub use ipnet::IpNet;
pub use popular::follow_reads;

/// Where "now" comes from. Tests pin it; the server reads the system clock.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// The page cache's default budget: 128 MiB, about 4,500 article pages of 13 KB (the
/// demo's) with their compressed variants. At a million articles, with four reads in
/// five going to the newest thousand stories, 256 MiB kept no more hits than 128 (77 %
/// both) and cost 50 MB more anonymous memory (issue #26).
pub const DEFAULT_PAGE_CACHE_BYTES: u64 = 128 << 20;

/// What the web layer needs to know about its deployment.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The folder media files are served from (`<data>/media`).
    pub media_dir: PathBuf,
    /// How long a rendered page stays in the page cache. Related lists and newly due
    /// scheduled articles show up within this time.
    pub page_ttl: Duration,
    /// What the page cache may hold, in bytes (see `cache`'s notes on a page's
    /// weight).
    pub page_cache_bytes: u64,
    /// URLs in one sitemap file; a month with more is split (the protocol's 50,000;
    /// tests set fewer).
    pub sitemap_urls: u32,
    /// Content API calls per key and minute.
    pub api_per_minute: u32,
    /// Media served from an object store instead of `media_dir`.
    pub media_store: Option<media::MediaStore>,
    /// Proxies whose `X-Forwarded-For` is believed (see [`client_ip`]); none by default.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How far behind the change log the related-list work may be before `/readyz`
    /// says the node is not ready.
    pub related_lag: Duration,
    /// The data folder, whose disk use the status page shows (`None`: not shown).
    pub data_dir: Option<PathBuf>,
    /// The database as the status page names it (no password).
    pub database_shown: String,
    /// The SMTP server invitations and password resets go through (`None`: the
    /// newsroom says it cannot send mail).
    pub mail: Option<mail::MailConfig>,
    /// One client counts a story once in this long ("Terpopuler").
    pub reads_window: Duration,
}

impl WebConfig {
    pub fn new(media_dir: PathBuf) -> WebConfig {
        WebConfig {
            media_dir,
            page_ttl: Duration::from_secs(60),
            page_cache_bytes: DEFAULT_PAGE_CACHE_BYTES,
            sitemap_urls: feeds::SITEMAP_URLS,
            api_per_minute: content_api::DEFAULT_PER_MINUTE,
            media_store: None,
            trusted_proxies: Vec::new(),
            related_lag: Duration::from_secs(600),
            data_dir: None,
            database_shown: "SQLite".to_owned(),
            mail: None,
            reads_window: popular::DEDUPE,
        }
    }
}

/// Compression on the way out for everything but what the newsroom marked
/// [`admin::Uncompressed`] and what the page cache sent in its final coding.
#[derive(Clone, Copy)]
struct NotTheNewsroom;

impl tower_http::compression::Predicate for NotTheNewsroom {
    fn should_compress<B>(&self, response: &axum::http::Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        let x = response.extensions();
        x.get::<admin::Uncompressed>().is_none() && x.get::<cache::Precoded>().is_none()
    }
}

/// Shared state of every handler: one pointer, so that the clones each request makes
/// (every extractor and middleware with state takes one) cost one counter, not one
/// per field (profiled at 9 % of a cached page's time when it was a struct of Arcs).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] points at.
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    pub clock: Clock,
    pub cache: PageCache,
    pub config: Arc<WebConfig>,
    /// The search index; `None` answers search with a 503.
    pub search: Option<SearchIndex>,
    /// Content API calls left per key.
    pub api_limiter: content_api::Limiter,
    /// Photo decodes allowed at once (`warta_media::max_decodes`).
    pub decodes: Arc<tokio::sync::Semaphore>,
    /// Password checks (argon2, tens of MB each) allowed at once: two per core.
    pub passwords: Arc<tokio::sync::Semaphore>,
    /// This node's metrics (served at `/metrics` on their own address).
    pub metrics: metrics::Metrics,
    /// Sends the newsroom's mail, when `[mail]` is set up.
    pub mailer: Option<mail::Mailer>,
    /// Reads counted for "Terpopuler", and the last rankings.
    pub popular: Arc<popular::Popular>,
    /// How far this node's page cache has followed the site's writes.
    followed: Arc<tokio::sync::Mutex<Option<follow::Followed>>>,
    /// Settings, sections and picks kept between misses while following.
    pub(crate) memo: Arc<memo::Memo>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(store: Store, config: WebConfig, clock: Clock) -> AppState {
        let cache = PageCache::new(config.page_ttl, config.page_cache_bytes);
        let metrics = metrics::Metrics::new(&cache);
        {
            let metrics = metrics.clone();
            store.observe_write_waits(move |wait| metrics.write_waited(wait));
        }
        let mailer = config
            .mail
            .as_ref()
            .and_then(|c| match mail::Mailer::new(c) {
                Ok(m) => Some(m),
                Err(e) => {
                    tracing::error!("mail is off: {e}");
                    None
                }
            });
        AppState(Arc::new(Shared {
            popular: Arc::new(popular::Popular::new(config.reads_window)),
            mailer,
            cache,
            metrics,
            api_limiter: content_api::limiter(config.api_per_minute),
            decodes: Arc::new(tokio::sync::Semaphore::new(warta_media::max_decodes())),
            passwords: Arc::new(tokio::sync::Semaphore::new(2 * warta_media::max_decodes())),
            store,
            clock,
            config: Arc::new(config),
            search: None,
            followed: Arc::default(),
            memo: Arc::default(),
        }))
    }

    pub fn with_search(mut self, index: SearchIndex) -> AppState {
        Arc::make_mut(&mut self.0).search = Some(index);
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }
}

/// Puts scheduled and embargoed articles live at their time (see
/// `Store::publish_due`): at once on start (whatever fell due while the server was
/// down), then every `every`. With several nodes, one does it (the `scheduler` duty),
/// and each article goes live once even if two nodes tried.
pub fn follow_schedule(state: &AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    let (store, metrics) = (state.store.clone(), state.metrics.clone());
    tokio::spawn(async move {
        let mut duty = store.duty("scheduler");
        loop {
            if duty.held().await {
                match store.publish_due(Utc::now()).await {
                    Ok(ids) if !ids.is_empty() => {
                        metrics.scheduled(ids.len());
                        tracing::info!(?ids, "scheduled or embargoed articles went live");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "publishing what is due failed"),
                }
            }
            tokio::time::sleep(every).await;
        }
    })
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let media = tower_http::services::ServeDir::new(&state.config.media_dir);
    let media = tower::ServiceBuilder::new()
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(media);
    let content_api = routes::router(routes::Access::ApiKey).route_layer(
        axum::middleware::from_fn_with_state(state.clone(), content_api::require_key),
    );
    let from_objects = matches!(
        state.config.media_store,
        Some(media::MediaStore::Object { .. })
    );
    let router = Router::new()
        .merge(content_api)
        .merge(admin::routes(&state))
        .merge(routes::router(routes::Access::Public))
        .fallback(public::not_found);
    let router = if from_objects {
        router.route("/media/{*name}", get(media::serve_object))
    } else {
        router.nest_service("/media", media)
    };
    // Every answer (pages, media, JSON; the newsroom sets its own stricter ones): no
    // type sniffing, the referrer only as an origin to other sites, no framing by
    // other sites.
    let security = |name: &'static str, value: &'static str| {
        tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::HeaderName::from_static(name),
            axum::http::HeaderValue::from_static(value),
        )
    };
    router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render_error_pages,
        ))
        .layer(security("x-content-type-options", "nosniff"))
        .layer(security(
            "referrer-policy",
            "strict-origin-when-cross-origin",
        ))
        .layer(security("x-frame-options", "SAMEORIGIN"))
        .layer(axum::middleware::from_fn(http_cache::validate))
        .layer(axum::middleware::from_fn(access::log))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(
            tower_http::compression::CompressionLayer::new().compress_when(
                tower_http::compression::Predicate::and(
                    tower_http::compression::DefaultPredicate::new(),
                    NotTheNewsroom,
                ),
            ),
        )
        .with_state(state)
}
