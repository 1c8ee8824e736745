//! Versions written outside the editor form: corrections (appended to the article
//! as it is under the write lock), the revision list with its word-level comparison,
//! and restoring a revision (a conflict when the list the person saw is out of date).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use warta_core::locale::AdminStrings;
use warta_core::newsroom::{Action, body_to_text, with_corrections};
use warta_core::{Article, ArticleInput, Block, Status};
use warta_store::{ArticleWrite, StoreError};

use super::auth::StaffExt;
use super::{AdminChrome, page};
use crate::views::Site;
use crate::{AppError, AppState};

use super::conflict::*;
use super::form::*;
use super::shared::*;

#[derive(Deserialize)]
pub(crate) struct CorrectionForm {
    #[serde(default)]
    text: String,
}

pub(crate) async fn add_correction(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, AppError> {
    staff.may(Action::Publish)?;
    let text = warta_core::sanitize::clean_text(&form.text);
    if text.is_empty() {
        return Err(AppError::BadRequest(staff.t.err_correction_text.into()));
    }
    let now = app.now();
    // Appended to the article as it is under the write lock, not as it was read
    // before: a save that lands meanwhile is kept.
    let build = |article: &Article| {
        if article.status != Status::Published {
            return Err(AppError::BadRequest(staff.t.err_correction_live.into()));
        }
        let mut input = article.to_input();
        input.body.push(Block::Correction { text, at: now });
        Ok(input)
    };
    write_version(&app, &staff, id, None, build, "correction").await?;
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved=1")).into_response())
}

/// What [`write_version`] did.
enum Written {
    Saved,
    /// The article changed since the version the person saw: nothing written.
    Conflict {
        latest: i64,
        article: Box<Article>,
        input: Box<ArticleInput>,
    },
}

/// Writes a new version of article `id` outside the editor form (corrections,
/// restores), deciding inside the write transaction: `build` makes the new version
/// from the article as it is under the lock, and with a `base` (the version the person
/// saw) a newer revision is a conflict instead of a write.
async fn write_version(
    app: &AppState,
    staff: &StaffExt,
    id: i64,
    base: Option<i64>,
    build: impl FnOnce(&Article) -> Result<ArticleInput, AppError>,
    note: &str,
) -> Result<Written, AppError> {
    let mut w = app.store.writer(app.now()).await?;
    let latest = w.latest_revision(id).await?;
    // Read while the write lock is held: no other writer can commit in between.
    let article = app.store.article(id).await?;
    let input = match build(&article) {
        Ok(i) => i,
        Err(e) => {
            w.rollback().await?;
            return Err(e);
        }
    };
    if base.is_some_and(|b| b != latest) {
        w.rollback().await?;
        return Ok(Written::Conflict {
            latest,
            article: Box::new(article),
            input: Box::new(input),
        });
    }
    keep_first_state(&mut w, &article, latest).await?;
    let mut item = ArticleWrite::new(input.clone());
    item.id = Some(id);
    w.write(vec![item]).await.map_err(|e| match e.error {
        StoreError::Invalid(v) => AppError::BadRequest(v.text(staff.t)),
        other => AppError::from(other),
    })?;
    w.add_revision(id, Some(staff.user.id), note, &input)
        .await?;
    w.commit().await?;
    app.catch_up().await;
    Ok(Written::Saved)
}

/// A revision's note in the newsroom's language. Notes are stored as fixed English
/// keys (`saved`, `restored revision 3`…), so a change of language changes them all.
fn note_text(t: &AdminStrings, note: &str) -> String {
    if let Some(n) = note.strip_prefix("restored revision ") {
        return t.rev_restored.replace("{n}", n);
    }
    match note {
        "created" => t.rev_created,
        "before the first edit" => t.rev_before,
        "autosave" => t.rev_autosave,
        "saved" => t.rev_saved,
        "submitted for review" => t.rev_submitted,
        "back to draft" => t.rev_withdrawn,
        "published" => t.rev_published,
        "scheduled" => t.rev_scheduled,
        "unpublished" => t.rev_unpublished,
        "correction" => t.rev_correction,
        "photo text changed" => t.rev_photo_text,
        "imported" => t.rev_imported,
        other => other,
    }
    .to_owned()
}

pub(crate) struct RevisionRow {
    pub number: i64,
    pub by: String,
    pub note: String,
    pub when: String,
    pub is_a: bool,
    pub is_b: bool,
}

#[derive(Template)]
#[template(path = "admin/revisions.html")]
struct RevisionsPage {
    a: AdminChrome,
    id: i64,
    headline: String,
    rows: Vec<RevisionRow>,
    compared: Option<(i64, i64)>,
    diff: Vec<DiffLine>,
    can_restore: bool,
    /// The newest revision: a restore based on it is a conflict once another lands.
    base: i64,
}

#[derive(Deserialize, Default)]
pub(crate) struct DiffQuery {
    a: Option<i64>,
    b: Option<i64>,
}

pub(crate) async fn list_revisions(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    Query(q): Query<DiffQuery>,
) -> Result<Response, AppError> {
    let (article, own) = editable(&app, &staff, id).await?;
    let site = Site::load(&app).await?;
    let revisions = app.store.revisions(id).await?;
    let newest = revisions.first().map_or(0, |r| r.number);
    let (a, b) = match (q.a, q.b) {
        (Some(a), Some(b)) => (a, b),
        _ => (newest - 1, newest),
    };
    let mut diff = Vec::new();
    let mut compared = None;
    if a >= 1 && b >= 1 && a != b {
        let load = |n| app.store.revision(id, n);
        let (Some(ra), Some(rb)) = (load(a).await?, load(b).await?) else {
            return Err(AppError::BadRequest(format!(
                "article {id} has no revision {a} or {b}"
            )));
        };
        diff = diff_lines(
            &version_text(staff.t, &site, &ra.content),
            &version_text(staff.t, &site, &rb.content),
        );
        compared = Some((a, b));
    }
    let view = RevisionsPage {
        a: AdminChrome::load(&app, Some(&staff), "articles").await?,
        id,
        headline: article.headline.clone(),
        rows: revisions
            .iter()
            .map(|r| RevisionRow {
                number: r.number,
                by: r.user_name.clone().unwrap_or_else(|| "—".into()),
                note: note_text(staff.t, &r.note),
                when: site
                    .locale
                    .date_line(r.created_at, site.tz, &site.settings.sunday),
                is_a: r.number == a,
                is_b: r.number == b,
            })
            .collect(),
        compared,
        diff,
        can_restore: warta_core::newsroom::may(staff.user.role, Action::Publish)
            || (own && matches!(article.status, Status::Draft | Status::InReview)),
        base: newest,
    };
    Ok(page(view.render()?))
}

/// Restores a revision's content as a new revision; the article keeps its status,
/// publication time and address.
#[derive(Deserialize)]
pub(crate) struct RestoreForm {
    /// The newest revision when the revisions page was shown.
    #[serde(default)]
    base: Option<i64>,
}

pub(crate) async fn restore_revision(
    State(app): State<AppState>,
    staff: StaffExt,
    Path((id, number)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<RestoreForm>,
) -> Result<Response, AppError> {
    editable(&app, &staff, id).await?;
    let Some(base) = form.base else {
        return Err(AppError::BadRequest(staff.t.err_restore_stale.into()));
    };
    let rev = app
        .store
        .revision(id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let build = |article: &Article| {
        let mut input = rev.content;
        input.slug = Some(article.slug.clone());
        input.status = article.status;
        input.published_at = article.published_at;
        input.body = with_corrections(
            input
                .body
                .into_iter()
                .filter(|b| !matches!(b, Block::Correction { .. }))
                .collect(),
            &article.body,
        );
        Ok(input)
    };
    let note = format!("restored revision {number}");
    match write_version(&app, &staff, id, Some(base), build, &note).await? {
        Written::Saved => {
            Ok(Redirect::to(&format!("/admin/articles/{id}?saved=1")).into_response())
        }
        Written::Conflict {
            latest,
            article,
            input,
        } => {
            // The conflict page of a save: the newest version against the restored one,
            // with "save mine over it" saving the restored version as an edit.
            let site = Site::load(&app).await?;
            let edits = app.store.related_edits(id).await?;
            let translation_of = app.store.translation_of(id).await?;
            let mut f = ArticleForm::from_article(&article, &edits, translation_of, latest, &site);
            f.headline = input.headline.clone();
            f.lede = input.lede.clone();
            f.body = body_to_text(&input.body);
            f.tags = tags_text(staff.t, &input.tags);
            f.dateline_place = input.dateline_place.clone();
            f.seo_title = input.seo.title.clone();
            f.seo_description = input.seo.description.clone();
            f.seo_canonical = input.seo.canonical.clone();
            f.hero = input
                .hero_media_id
                .map(|h| h.to_string())
                .unwrap_or_default();
            f.action = "save".into();
            let newest = app.store.revision(id, latest).await?;
            conflict_page(
                &app,
                &staff,
                &article,
                newest,
                f,
                latest,
                Vec::new(),
                &headers,
            )
            .await
        }
    }
}
