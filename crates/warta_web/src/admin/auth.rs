//! Accounts in the web layer: password hashes (argon2id), sessions (a random cookie
//! whose SHA-256 is the row key), CSRF tokens (one per session, checked on every
//! state-changing request), login throttling (failures per account and per address,
//! counted in the database so every node sees them), the first-run page and logout.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use askama::Template;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::Duration;
use futures_util::StreamExt;
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
pub(crate) const LOGIN_COOKIE: &str = "warta_login";
pub(crate) const SESSION_HOURS: i64 = 12;
/// Failed logins in this window are limited per account and address (5), per
/// address (20), and per account from browsers it does not know (10): a browser
/// holding a device cookie of the account is not locked out by guesses from
/// elsewhere. Each attempt is counted before its password is checked.
const WINDOW_MINUTES: i64 = 15;
const PAIR_LIMIT: i64 = 5;
const ADDRESS_LIMIT: i64 = 20;
const ACCOUNT_LIMIT: i64 = 10;
/// A browser that logged in to an account: it keeps this cookie for a year.
const DEVICE_COOKIE: &str = "warta_device";
const DEVICE_DAYS: i64 = 365;
pub const MIN_PASSWORD: usize = 10;
/// The longest address mail can carry (RFC 5321); longer ones are refused before
/// anything is counted or stored for them.
pub(crate) const MAX_EMAIL: usize = 254;

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

pub(crate) fn set_cookie(
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age: i64,
) -> HeaderValue {
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
    // Script (autosave) is told in JSON, not sent to a login page it cannot show.
    let json = req.headers().contains_key("x-csrf-token")
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"));
    let logged_out = |message: &str| {
        if json {
            (
                StatusCode::UNAUTHORIZED,
                axum::Json(serde_json::json!({ "error": message, "login": "/admin/login" })),
            )
                .into_response()
        } else {
            back(true)
        }
    };
    let Some(token) = cookie(req.headers(), SESSION_COOKIE) else {
        return Ok(if json {
            logged_out(t.autosave_expired)
        } else {
            back(false)
        });
    };
    let hash = token_hash(token);
    let Some(session) = app.store.session(&hash).await? else {
        return Ok(if json {
            logged_out(t.autosave_expired)
        } else {
            back(false)
        });
    };
    if session.expires_at <= app.now() {
        if json || matches!(*req.method(), Method::GET | Method::HEAD) {
            return Ok(logged_out(t.autosave_expired));
        }
        // A form posted after the session ran out is kept for its account.
        return super::stash::keep(&app, req, &session, t).await;
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
    same_origin(req.headers(), t)
}

/// [`check_origin`] on a request's headers: an `Origin` naming another host (or
/// `null`) is refused.
pub(crate) fn same_origin(headers: &HeaderMap, t: &AdminStrings) -> Result<(), AppError> {
    let (Some(origin), Some(host)) = (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
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

pub(crate) async fn check_csrf(req: Request, staff: &Staff) -> Result<Request, AppError> {
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
        // Whatever the handler does with it, a multipart post's first field is its
        // token (an upload form puts it before the file). Only the start of the body is
        // read for it; the rest streams on to the handler.
        let boundary = multer::parse_boundary(&content_type).map_err(|_| failed())?;
        let (parts, body) = req.into_parts();
        let mut rest = body.into_data_stream();
        let mut head: Vec<u8> = Vec::new();
        let token = loop {
            if let Some(token) = first_field(&head, &boundary, "csrf").await {
                break Some(token);
            }
            if head.len() > FIRST_FIELD_LIMIT {
                break None;
            }
            match rest.next().await {
                Some(Ok(chunk)) => head.extend_from_slice(&chunk),
                _ => break None,
            }
        };
        if !token.is_some_and(|t| same_secret(&t, &staff.csrf)) {
            return Err(failed());
        }
        let head = futures_util::stream::once(async move {
            Ok::<_, axum::Error>(axum::body::Bytes::from(head))
        });
        let body = axum::body::Body::from_stream(head.chain(rest));
        return Ok(Request::from_parts(parts, body));
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(failed());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError::BadRequest(staff.t.form_too_large.to_owned()))?;
    let token = form_urlencoded_field(&bytes, "csrf");
    if !token.is_some_and(|t| same_secret(&t, &staff.csrf)) {
        return Err(failed());
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

/// How far into a multipart body its first field (the token) must have ended.
const FIRST_FIELD_LIMIT: usize = 64 * 1024;

/// The text of a multipart body's first field when it is named `name` and ends within
/// `head` (the body's first bytes); `None` otherwise.
async fn first_field(head: &[u8], boundary: &str, name: &str) -> Option<String> {
    if head.is_empty() {
        return None;
    }
    let bytes = axum::body::Bytes::copy_from_slice(head);
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut form = multer::Multipart::new(stream, boundary);
    let field = form.next_field().await.ok()??;
    if field.name() != Some(name) {
        return None;
    }
    field.text().await.ok()
}

pub(crate) fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
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
    // Printable ASCII only: anything else cannot go into a `Location` header.
    if next.starts_with("/admin")
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.bytes().all(|b| b.is_ascii_graphic())
    {
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
    let message = match q.expired.as_str() {
        "1" => t.session_expired,
        "kept" => t.session_expired_kept,
        _ => "",
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

/// A login-page form with the client's throttling key (its address as the trusted
/// proxies give it; "unknown" in tests that send requests without a socket) and the
/// request's headers.
pub(crate) async fn form_from_client<T: serde::de::DeserializeOwned>(
    app: &AppState,
    req: Request,
) -> Result<(String, HeaderMap, T), AppError> {
    let (parts, body) = req.into_parts();
    let address = crate::client::request_ip(&parts, &app.config.trusted_proxies)
        .map(crate::client::throttle_key)
        .unwrap_or_else(|| "unknown".into());
    let headers = parts.headers.clone();
    let req = Request::from_parts(parts, body);
    let Form(form) = Form::<T>::from_request(req, app)
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?;
    Ok((address, headers, form))
}

pub(crate) async fn login(State(app): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (address, headers, form) = form_from_client::<LoginForm>(&app, req).await?;
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
    if !double_submitted(&headers, &form.token) {
        return again(StatusCode::FORBIDDEN, t.csrf_failed).await;
    }
    if form.email.len() > MAX_EMAIL {
        return again(StatusCode::UNAUTHORIZED, t.login_failed).await;
    }
    let now = app.now();
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let email = warta_store::normalize_email(&form.email);
    let found = app.store.user_by_email(&form.email).await?;
    let known_device = match (cookie(&headers, DEVICE_COOKIE), &found) {
        (Some(device), Some((user, _))) => {
            app.store.device_user(&token_hash(device), now).await? == Some(user.id)
        }
        _ => false,
    };
    let pair = format!("pair:{email}|{address}");
    let mut limits = vec![
        (pair.clone(), PAIR_LIMIT),
        (format!("address:{address}"), ADDRESS_LIMIT),
    ];
    let account = format!("account:{email}");
    if !known_device {
        limits.push((account.clone(), ACCOUNT_LIMIT));
    }
    // Counted before the password is checked, so parallel guesses cannot all pass.
    let Some(reserved) = app.store.reserve_login_attempt(&limits, since, now).await? else {
        app.metrics.login(crate::metrics::Login::Throttled);
        return again(StatusCode::TOO_MANY_REQUESTS, t.login_throttled).await;
    };
    let password = form.password.clone();
    // Password hashing is bounded like photo decoding: a flood of attempts from many
    // addresses waits its turn instead of taking every core and the memory.
    let _turn = app
        .passwords
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let user = match found {
        Some((user, hash)) if !user.disabled && hash != warta_store::NO_PASSWORD_YET => {
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
    // A failure stays counted (the reservation is its record).
    let Some(user) = user else {
        app.metrics.login(crate::metrics::Login::Failed);
        return again(StatusCode::UNAUTHORIZED, t.login_failed).await;
    };
    app.metrics.login(crate::metrics::Login::Ok);
    app.store.release_login_attempt(&reserved).await?;
    app.store.clear_login_failures(&pair).await?;
    app.store.clear_login_failures(&account).await?;
    let mut res = start_session(&app, &headers, &user, safe_next(&form.next)).await?;
    let device = random_token()?;
    app.store
        .add_device(
            &token_hash(&device),
            user.id,
            now,
            now + Duration::days(DEVICE_DAYS),
        )
        .await?;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&headers, DEVICE_COOKIE, &device, DEVICE_DAYS * 86_400),
    );
    Ok(res)
}

/// The login and first-run forms' token: the same non-empty value in the form and in
/// the cookie set with the form.
pub(crate) fn double_submitted(headers: &HeaderMap, token: &str) -> bool {
    !token.is_empty() && cookie(headers, LOGIN_COOKIE).is_some_and(|c| same_secret(c, token))
}

pub(crate) async fn start_session(
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
    if !double_submitted(&headers, &form.token) {
        return again(StatusCode::FORBIDDEN, t.csrf_failed.to_owned()).await;
    }
    if check_new_password(&form.password).is_err() {
        let why = super::users::password_short(t);
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
            return again(
                StatusCode::UNPROCESSABLE_ENTITY,
                super::shared::store_text(t, &e),
            )
            .await;
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
        assert_eq!(safe_next("/admin/x\r\nSet-Cookie: a=b"), "/admin");
        assert_eq!(safe_next("/admin/é"), "/admin");
    }

    #[test]
    fn secrets_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
