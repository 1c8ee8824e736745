//! The publication's own pages in the newsroom (issue #30): a list, and an editor with
//! the article's body editor (the text form without script). Editors and admins only.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use warta_core::newsroom::{Action, body_from_text, body_to_text};
use warta_store::PageInput;

use super::auth::StaffExt;
use super::form::read_doc;
use super::shared::store_text;
use super::{AdminChrome, page};
use crate::{AppError, AppState};

pub(crate) struct PageRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub position: i64,
}

#[derive(Template)]
#[template(path = "admin/pages.html")]
struct PagesList {
    a: AdminChrome,
    rows: Vec<PageRow>,
    done: String,
}

/// The page editor's fields, as posted and as shown again after a refused save.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    body_doc: String,
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "admin/page_editor.html")]
struct PageEditor {
    a: AdminChrome,
    /// 0: a new page.
    id: i64,
    f: PageForm,
    editor_data: Option<String>,
    editor_js: String,
    editor_css: String,
    message: String,
    done: String,
}

#[derive(Deserialize, Default)]
pub(crate) struct Done {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    deleted: Option<String>,
}

/// `GET /admin/pages`.
pub(crate) async fn list_pages(
    State(app): State<AppState>,
    staff: StaffExt,
    Query(q): Query<Done>,
) -> Result<Response, AppError> {
    staff.may(Action::EditPages)?;
    let rows = app
        .store
        .site_pages()
        .await?
        .into_iter()
        .map(|p| PageRow {
            id: p.id,
            slug: p.slug,
            title: p.title,
            position: p.position,
        })
        .collect();
    let view = PagesList {
        a: AdminChrome::load(&app, Some(&staff), "pages").await?,
        rows,
        done: if q.deleted.is_some() {
            staff.t.page_deleted.to_owned()
        } else {
            String::new()
        },
    };
    Ok(page(view.render()?))
}

async fn editor(
    app: &AppState,
    staff: &StaffExt,
    id: i64,
    f: PageForm,
    message: String,
    done: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let editor_data = super::editor_api::page_data(app, staff.t, &f.body, "", &f.body_doc).await?;
    let (editor_js, editor_css) = crate::assets::editor_urls();
    let view = PageEditor {
        a: AdminChrome::load(app, Some(staff), "pages").await?,
        id,
        f,
        editor_data,
        editor_js,
        editor_css,
        message,
        done,
    };
    Ok((status, page(view.render()?)).into_response())
}

/// `GET /admin/pages/new`.
pub(crate) async fn new_page(
    State(app): State<AppState>,
    staff: StaffExt,
) -> Result<Response, AppError> {
    staff.may(Action::EditPages)?;
    let position = app.store.site_pages().await?.len();
    let f = PageForm {
        position: position.to_string(),
        ..PageForm::default()
    };
    editor(
        &app,
        &staff,
        0,
        f,
        String::new(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/pages/{id}`.
pub(crate) async fn edit_page(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<Response, AppError> {
    staff.may(Action::EditPages)?;
    let p = app.store.site_page(id).await?.ok_or(AppError::NotFound)?;
    let f = PageForm {
        title: p.title,
        slug: p.slug,
        position: p.position.to_string(),
        body: body_to_text(&p.body),
        ..PageForm::default()
    };
    let done = if q.saved.is_some() {
        staff.t.page_saved.to_owned()
    } else {
        String::new()
    };
    editor(&app, &staff, id, f, String::new(), done, StatusCode::OK).await
}

/// `POST /admin/pages/new` and `POST /admin/pages/{id}`: save, or delete.
async fn save(
    app: AppState,
    staff: StaffExt,
    id: Option<i64>,
    mut f: PageForm,
) -> Result<Response, AppError> {
    staff.may(Action::EditPages)?;
    let t = staff.t;
    if let (Some(id), "delete") = (id, f.action.as_str()) {
        app.store.delete_site_page(id).await?;
        app.catch_up().await;
        return Ok(Redirect::to("/admin/pages?deleted=1").into_response());
    }
    // The body as the editor's document (with script) or as text (without).
    let body = if f.body_doc.trim().is_empty() {
        body_from_text(&f.body)
    } else {
        read_doc(&f.body_doc)
    };
    let refuse = |f: PageForm, message: String| {
        editor(
            &app,
            &staff,
            id.unwrap_or(0),
            f,
            message,
            String::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            let message = e.text(t);
            return refuse(f, message).await;
        }
    };
    // What is shown again is the text form of what was read.
    f.body = body_to_text(&body);
    f.body_doc.clear();
    let slug = match f.slug.trim() {
        "" => warta_core::slug::slugify(&f.title),
        s => s.to_owned(),
    };
    let position = match f.position.trim() {
        "" => 0,
        v => match v.parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                let message = warta_core::Reason::NotWholeNumber(v.to_owned()).text(t);
                return refuse(f, message).await;
            }
        },
    };
    let input = PageInput {
        slug,
        title: f.title.clone(),
        body,
        position,
    };
    match app.store.save_site_page(id, &input, app.now()).await {
        Ok(saved) => {
            app.catch_up().await;
            Ok(Redirect::to(&format!("/admin/pages/{saved}?saved=1")).into_response())
        }
        Err(
            e @ (warta_store::StoreError::Invalid(_) | warta_store::StoreError::NotFound { .. }),
        ) => {
            let message = store_text(t, &e);
            refuse(f, message).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn create_page(
    State(app): State<AppState>,
    staff: StaffExt,
    Form(f): Form<PageForm>,
) -> Result<Response, AppError> {
    save(app, staff, None, f).await
}

pub(crate) async fn save_page(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    Form(f): Form<PageForm>,
) -> Result<Response, AppError> {
    save(app, staff, Some(id), f).await
}
