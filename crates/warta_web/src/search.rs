//! Search: the reader's page (`/cari`) and its JSON twin (`/api/v1/search`). Both
//! read the same parameters:
//!
//! | parameter | meaning |
//! |---|---|
//! | `q` | words, `"quoted phrases"`, `-excluded` words |
//! | `section`, `tag`, `author` | slugs to narrow to |
//! | `from`, `to` | dates `YYYY-MM-DD` in the site's time zone, both included |
//! | `sort` | `relevance` (default with words) or `newest` |
//! | `page` | 1 and up |
//!
//! Any `q` gives results or a plain message; a malformed date, sort or page is a 400
//! that names the parameter. Search pages are not in the page cache (their addresses
//! are endless; the index keeps recent searches' results itself), but they are filled
//! through the same age slots as cached pages.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use warta_search::{SearchRequest, SearchResults, Sort};

use crate::views::{self, Site};
use crate::{AppError, AppState};

/// The parameters as read from the address, before validation.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params {
    pub q: String,
    pub section: String,
    pub tag: String,
    pub author: String,
    pub from: String,
    pub to: String,
    pub sort: String,
    pub page: String,
    /// `page=` was in the address (then empty is an error, as on every list page).
    pub page_given: bool,
}

impl Params {
    fn parse(query: Option<&str>) -> Params {
        let mut p = Params::default();
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default();
        for (k, v) in pairs {
            let slot = match k.as_str() {
                "q" => &mut p.q,
                "section" => &mut p.section,
                "tag" => &mut p.tag,
                "author" => &mut p.author,
                "from" => &mut p.from,
                "to" => &mut p.to,
                "sort" => &mut p.sort,
                "page" => &mut p.page,
                _ => continue,
            };
            *slot = v;
        }
        // `page` is read as written, as the other pages read it: `%31` is not a number.
        for pair in query.unwrap_or("").split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            if k == "page" {
                p.page = v.to_owned();
                p.page_given = true;
            }
        }
        p
    }

    /// The search these parameters ask for, in the site's time zone.
    fn request(&self, tz: Tz) -> Result<SearchRequest, String> {
        let shown = |v: &str| v.chars().take(40).collect::<String>();
        let date = |name: &str, v: &str, next_day: bool| -> Result<Option<DateTime<Utc>>, String> {
            if v.is_empty() {
                return Ok(None);
            }
            let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                format!(
                    "`{name}` must be a date like 2026-11-26, not `{}`",
                    shown(v)
                )
            })?;
            let d = if next_day {
                d.succ_opt().unwrap_or(d)
            } else {
                d
            };
            let start = d
                .and_hms_opt(0, 0, 0)
                .and_then(|t| tz.from_local_datetime(&t).earliest())
                .ok_or_else(|| format!("`{name}`: `{}` is out of range", shown(v)))?;
            Ok(Some(start.with_timezone(&Utc)))
        };
        let sort = match self.sort.as_str() {
            "" if self.q.trim().is_empty() => Sort::Newest,
            "" | "relevance" => Sort::Relevance,
            "newest" => Sort::Newest,
            other => {
                return Err(format!(
                    "`sort` must be `relevance` or `newest`, not `{}`",
                    shown(other)
                ));
            }
        };
        let page = if self.page.is_empty() && !self.page_given {
            1
        } else {
            self.page
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1 && self.page.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    format!(
                        "`page` must be a whole number from 1 up, not `{}`",
                        shown(&self.page)
                    )
                })?
        };
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let from = date("from", &self.from, false)?;
        let to = date("to", &self.to, true)?;
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            return Err("`from` must not be after `to`".into());
        }
        Ok(SearchRequest {
            q: self.q.clone(),
            section: some(&self.section),
            tag: some(&self.tag),
            author: some(&self.author),
            from,
            to,
            sort,
            page: page.min(warta_search::MAX_PAGE),
            per_page: warta_search::PER_PAGE,
        })
    }

    /// This search's address with another page number.
    pub fn url_for_page(&self, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("section", &self.section),
            ("tag", &self.tag),
            ("author", &self.author),
            ("from", &self.from),
            ("to", &self.to),
            ("sort", &self.sort),
        ] {
            if !v.is_empty() {
                pairs.push((k, v.clone()));
            }
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if qs.is_empty() {
            "/cari".to_owned()
        } else {
            format!("/cari?{qs}")
        }
    }
}

/// Searches run at once, at most: one per core. More only share the cores, each
/// holding its own buffers (at a million articles and 64 connections, unbounded
/// searches on 64 threads took the server's anonymous memory from 0.5 to 2.2 GB);
/// the rest wait their turn.
static SEARCHES: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

async fn run(app: &AppState, req: SearchRequest) -> Result<SearchResults, AppError> {
    let index = app.search.clone().ok_or(AppError::Unavailable)?;
    let now = app.now();
    let _turn = SEARCHES
        .acquire()
        .await
        .map_err(|e| AppError::Internal(format!("search queue: {e}")))?;
    tokio::task::spawn_blocking(move || index.search(&req, now))
        .await
        .map_err(|e| AppError::Internal(format!("search task: {e}")))?
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub(crate) async fn show_search(
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let params = Params::parse(query.as_deref());
    let site = Site::load(&app).await?;
    let req = params.request(site.tz).map_err(AppError::BadRequest)?;
    let results = if params.q.trim().is_empty()
        && req.section.is_none()
        && req.tag.is_none()
        && req.author.is_none()
        && req.from.is_none()
        && req.to.is_none()
    {
        None
    } else {
        Some(run(&app, req).await?)
    };
    let html = views::search_page(&site, &params, results.as_ref())?;
    let body = crate::cache::fill(&html, site.locale, app.now());
    Ok(crate::public::html_response(body, "bypass"))
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ApiHit {
    id: i64,
    url: String,
    headline: String,
    section: ApiSection,
    published_at: String,
    snippet_html: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ApiSection {
    slug: String,
    name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ApiResults {
    query: String,
    total: usize,
    page: u32,
    last_page: u32,
    suggestion: Option<String>,
    truncated: bool,
    hits: Vec<ApiHit>,
}

/// `/api/v1/search`'s parameters, for its OpenAPI description (they are read by
/// [`Params::parse`], which also serves the HTML page).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct SearchQuery {
    /// What to look for: words, `"quoted phrases"`, `-excluded` words.
    q: Option<String>,
    /// Only this section (slug).
    section: Option<String>,
    /// Only this tag (slug).
    tag: Option<String>,
    /// Only this author (slug).
    author: Option<String>,
    /// Published on or after this day (`YYYY-MM-DD`, the site's zone; empty: no bound).
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    from: Option<String>,
    /// Published on or before this day (`YYYY-MM-DD`; not before `from`; empty: no
    /// bound).
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    to: Option<String>,
    /// `relevance` (the default, also when empty) or `newest`.
    #[param(pattern = "^(relevance|newest)?$")]
    sort: Option<String>,
    /// Page, from 1 (empty: 1; past the last page, the last page).
    #[param(pattern = "^[0-9]*$")]
    page: Option<String>,
}

fn api_error(status: StatusCode, error: String) -> Response {
    crate::content_api::error(status, error)
}

/// `GET /api/v1/search`: the same search as JSON. Errors are JSON too.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of results", body = ApiResults),
        (status = 400, description = "A bad parameter, named", body = crate::content_api::ApiError),
        (status = 503, description = "The search index is not available", body = crate::content_api::ApiError),
    )
)]
pub(crate) async fn api_search(State(app): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    let site = match Site::load(&app).await {
        Ok(s) => s,
        Err(e) => return api_error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    };
    let req = match params.request(site.tz) {
        Ok(r) => r,
        Err(why) => return api_error(StatusCode::BAD_REQUEST, why),
    };
    let r = match run(&app, req).await {
        Ok(r) => r,
        Err(AppError::Unavailable) => {
            return api_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "search is not available".into(),
            );
        }
        Err(e) => {
            tracing::error!(error = %e, "search failed");
            return api_error(StatusCode::INTERNAL_SERVER_ERROR, "search failed".into());
        }
    };
    let body = ApiResults {
        query: params.q.clone(),
        total: r.total,
        page: r.page,
        last_page: r.last_page,
        suggestion: r.suggestion,
        truncated: r.truncated,
        hits: r
            .hits
            .into_iter()
            .map(|h| ApiHit {
                url: site.article_url(&h.section_slug, h.published_at, &h.slug),
                id: h.id,
                headline: h.headline,
                section: ApiSection {
                    slug: h.section_slug,
                    name: h.section_name,
                },
                published_at: warta_core::locale::iso_with_offset(h.published_at, site.tz),
                snippet_html: h.snippet_html,
            })
            .collect(),
    };
    let mut res = Json(body).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(crate::http_cache::PAGE_CACHE_CONTROL),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_parameters_name_themselves() {
        let tz = Tz::Asia__Jakarta;
        let bad = |q: &str| Params::parse(Some(q)).request(tz).err().unwrap_or_default();
        assert!(bad("q=a&from=kemarin").contains("`from`"));
        assert!(bad("q=a&to=2026-13-01").contains("`to`"));
        assert!(bad("q=a&sort=acak").contains("`sort`"));
        assert!(bad("q=a&page=0").contains("`page`"));
        assert!(bad("q=a&page=").contains("`page`"));
        assert!(bad("q=a&page=%31").contains("`page`"));
        assert!(bad("q=a&from=2026-02-02&to=2026-01-01").contains("`from`"));
        assert!(Params::parse(Some("q=a&utm_source=x")).request(tz).is_ok());
    }

    #[test]
    fn dates_are_whole_days_in_the_site_zone() {
        let p = Params::parse(Some("q=a&from=2020-02-12&to=2020-02-12"));
        let r = p.request(Tz::Asia__Jakarta).unwrap_or_default();
        // 12 February in Jakarta (UTC+7) runs from 11 Feb 17:00 UTC to 12 Feb 17:00 UTC.
        assert_eq!(
            r.from.map(|t| t.to_rfc3339()).as_deref(),
            Some("2020-02-11T17:00:00+00:00")
        );
        assert_eq!(
            r.to.map(|t| t.to_rfc3339()).as_deref(),
            Some("2020-02-12T17:00:00+00:00")
        );
    }

    #[test]
    fn page_links_keep_the_search() {
        let p = Params::parse(Some("q=kim+jong&section=dunia&page=2"));
        assert_eq!(p.url_for_page(3), "/cari?q=kim+jong&section=dunia&page=3");
        assert_eq!(p.url_for_page(1), "/cari?q=kim+jong&section=dunia");
    }
}
