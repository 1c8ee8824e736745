//! The conflict page: a save based on a version someone else has since replaced shows
//! both versions, line by line, and lets the person choose.

use askama::Template;
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use warta_core::locale::AdminStrings;
use warta_core::newsroom::body_to_text;
use warta_core::{Article, ArticleInput};

use super::auth::StaffExt;
use super::{AdminChrome, page};
use crate::{AppError, AppState};

use super::form::*;
use super::shared::*;

/// One version of an article as text, for side-by-side views and diffs.
pub(crate) fn version_text(t: &AdminStrings, i: &ArticleInput) -> String {
    format!(
        "{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n\n{}",
        t.headline,
        i.headline,
        t.lede,
        i.lede,
        t.section,
        i.section,
        t.status,
        super::status_name(t, i.status),
        t.tags,
        i.tags
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        body_to_text(&i.body)
    )
}

pub(crate) struct DiffLine {
    pub kind: &'static str,
    pub text: String,
}

pub(crate) fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| DiffLine {
            kind: match c.tag() {
                similar::ChangeTag::Delete => "del",
                similar::ChangeTag::Insert => "ins",
                similar::ChangeTag::Equal => "same",
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/conflict.html")]
pub(crate) struct ConflictPage {
    a: AdminChrome,
    id: i64,
    theirs_by: String,
    diff: Vec<DiffLine>,
    f: ArticleForm,
}

pub(crate) async fn conflict_page(
    app: &AppState,
    staff: &StaffExt,
    article: &Article,
    newest: Option<warta_store::Revision>,
    mut f: ArticleForm,
    latest: i64,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    if wants_json(headers) {
        return Ok((
            StatusCode::CONFLICT,
            Json(serde_json::json!({ "error": "conflict", "base": latest })),
        )
            .into_response());
    }
    let t = staff.t;
    let theirs = newest
        .as_ref()
        .map(|r| r.content.clone())
        .unwrap_or_else(|| article.to_input());
    let theirs_by = newest
        .as_ref()
        .map(|r| r.info.user_name.clone().unwrap_or_default())
        .unwrap_or_default();
    let mine = f.to_input(Some(article)).unwrap_or_else(|_| {
        let mut i = article.to_input();
        i.headline = f.headline.clone();
        i
    });
    let diff = diff_lines(&version_text(t, &theirs), &version_text(t, &mine));
    // "Save mine over it" sends the same form again, based on the newest version.
    f.base = latest;
    f.seen = if latest == 0 {
        version_mark(article)
    } else {
        String::new()
    };
    let view = ConflictPage {
        a: AdminChrome::load(app, Some(staff), "articles").await?,
        id: article.id,
        theirs_by,
        diff,
        f,
    };
    let mut res = page(view.render()?);
    *res.status_mut() = StatusCode::CONFLICT;
    Ok(res)
}
