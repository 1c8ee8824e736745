//! The newsroom at `/admin`: server-rendered pages (askama) that work without
//! JavaScript, with a few lines of script for autosave and tag completion. Every page
//! but login and first-run sits behind [`auth::require_staff`] (session and CSRF);
//! every handler asks [`auth::Staff::may`] before it acts, with the rules of
//! `warta_core::newsroom`.

pub(crate) mod address;
pub mod auth;
pub(crate) mod conflict;
pub(crate) mod desk;
pub(crate) mod editor;
pub(crate) mod editor_api;
pub(crate) mod form;
pub(crate) mod front;
pub(crate) mod identity;
pub(crate) mod links;
pub(crate) mod pages;
pub(crate) mod pending;
pub(crate) mod photos;
pub(crate) mod preview;
pub(crate) mod seo;
pub(crate) mod shared;
pub(crate) mod site;
mod stash;
pub(crate) mod status;
mod suggest;
pub(crate) mod users;
pub(crate) mod versions;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use warta_core::Status;
use warta_core::locale::AdminStrings;
use warta_core::newsroom::Role;

use crate::{AppError, AppState, assets, views::Site};

/// What every newsroom page shows around its content.
pub(crate) struct AdminChrome {
    pub lang: &'static str,
    pub t: &'static AdminStrings,
    pub site_name: String,
    pub css: String,
    /// Empty before login.
    pub user_name: String,
    pub csrf: String,
    pub is_admin: bool,
    /// Editors and admins: the front page's link.
    pub is_editor: bool,
    pub current: &'static str,
}

impl AdminChrome {
    pub async fn load(
        app: &AppState,
        staff: Option<&auth::Staff>,
        current: &'static str,
    ) -> Result<AdminChrome, AppError> {
        let site = Site::load(app).await?;
        Ok(AdminChrome {
            lang: site.locale.admin().lang,
            t: site.locale.admin(),
            site_name: site.settings.name,
            css: assets::css_url(),
            user_name: staff.map(|s| s.user.name.clone()).unwrap_or_default(),
            csrf: staff.map(|s| s.csrf.clone()).unwrap_or_default(),
            is_admin: staff.is_some_and(|s| s.user.role == Role::Admin),
            is_editor: staff.is_some_and(|s| s.user.role >= Role::Editor),
            current,
        })
    }
}

/// The newsroom's texts in the site's language.
pub(crate) async fn strings(app: &AppState) -> &'static AdminStrings {
    app.store
        .settings()
        .await
        .ok()
        .and_then(|s| s.locale().ok())
        .unwrap_or(warta_core::Locale::Id)
        .admin()
}

/// A newsroom page: never cached by anyone, never framed, never compressed.
pub(crate) fn page(html: String) -> Response {
    let mut res = html.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    newsroom_answer(&mut res);
    res
}

/// Marks a response as the newsroom's: it is sent uncompressed (its pages hold the
/// CSRF token beside what the user typed, which compression would let an attacker
/// guess byte by byte: BREACH).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Uncompressed;

/// What every newsroom answer carries, its error pages included: no caching, no
/// framing, no script but the newsroom's own file, no compression.
pub(crate) fn newsroom_answer(res: &mut Response) {
    res.extensions_mut().insert(Uncompressed);
    newsroom_headers(res.headers_mut());
}

fn newsroom_headers(h: &mut axum::http::HeaderMap) {
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data: https: http:; script-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
}

pub(crate) fn status_name(t: &AdminStrings, s: Status) -> &'static str {
    warta_core::problem::status_word(t, s)
}

pub(crate) fn role_name(t: &AdminStrings, r: Role) -> &'static str {
    match r {
        Role::Contributor => t.role_contributor,
        Role::Editor => t.role_editor,
        Role::Admin => t.role_admin,
    }
}

/// The newsroom's routes (see `routes`): those behind a session with their guard and
/// the upload size, and the login pages.
pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let guarded = crate::routes::router(crate::routes::Access::Staff)
        .layer(axum::extract::DefaultBodyLimit::max(
            photos::MAX_UPLOAD + 64 * 1024,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_staff,
        ));
    Router::new()
        .merge(guarded)
        .merge(crate::routes::router(crate::routes::Access::Login))
}

/// The newsroom's few lines of script (autosave, tag completion), as a file so that
/// the pages' content security policy can stay strict about inline code.
pub(crate) async fn serve_script() -> Response {
    let mut res = include_str!("../static/newsroom.js").into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}
