//! Forms kept across a login (issue #23): an editor's save posted after its session
//! ran out is not thrown away. The posted form, when its CSRF token is the expired
//! session's, is kept in the database for that account for a day under a random key;
//! the login sends the person back to the editor with that key, and the editor shows
//! the kept text (unsaved, with a message) instead of the stored article. Another
//! account's key finds nothing.

use axum::extract::Request;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use warta_core::locale::AdminStrings;
use warta_store::{FormStash, Session};

use super::auth::{Staff, form_urlencoded_field, random_token, same_secret, token_hash};
use super::form::ArticleForm;
use crate::{AppError, AppState};

const KEEP_HOURS: i64 = 24;
/// Forms larger than this are not kept (an article form is far smaller).
const KEEP_LIMIT: usize = 4 * 1024 * 1024;

/// The editor addresses whose posts are worth keeping: `/admin/articles/new` and
/// `/admin/articles/{id}`.
fn editor_path(path: &str) -> bool {
    path.strip_prefix("/admin/articles/").is_some_and(|rest| {
        rest == "new" || (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Answers a post made after `session` expired: an editor form with the session's
/// token is kept and the login returns to it; anything else goes to the login page.
pub(crate) async fn keep(
    app: &AppState,
    req: Request,
    session: &Session,
    _t: &AdminStrings,
) -> Result<Response, AppError> {
    let login = |next: &str, expired: &str| {
        let q =
            serde_urlencoded::to_string([("next", next), ("expired", expired)]).unwrap_or_default();
        Redirect::to(&format!("/admin/login?{q}")).into_response()
    };
    let path = req.uri().path().to_owned();
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if *req.method() != Method::POST || !is_form || !editor_path(&path) {
        return Ok(login("/admin", "1"));
    }
    let Ok(bytes) = axum::body::to_bytes(req.into_body(), KEEP_LIMIT).await else {
        return Ok(login(&path, "1"));
    };
    let token = form_urlencoded_field(&bytes, "csrf");
    if !token.is_some_and(|t| same_secret(&t, &session.csrf)) {
        return Ok(login(&path, "1"));
    }
    let Ok(form) = String::from_utf8(bytes.to_vec()) else {
        return Ok(login(&path, "1"));
    };
    let key = random_token()?;
    let now = app.now();
    app.store
        .stash_form(
            &token_hash(&key),
            session.user.id,
            &FormStash {
                path: path.clone(),
                form,
            },
            now,
            now + Duration::hours(KEEP_HOURS),
        )
        .await?;
    Ok(login(&format!("{path}?stash={key}"), "kept"))
}

/// The form kept under `key` for this account at this editor address, if any, and
/// the message that says it is back.
pub(crate) async fn restore(
    app: &AppState,
    staff: &Staff,
    path: &str,
    key: Option<&str>,
) -> Result<(Option<ArticleForm>, String), AppError> {
    let Some(key) = key else {
        return Ok((None, String::new()));
    };
    let stash = app
        .store
        .stashed_form(&token_hash(key), staff.user.id, app.now())
        .await?;
    let form = stash
        .filter(|s| s.path == path)
        .and_then(|s| serde_urlencoded::from_str::<ArticleForm>(&s.form).ok());
    let message = if form.is_some() {
        staff.t.stash_restored.to_owned()
    } else {
        String::new()
    };
    Ok((form, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_editor_posts_are_kept() {
        assert!(editor_path("/admin/articles/new"));
        assert!(editor_path("/admin/articles/12"));
        assert!(!editor_path("/admin/articles/12/correction"));
        assert!(!editor_path("/admin/users"));
        assert!(!editor_path("/admin/articles/"));
    }
}
