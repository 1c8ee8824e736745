//! Photos in the newsroom: upload (through `warta_media`'s pipeline: type from the
//! bytes, size, pixel and memory limits, metadata stripped, renditions for `srcset`),
//! caption/credit/alt as fields, and the library. At most `warta_media::max_decodes()`
//! pictures are decoded at once (`AppState::decodes`); more uploads wait their turn.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use warta_core::locale::AdminStrings;
use warta_core::newsroom::Action;

use super::auth::{StaffExt, same_secret};
use super::editor_api::{json_error, media_entry, thumb_url};
use super::{AdminChrome, page};
use crate::media::MediaStore;
use crate::{AppError, AppState};

pub(crate) use warta_media::{MAX_UPLOAD, PhotoError, process};

pub(crate) struct PhotoRow {
    pub id: i64,
    pub src: String,
    pub caption: String,
    pub credit: String,
    pub alt: String,
    pub size: String,
    /// The focal point, percent from the left and from the top.
    pub focus_x: u8,
    pub focus_y: u8,
}

#[derive(Template)]
#[template(path = "admin/photos.html")]
struct PhotosPage {
    a: AdminChrome,
    q: String,
    rows: Vec<PhotoRow>,
    message: String,
    caption: String,
    credit: String,
    alt: String,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct PhotosQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<u32>,
}

/// The fields an upload form had, shown again when it is refused.
#[derive(Default)]
struct Kept {
    caption: String,
    credit: String,
    alt: String,
}

async fn photos_page(
    app: &AppState,
    staff: &StaffExt,
    q: &str,
    page_no: u32,
    message: String,
    kept: Kept,
    status: StatusCode,
) -> Result<Response, AppError> {
    let list = app.store.media_library(q, page_no, 24).await?;
    let href = |p: u32| {
        let qs =
            serde_urlencoded::to_string([("q", q), ("page", &p.to_string())]).unwrap_or_default();
        format!("/admin/photos?{qs}")
    };
    let view = PhotosPage {
        a: AdminChrome::load(app, Some(staff), "photos").await?,
        q: q.to_owned(),
        rows: list
            .items
            .iter()
            .map(|m| PhotoRow {
                id: m.id,
                src: thumb_url(m),
                caption: m.caption.clone(),
                credit: m.credit.clone(),
                alt: m.alt.clone(),
                size: format!("{} × {}", m.width, m.height),
                focus_x: m.focus_x,
                focus_y: m.focus_y,
            })
            .collect(),
        message,
        caption: kept.caption,
        credit: kept.credit,
        alt: kept.alt,
        prev: (list.page > 1).then(|| href(list.page - 1)),
        next: (list.page < list.last_page).then(|| href(list.page + 1)),
    };
    let mut res = page(view.render()?);
    *res.status_mut() = status;
    Ok(res)
}

pub(crate) async fn list_photos(
    State(app): State<AppState>,
    staff: StaffExt,
    Query(q): Query<PhotosQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::UseNewsroom)?;
    let q_text: String = q.q.chars().take(100).collect();
    photos_page(
        &app,
        &staff,
        &q_text,
        q.page.unwrap_or(1).max(1),
        String::new(),
        Kept::default(),
        StatusCode::OK,
    )
    .await
}

/// Whether the editor's script asked (it wants JSON, not a page).
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// `POST /admin/photos` (multipart): `csrf` first, then `caption`, `credit`, `alt`
/// and `file`. The CSRF field is checked before the file is read. The photo page's
/// form requires the alt text; the body editor (asking for JSON) uploads first and
/// asks for it beside the photo, and publishing requires it then.
pub(crate) async fn upload_photo(
    State(app): State<AppState>,
    staff: StaffExt,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, AppError> {
    let json = wants_json(&headers);
    match upload(&app, &staff, form, json).await {
        Err(AppError::BadRequest(why)) if json => {
            Ok(json_error(StatusCode::UNPROCESSABLE_ENTITY, why))
        }
        Err(AppError::Forbidden(why)) if json => Ok(json_error(StatusCode::FORBIDDEN, why)),
        other => other,
    }
}

async fn upload(
    app: &AppState,
    staff: &StaffExt,
    mut form: Multipart,
    json: bool,
) -> Result<Response, AppError> {
    staff.may(Action::UploadMedia)?;
    let mut kept = Kept::default();
    let mut csrf_ok = false;
    let mut file: Option<Vec<u8>> = None;
    let refuse = |why: String| AppError::BadRequest(why);
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            refuse(photo_text(staff.t, &PhotoError::TooLarge))
        } else {
            refuse(staff.t.photo_unreadable_upload.to_owned())
        }
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_owned();
        if name != "csrf" && !csrf_ok {
            return Err(AppError::Forbidden(staff.t.csrf_failed.to_owned()));
        }
        match name.as_str() {
            "csrf" => {
                let v = field.text().await.unwrap_or_default();
                if !same_secret(&v, &staff.csrf) {
                    return Err(AppError::Forbidden(staff.t.csrf_failed.to_owned()));
                }
                csrf_ok = true;
            }
            "caption" => kept.caption = field.text().await.unwrap_or_default(),
            "credit" => kept.credit = field.text().await.unwrap_or_default(),
            "alt" => kept.alt = field.text().await.unwrap_or_default(),
            "file" => {
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = Some(bytes.to_vec());
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(AppError::Forbidden(staff.t.csrf_failed.to_owned()));
    }
    let again = |why: String, kept: Kept| refuse_upload(app, staff, json, why, kept);
    let alt = warta_core::sanitize::clean_text(&kept.alt);
    if alt.is_empty() && !json {
        return again(staff.t.photo_alt_required.to_owned(), kept).await;
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return again("field `file`: choose a photo to upload".into(), kept).await;
    };
    // One decode per core at a time: each may take up to the decoded-memory budget.
    let permit = app
        .decodes
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let processed = match tokio::task::spawn_blocking(move || {
        let p = process(&bytes);
        drop(permit);
        p
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    {
        Ok(p) => p,
        Err(e) => return again(photo_text(staff.t, &e), kept).await,
    };
    let store = app
        .config
        .media_store
        .clone()
        .unwrap_or_else(|| MediaStore::Folder(app.config.media_dir.clone()));
    for (name, bytes) in processed.files {
        store
            .put_file(&name, bytes)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let mut media = processed.media;
    media.alt = alt;
    media.caption = kept.caption;
    media.credit = kept.credit;
    let m = app.store.insert_media(&media, app.now()).await?;
    if json {
        return Ok(Json(media_entry(&m)).into_response());
    }
    Ok(Redirect::to(&format!("/admin/photos?uploaded={}", m.id)).into_response())
}

/// An upload refused: the page again with the fields kept, or the reason for the
/// script.
async fn refuse_upload(
    app: &AppState,
    staff: &StaffExt,
    json: bool,
    why: String,
    kept: Kept,
) -> Result<Response, AppError> {
    if json {
        return Err(AppError::BadRequest(why));
    }
    photos_page(
        app,
        staff,
        "",
        1,
        why,
        kept,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Deserialize)]
pub(crate) struct PhotoForm {
    /// Absent: kept as it is (the body editor sends only what the person changed).
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    credit: Option<String>,
    #[serde(default)]
    alt: String,
    /// The focal point in percent (both or neither; absent: unchanged).
    #[serde(default)]
    focus_x: Option<String>,
    #[serde(default)]
    focus_y: Option<String>,
}

/// The focal point of a photo form: both numbers 0 to 100, or neither (unchanged).
fn focus_of(f: &PhotoForm, t: &AdminStrings) -> Result<Option<(u8, u8)>, AppError> {
    let read = |v: &Option<String>| -> Result<Option<u8>, AppError> {
        match v.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse::<f32>()
                .ok()
                .filter(|n| (0.0..=100.0).contains(n))
                .map(|n| Some(n.round() as u8))
                .ok_or_else(|| AppError::BadRequest(t.photo_focus_invalid.replace("{0}", v))),
        }
    };
    match (read(&f.focus_x)?, read(&f.focus_y)?) {
        (Some(x), Some(y)) => Ok(Some((x, y))),
        (None, None) => Ok(None),
        _ => Err(AppError::BadRequest(
            t.photo_focus_invalid.replace("{0}", ""),
        )),
    }
}

/// `POST /admin/photos/{id}`: a photo's caption, credit and alt text. The body
/// editor asks for JSON and is answered with the photo.
pub(crate) async fn save_photo(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<PhotoForm>,
) -> Result<Response, AppError> {
    staff.may(Action::UploadMedia)?;
    let json = wants_json(&headers);
    match save_texts(&app, &staff, id, f).await {
        Ok(()) if json => match app.store.media(id).await? {
            Some(m) => Ok(Json(media_entry(&m)).into_response()),
            None => Err(AppError::NotFound),
        },
        Ok(()) => Ok(Redirect::to("/admin/photos").into_response()),
        Err(AppError::BadRequest(why)) if json => {
            Ok(json_error(StatusCode::UNPROCESSABLE_ENTITY, why))
        }
        Err(AppError::Forbidden(why)) if json => Ok(json_error(StatusCode::FORBIDDEN, why)),
        Err(e) => Err(e),
    }
}

async fn save_texts(
    app: &AppState,
    staff: &StaffExt,
    id: i64,
    f: PhotoForm,
) -> Result<(), AppError> {
    if warta_core::sanitize::clean_text(&f.alt).is_empty() {
        return Err(AppError::BadRequest(staff.t.photo_alt_required.to_owned()));
    }
    // A photo a visible article shows is live content: only editors change it, and the
    // change is an edit of every article that uses it.
    let may_change_live = warta_core::newsroom::may(staff.user.role, Action::Publish);
    let text = warta_store::MediaText {
        alt: &f.alt,
        caption: f.caption.as_deref(),
        credit: f.credit.as_deref(),
        focus: focus_of(&f, staff.t)?,
    };
    match app
        .store
        .update_media_text(id, text, Some(staff.user.id), may_change_live, app.now())
        .await?
    {
        warta_store::MediaEdit::NotFound => Err(AppError::NotFound),
        warta_store::MediaEdit::Live => Err(AppError::Forbidden(staff.t.photo_live.to_owned())),
        warta_store::MediaEdit::Done { .. } => {
            app.catch_up().await;
            Ok(())
        }
    }
}

/// Why a photo was refused, in the newsroom's language (every kind named: a new one
/// does not compile until it has its words).
pub(crate) fn photo_text(t: &AdminStrings, e: &PhotoError) -> String {
    match e {
        PhotoError::NotAnImage => t.photo_not_image.to_owned(),
        PhotoError::TooManyPixels(w, h) => t
            .photo_too_many_pixels
            .replace("{0}", &w.to_string())
            .replace("{1}", &h.to_string())
            .replace("{2}", &(warta_media::MAX_PIXELS / 1_000_000).to_string()),
        PhotoError::TooDeep(mb, ..) => t
            .photo_too_deep
            .replace("{0}", &mb.to_string())
            .replace("{1}", &(warta_media::DECODE_BUDGET / 1_000_000).to_string()),
        PhotoError::TooLarge => t
            .photo_too_large
            .replace("{0}", &(MAX_UPLOAD / 1024 / 1024).to_string()),
        PhotoError::Broken(_) => t.photo_broken.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_photo_refusal_has_its_own_indonesian_words() {
        let (id, en) = (
            warta_core::Locale::Id.admin(),
            warta_core::Locale::En.admin(),
        );
        for e in [
            PhotoError::NotAnImage,
            PhotoError::TooManyPixels(9000, 9000),
            PhotoError::TooDeep(400, 9000, 9000, 8),
            PhotoError::TooLarge,
            PhotoError::Broken("x".into()),
        ] {
            let (a, b) = (photo_text(id, &e), photo_text(en, &e));
            assert_ne!(a, b, "{e:?}");
            assert!(!a.contains('{'), "{a}");
        }
    }
}
