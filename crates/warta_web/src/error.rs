//! The one error type of the web layer. Handlers return it; it becomes a short page for
//! the reader (the detail goes to the log), and the `render_error_pages` middleware
//! dresses every error response, including the router's own 404, in the site's
//! language and navigation.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use warta_store::StoreError;

use crate::AppState;
use crate::views;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Not allowed for this account, or a request without a valid CSRF token.
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("service unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound { .. } => AppError::NotFound,
            e if e.is_unavailable() => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> AppError {
        AppError::Internal(format!("template: {e}"))
    }
}

/// Carried in the response's extensions so the middleware can render the page.
#[derive(Debug, Clone)]
pub(crate) struct ErrorPage {
    pub status: StatusCode,
    pub detail: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, detail) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, None),
            AppError::BadRequest(why) => (StatusCode::BAD_REQUEST, Some(why)),
            AppError::Forbidden(why) => (StatusCode::FORBIDDEN, Some(why)),
            AppError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, None),
            AppError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, None)
            }
        };
        let mut res = (status, Html(status.to_string())).into_response();
        res.extensions_mut().insert(ErrorPage { status, detail });
        res
    }
}

/// Replaces the body of an error response with the site's error page.
pub(crate) async fn render_error_pages(
    State(app): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let uri = req.uri().clone();
    let method = req.method().clone();
    let res = next.run(req).await;
    if res.status().is_server_error() && res.status() != StatusCode::SERVICE_UNAVAILABLE {
        // Every 500 is logged with the request it answered (the detail, where there
        // is one, was logged where it arose).
        let path = crate::access::loggable_path(uri.path());
        tracing::error!(%method, path, status = res.status().as_u16(), "request failed");
    }
    let Some(page) = res.extensions().get::<ErrorPage>().cloned() else {
        return res;
    };
    if page.status == StatusCode::NOT_FOUND
        && let Some(to) = legacy_redirect(&app, &uri).await
    {
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(axum::http::header::LOCATION, to)],
        )
            .into_response();
    }
    // With the database away, the site's chrome cannot be read either: answer at
    // once, and say when to come back.
    if page.status == StatusCode::SERVICE_UNAVAILABLE {
        let mut out = (page.status, Html(plain_error_page(page.status))).into_response();
        let headers = out.headers_mut();
        headers.insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        headers.insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("5"),
        );
        return out;
    }
    match views::error_page(&app, page.status, page.detail.as_deref()).await {
        Ok(html) => {
            let mut out = (page.status, Html(html)).into_response();
            out.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            if uri.path() == "/admin" || uri.path().starts_with("/admin/") {
                crate::admin::newsroom_answer(&mut out);
            }
            out
        }
        // The store itself may be what failed: fall back to a page with no chrome.
        Err(e) => {
            tracing::error!(error = %e, "rendering the error page failed");
            (page.status, Html(plain_error_page(page.status))).into_response()
        }
    }
}

/// An address the article had on the old site (kept by the importers) answers with a
/// 301 to where it lives now. Looked up only once the router found nothing, so it
/// costs nothing on pages that exist.
pub(crate) async fn legacy_redirect(app: &AppState, uri: &axum::http::Uri) -> Option<String> {
    let path = uri.path();
    let mut candidates = vec![path.to_owned()];
    if let Some(q) = uri.query() {
        candidates.insert(0, format!("{path}?{q}"));
    }
    match path.strip_suffix('/') {
        Some(p) if !p.is_empty() => candidates.push(p.to_owned()),
        _ => candidates.push(format!("{path}/")),
    }
    for c in candidates {
        let Ok(Some(id)) = app.store.legacy_path(&c).await else {
            continue;
        };
        let article = app.store.article(id).await.ok()?;
        let now = app.now();
        let published = article.published_at.filter(|t| *t <= now)?;
        if article.status != warta_core::Status::Published {
            return None;
        }
        let site = views::Site::load(app).await.ok()?;
        return Some(site.article_url(&article.section.slug, published, &article.slug));
    }
    None
}

/// An error page that needs nothing from the store.
fn plain_error_page(status: StatusCode) -> String {
    format!(
        "<!doctype html><html lang=\"id\"><meta charset=\"utf-8\"><title>{0}</title><h1>{0}</h1>",
        status
    )
}
