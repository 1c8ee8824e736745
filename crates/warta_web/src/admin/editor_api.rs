//! What the body editor's script asks the newsroom for, in JSON: the photo library
//! (`GET /admin/photos.json`), this site's stories to link to
//! (`GET /admin/articles.json`), and the page's own data (the document, the photos
//! it shows, the interface texts) that the editor page embeds. Uploads and photo texts
//! go to the photo pages' own routes, which answer JSON when asked (`photos.rs`).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use warta_core::doc::{Node, to_doc};
use warta_core::locale::AdminStrings;
use warta_core::newsroom::{Action, body_from_text};
use warta_core::{Block, Media};
use warta_search::{SearchRequest, Sort};

use super::auth::StaffExt;
use crate::views::Site;
use crate::{AppError, AppState};

/// The address of a photo's small rendition (the first that is not WebP), or of the
/// original when it has none.
pub(crate) fn thumb_url(m: &Media) -> String {
    let thumb = m
        .renditions
        .iter()
        .find(|r| !r.og && !r.file.ends_with(".webp"))
        .map_or(m.file.as_str(), |r| r.file.as_str());
    if thumb.is_empty() {
        String::new()
    } else {
        crate::views::media_url("", thumb)
    }
}

/// A photo as the editor's script sees it.
pub(crate) fn media_entry(m: &Media) -> Value {
    json!({
        "id": m.id,
        "thumb": thumb_url(m),
        "alt": m.alt,
        "caption": m.caption,
        "credit": m.credit,
        "width": m.width,
        "height": m.height,
    })
}

/// A JSON error for the editor's script: `{"error": …}` in the newsroom's language.
pub(crate) fn json_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

#[derive(Deserialize, Default)]
pub(crate) struct LibraryQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<u32>,
}

/// `GET /admin/photos.json?q=&page=`: the library, newest first, 24 a page.
pub(crate) async fn photos_json(
    State(app): State<AppState>,
    staff: StaffExt,
    Query(q): Query<LibraryQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::UseNewsroom)?;
    let text: String = q.q.chars().take(100).collect();
    let list = app
        .store
        .media_library(&text, q.page.unwrap_or(1).max(1), 24)
        .await?;
    Ok(Json(json!({
        "items": list.items.iter().map(media_entry).collect::<Vec<_>>(),
        "page": list.page,
        "last_page": list.last_page,
    }))
    .into_response())
}

#[derive(Deserialize, Default)]
pub(crate) struct StoriesQuery {
    #[serde(default)]
    q: String,
}

/// `GET /admin/articles.json?q=`: published stories matching the words, best first,
/// with their addresses on this site (for internal links).
pub(crate) async fn articles_json(
    State(app): State<AppState>,
    staff: StaffExt,
    Query(q): Query<StoriesQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::UseNewsroom)?;
    let words: String = q.q.chars().take(200).collect();
    if words.trim().is_empty() {
        return Ok(Json(json!([])).into_response());
    }
    let Some(index) = app.search.clone() else {
        return Ok(json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            staff.t.ed_search_unavailable,
        ));
    };
    let site = Site::load(&app).await?;
    let req = SearchRequest {
        q: words,
        section: None,
        tag: None,
        author: None,
        from: None,
        to: None,
        sort: Sort::Relevance,
        page: 1,
        per_page: 8,
    };
    let now = app.now();
    let found = tokio::task::spawn_blocking(move || index.search(&req, now))
        .await
        .map_err(|e| AppError::Internal(format!("search task: {e}")))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let sunday = &site.settings.sunday;
    let items: Vec<Value> = found
        .hits
        .iter()
        .map(|h| {
            json!({
                "id": h.id,
                "headline": h.headline,
                "url": site.article_url(&h.section_slug, h.published_at, &h.slug),
                "when": site.locale.date_line(h.published_at, site.tz, sunday),
            })
        })
        .collect();
    Ok(Json(Value::Array(items)).into_response())
}

/// The editor's texts, by the names its script uses.
fn texts(t: &AdminStrings) -> Value {
    let pairs = [
        ("toolbar", t.ed_toolbar),
        ("body", t.body),
        ("paragraph", t.ed_paragraph),
        ("heading", t.ed_heading),
        ("quote", t.ed_quote),
        ("quote_source", t.ed_quote_source),
        ("bullets", t.ed_bullets),
        ("numbers", t.ed_numbers),
        ("bold", t.ed_bold),
        ("italic", t.ed_italic),
        ("link", t.ed_link),
        ("link_prompt", t.ed_link_prompt),
        ("link_search_help", t.ed_link_search_help),
        ("no_stories", t.ed_no_stories),
        ("bad_url", t.ed_bad_url),
        ("apply", t.ed_apply),
        ("remove_link", t.ed_remove_link),
        ("cancel", t.ed_cancel),
        ("close", t.ed_close),
        ("undo", t.ed_undo),
        ("redo", t.ed_redo),
        ("insert_photo", t.ed_insert_photo),
        ("insert_embed", t.ed_insert_embed),
        ("embed_prompt", t.ed_embed_prompt),
        ("embed_help", t.ed_embed_help),
        ("embed_title", t.ed_embed_title),
        ("embed_title_help", t.ed_embed_title_help),
        ("link_card", t.ed_link_card),
        ("choose_photo", t.ed_choose_photo),
        ("choose_hero", t.ed_choose_hero),
        ("no_hero", t.ed_no_hero),
        ("hero_title", t.ed_hero_title),
        ("photo", t.ed_photo),
        ("remove", t.ed_remove),
        ("search_photos", t.ed_search_photos),
        ("upload_new", t.ed_upload_new),
        ("no_photos", t.ed_no_photos),
        ("more", t.ed_more),
        ("uploading", t.ed_uploading),
        ("upload_failed", t.ed_upload_failed),
        ("still_uploading", t.ed_still_uploading),
        ("caption", t.caption),
        ("caption_help", t.ed_caption_help),
        ("credit", t.credit),
        ("alt", t.alt),
        ("alt_help", t.ed_alt_help),
        ("alt_missing", t.ed_alt_missing),
        ("saving", t.ed_saving),
        ("saved_alt", t.ed_saved_alt),
    ];
    Value::Object(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::from(v)))
            .collect(),
    )
}

/// The media ids a body and a hero show.
fn shown_media(body: &[Block], hero: Option<i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = body
        .iter()
        .filter_map(|b| match b {
            Block::Photo { media_id, .. } => Some(*media_id),
            _ => None,
        })
        .chain(hero)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Photos an editor page looks up at most (a body with more shows the rest without
/// their thumbnails): a form of thousands of `[foto N]` lines costs no more.
const SHOWN_MEDIA: usize = 300;

/// What the editor page embeds for its script (`<script type="application/json">`):
/// the body as the editor's document, the photos it shows, and the texts. A document
/// the form sent that could not be saved (`doc_json`) is shown as it was sent, so the
/// person's work is on the page beside the reason; else the form's text. `None` when
/// neither reads (the page then keeps the plain textarea, with the error above it).
pub(crate) async fn page_data(
    app: &AppState,
    t: &AdminStrings,
    body_text: &str,
    hero: &str,
    doc_json: &str,
) -> Result<Option<String>, AppError> {
    let sent = (!doc_json.is_empty())
        .then(|| serde_json::from_str::<Node>(doc_json).ok())
        .flatten()
        .filter(|d| d.kind == "doc");
    let (doc, photos) = match sent {
        Some(doc) => {
            let ids: Vec<i64> = doc
                .content
                .iter()
                .filter(|n| n.kind == "photo")
                .filter_map(|n| n.attrs.as_ref()?.get("media_id")?.as_i64())
                .collect();
            (doc, ids)
        }
        None => {
            let Ok(blocks) = body_from_text(body_text) else {
                return Ok(None);
            };
            let ids = shown_media(&blocks, None);
            (to_doc(&blocks), ids)
        }
    };
    let hero = hero.trim().trim_start_matches('#').parse::<i64>().ok();
    let mut ids: Vec<i64> = photos.into_iter().chain(hero).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut media = serde_json::Map::new();
    for id in ids.into_iter().take(SHOWN_MEDIA) {
        if let Some(m) = app.store.media(id).await? {
            media.insert(id.to_string(), media_entry(&m));
        }
    }
    let data = json!({
        "doc": doc,
        "media": media,
        "t": texts(t),
    });
    // Inside a <script> element: no `</script>` (nor `<!--`) may appear.
    Ok(Some(data.to_string().replace('<', "\\u003c")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_given_in_both_languages() {
        for t in [
            warta_core::Locale::Id.admin(),
            warta_core::Locale::En.admin(),
        ] {
            let v = texts(t);
            let map = v.as_object().expect("object");
            assert!(map.len() > 40);
            for (k, v) in map {
                assert!(v.as_str().is_some_and(|s| !s.is_empty()), "{k}");
            }
        }
        let id = texts(warta_core::Locale::Id.admin());
        let en = texts(warta_core::Locale::En.admin());
        assert_ne!(id["bold"], en["bold"]);
    }

    #[test]
    fn photos_of_the_body_and_the_hero_once_each() {
        let body = body_from_text("[foto 3]\n\nteks\n\n[foto 2]\n\n[foto 3 | lain]").expect("body");
        assert_eq!(shown_media(&body, Some(2)), vec![2, 3]);
        assert_eq!(shown_media(&[], None), Vec::<i64>::new());
    }
}
