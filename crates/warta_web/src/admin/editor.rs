//! Writing and editing: the editor form, saves with their workflow moves, autosave,
//! preview, corrections, revisions (list, diff, restore) and the conflict page.
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
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use warta_core::locale::AdminStrings;
use warta_core::newsroom::{
    Action, Transition, body_from_text, body_to_text, next_status, with_corrections,
};
use warta_core::{Article, ArticleInput, Block, Status, TagKind, TagRef, ValidationError};
use warta_store::{ArticleWrite, RelatedEdits, StoreError};

use super::auth::StaffExt;
use super::suggest::{suggest_tags, suggestion_text};
use super::{AdminChrome, page, status_name};
use crate::views::{self, RELATED_LIMIT, Site};
use crate::{AppError, AppState};

/// The editor's fields as the form sends them (and as the page shows them again
/// after a refused save, so nothing typed is lost).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub(crate) struct ArticleForm {
    #[serde(default)]
    pub headline: String,
    #[serde(default)]
    pub lede: String,
    #[serde(default)]
    pub body: String,
    /// With the editor's script: the body as its document (ProseMirror's JSON), read
    /// into `body` by [`ArticleForm::with_doc`].
    #[serde(default)]
    pub body_doc: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub dateline_place: String,
    #[serde(default)]
    pub hero: String,
    #[serde(default)]
    pub sensitive: Option<String>,
    #[serde(default)]
    pub publish_at: String,
    #[serde(default)]
    pub pins: String,
    #[serde(default)]
    pub excludes: String,
    /// The article's language (`id`, `en`); empty keeps it.
    #[serde(default)]
    pub language: String,
    /// The number of the article this one translates; empty: none.
    #[serde(default)]
    pub translation_of: String,
    /// The revision number the form was opened on.
    #[serde(default)]
    pub base: i64,
    /// With `base` 0 (an imported article no one has saved in the newsroom yet): a
    /// fingerprint of the version the form was opened on, so that an import landing
    /// meanwhile is a conflict too.
    #[serde(default)]
    pub seen: String,
    /// A new article's form: one random key, so posting it twice makes one article.
    #[serde(default)]
    pub form_key: String,
    #[serde(default)]
    pub action: String,
}

pub(super) fn kind_word(t: &AdminStrings, k: TagKind) -> &'static str {
    match (t.lang, k) {
        ("id", TagKind::Person) => "orang",
        ("id", TagKind::Organisation) => "organisasi",
        ("id", TagKind::Place) => "tempat",
        ("id", TagKind::Topic) => "topik",
        (_, k) => k.as_str(),
    }
}

fn parse_kind(word: &str) -> Option<TagKind> {
    Some(match word.trim().to_lowercase().as_str() {
        "person" | "orang" | "tokoh" => TagKind::Person,
        "organisation" | "organization" | "organisasi" => TagKind::Organisation,
        "place" | "tempat" | "lokasi" => TagKind::Place,
        "topic" | "topik" => TagKind::Topic,
        _ => return None,
    })
}

/// `kind: name` per line (a line without a known kind is a topic).
fn parse_tags(text: &str) -> Vec<TagRef> {
    let mut out: Vec<TagRef> = Vec::new();
    for line in text.lines().flat_map(|l| l.split(';')) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (kind, name) = match line.split_once(':') {
            Some((k, n)) if parse_kind(k).is_some() && !n.trim().is_empty() => {
                (parse_kind(k).unwrap_or(TagKind::Topic), n.trim())
            }
            _ => (TagKind::Topic, line),
        };
        if !out.iter().any(|t| t.name.eq_ignore_ascii_case(name)) {
            out.push(TagRef {
                kind,
                name: name.to_owned(),
            });
        }
    }
    out
}

fn tags_text(t: &AdminStrings, tags: &[TagRef]) -> String {
    tags.iter()
        .map(|g| format!("{}: {}", kind_word(t, g.kind), g.name))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ids_text(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_ids(field: &'static str, text: &str) -> Result<Vec<i64>, ValidationError> {
    let mut out = Vec::new();
    for part in text
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let id = part
            .trim_start_matches('#')
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| ValidationError::Invalid {
                field,
                reason: format!("`{part}` is not an article number"),
            })?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

fn local_input(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

fn parse_local(text: &str, tz: Tz) -> Result<Option<DateTime<Utc>>, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || ValidationError::Invalid {
        field: "publish_at",
        reason: format!("`{text}` is not a date and time (YYYY-MM-DDTHH:MM)"),
    };
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| bad())?;
    let local = tz.from_local_datetime(&naive).earliest().ok_or_else(bad)?;
    Ok(Some(local.with_timezone(&Utc)))
}

impl ArticleForm {
    fn from_article(
        a: &Article,
        edits: &RelatedEdits,
        translation_of: Option<i64>,
        base: i64,
        site: &Site,
    ) -> ArticleForm {
        let t = site.locale.admin();
        let input = a.to_input();
        ArticleForm {
            headline: a.headline.clone(),
            lede: a.lede.clone(),
            body: body_to_text(&a.body),
            body_doc: String::new(),
            section: a.section.slug.clone(),
            tags: tags_text(t, &input.tags),
            dateline_place: a.dateline_place.clone(),
            hero: a
                .hero
                .as_ref()
                .map(|m| m.id.to_string())
                .unwrap_or_default(),
            sensitive: a.sensitive.then(|| "on".to_owned()),
            publish_at: a
                .published_at
                .map(|p| local_input(p, site.tz))
                .unwrap_or_default(),
            pins: ids_text(&edits.pins),
            excludes: ids_text(&edits.excludes),
            language: a.language.clone(),
            translation_of: translation_of.map(|i| i.to_string()).unwrap_or_default(),
            base,
            seen: if base == 0 {
                version_mark(a)
            } else {
                String::new()
            },
            form_key: String::new(),
            action: String::new(),
        }
    }

    /// The body the editor's script sent as its document, read into `body` (the text
    /// form holds the same blocks: `warta_core::doc`'s round trip). A document that
    /// cannot be read stays where it is, and [`ArticleForm::to_input`] says why.
    pub(crate) fn with_doc(mut self) -> ArticleForm {
        if self.body_doc.trim().is_empty() {
            self.body_doc.clear();
            return self;
        }
        if let Ok(blocks) = read_doc(&self.body_doc) {
            self.body = body_to_text(&blocks);
            self.body_doc.clear();
        }
        self
    }

    /// The content this form asks to save, on top of `old` (its corrections, authors
    /// and language stay).
    fn to_input(&self, old: Option<&Article>) -> Result<ArticleInput, ValidationError> {
        let blocks = if self.body_doc.is_empty() {
            body_from_text(&self.body)?
        } else {
            read_doc(&self.body_doc)?
        };
        let hero = match self.hero.trim() {
            "" => None,
            h => Some(
                h.trim_start_matches('#')
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ValidationError::Invalid {
                        field: "hero",
                        reason: format!("`{h}` is not a photo number"),
                    })?,
            ),
        };
        let mut input = ArticleInput::empty();
        input.headline = self.headline.clone();
        input.lede = self.lede.clone();
        input.body = match old {
            Some(o) => with_corrections(blocks, &o.body),
            None => blocks,
        };
        input.section = self.section.clone();
        input.tags = parse_tags(&self.tags);
        input.dateline_place = self.dateline_place.clone();
        input.hero_media_id = hero;
        input.sensitive = self.sensitive.as_deref().is_some_and(|s| !s.is_empty());
        let language = self.language.trim();
        if let Some(o) = old {
            input.slug = Some(o.slug.clone());
            input.authors = o.authors.iter().map(|a| a.slug.clone()).collect();
            input.language = o.language.clone();
            input.dateline_brand = o.dateline_brand.clone();
            input.status = o.status;
            input.published_at = o.published_at;
        }
        if !language.is_empty() {
            if warta_core::Locale::parse(language).is_none() {
                return Err(ValidationError::Invalid {
                    field: "language",
                    reason: format!("no locale for `{language}` (known: id, en)"),
                });
            }
            input.language = language.to_owned();
        }
        Ok(input)
    }
}

/// Characters of a headline that search results show before cutting it.
const HEADLINE_SHOWN: usize = 70;

/// The blocks of the editor's document as the form sent it.
fn read_doc(json: &str) -> Result<Vec<Block>, ValidationError> {
    let doc: warta_core::doc::Node =
        serde_json::from_str(json).map_err(|e| ValidationError::Invalid {
            field: "body",
            reason: format!("the editor's document cannot be read: {e}"),
        })?;
    warta_core::doc::from_doc(&doc)
}

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
struct EditorPage {
    a: AdminChrome,
    id: Option<i64>,
    f: ArticleForm,
    sections: Vec<SectionOption>,
    status: &'static str,
    status_key: &'static str,
    message: String,
    saved: bool,
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
    editor_js: String,
    editor_css: String,
}

/// Everything the editor page needs besides the form.
struct EditorState<'a> {
    article: Option<&'a Article>,
    own: bool,
    message: String,
    saved: bool,
}

async fn editor_page(
    app: &AppState,
    staff: &StaffExt,
    f: ArticleForm,
    st: EditorState<'_>,
    status_code: StatusCode,
) -> Result<Response, AppError> {
    let f = f.with_doc();
    let site = Site::load(app).await?;
    let t = staff.t;
    let editor_data = super::editor_api::page_data(app, t, &f.body, &f.hero).await?;
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
        a: AdminChrome::load(app, Some(staff), "new").await?,
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
            saved: false,
        },
        StatusCode::OK,
    )
    .await
}

/// The article, if this account may edit it, and whether the account wrote it.
async fn editable(app: &AppState, staff: &StaffExt, id: i64) -> Result<(Article, bool), AppError> {
    let article = app.store.article(id).await?;
    let own = app.store.article_owner(id).await? == Some(staff.user.id);
    staff.may(Action::EditArticle {
        own,
        status: article.status,
    })?;
    Ok((article, own))
}

/// Whether the caller asked for JSON (autosave) rather than a page.
fn wants_json(headers: &HeaderMap) -> bool {
    headers.get("x-autosave").is_some()
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
    let input = match f.to_input(None) {
        Ok(mut i) => {
            i.authors = byline(&app, &staff).await?.into_iter().collect();
            if i.language.is_empty() {
                i.language = app.store.settings().await?.language;
            }
            if app.store.section_by_slug(&i.section).await?.is_none() {
                Err(ValidationError::Invalid {
                    field: "section",
                    reason: format!("there is no section `{}`", i.section),
                })
            } else {
                i.normalize()
            }
        }
        Err(e) => Err(e),
    };
    let input = match input {
        Ok(i) => i,
        Err(e) => return refused(&app, &staff, None, f, e.to_string(), &headers).await,
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
            return refused(&app, &staff, None, f, e.error.to_string(), &headers).await;
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
async fn byline(app: &AppState, staff: &StaffExt) -> Result<Option<String>, AppError> {
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
async fn refused(
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
            saved: false,
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Deserialize, Default)]
pub(crate) struct EditQuery {
    #[serde(default)]
    saved: Option<String>,
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
    let (article, own) = editable(&app, &staff, id).await?;
    let site = Site::load(&app).await?;
    let edits = app.store.related_edits(id).await?;
    let translation_of = app.store.translation_of(id).await?;
    let base = app.store.latest_revision(id).await?;
    let path = format!("/admin/articles/{id}");
    let (kept, message) = super::stash::restore(&app, &staff, &path, q.stash.as_deref()).await?;
    // A kept form keeps the version it was based on: saving it over a newer one is a
    // conflict, as for any other save.
    let f = match kept {
        Some(f) => f,
        None => ArticleForm::from_article(&article, &edits, translation_of, base, &site),
    };
    editor_page(
        &app,
        &staff,
        f,
        EditorState {
            article: Some(&article),
            own,
            message,
            saved: q.saved.is_some(),
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
    // Only work in progress saves itself: a live article changes when a person says so.
    if !matches!(article.status, Status::Draft | Status::InReview) {
        return Ok((
            StatusCode::CONFLICT,
            Json(serde_json::json!({ "error": "only drafts save automatically" })),
        )
            .into_response());
    }
    f.action = "save".into();
    let mut headers = HeaderMap::new();
    headers.insert("x-autosave", axum::http::HeaderValue::from_static("1"));
    save(&app, &staff, id, f, &headers).await
}

async fn save(
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
                    reason: "one article number, not this article's own".into(),
                });
            }
        };
        Ok::<_, ValidationError>((
            input.normalize()?,
            RelatedEdits { pins, excludes },
            translation_of,
        ))
    })();
    let (input, edits, translation_of) = match prepared {
        Ok(p) => p,
        Err(e) => return refused(app, staff, Some(&article), f, e.to_string(), headers).await,
    };
    if matches!(input.status, Status::Published | Status::Scheduled) {
        let all = matches!(transition, Transition::Publish | Transition::Schedule)
            || !matches!(article.status, Status::Published | Status::Scheduled);
        if let Some(why) = missing_alt(app, staff.t, &input, (!all).then_some(&article)).await? {
            return refused(app, staff, Some(&article), f, why, headers).await;
        }
    }
    if app.store.section_by_slug(&input.section).await?.is_none() {
        let why = format!("field `section`: there is no section `{}`", input.section);
        return refused(app, staff, Some(&article), f, why, headers).await;
    }
    if let Some(of) = translation_of
        && app.store.article(of).await.is_err()
    {
        let why = format!("field `translation_of`: there is no article {of}");
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
            return saved_answer(id, latest, headers);
        }
        return conflict_page(app, staff, &article, newest, f, latest, headers).await;
    }
    // Never saved in the newsroom: the revision number cannot tell whether an import
    // replaced the article since the form was opened; the fingerprint can. Read under
    // the write lock, so nothing lands between this check and the write.
    let article = if latest == 0 {
        let current = app.store.article(id).await?;
        if !f.seen.is_empty() && version_mark(&current) != f.seen {
            w.rollback().await?;
            return conflict_page(app, staff, &current, None, f, latest, headers).await;
        }
        current
    } else {
        article
    };
    keep_first_state(&mut w, &article, latest).await?;
    let mut item = ArticleWrite::new(input.clone());
    item.id = Some(id);
    if let Err(e) = w.write(vec![item]).await {
        drop(w);
        return refused(app, staff, Some(&article), f, e.error.to_string(), headers).await;
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
    app.metrics.saved(note);
    if warta_core::newsroom::may(staff.user.role, Action::Publish) {
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
    saved_answer(id, base, headers)
}

/// Why the photos of `input` may not go live yet: one without alt text. With `before`
/// (an edit of a live article) only photos it did not already show are asked for:
/// an archive imported without alt texts stays editable.
async fn missing_alt(
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

/// Whether two versions say the same (the slug aside: a new article's first version
/// is kept before its slug is chosen).
fn same_content(a: &ArticleInput, b: &ArticleInput) -> bool {
    let strip = |i: &ArticleInput| ArticleInput {
        slug: None,
        ..i.clone()
    };
    strip(a) == strip(b)
}

/// A short fingerprint of an article's content (see `ArticleForm::seen`).
fn version_mark(a: &Article) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(&a.to_input()).unwrap_or_default();
    Sha256::digest(&json)
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An article from an import or the demo has no revision yet (`latest` is 0): its
/// state as it was becomes revision 1, before the newsroom's first write over it.
async fn keep_first_state(
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

fn saved_answer(id: i64, base: i64, headers: &HeaderMap) -> Result<Response, AppError> {
    if wants_json(headers) {
        return Ok(Json(serde_json::json!({ "id": id, "base": base })).into_response());
    }
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved=1")).into_response())
}

/// One version of an article as text, for side-by-side views and diffs.
fn version_text(t: &AdminStrings, i: &ArticleInput) -> String {
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

fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
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
struct ConflictPage {
    a: AdminChrome,
    id: i64,
    theirs_by: String,
    diff: Vec<DiffLine>,
    f: ArticleForm,
}

async fn conflict_page(
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
        return Err(AppError::BadRequest("a correction needs its text".into()));
    }
    let now = app.now();
    // Appended to the article as it is under the write lock, not as it was read
    // before: a save that lands meanwhile is kept.
    let build = |article: &Article| {
        if article.status != Status::Published {
            return Err(AppError::BadRequest(
                "only a published article gets a correction; edit a draft instead".into(),
            ));
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
        StoreError::Invalid(v) => AppError::BadRequest(v.to_string()),
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
            &version_text(staff.t, &ra.content),
            &version_text(staff.t, &rb.content),
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
        return Err(AppError::BadRequest(
            "field `base`: the restore form is out of date; reload the revisions page".into(),
        ));
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
            f.hero = input
                .hero_media_id
                .map(|h| h.to_string())
                .unwrap_or_default();
            f.action = "save".into();
            let newest = app.store.revision(id, latest).await?;
            conflict_page(&app, &staff, &article, newest, f, latest, &headers).await
        }
    }
}

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
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    article.section = app
        .store
        .section_by_slug(&input.section)
        .await?
        .ok_or_else(|| AppError::BadRequest(format!("there is no section `{}`", input.section)))?;
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
    let html = views::article_page(&site, article, published, &related, &translations)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_by_kind() {
        let tags = parse_tags("orang: Kim Jong Un\nKorea Utara\nplace: Hanoi; topik: nuklir\n\n");
        assert_eq!(tags.len(), 4);
        assert_eq!(tags[0].kind, TagKind::Person);
        assert_eq!(tags[1].kind, TagKind::Topic);
        assert_eq!(tags[1].name, "Korea Utara");
        assert_eq!(tags[2].kind, TagKind::Place);
        // A colon that names no kind is part of the name.
        assert_eq!(parse_tags("Pemilu: 2029")[0].name, "Pemilu: 2029");
    }

    #[test]
    fn local_times_follow_the_site_zone() {
        let t = parse_local("2020-02-12T17:00", Tz::Asia__Jakarta)
            .expect("valid")
            .expect("some");
        assert_eq!(t.to_rfc3339(), "2020-02-12T10:00:00+00:00");
        assert_eq!(local_input(t, Tz::Asia__Jakarta), "2020-02-12T17:00");
        assert!(parse_local("besok pagi", Tz::Asia__Jakarta).is_err());
        assert_eq!(parse_local(" ", Tz::Asia__Jakarta), Ok(None));
    }

    #[test]
    fn article_numbers_are_checked() {
        assert_eq!(parse_ids("pins", "3, #4 3\n5"), Ok(vec![3, 4, 5]));
        assert!(parse_ids("pins", "3, tiga").is_err());
    }
}
