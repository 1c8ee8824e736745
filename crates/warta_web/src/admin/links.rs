//! Accounts by email (issue #28): "Lupa kata sandi" and invitations. A link carries a
//! random token (only its SHA-256 is stored), works once, and expires: an hour for a
//! reset, a week for an invitation. Using one sets the password, ends the account's
//! other sessions and logs this browser in.
//!
//! Asking for a reset answers the same whether the address has an account or not,
//! and the mail goes out after the answer, so neither the text nor the time tells
//! which addresses exist. Requests are limited per address and per client.
//!
//! Without `[mail]` in `warta.toml` the pages say that no mail can be sent, and an
//! admin sets passwords (the Users page, or `warta user password`).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::Duration;
use serde::Deserialize;
use warta_core::locale::AdminStrings;
use warta_store::{LinkPurpose, User};

use super::auth::{
    LOGIN_COOKIE, MAX_EMAIL, check_new_password, double_submitted, form_from_client,
    hash_off_thread, random_token, same_origin, set_cookie, start_session, token_hash,
};
use super::{AdminChrome, page, role_name};
use crate::mail::Mail;
use crate::{AppError, AppState};

/// How long a reset link works.
const RESET_HOURS: i64 = 1;
/// How long an invitation works.
pub(crate) const INVITE_DAYS: i64 = 7;
/// Reset requests per address, and per client, within the login window.
const RESETS_PER_ADDRESS: i64 = 3;
const RESETS_PER_CLIENT: i64 = 10;
const WINDOW_MINUTES: i64 = 15;

#[derive(Template)]
#[template(path = "admin/password.html")]
struct PasswordPage {
    a: AdminChrome,
    title: &'static str,
    /// What the page is for, above the form.
    intro: String,
    /// A refusal (in red).
    message: String,
    /// What was done (in green).
    done: String,
    /// `ask`: the address form; `choose`: the two new-password fields; `none`: text only.
    form: &'static str,
    action: String,
    token: String,
    email: String,
}

impl PasswordPage {
    async fn new(app: &AppState, title: &'static str) -> Result<PasswordPage, AppError> {
        Ok(PasswordPage {
            a: AdminChrome::load(app, None, "").await?,
            title,
            intro: String::new(),
            message: String::new(),
            done: String::new(),
            form: "none",
            action: String::new(),
            token: String::new(),
            email: String::new(),
        })
    }

    /// The page with its form's double-submit cookie; a link's page tells no other
    /// site its address (the token is in it). `same-origin`, not `no-referrer`: with
    /// no referrer a browser posts the form with `Origin: null`, which the origin
    /// check refuses.
    fn answer(mut self, headers: &HeaderMap, status: StatusCode) -> Result<Response, AppError> {
        let token = random_token()?;
        self.token = token.clone();
        let mut res = page(self.render()?);
        *res.status_mut() = status;
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(headers, LOGIN_COOKIE, &token, 3600),
        );
        res.headers_mut()
            .insert("referrer-policy", HeaderValue::from_static("same-origin"));
        Ok(res)
    }
}

/// The link a mail carries: the site's public address and the token's page.
async fn link_url(app: &AppState, purpose: LinkPurpose, token: &str) -> Result<String, AppError> {
    let base = app.store.settings().await?.base_url;
    let path = match purpose {
        LinkPurpose::Invite => "invite",
        LinkPurpose::Reset => "reset",
    };
    Ok(format!(
        "{}/admin/{path}/{token}",
        base.trim_end_matches('/')
    ))
}

/// Makes a new link for `user` (voiding its older one of the kind) and the mail that
/// carries it.
async fn new_link(
    app: &AppState,
    t: &AdminStrings,
    user: &User,
    purpose: LinkPurpose,
    inviter: &str,
) -> Result<Mail, AppError> {
    let token = random_token()?;
    let now = app.now();
    let expires = match purpose {
        LinkPurpose::Invite => now + Duration::days(INVITE_DAYS),
        LinkPurpose::Reset => now + Duration::hours(RESET_HOURS),
    };
    app.store
        .add_account_link(&token_hash(&token), user.id, purpose, now, expires)
        .await?;
    let link = link_url(app, purpose, &token).await?;
    let site = app.store.settings().await?.name;
    let (subject, text) = match purpose {
        LinkPurpose::Invite => (t.mail_invite_subject, t.mail_invite_body),
        LinkPurpose::Reset => (t.mail_reset_subject, t.mail_reset_body),
    };
    let fill = |s: &str| {
        s.replace("{site}", &site)
            .replace("{name}", &user.name)
            .replace("{email}", &user.email)
            .replace("{role}", role_name(t, user.role))
            .replace("{inviter}", inviter)
            .replace("{days}", &INVITE_DAYS.to_string())
            .replace("{link}", &link)
    };
    Ok(Mail {
        to_name: user.name.clone(),
        to: user.email.clone(),
        subject: fill(subject),
        text: fill(text),
    })
}

/// Sends an invitation to `user` now; the error says why it did not go.
pub(crate) async fn send_invitation(
    app: &AppState,
    t: &AdminStrings,
    user: &User,
    inviter: &str,
) -> Result<Result<(), String>, AppError> {
    let Some(mailer) = app.mailer.clone() else {
        return Ok(Err(t.mail_off_short.to_owned()));
    };
    let mail = new_link(app, t, user, LinkPurpose::Invite, inviter).await?;
    Ok(mailer.send(&mail).await.inspect_err(|e| {
        tracing::warn!(to = %user.email, error = %e, "invitation not sent");
    }))
}

/// `GET /admin/reset`: the address form, or why there is none.
pub(crate) async fn show_forgot(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let t = super::strings(&app).await;
    let mut p = PasswordPage::new(&app, t.reset_title).await?;
    if app.mailer.is_some() {
        p.intro = t.reset_intro.to_owned();
        p.form = "ask";
        p.action = "/admin/reset".to_owned();
    } else {
        p.message = t.mail_off.to_owned();
    }
    p.answer(&headers, StatusCode::OK)
}

#[derive(Deserialize)]
pub(crate) struct ForgotForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    token: String,
}

/// `POST /admin/reset`: sends a link if the address has an enabled account; answers
/// the same either way.
pub(crate) async fn forgot(
    State(app): State<AppState>,
    req: Request,
) -> Result<Response, AppError> {
    let (client, headers, f) = form_from_client::<ForgotForm>(&app, req).await?;
    let t = super::strings(&app).await;
    let mut p = PasswordPage::new(&app, t.reset_title).await?;
    p.email = f.email.chars().take(254).collect();
    let Some(mailer) = app.mailer.clone() else {
        p.message = t.mail_off.to_owned();
        return p.answer(&headers, StatusCode::SERVICE_UNAVAILABLE);
    };
    p.form = "ask";
    p.action = "/admin/reset".to_owned();
    p.intro = t.reset_intro.to_owned();
    if !double_submitted(&headers, &f.token) || same_origin(&headers, t).is_err() {
        p.message = t.csrf_failed.to_owned();
        return p.answer(&headers, StatusCode::FORBIDDEN);
    }
    let email = warta_store::normalize_email(&f.email);
    if !email.contains('@') || email.len() > MAX_EMAIL {
        p.message = t.reset_not_email.to_owned();
        return p.answer(&headers, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let now = app.now();
    let limits = [
        (format!("reset:{email}"), RESETS_PER_ADDRESS),
        (format!("reset-client:{client}"), RESETS_PER_CLIENT),
    ];
    let since = now - Duration::minutes(WINDOW_MINUTES);
    if app
        .store
        .reserve_login_attempt(&limits, since, now)
        .await?
        .is_none()
    {
        p.message = t.reset_throttled.to_owned();
        return p.answer(&headers, StatusCode::TOO_MANY_REQUESTS);
    }
    // Looked up, linked and sent after the answer: neither the page nor the time
    // taken tells whether the address has an account.
    let (app2, wanted) = (app.clone(), email.clone());
    tokio::spawn(async move {
        let mail = match app2.store.user_by_email(&wanted).await {
            Ok(Some((user, _))) if !user.disabled => {
                new_link(&app2, t, &user, LinkPurpose::Reset, "").await
            }
            Ok(_) => return,
            Err(e) => Err(e.into()),
        };
        let sent = match mail {
            Ok(mail) => mailer.send(&mail).await,
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, "reset link not sent");
        }
    });
    p.form = "none";
    p.intro = String::new();
    p.done = t.reset_sent.replace("{email}", &email);
    p.answer(&headers, StatusCode::OK)
}

fn purpose_of(path: &str) -> LinkPurpose {
    if path.starts_with("/admin/invite/") {
        LinkPurpose::Invite
    } else {
        LinkPurpose::Reset
    }
}

/// The page for a valid link: who it is for and the two password fields.
async fn choose_page(
    app: &AppState,
    t: &'static AdminStrings,
    purpose: LinkPurpose,
    user: &User,
    token: &str,
) -> Result<PasswordPage, AppError> {
    let site = app.store.settings().await?.name;
    let (title, intro) = match purpose {
        LinkPurpose::Invite => (t.invite_title, t.invite_intro),
        LinkPurpose::Reset => (t.reset_title, t.reset_choose),
    };
    let mut p = PasswordPage::new(app, title).await?;
    p.intro = intro
        .replace("{name}", &user.name)
        .replace("{site}", &site)
        .replace("{role}", role_name(t, user.role))
        .replace("{email}", &user.email);
    p.form = "choose";
    p.action = format!("/admin/{}/{token}", purpose.as_str());
    p.email = user.email.clone();
    Ok(p)
}

/// A used, expired or replaced link: what happened and where to ask for a new one.
async fn gone(
    app: &AppState,
    t: &'static AdminStrings,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let mut p = PasswordPage::new(app, t.reset_title).await?;
    p.message = t.link_invalid.to_owned();
    p.answer(headers, StatusCode::GONE)
}

/// A token as links carry it (64 hex digits); anything else finds nothing.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `GET /admin/reset/{token}` and `GET /admin/invite/{token}`.
pub(crate) async fn show_link(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let t = super::strings(&app).await;
    let purpose = purpose_of(uri.path());
    let user = if well_formed(&token) {
        app.store
            .account_link(&token_hash(&token), purpose, app.now())
            .await?
    } else {
        None
    };
    let Some(user) = user else {
        return gone(&app, t, &headers).await;
    };
    choose_page(&app, t, purpose, &user, &token)
        .await?
        .answer(&headers, StatusCode::OK)
}

#[derive(Deserialize)]
pub(crate) struct ChooseForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    again: String,
    #[serde(default)]
    token: String,
}

/// `POST /admin/reset/{token}` and `POST /admin/invite/{token}`: sets the password
/// and logs in.
pub(crate) async fn use_link(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    uri: axum::http::Uri,
    Form(f): Form<ChooseForm>,
) -> Result<Response, AppError> {
    let t = super::strings(&app).await;
    same_origin(&headers, t)?;
    let purpose = purpose_of(uri.path());
    let hash = token_hash(&token);
    // The link is checked before any password is hashed: a flood of made-up links
    // costs a lookup each, not an argon2 run.
    let user = if well_formed(&token) {
        app.store.account_link(&hash, purpose, app.now()).await?
    } else {
        None
    };
    let Some(user) = user else {
        return gone(&app, t, &headers).await;
    };
    let mut p = choose_page(&app, t, purpose, &user, &token).await?;
    if !double_submitted(&headers, &f.token) {
        p.message = t.csrf_failed.to_owned();
        return p.answer(&headers, StatusCode::FORBIDDEN);
    }
    if check_new_password(&f.password).is_err() {
        p.message = super::users::password_short(t);
        return p.answer(&headers, StatusCode::UNPROCESSABLE_ENTITY);
    }
    if f.password != f.again {
        p.message = t.passwords_differ.to_owned();
        return p.answer(&headers, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let password_hash = {
        let _turn = app
            .passwords
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        hash_off_thread(f.password.clone()).await?
    };
    match app
        .store
        .use_account_link(&hash, purpose, &password_hash, app.now())
        .await?
    {
        Some(user) => start_session(&app, &headers, &user, "/admin?welcome=1").await,
        // Used by another request in the meantime.
        None => gone(&app, t, &headers).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_link_shaped_tokens_are_looked_up() {
        assert!(well_formed(&"a1".repeat(32)));
        assert!(!well_formed("abc"));
        assert!(!well_formed(&"g".repeat(64)));
        assert_eq!(purpose_of("/admin/invite/x"), LinkPurpose::Invite);
        assert_eq!(purpose_of("/admin/reset/x"), LinkPurpose::Reset);
    }
}
