//! Accounts in the web layer: password hashes (argon2id), sessions (a random cookie
//! whose SHA-256 is the row key), CSRF tokens (one per session, checked on every
//! state-changing request), login throttling (failures per account and per address,
//! counted in the database so every node sees them), the first-run page and logout.

use std::net::SocketAddr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use askama::Template;
use axum::extract::{ConnectInfo, FromRequest, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::Duration;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use warta_core::locale::AdminStrings;
use warta_core::newsroom::Role;
use warta_store::User;

use super::{AdminChrome, page};
use crate::{AppError, AppState};

pub(crate) const SESSION_COOKIE: &str = "warta_session";
/// Before login there is no session: the login form's token is checked against this
/// cookie (double submit).
const LOGIN_COOKIE: &str = "warta_login";
pub(crate) const SESSION_HOURS: i64 = 12;
/// Failed logins in this window lock out an account (5) or an address (20).
const WINDOW_MINUTES: i64 = 15;
const ACCOUNT_LIMIT: i64 = 5;
const ADDRESS_LIMIT: i64 = 20;
pub const MIN_PASSWORD: usize = 10;

/// Hashes a password with argon2id (PHC string with its own salt and parameters).
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// [`hash_password`] on a blocking thread (it takes tens of milliseconds on purpose).
pub(crate) async fn hash_off_thread(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)
}

/// Whether `password` matches a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Checks a new password; the message says what is wrong.
pub fn check_new_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(format!(
            "the password needs at least {MIN_PASSWORD} characters"
        ));
    }
    Ok(())
}

pub(crate) fn random_token() -> Result<String, AppError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// Compares two secrets in time that does not depend on where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Cookies are `Secure` when the request came over HTTPS (directly, or through a
/// proxy that says so).
fn secure(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn set_cookie(headers: &HeaderMap, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if secure(headers) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/admin; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("warta_invalid=1"))
}

/// The logged-in account of a request, with its session's CSRF token.
#[derive(Debug, Clone)]
pub(crate) struct Staff {
    pub user: User,
    pub csrf: String,
    pub t: &'static AdminStrings,
}

impl Staff {
    pub fn may(&self, action: warta_core::newsroom::Action) -> Result<(), AppError> {
        if warta_core::newsroom::may(self.user.role, action) {
            Ok(())
        } else {
            Err(AppError::Forbidden(self.t.forbidden.to_owned()))
        }
    }
}

/// The address a request came from (for throttling); "unknown" in tests without a
/// socket.
fn client_address(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Guards every newsroom page but login and first-run: finds the session (none or
/// expired: to the login page, saying which), and checks the CSRF token of every
/// request that is not a GET or HEAD: from the `X-CSRF-Token` header, or the `csrf`
/// field of a form (a multipart upload checks its own field). A request that fails
/// is answered 403 and changes nothing.
pub(crate) async fn require_staff(
    State(app): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let t = super::strings(&app).await;
    // Only owned values across the awaits below: a request body is not `Sync`.
    let next_path = match (req.method(), req.uri().path_and_query()) {
        (&Method::GET, Some(p)) => p.as_str().to_owned(),
        _ => "/admin".to_owned(),
    };
    let back = |expired: bool| {
        let mut q = vec![("next", next_path.as_str())];
        if expired {
            q.push(("expired", "1"));
        }
        let q = serde_urlencoded::to_string(q).unwrap_or_default();
        Redirect::to(&format!("/admin/login?{q}")).into_response()
    };
    let Some(token) = cookie(req.headers(), SESSION_COOKIE) else {
        return Ok(back(false));
    };
    let hash = token_hash(token);
    let Some(session) = app.store.session(&hash).await? else {
        return Ok(back(false));
    };
    if session.expires_at <= app.now() {
        app.store.delete_session(&hash).await?;
        return Ok(back(true));
    }
    if session.user.disabled {
        return Ok(back(false));
    }
    let staff = Staff {
        user: session.user,
        csrf: session.csrf,
        t,
    };
    let req = if matches!(*req.method(), Method::GET | Method::HEAD) {
        req
    } else {
        check_origin(&req, t)?;
        check_csrf(req, &staff).await?
    };
    let mut req = req;
    req.extensions_mut().insert(staff);
    Ok(next.run(req).await)
}

/// A browser sends `Origin` with a cross-site POST; one naming another host is refused
/// before anything else (a second wall behind the token).
fn check_origin(req: &Request, t: &AdminStrings) -> Result<(), AppError> {
    let (Some(origin), Some(host)) = (
        req.headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok()),
        req.headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok()),
    ) else {
        return Ok(());
    };
    let origin_host = origin.split("://").nth(1).unwrap_or(origin);
    if origin == "null" || origin_host != host {
        return Err(AppError::Forbidden(t.csrf_failed.to_owned()));
    }
    Ok(())
}

/// Form bodies larger than this are refused before their token is read.
const FORM_LIMIT: usize = 4 * 1024 * 1024;

async fn check_csrf(req: Request, staff: &Staff) -> Result<Request, AppError> {
    let failed = || AppError::Forbidden(staff.t.csrf_failed.to_owned());
    if let Some(v) = req.headers().get("x-csrf-token") {
        return match v.to_str() {
            Ok(v) if same_secret(v, &staff.csrf) => Ok(req),
            _ => Err(failed()),
        };
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if content_type.starts_with("multipart/form-data") {
        // The upload handler reads its `csrf` field before anything else.
        return Ok(req);
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(failed());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError::BadRequest("the form is too large".into()))?;
    let token = form_urlencoded_field(&bytes, "csrf");
    if !token.is_some_and(|t| same_secret(&t, &staff.csrf)) {
        return Err(failed());
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    a: AdminChrome,
    token: String,
    next: String,
    email: String,
    message: String,
    setup: bool,
}

#[derive(Deserialize, Default)]
pub(crate) struct LoginQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    expired: String,
}

async fn login_page(
    app: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    next: &str,
    email: &str,
    message: &str,
    setup: bool,
) -> Result<Response, AppError> {
    let token = random_token()?;
    let a = AdminChrome::load(app, None, "").await?;
    let html = LoginPage {
        a,
        token: token.clone(),
        next: safe_next(next).to_owned(),
        email: email.to_owned(),
        message: message.to_owned(),
        setup,
    }
    .render()?;
    let mut res = page(html);
    *res.status_mut() = status;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(headers, LOGIN_COOKIE, &token, 3600),
    );
    Ok(res)
}

/// Only addresses inside the newsroom are followed after login.
fn safe_next(next: &str) -> &str {
    if next.starts_with("/admin") && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/admin"
    }
}

pub(crate) async fn show_login(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let t = super::strings(&app).await;
    if app.store.user_count().await? == 0 {
        return Ok(Redirect::to("/admin/setup").into_response());
    }
    let message = if q.expired == "1" {
        t.session_expired
    } else {
        ""
    };
    login_page(&app, &headers, StatusCode::OK, &q.next, "", message, false).await
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    next: String,
}

pub(crate) async fn login(State(app): State<AppState>, req: Request) -> Result<Response, AppError> {
    let address = client_address(&req);
    let headers = req.headers().clone();
    let Form(form) = Form::<LoginForm>::from_request(req, &app)
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?;
    let t = super::strings(&app).await;
    let again = |status, message: &'static str| {
        login_page(
            &app,
            &headers,
            status,
            &form.next,
            &form.email,
            message,
            false,
        )
    };
    if !cookie(&headers, LOGIN_COOKIE).is_some_and(|c| same_secret(c, &form.token)) {
        return again(StatusCode::FORBIDDEN, t.csrf_failed).await;
    }
    let now = app.now();
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let account = format!("account:{}", warta_store::normalize_email(&form.email));
    let from = format!("address:{address}");
    if app.store.login_failures(&account, since).await? >= ACCOUNT_LIMIT
        || app.store.login_failures(&from, since).await? >= ADDRESS_LIMIT
    {
        return again(StatusCode::TOO_MANY_REQUESTS, t.login_throttled).await;
    }
    let found = app.store.user_by_email(&form.email).await?;
    let password = form.password.clone();
    let user = match found {
        Some((user, hash)) if !user.disabled => {
            let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
                .await
                .unwrap_or(false);
            ok.then_some(user)
        }
        // Spend the same work on an unknown or disabled account, so timing does not
        // tell which addresses exist.
        _ => {
            let _ = tokio::task::spawn_blocking(move || hash_password(&password)).await;
            None
        }
    };
    let Some(user) = user else {
        app.store
            .record_login_failure(&[account, from], now)
            .await?;
        return again(StatusCode::UNAUTHORIZED, t.login_failed).await;
    };
    app.store.clear_login_failures(&account).await?;
    start_session(&app, &headers, &user, safe_next(&form.next)).await
}

async fn start_session(
    app: &AppState,
    headers: &HeaderMap,
    user: &User,
    to: &str,
) -> Result<Response, AppError> {
    let token = random_token()?;
    let csrf = random_token()?;
    let now = app.now();
    app.store
        .create_session(
            &token_hash(&token),
            user.id,
            &csrf,
            now,
            now + Duration::hours(SESSION_HOURS),
        )
        .await?;
    let mut res = Redirect::to(to).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(headers, SESSION_COOKIE, &token, SESSION_HOURS * 3600),
    );
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(headers, LOGIN_COOKIE, "", 0));
    Ok(res)
}

pub(crate) async fn logout(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        app.store.delete_session(&token_hash(token)).await?;
    }
    let mut res = Redirect::to("/admin/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&headers, SESSION_COOKIE, "", 0),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub(crate) struct SetupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    token: String,
}

/// The one-time first-run page: only while the site has no account at all.
pub(crate) async fn show_setup(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if app.store.user_count().await? > 0 {
        return Ok(Redirect::to("/admin/login").into_response());
    }
    login_page(&app, &headers, StatusCode::OK, "/admin", "", "", true).await
}

pub(crate) async fn setup(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    let t = super::strings(&app).await;
    // The first-run page again, with what was typed and why it was refused.
    let again = |status, message: String| {
        let (app, headers, email) = (&app, &headers, &form.email);
        async move { login_page(app, headers, status, "/admin", email, &message, true).await }
    };
    if app.store.user_count().await? > 0 {
        return login_page(
            &app,
            &headers,
            StatusCode::CONFLICT,
            "/admin",
            "",
            t.setup_done,
            false,
        )
        .await;
    }
    if !cookie(&headers, LOGIN_COOKIE).is_some_and(|c| same_secret(c, &form.token)) {
        return again(StatusCode::FORBIDDEN, t.csrf_failed.to_owned()).await;
    }
    if let Err(why) = check_new_password(&form.password) {
        return again(StatusCode::UNPROCESSABLE_ENTITY, why).await;
    }
    let hash = hash_off_thread(form.password.clone()).await?;
    let user = match app
        .store
        .add_user(&form.email, &form.name, Role::Admin, &hash, None, app.now())
        .await
    {
        Ok(u) => u,
        Err(e @ (warta_store::StoreError::Invalid(_) | warta_store::StoreError::Taken { .. })) => {
            return again(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).await;
        }
        Err(e) => return Err(e.into()),
    };
    start_session(&app, &headers, &user, "/admin").await
}

/// The staff member, taken from the request's extensions by handlers behind
/// [`require_staff`].
pub(crate) type StaffExt = Extension<Staff>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("rahasia-sekali").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("rahasia-sekali", &h));
        assert!(!verify_password("rahasia-sekalI", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(check_new_password("pendek").is_err());
    }

    #[test]
    fn next_addresses_stay_in_the_newsroom() {
        assert_eq!(safe_next("/admin/articles/3"), "/admin/articles/3");
        assert_eq!(safe_next("https://evil.example/"), "/admin");
        assert_eq!(safe_next("//evil.example/admin"), "/admin");
        assert_eq!(safe_next("/admin\\@evil"), "/admin");
    }

    #[test]
    fn secrets_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
