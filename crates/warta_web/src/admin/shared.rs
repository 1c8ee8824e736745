//! What the handlers that write articles share (the editor, previews, corrections and
//! revisions, the conflict page): who may edit an article, whether the caller is the
//! editor's script, and keeping an imported article's first state as a revision.

use axum::http::HeaderMap;
use warta_core::Article;
use warta_core::newsroom::Action;

use super::auth::StaffExt;
use crate::{AppError, AppState};

/// The article, if this account may edit it, and whether the account wrote it.
pub(crate) async fn editable(
    app: &AppState,
    staff: &StaffExt,
    id: i64,
) -> Result<(Article, bool), AppError> {
    let article = app.store.article(id).await?;
    let own = app.store.article_owner(id).await? == Some(staff.user.id);
    staff.may(Action::EditArticle {
        own,
        status: article.status,
    })?;
    Ok((article, own))
}

/// Whether the caller asked for JSON (autosave) rather than a page.
pub(crate) fn wants_json(headers: &HeaderMap) -> bool {
    headers.get("x-autosave").is_some()
}

/// An article from an import or the demo has no revision yet (`latest` is 0): its
/// state as it was becomes revision 1, before the newsroom's first write over it.
pub(crate) async fn keep_first_state(
    w: &mut warta_store::Writer,
    article: &Article,
    latest: i64,
) -> Result<(), AppError> {
    if latest == 0 {
        w.add_revision(
            article.id,
            None,
            "before the first edit",
            &article.to_input(),
        )
        .await?;
    }
    Ok(())
}
