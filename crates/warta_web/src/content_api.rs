//! The read-only Content API for partners: articles, sections, authors and tags as
//! JSON under `/api/v1/`, described by an OpenAPI document at `/api/v1/openapi.json`
//! (generated from these handlers by `utoipa`).
//!
//! Every call needs an API key (`Authorization: Bearer <key>` or `X-Api-Key: <key>`),
//! made with `warta api-key add NAME` and stored as its SHA-256 hash; a missing,
//! unknown or revoked key is a `401` with a JSON error. Each key may make
//! `api_per_minute` calls a minute (bursts up to a tenth of that); over it, a `429`
//! with `Retry-After`. Errors are always `{"error": "…"}`.

use std::future::Future;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use warta_core::locale::Locale;
use warta_core::{ArticleSummary, Media, Status};
use warta_store::ListFilter;

use crate::cache::Rendered;
use crate::encoding::Accepts;
use crate::views::Site;
use crate::{AppState, http_cache};

/// Calls per key and minute, by default.
pub const DEFAULT_PER_MINUTE: u32 = 600;

/// Articles per page of `/api/v1/articles`, by default and at most.
const PER_PAGE: u32 = 20;
const MAX_PER_PAGE: u32 = 100;
/// The highest page number asked for (past the end, the last page is given).
const MAX_PAGE: u32 = 1_000_000;

pub type Limiter = Arc<DefaultKeyedRateLimiter<i64>>;

pub fn limiter(per_minute: u32) -> Limiter {
    let per_minute = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new((per_minute.get() / 10).max(1)).unwrap_or(NonZeroU32::MIN);
    Arc::new(RateLimiter::keyed(
        Quota::per_minute(per_minute).allow_burst(burst),
    ))
}

/// A new key (`wk_` and 48 hex digits) and the hash it is stored by.
pub fn new_key() -> Result<(String, String), String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a key: {e}"))?;
    let mut key = String::from("wk_");
    for b in bytes {
        key.push_str(&format!("{b:02x}"));
    }
    let hash = hash_key(&key);
    Ok((key, hash))
}

/// The SHA-256 of a key, in hex: what the store keeps.
pub fn hash_key(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The API's error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    pub error: String,
}

/// A JSON error answer, never cached (the search API's too).
pub(crate) fn error(status: StatusCode, msg: impl Into<String>) -> Response {
    let mut res = (status, Json(ApiError { error: msg.into() })).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "content API");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the server failed; try again later",
    )
}

/// The credentials of an `Authorization: Bearer …` header (the scheme's name is not
/// case-sensitive, RFC 9110 §11.1).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, rest) = value.trim_start().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(rest)
}

/// The middleware in front of every Content API call: a valid key, within its rate.
pub(crate) async fn require_key(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let h = req.headers();
    let key = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer)
        .or_else(|| h.get("x-api-key").and_then(|v| v.to_str().ok()))
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let Some(key) = key else {
        return error(
            StatusCode::UNAUTHORIZED,
            "an API key is needed: send it as `Authorization: Bearer <key>` or `X-Api-Key: <key>`",
        );
    };
    let found = match app.store.api_key_by_hash(&hash_key(key)).await {
        Ok(found) => found,
        Err(e) => return internal(e),
    };
    let Some(found) = found else {
        return error(StatusCode::UNAUTHORIZED, "this API key is not valid");
    };
    if found.revoked_at.is_some() {
        return error(StatusCode::UNAUTHORIZED, "this API key was revoked");
    }
    if let Err(not_until) = app.api_limiter.check_key(&found.id) {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        let secs = wait.as_secs() + 1;
        let mut res = error(
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many calls with this key; try again in {secs} s"),
        );
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return res;
    }
    next.run(req).await
}

/// A story in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleItem {
    pub id: i64,
    /// Its public address.
    pub url: String,
    pub headline: String,
    pub lede: String,
    /// The section's slug.
    pub section: String,
    /// RFC 3339, in the site's zone.
    pub published_at: String,
    pub updated_at: Option<String>,
    /// The hero photo's address, if it has one.
    pub image: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleList {
    pub articles: Vec<ArticleItem>,
    pub page: u32,
    pub last_page: u32,
    pub total: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TagItem {
    pub slug: String,
    pub name: String,
    /// person, organization, place or topic.
    pub kind: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorItem {
    pub slug: String,
    pub name: String,
    pub bio: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionItem {
    pub slug: String,
    pub name: String,
}

/// A whole story.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleFull {
    pub id: i64,
    pub url: String,
    pub headline: String,
    pub lede: String,
    /// Blocks in order: `{"type": "paragraph", "html": …}` (sanitised inline HTML),
    /// `{"type": "heading", "text": …}`, `{"type": "quote", "text": …, "cite": …}`,
    /// `{"type": "list", "ordered": true|false, "items": [html, …]}` (each item
    /// sanitised inline HTML), `{"type": "photo", "media_id": …, "caption": …, "credit": …}`,
    /// `{"type": "embed", "url": …, "title": …}`, `{"type": "correction", "text": …,
    /// "at": …}` (dated, at the end).
    #[schema(value_type = Vec<Object>)]
    pub body: Vec<serde_json::Value>,
    pub dateline_place: String,
    pub section: SectionItem,
    pub tags: Vec<TagItem>,
    pub authors: Vec<AuthorItem>,
    pub image: Option<String>,
    pub language: String,
    pub published_at: String,
    pub updated_at: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this section (slug). At most one of `section`, `tag` and `author`.
    pub section: Option<String>,
    /// Only this tag (slug).
    pub tag: Option<String>,
    /// Only this author (slug).
    pub author: Option<String>,
    /// Page, from 1 (to 1,000,000; past the last page, the last page).
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u32>,
    /// Stories per page, 1 to 100 (20 if absent).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

fn image_url(site: &Site, m: Option<&Media>) -> Option<String> {
    let m = m.filter(|m| !m.file.is_empty())?;
    Some(crate::views::media_url(
        site.settings.base_url.trim_end_matches('/'),
        &m.file,
    ))
}

fn item(site: &Site, a: &ArticleSummary) -> ArticleItem {
    let base = site.settings.base_url.trim_end_matches('/');
    ArticleItem {
        id: a.id,
        url: format!(
            "{base}{}",
            site.article_url(&a.section_slug, a.published_at, &a.slug)
        ),
        headline: a.headline.clone(),
        lede: a.lede.clone(),
        section: a.section_slug.clone(),
        published_at: warta_core::locale::iso_with_offset(a.published_at, site.tz),
        updated_at: a
            .updated_at
            .filter(|u| *u > a.published_at)
            .map(|u| warta_core::locale::iso_with_offset(u, site.tz)),
        image: image_url(site, a.hero.as_ref()),
    }
}

fn parse_query(raw: Option<&str>) -> Result<ListQuery, String> {
    serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| format!("the query cannot be read: {e}"))
}

/// Visible stories, newest first, optionally of one section, tag or author.
#[utoipa::path(
    get,
    path = "/api/v1/articles",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of stories", body = ArticleList),
        (status = 400, description = "A bad parameter", body = ApiError),
        (status = 401, description = "No, an unknown or a revoked key", body = ApiError),
        (status = 404, description = "No such section, tag or author", body = ApiError),
        (status = 429, description = "Too many calls", body = ApiError),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn list_articles(
    State(app): State<AppState>,
    accepts: Accepts,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = match parse_query(raw.as_deref()) {
        Ok(q) => q,
        Err(why) => return error(StatusCode::BAD_REQUEST, why),
    };
    let per_page = q.per_page.unwrap_or(PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return error(
            StatusCode::BAD_REQUEST,
            format!("`per_page` must be from 1 to {MAX_PER_PAGE}, not {per_page}"),
        );
    }
    let page = q.page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return error(
            StatusCode::BAD_REQUEST,
            format!("`page` counts from 1 to {MAX_PAGE}, not {page}"),
        );
    }
    let given = [&q.section, &q.tag, &q.author]
        .iter()
        .filter(|v| v.is_some())
        .count();
    if given > 1 {
        return error(
            StatusCode::BAD_REQUEST,
            "give at most one of `section`, `tag` and `author`",
        );
    }
    let key = format!(
        "api articles {:?}",
        (&q.section, &q.tag, &q.author, page, per_page)
    );
    cached_json(&app, accepts, key, || async {
        let store = &app.store;
        let (filter, list_key) = if let Some(slug) = &q.section {
            let s = named(store.section_by_slug(slug).await, "section", slug)?;
            (ListFilter::Section(s.id), http_cache::key("section", slug))
        } else if let Some(slug) = &q.tag {
            let t = named(store.tag_by_slug(slug).await, "tag", slug)?;
            (ListFilter::Tag(t.id), http_cache::key("tag", slug))
        } else if let Some(slug) = &q.author {
            let a = named(store.author_by_slug(slug).await, "author", slug)?;
            (ListFilter::Author(a.id), http_cache::key("author", slug))
        } else {
            (ListFilter::All, "home".to_owned())
        };
        let site = Site::load(&app).await.map_err(|e| Box::new(internal(e)))?;
        let list = store
            .list(filter, page, per_page, app.now())
            .await
            .map_err(|e| Box::new(internal(e)))?;
        let mut keys = vec![list_key];
        keys.extend(
            list.items
                .iter()
                .map(|a| http_cache::key("article", &a.id.to_string())),
        );
        json(
            &ArticleList {
                articles: list.items.iter().map(|a| item(&site, a)).collect(),
                page: list.page,
                last_page: list.last_page,
                total: list.total,
            },
            keys,
        )
    })
    .await
}

/// One visible story, whole.
#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}",
    params(("id" = i64, Path, description = "The story's id")),
    responses(
        (status = 200, description = "The story", body = ArticleFull),
        (status = 400, description = "Not an id", body = ApiError),
        (status = 401, description = "No, an unknown or a revoked key", body = ApiError),
        (status = 404, description = "No visible story with this id", body = ApiError),
        (status = 429, description = "Too many calls", body = ApiError),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn get_article(
    State(app): State<AppState>,
    accepts: Accepts,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return error(
            StatusCode::BAD_REQUEST,
            format!(
                "`{}` is not an article id",
                id.chars().take(40).collect::<String>()
            ),
        );
    };
    cached_json(&app, accepts, format!("api article {id}"), || async {
        let now = app.now();
        let a = match app.store.article(id).await {
            Ok(a) => a,
            Err(warta_store::StoreError::NotFound { .. }) => {
                return Err(Box::new(error(
                    StatusCode::NOT_FOUND,
                    format!("no article {id}"),
                )));
            }
            Err(e) => return Err(Box::new(internal(e))),
        };
        let Some(published) = a
            .published_at
            .filter(|t| a.status == Status::Published && *t <= now)
        else {
            return Err(Box::new(error(
                StatusCode::NOT_FOUND,
                format!("no article {id}"),
            )));
        };
        let site = match Site::load(&app).await {
            Ok(s) => s,
            Err(e) => return Err(Box::new(internal(e))),
        };
        let base = site.settings.base_url.trim_end_matches('/');
        let iso = |t| warta_core::locale::iso_with_offset(t, site.tz);
        json(
            &ArticleFull {
                id: a.id,
                url: format!(
                    "{base}{}",
                    site.article_url(&a.section.slug, published, &a.slug)
                ),
                headline: a.headline.clone(),
                lede: a.lede.clone(),
                body: a
                    .body
                    .iter()
                    .filter_map(|b| serde_json::to_value(b).ok())
                    .collect(),
                dateline_place: a.dateline_place.clone(),
                section: SectionItem {
                    slug: a.section.slug.clone(),
                    name: a.section.name.clone(),
                },
                tags: a
                    .tags
                    .iter()
                    .map(|t| TagItem {
                        slug: t.slug.clone(),
                        name: t.name.clone(),
                        kind: t.kind.as_str().to_owned(),
                    })
                    .collect(),
                authors: a
                    .authors
                    .iter()
                    .map(|u| AuthorItem {
                        slug: u.slug.clone(),
                        name: u.name.clone(),
                        bio: u.bio.clone(),
                    })
                    .collect(),
                image: image_url(&site, a.hero.as_ref()),
                language: a.language.clone(),
                published_at: iso(published),
                updated_at: a.updated_at.filter(|u| *u > published).map(iso),
            },
            vec![http_cache::key("article", &id.to_string())],
        )
    })
    .await
}

/// Every section, in the site's order.
#[utoipa::path(
    get,
    path = "/api/v1/sections",
    responses(
        (status = 200, description = "The sections", body = Vec<SectionItem>),
        (status = 401, description = "No, an unknown or a revoked key", body = ApiError),
        (status = 429, description = "Too many calls", body = ApiError),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn list_sections(State(app): State<AppState>, accepts: Accepts) -> Response {
    // A section's change bumps the site signal, which empties the whole cache.
    cached_json(&app, accepts, "api sections".to_owned(), || async {
        let all = app
            .store
            .sections()
            .await
            .map_err(|e| Box::new(internal(e)))?;
        json(
            &all.into_iter()
                .map(|s| SectionItem {
                    slug: s.slug,
                    name: s.name,
                })
                .collect::<Vec<_>>(),
            Vec::new(),
        )
    })
    .await
}

/// What a slug of a filter names, or the API's `404` (`section `x` not found`) or `500`.
fn named<T>(
    found: Result<Option<T>, warta_store::StoreError>,
    what: &str,
    slug: &str,
) -> Result<T, Box<Response>> {
    match found {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(Box::new(error(
            StatusCode::NOT_FOUND,
            format!("{what} `{slug}` not found"),
        ))),
        Err(e) => Err(Box::new(internal(e))),
    }
}

/// Answers a Content API call from the page cache, or with `render`'s JSON, which is
/// then kept with its variants and keys like a page (but private: behind a key). An
/// error answer is sent as it is and kept nowhere.
async fn cached_json<F, Fut>(app: &AppState, accepts: Accepts, key: String, render: F) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Rendered, Box<Response>>>,
{
    let now = app.now();
    if let Some(page) = app.cache.get(&key, now) {
        return app.cache.respond(&page, accepts.0, now, "hit");
    }
    match render().await {
        Ok(r) => {
            let page = app.cache.insert(key, r, now);
            app.cache.respond(&page, accepts.0, now, "miss")
        }
        Err(res) => *res,
    }
}

/// A value as the cache keeps a JSON answer.
fn json<T: Serialize>(value: &T, keys: Vec<String>) -> Result<Rendered, Box<Response>> {
    // serde_json escapes control characters, so the text holds no age slot.
    let text = serde_json::to_string(value).map_err(|e| Box::new(internal(e)))?;
    let mut r = Rendered::html(text, Locale::Id, keys);
    r.content_type = "application/json";
    r.cache_control = http_cache::PRIVATE_CACHE_CONTROL;
    Ok(r)
}

/// Every author.
#[utoipa::path(
    get,
    path = "/api/v1/authors",
    responses(
        (status = 200, description = "The authors", body = Vec<AuthorItem>),
        (status = 401, description = "No, an unknown or a revoked key", body = ApiError),
        (status = 429, description = "Too many calls", body = ApiError),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn list_authors(State(app): State<AppState>, accepts: Accepts) -> Response {
    // An author's change bumps the site signal, which empties the whole cache.
    cached_json(&app, accepts, "api authors".to_owned(), || async {
        let all = app
            .store
            .authors()
            .await
            .map_err(|e| Box::new(internal(e)))?;
        json(
            &all.into_iter()
                .map(|a| AuthorItem {
                    slug: a.slug,
                    name: a.name,
                    bio: a.bio,
                })
                .collect::<Vec<_>>(),
            Vec::new(),
        )
    })
    .await
}

/// A tag by its slug.
#[utoipa::path(
    get,
    path = "/api/v1/tags/{slug}",
    params(("slug" = String, Path, description = "The tag's slug")),
    responses(
        (status = 200, description = "The tag", body = TagItem),
        (status = 401, description = "No, an unknown or a revoked key", body = ApiError),
        (status = 404, description = "No such tag", body = ApiError),
        (status = 429, description = "Too many calls", body = ApiError),
    ),
    security(("api_key" = []))
)]
pub(crate) async fn get_tag(
    State(app): State<AppState>,
    accepts: Accepts,
    Path(slug): Path<String>,
) -> Response {
    cached_json(&app, accepts, format!("api tag {slug}"), || async {
        match app.store.visible_tag_by_slug(&slug, app.now()).await {
            Ok(Some(t)) => json(
                &TagItem {
                    slug: t.slug,
                    name: t.name,
                    kind: t.kind.as_str().to_owned(),
                },
                vec![http_cache::key("tag", &slug)],
            ),
            Ok(None) => Err(Box::new(error(
                StatusCode::NOT_FOUND,
                format!(
                    "tag `{}` not found",
                    slug.chars().take(80).collect::<String>()
                ),
            ))),
            Err(e) => Err(Box::new(internal(e))),
        }
    })
    .await
}

struct KeyScheme;

impl Modify for KeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Warta Content API",
        description = "Read-only access to a Warta site's published stories, sections, authors and tags (with an API key: `Authorization: Bearer <key>`), and its search (open to all).",
        version = "1"
    ),
    paths(list_articles, get_article, list_sections, list_authors, get_tag, crate::search::api_search),
    components(schemas(ApiError, ArticleItem, ArticleList, ArticleFull, SectionItem, AuthorItem, TagItem)),
    modifiers(&KeyScheme)
)]
struct ApiDoc;

/// `/api/v1/openapi.json`: the document above (no key needed to read it).
pub(crate) async fn openapi() -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(json) => {
            let mut res = json.into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            res
        }
        Err(e) => internal(e),
    }
}

#[cfg(test)]
mod tests {
    use super::bearer;

    #[test]
    fn the_bearer_scheme_is_read_in_any_case() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer abc"), Some("abc"));
        assert_eq!(bearer("BEARER abc"), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearerabc"), None);
    }
}
