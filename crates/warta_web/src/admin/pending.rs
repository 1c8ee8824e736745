//! Edits to a live story saving themselves (issue #28): the autosave of a published or
//! scheduled story keeps the form as this account's pending edit (the story and its
//! revisions are untouched); opening the story again brings the edit back, with a way
//! to throw it away; the account's next real save of the story drops it.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use warta_core::Article;

use super::auth::StaffExt;
use super::form::ArticleForm;
use super::shared::editable;
use crate::views::Site;
use crate::{AppError, AppState};

/// Keeps `f` as the account's pending edit of `article`; answers the script.
pub(crate) async fn keep(
    app: &AppState,
    staff: &StaffExt,
    article: &Article,
    f: &ArticleForm,
) -> Result<Response, AppError> {
    let form = serde_urlencoded::to_string(f)
        .map_err(|e| AppError::Internal(format!("the form cannot be kept: {e}")))?;
    let now = app.now();
    app.store
        .put_pending_edit(article.id, staff.user.id, &form, now)
        .await?;
    let site = Site::load(app).await?;
    Ok(Json(serde_json::json!({
        "pending": true,
        "base": f.base,
        "at": now.with_timezone(&site.tz).format("%H:%M").to_string(),
    }))
    .into_response())
}

/// The account's pending edit of `article`, as a form, and the line that says so.
pub(crate) async fn restore(
    app: &AppState,
    staff: &StaffExt,
    article: &Article,
) -> Result<Option<(ArticleForm, String)>, AppError> {
    let Some(p) = app.store.pending_edit(article.id, staff.user.id).await? else {
        return Ok(None);
    };
    let Ok(form) = serde_urlencoded::from_str::<ArticleForm>(&p.form) else {
        // A form an older version kept, which this one cannot read: dropped.
        app.store
            .drop_pending_edit(article.id, staff.user.id)
            .await?;
        return Ok(None);
    };
    let site = Site::load(app).await?;
    let when = site
        .locale
        .date_line(p.saved_at, site.tz, &site.settings.sunday);
    Ok(Some((
        form,
        staff.t.pending_restored.replace("{when}", &when),
    )))
}

/// Throws the account's pending edit of a story away; the editor opens the story as
/// it is.
pub(crate) async fn discard(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    editable(&app, &staff, id).await?;
    app.store.drop_pending_edit(id, staff.user.id).await?;
    Ok(Redirect::to(&format!("/admin/articles/{id}")).into_response())
}
