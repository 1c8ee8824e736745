//! Previews: the reader's page of an article in any status, and of what the editor
//! form holds before it is saved (a live story's edit seen before it goes live).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use warta_core::{Article, ArticleInput, Block};

use super::auth::StaffExt;
use super::page;
use crate::views::{self, RELATED_LIMIT, Site};
use crate::{AppError, AppState};

use super::form::*;
use super::shared::*;

/// The reader's page for an article in any status, as it would look published now.
pub(crate) async fn preview(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (article, _) = editable(&app, &staff, id).await?;
    preview_page(&app, &article).await
}

/// `POST /admin/articles/{id}/preview`: the reader's page of what the form holds,
/// saved or not (a published article's edit is seen before it goes live). Nothing is
/// written; a form that cannot be read says why.
pub(crate) async fn preview_changes(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    Form(f): Form<ArticleForm>,
) -> Result<Response, AppError> {
    let (mut article, _) = editable(&app, &staff, id).await?;
    let input = f
        .with_doc()
        .to_input(Some(&article))
        .and_then(ArticleInput::normalize)
        .map_err(|e| AppError::BadRequest(e.text(staff.t)))?;
    article.section = app
        .store
        .section_by_slug(&input.section)
        .await?
        .ok_or_else(|| {
            AppError::BadRequest(warta_core::Reason::NoSection(input.section.clone()).text(staff.t))
        })?;
    article.headline = input.headline;
    article.lede = input.lede;
    article.dateline_place = input.dateline_place;
    article.sensitive = input.sensitive;
    article.language = input.language;
    article.tags = input
        .tags
        .into_iter()
        .map(|t| warta_core::Tag {
            id: 0,
            slug: warta_core::slug::slugify(&t.name),
            name: t.name,
            kind: t.kind,
        })
        .collect();
    article.hero = match input.hero_media_id {
        Some(m) => app.store.media(m).await?,
        None => None,
    };
    let mut media = Vec::new();
    for b in &input.body {
        if let Block::Photo { media_id, .. } = b
            && let Some(m) = app.store.media(*media_id).await?
        {
            media.push(m);
        }
    }
    article.body_media = media;
    article.body = input.body;
    preview_page(&app, &article).await
}

async fn preview_page(app: &AppState, article: &Article) -> Result<Response, AppError> {
    let now = app.now();
    let site = Site::load(app).await?;
    let id = article.id;
    let related = match app.store.related_list(id, RELATED_LIMIT, now).await? {
        Some(list) => list,
        None => app.store.related_by_tags(id, RELATED_LIMIT, now).await?,
    };
    let published = article.published_at.unwrap_or(now);
    let translations = app.store.translations(id, now).await?;
    let picks = crate::public::editors_picks(app, now).await?;
    let around = views::Around {
        related: &related,
        translations: &translations,
        popular: &app.popular.rankings().day,
        picks: &picks,
    };
    let html = views::article_page(&site, article, published, &around)?;
    let html = crate::cache::fill(&html, site.locale, now);
    let mut res = page(html);
    res.headers_mut().insert(
        "x-robots-tag",
        axum::http::HeaderValue::from_static("noindex"),
    );
    // The reader page carries its own inline age script.
    res.headers_mut().remove("content-security-policy");
    Ok(res)
}
