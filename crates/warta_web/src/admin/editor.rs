//! Writing and editing: the editor form, saves with their workflow moves, autosave,
//! and the conflict page (previews: `preview.rs`; corrections and revisions:
//! `versions.rs`).
//!
//! A save is one write transaction (`Store::writer`): it reads the article's newest
//! revision number under the write lock, compares it with the version the form was
//! opened on, writes the article and keeps the new revision. A form based on an older
//! version gets the conflict page and writes nothing, unless what it sends is exactly
//! the newest version already (the same form posted twice).

use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use warta_core::locale::AdminStrings;
use warta_core::newsroom::{Action, Transition, body_from_text, next_status};
use warta_core::{Article, ArticleInput, Block, Status, ValidationError};
use warta_store::{ArticleWrite, RelatedEdits};

use super::auth::StaffExt;
use super::suggest::{suggest_tags, suggestion_text};
use super::{AdminChrome, page, status_name};
use crate::views::Site;
use crate::{AppError, AppState};

use super::conflict::*;
use super::form::*;
use super::shared::*;

pub(crate) struct SectionOption {
    pub slug: String,
    pub name: String,
    pub selected: bool,
}

pub(crate) struct CorrectionView {
    pub line: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "admin/editor.html")]
pub(crate) struct EditorPage {
    a: AdminChrome,
    id: Option<i64>,
    f: ArticleForm,
    sections: Vec<SectionOption>,
    status: &'static str,
    status_key: &'static str,
    message: String,
    saved: Option<&'static str>,
    merged: bool,
    pending: bool,
    read_only: bool,
    /// The account's number: the browser's kept copies are per account.
    account: i64,
    can_publish: bool,
    can_submit: bool,
    can_withdraw: bool,
    is_live: bool,
    live_url: Option<String>,
    suggestions: Vec<String>,
    corrections: Vec<CorrectionView>,
    /// The body editor's data (see `editor_api::page_data`); `None` keeps the textarea.
    editor_data: Option<String>,
    /// "350 kata · sekitar 2 menit baca" for the body as the form holds it.
    words: String,
    /// The headline's length, and whether it is over what search results show.
    headline_hint: String,
    headline_long: String,
    headline_is_long: bool,
    /// When a scheduled (or embargoed) story goes live, in words.
    planned: Option<String>,
    /// Readers may know its address: no following the headline, a redirect when it
    /// changes, and only editors change it.
    been_live: bool,
    slug_locked: bool,
    /// The address before its slug, as readers see it (`/nasional/2026/12/05/`).
    slug_prefix: String,
    seo: super::seo::SeoPreview,
    seo_title_shown: usize,
    seo_description_shown: usize,
    editor_js: String,
    editor_css: String,
}

/// Everything the editor page needs besides the form.
pub(crate) struct EditorState<'a> {
    article: Option<&'a Article>,
    own: bool,
    message: String,
    saved: Option<&'static str>,
    merged: bool,
    /// The form is this account's pending edit of a live story (`message` says so).
    pending: bool,
    /// A contributor's own story that went live: shown, not editable.
    read_only: bool,
}

pub(crate) async fn editor_page(
    app: &AppState,
    staff: &StaffExt,
    f: ArticleForm,
    st: EditorState<'_>,
    status_code: StatusCode,
) -> Result<Response, AppError> {
    let f = f.with_doc();
    let site = Site::load(app).await?;
    let t = staff.t;
    // Read only: the text as it is, no editor (nothing to change).
    let editor_data = if st.read_only {
        None
    } else {
        super::editor_api::page_data(app, t, &f.body, &f.hero, &f.body_doc).await?
    };
    let (words, minutes) = body_from_text(&f.body)
        .map(|b| warta_core::newsroom::reading(&b))
        .unwrap_or((0, 0));
    let words = t
        .ed_words
        .replace("{w}", &words.to_string())
        .replace("{m}", &minutes.to_string());
    let headline_len = f.headline.trim().chars().count();
    let headline_long = t
        .ed_headline_long
        .replace("{max}", &HEADLINE_SHOWN.to_string());
    let headline_is_long = headline_len > HEADLINE_SHOWN;
    let headline_hint = if headline_is_long {
        &headline_long
    } else {
        t.ed_headline_ok
    }
    .replace("{n}", &headline_len.to_string());
    let planned = st
        .article
        .and_then(|a| a.published_at.filter(|p| *p > app.now()))
        .map(|p| {
            t.ed_planned.replace(
                "{when}",
                &site.locale.date_line(p, site.tz, &site.settings.sunday),
            )
        });
    let (editor_js, editor_css) = crate::assets::editor_urls();
    let been_live = st.article.is_some_and(super::address::has_been_live);
    let seo = super::seo::preview(app, t, &site, &f).await;
    let slug_prefix = site.article_url(
        &f.section,
        st.article.and_then(|a| a.published_at).unwrap_or(app.now()),
        "",
    );
    let status = st.article.map_or(Status::Draft, |a| a.status);
    let can_publish = warta_core::newsroom::may(staff.user.role, Action::Publish);
    let can_submit = warta_core::newsroom::may(
        staff.user.role,
        Action::SubmitForReview {
            own: st.own || st.article.is_none(),
            status,
        },
    ) && matches!(status, Status::Draft);
    let now = app.now();
    let live_url = st.article.and_then(|a| {
        let p = a
            .published_at
            .filter(|p| *p <= now && a.status == Status::Published)?;
        Some(site.article_url(&a.section.slug, p, &a.slug))
    });
    // Headlines are Title Case: names come from the lede and body only, read as
    // text (not as the editor's markup), each block its own sentence.
    let text = suggestion_text(&f.lede, &f.body);
    let suggestions = suggest_tags(app, &text, &parse_tags(&f.tags), t).await?;
    let corrections = st
        .article
        .map(|a| {
            a.body
                .iter()
                .filter_map(|b| match b {
                    Block::Correction { text, at } => Some(CorrectionView {
                        line: site.locale.date_line(*at, site.tz, &site.settings.sunday),
                        text: text.clone(),
                    }),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let view = EditorPage {
        // The menu marks "Tulis artikel" for a new story, "Artikel" for one opened.
        a: AdminChrome::load(
            app,
            Some(staff),
            if st.article.is_some() {
                "articles"
            } else {
                "new"
            },
        )
        .await?,
        id: st.article.map(|a| a.id),
        sections: site
            .sections
            .iter()
            .map(|s| SectionOption {
                slug: s.slug.clone(),
                name: s.name.clone(),
                selected: s.slug == f.section,
            })
            .collect(),
        f,
        status: status_name(t, status),
        status_key: status.as_str(),
        message: st.message,
        saved: st.saved,
        merged: st.merged,
        pending: st.pending,
        read_only: st.read_only,
        account: staff.user.id,
        can_publish,
        can_submit,
        can_withdraw: matches!(status, Status::InReview | Status::Scheduled)
            && warta_core::newsroom::may(
                staff.user.role,
                Action::SubmitForReview {
                    own: st.own,
                    status,
                },
            ),
        is_live: matches!(status, Status::Published | Status::Scheduled),
        live_url,
        suggestions,
        corrections,
        editor_data,
        editor_js,
        editor_css,
        words,
        headline_hint,
        headline_long,
        headline_is_long,
        planned,
        been_live,
        slug_locked: been_live && !can_publish,
        slug_prefix,
        seo,
        seo_title_shown: super::seo::TITLE_SHOWN,
        seo_description_shown: super::seo::DESCRIPTION_SHOWN,
    };
    let mut res = page(view.render()?);
    *res.status_mut() = status_code;
    Ok(res)
}

pub(crate) async fn new_article(
    State(app): State<AppState>,
    staff: StaffExt,
    Query(q): Query<EditQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::CreateArticle)?;
    let site = Site::load(&app).await?;
    let (kept, message) =
        super::stash::restore(&app, &staff, "/admin/articles/new", q.stash.as_deref()).await?;
    let f = match kept {
        Some(f) => f,
        None => ArticleForm {
            section: site
                .sections
                .first()
                .map(|s| s.slug.clone())
                .unwrap_or_default(),
            form_key: super::auth::random_token()?,
            slug_follows: Some("on".to_owned()),
            ..ArticleForm::default()
        },
    };
    editor_page(
        &app,
        &staff,
        f,
        EditorState {
            article: None,
            own: true,
            message,
            saved: None,
            merged: false,
            pending: false,
            read_only: false,
        },
        StatusCode::OK,
    )
    .await
}

pub(crate) async fn create_article(
    State(app): State<AppState>,
    staff: StaffExt,
    headers: HeaderMap,
    Form(f): Form<ArticleForm>,
) -> Result<Response, AppError> {
    staff.may(Action::CreateArticle)?;
    let f = f.with_doc();
    let key = f.form_key.trim();
    if key.len() < 16 || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AppError::BadRequest(
            "the form has no valid `form_key`: reload the editor".into(),
        ));
    }
    let source = format!("newsroom:{key}");
    // The same form posted again (a double click, an autosave then a save): it is
    // the article the first post made, saved with the usual checks.
    if let Some(id) = app.store.article_id_by_source(&source).await? {
        return save(&app, &staff, id, f, &headers).await;
    }
    let site = Site::load(&app).await?;
    let may_publish = warta_core::newsroom::may(staff.user.role, Action::Publish);
    let address = match super::address::wanted(&app, staff.t, &site, None, &f, may_publish).await? {
        Ok(a) => a,
        Err(why) => return refused(&app, &staff, None, f, why, &headers).await,
    };
    let input = match f.to_input(None) {
        Ok(mut i) => {
            i.slug = address.slug;
            i.authors = byline(&app, &staff).await?.into_iter().collect();
            if i.language.is_empty() {
                i.language = app.store.settings().await?.language;
            }
            if app.store.section_by_slug(&i.section).await?.is_none() {
                Err(ValidationError::Invalid {
                    field: "section",
                    reason: warta_core::Reason::NoSection(i.section.clone()),
                })
            } else {
                i.normalize()
            }
        }
        Err(e) => Err(e),
    };
    let input = match input {
        Ok(i) => i,
        Err(e) => return refused(&app, &staff, None, f, e.text(staff.t), &headers).await,
    };
    let now = app.now();
    let mut w = app.store.writer(now).await?;
    let mut item = ArticleWrite::new(input.clone());
    item.source_id = Some(source);
    let id = match w.write(vec![item]).await {
        Ok(out) => out
            .first()
            .map(|o| o.id())
            .ok_or_else(|| AppError::Internal("the write returned no article".into()))?,
        Err(e) => {
            drop(w);
            let why = store_text(staff.t, &e.error);
            return refused(&app, &staff, None, f, why, &headers).await;
        }
    };
    let base = w
        .add_revision(id, Some(staff.user.id), "created", &input)
        .await?;
    w.commit().await?;
    app.metrics.saved("created");
    // Written and at once submitted, published or scheduled: that move as the next
    // save, with its own checks (a refused move leaves the draft, and says why).
    if !matches!(f.action.as_str(), "" | "save") {
        let f = ArticleForm { base, ..f };
        return save(&app, &staff, id, f, &headers).await;
    }
    if wants_json(&headers) {
        return Ok(Json(serde_json::json!({ "id": id, "base": base })).into_response());
    }
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved=1")).into_response())
}

/// The account's byline: its author record, made from its name the first time.
pub(crate) async fn byline(app: &AppState, staff: &StaffExt) -> Result<Option<String>, AppError> {
    if let Some(id) = staff.user.author_id
        && let Some(a) = app.store.authors().await?.into_iter().find(|a| a.id == id)
    {
        return Ok(Some(a.slug));
    }
    let slug = warta_core::slug::slugify(&staff.user.name);
    if slug.is_empty() {
        return Ok(None);
    }
    if app.store.author_by_slug(&slug).await?.is_none() {
        app.store.upsert_author(&slug, &staff.user.name, "").await?;
    }
    Ok(Some(slug))
}

/// A save that could not be done: the editor again with the reason and everything
/// the form held (or, for autosave, the reason as JSON).
pub(crate) async fn refused(
    app: &AppState,
    staff: &StaffExt,
    article: Option<&Article>,
    f: ArticleForm,
    why: String,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    if wants_json(headers) {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(serde_json::json!({ "error": why })),
        )
            .into_response());
    }
    let own = match article {
        Some(a) => app.store.article_owner(a.id).await? == Some(staff.user.id),
        None => true,
    };
    editor_page(
        app,
        staff,
        f,
        EditorState {
            article,
            own,
            message: format!("{} {why}", staff.t.not_saved),
            saved: None,
            merged: false,
            pending: false,
            read_only: false,
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Deserialize, Default)]
pub(crate) struct EditQuery {
    #[serde(default)]
    saved: Option<String>,
    /// The save merged a colleague's newer version in.
    #[serde(default)]
    merged: Option<String>,
    /// A form kept across a login (see `stash`).
    #[serde(default)]
    stash: Option<String>,
}

pub(crate) async fn edit_article(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> Result<Response, AppError> {
    // A contributor's own story that went live opens read only; anyone else who may
    // not edit it is refused.
    let article = app.store.article(id).await?;
    let own = app.store.article_owner(id).await? == Some(staff.user.id);
    let edit = Action::EditArticle {
        own,
        status: article.status,
    };
    let read_only = !warta_core::newsroom::may(staff.user.role, edit);
    if read_only && !own {
        staff.may(edit)?;
    }
    let site = Site::load(&app).await?;
    let edits = app.store.related_edits(id).await?;
    let translation_of = app.store.translation_of(id).await?;
    let base = app.store.latest_revision(id).await?;
    let path = format!("/admin/articles/{id}");
    let (mut kept, mut message) =
        super::stash::restore(&app, &staff, &path, q.stash.as_deref()).await?;
    let mut pending = false;
    if read_only {
        message = if article.status == Status::Published {
            staff.t.read_only_live
        } else {
            staff.t.read_only_editor
        }
        .to_owned();
    } else if kept.is_none()
        && let Some((f, line)) = super::pending::restore(&app, &staff, &article).await?
    {
        kept = Some(f);
        message = line;
        pending = true;
    }
    // A kept form keeps the version it was based on: saving it over a newer one is a
    // conflict, as for any other save.
    let f = match kept {
        Some(f) => f,
        None => {
            let mut f = ArticleForm::from_article(&article, &edits, translation_of, base, &site);
            if f.slug_follows.is_none() && super::address::follows_now(&app, &article).await? {
                f.slug_follows = Some("on".into());
            }
            f
        }
    };
    editor_page(
        &app,
        &staff,
        f,
        EditorState {
            article: Some(&article),
            own,
            message,
            saved: q.saved.as_deref().map(|w| done_text(staff.t, w)),
            merged: q.merged.is_some(),
            pending,
            read_only,
        },
        StatusCode::OK,
    )
    .await
}

pub(crate) async fn save_article(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(f): Form<ArticleForm>,
) -> Result<Response, AppError> {
    save(&app, &staff, id, f, &headers).await
}

pub(crate) async fn autosave(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    Form(mut f): Form<ArticleForm>,
) -> Result<Response, AppError> {
    // Who may edit it first: the answer must not tell others what state it is in.
    let (article, _) = editable(&app, &staff, id).await?;
    // Work in progress saves itself; a live story changes when a person says so: its
    // edits are kept aside as this account's pending edit.
    if !matches!(article.status, Status::Draft | Status::InReview) {
        return super::pending::keep(&app, &staff, &article, &f).await;
    }
    f.action = "save".into();
    let mut headers = HeaderMap::new();
    headers.insert("x-autosave", axum::http::HeaderValue::from_static("1"));
    save(&app, &staff, id, f, &headers).await
}

pub(crate) async fn save(
    app: &AppState,
    staff: &StaffExt,
    id: i64,
    f: ArticleForm,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let f = f.with_doc();
    let (article, own) = editable(app, staff, id).await?;
    let transition = Transition::parse(&f.action)
        .ok_or_else(|| AppError::BadRequest(format!("unknown action `{}`", f.action)))?;
    if transition.needs_editor() {
        staff.may(Action::Publish)?;
    }
    if matches!(transition, Transition::Submit | Transition::Withdraw) {
        staff.may(Action::SubmitForReview {
            own,
            status: article.status,
        })?;
    }
    let site = Site::load(app).await?;
    let now = app.now();
    let prepared = (|| {
        let mut input = f.to_input(Some(&article))?;
        let at = parse_local(&f.publish_at, site.tz)?;
        // Saving a scheduled article with another time moves the schedule (checked
        // like a new one).
        let transition = match transition {
            Transition::Keep
                if article.status == Status::Scheduled && at != article.published_at =>
            {
                Transition::Schedule
            }
            t => t,
        };
        let (status, published_at) =
            next_status(article.status, transition, at, article.published_at, now)?;
        input.status = status;
        input.published_at = published_at;
        let pins = parse_ids("pins", &f.pins)?;
        let excludes = parse_ids("excludes", &f.excludes)?;
        let translation_of = match parse_ids("translation_of", &f.translation_of)?[..] {
            [] => None,
            [one] if one != id => Some(one),
            _ => {
                return Err(ValidationError::Invalid {
                    field: "translation_of",
                    reason: warta_core::Reason::NotOwnNumber,
                });
            }
        };
        Ok::<_, ValidationError>((
            input.normalize()?,
            RelatedEdits { pins, excludes },
            translation_of,
        ))
    })();
    let (mut input, edits, translation_of) = match prepared {
        Ok(p) => p,
        Err(e) => return refused(app, staff, Some(&article), f, e.text(staff.t), headers).await,
    };
    let may_publish = warta_core::newsroom::may(staff.user.role, Action::Publish);
    let address =
        match super::address::wanted(app, staff.t, &site, Some(&article), &f, may_publish).await? {
            Ok(a) => a,
            Err(why) => return refused(app, staff, Some(&article), f, why, headers).await,
        };
    let readdress = address.slug.as_ref().is_some_and(|s| *s != article.slug);
    if address.slug.is_some() {
        input.slug = address.slug;
    }
    if matches!(input.status, Status::Published | Status::Scheduled) {
        let all = matches!(transition, Transition::Publish | Transition::Schedule)
            || !matches!(article.status, Status::Published | Status::Scheduled);
        if let Some(why) = missing_alt(app, staff.t, &input, (!all).then_some(&article)).await? {
            return refused(app, staff, Some(&article), f, why, headers).await;
        }
    }
    if app.store.section_by_slug(&input.section).await?.is_none() {
        let why = ValidationError::Invalid {
            field: "section",
            reason: warta_core::Reason::NoSection(input.section.clone()),
        }
        .text(staff.t);
        return refused(app, staff, Some(&article), f, why, headers).await;
    }
    if let Some(of) = translation_of
        && app.store.article(of).await.is_err()
    {
        let why = warta_store::StoreError::NotFound {
            what: "article",
            key: of.to_string(),
        };
        let why = format!("{}: {}", staff.t.translation_of, store_text(staff.t, &why));
        return refused(app, staff, Some(&article), f, why, headers).await;
    }
    let mut w = app.store.writer(now).await?;
    let latest = w.latest_revision(id).await?;
    if latest != f.base {
        let newest = app.store.revision(id, latest).await?;
        w.rollback().await?;
        if newest
            .as_ref()
            .is_some_and(|r| same_content(&r.content, &input))
        {
            // The same form posted twice: already saved.
            return saved_answer(id, latest, headers, Transition::Keep, false);
        }
        // Merged with what was saved meanwhile, field by field, against the version
        // the form was opened on. (Not for autosave: the page would keep showing the
        // old values of the fields merged in, and its next save would revert them.)
        let base = match f.base {
            0 => None,
            n => app.store.revision(id, n).await?,
        };
        if let Some(base) = base.filter(|_| !wants_json(headers)) {
            let theirs = newest
                .as_ref()
                .map(|r| r.content.clone())
                .unwrap_or_else(|| article.to_input());
            let (merged, conflicts) = merge(staff.t, site.tz, &base.content, &theirs, &f, &input);
            let merged = ArticleForm {
                base: latest,
                seen: String::new(),
                merged: Some("1".into()),
                ..merged
            };
            if conflicts.is_empty() {
                return Box::pin(save(app, staff, id, merged, headers)).await;
            }
            return conflict_page(
                app, staff, &article, newest, merged, latest, conflicts, headers,
            )
            .await;
        }
        return conflict_page(app, staff, &article, newest, f, latest, Vec::new(), headers).await;
    }
    // Never saved in the newsroom: the revision number cannot tell whether an import
    // replaced the article since the form was opened; the fingerprint can. Read under
    // the write lock, so nothing lands between this check and the write.
    let article = if latest == 0 {
        let current = app.store.article(id).await?;
        if !f.seen.is_empty() && version_mark(&current) != f.seen {
            w.rollback().await?;
            return conflict_page(app, staff, &current, None, f, latest, Vec::new(), headers).await;
        }
        current
    } else {
        article
    };
    keep_first_state(&mut w, &article, latest).await?;
    let mut item = ArticleWrite::new(input.clone());
    item.id = Some(id);
    item.readdress = readdress;
    item.legacy_paths.extend(address.moved_from);
    if let Err(e) = w.write(vec![item]).await {
        drop(w);
        let why = store_text(staff.t, &e.error);
        return refused(app, staff, Some(&article), f, why, headers).await;
    }
    let note = match transition {
        Transition::Keep if wants_json(headers) => "autosave",
        Transition::Keep => "saved",
        Transition::Submit => "submitted for review",
        Transition::Withdraw => "back to draft",
        Transition::Publish => "published",
        Transition::Schedule => "scheduled",
        Transition::Unpublish => "unpublished",
    };
    let base = w
        .add_revision(id, Some(staff.user.id), note, &input)
        .await?;
    w.commit().await?;
    // What this account kept aside of the story is in it now (or was chosen against).
    app.store.drop_pending_edit(id, staff.user.id).await?;
    app.metrics.saved(note);
    if warta_core::newsroom::may(staff.user.role, Action::Publish) && f.related_changed() {
        if edits != app.store.related_edits(id).await? {
            app.store.set_related_edits(id, &edits).await?;
        }
        if translation_of != app.store.translation_of(id).await? {
            app.store
                .set_translation_of(id, translation_of, app.now())
                .await?;
        }
    }
    app.catch_up().await;
    saved_answer(id, base, headers, transition, f.merged.is_some())
}

/// Why the photos of `input` may not go live yet: one without alt text. With `before`
/// (an edit of a live article) only photos it did not already show are asked for:
/// an archive imported without alt texts stays editable.
pub(crate) async fn missing_alt(
    app: &AppState,
    t: &AdminStrings,
    input: &ArticleInput,
    before: Option<&Article>,
) -> Result<Option<String>, AppError> {
    let shown_before = |id: i64| {
        before.is_some_and(|a| {
            a.hero.as_ref().is_some_and(|h| h.id == id)
                || a.body
                    .iter()
                    .any(|b| matches!(b, Block::Photo { media_id, .. } if *media_id == id))
        })
    };
    let has_alt = |m: Option<warta_core::Media>| m.is_some_and(|m| !m.alt.trim().is_empty());
    if let Some(h) = input.hero_media_id
        && !shown_before(h)
        && !has_alt(app.store.media(h).await?)
    {
        return Ok(Some(t.ed_alt_required_hero.to_owned()));
    }
    let photos = input.body.iter().filter_map(|b| match b {
        Block::Photo { media_id, .. } => Some(*media_id),
        _ => None,
    });
    for (n, id) in photos.enumerate() {
        if !shown_before(id) && !has_alt(app.store.media(id).await?) {
            return Ok(Some(
                t.ed_alt_required_body.replace("{n}", &(n + 1).to_string()),
            ));
        }
    }
    Ok(None)
}

/// Whether two versions say the same (the slug only when both have one: a new
/// article's first version is kept before its slug is chosen).
pub(crate) fn same_content(a: &ArticleInput, b: &ArticleInput) -> bool {
    let strip = |i: &ArticleInput| ArticleInput {
        slug: None,
        ..i.clone()
    };
    let slugs_agree = match (&a.slug, &b.slug) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    slugs_agree && strip(a) == strip(b)
}

/// After a save: the editor again, saying what was done (`?saved=…`), or the new
/// revision for the script.
pub(crate) fn saved_answer(
    id: i64,
    base: i64,
    headers: &HeaderMap,
    done: Transition,
    merged: bool,
) -> Result<Response, AppError> {
    if wants_json(headers) {
        return Ok(Json(serde_json::json!({ "id": id, "base": base })).into_response());
    }
    let what = match done {
        Transition::Keep => "1",
        Transition::Submit => "submitted",
        Transition::Withdraw => "withdrawn",
        Transition::Publish => "published",
        Transition::Schedule => "scheduled",
        Transition::Unpublish => "unpublished",
    };
    let merged = if merged { "&merged=1" } else { "" };
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved={what}{merged}")).into_response())
}

/// The confirmation for `?saved=…`.
fn done_text(t: &AdminStrings, what: &str) -> &'static str {
    match what {
        "submitted" => t.done_submitted,
        "withdrawn" => t.done_withdrawn,
        "published" => t.done_published,
        "scheduled" => t.done_scheduled,
        "unpublished" => t.done_unpublished,
        _ => t.saved,
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct TagQuery {
    #[serde(default)]
    q: String,
}

/// Tag autocomplete: existing tags starting with what was typed, as `kind: name` lines.
pub(crate) async fn complete_tags(
    State(app): State<AppState>,
    staff: StaffExt,
    Query(q): Query<TagQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::UseNewsroom)?;
    let q = q.q.trim();
    if q.is_empty() {
        return Ok(Json(Vec::<String>::new()).into_response());
    }
    let q: String = q.chars().take(60).collect();
    let tags = app.store.tags_starting(&q, 10).await?;
    Ok(Json(
        tags.iter()
            .map(|g| format!("{}: {}", kind_word(staff.t, g.kind), g.name))
            .collect::<Vec<_>>(),
    )
    .into_response())
}
