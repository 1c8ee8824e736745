//! The reader site's handlers. Each one answers from the page cache when it can, and
//! otherwise renders the page, caches it and answers.

use std::future::Future;

use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use warta_core::ArticleSummary;
use warta_core::locale::Strings;
use warta_store::ListFilter;

use crate::cache::Rendered;
use crate::encoding::Accepts;
use crate::http_cache;
use crate::views::{self, ListSpec, RELATED_LIMIT, Site};
use crate::{AppError, AppState};

/// Section blocks on the home page show this many stories each.
const HOME_BLOCK: u32 = 4;

/// Answers from the page cache, or renders with `render` and caches the result.
pub(crate) async fn cached<F, Fut>(
    app: &AppState,
    accepts: Accepts,
    key: String,
    render: F,
) -> Result<Response, AppError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Rendered, AppError>>,
{
    let now = app.now();
    if let Some(page) = app.cache.get(&key, now) {
        return Ok(app.cache.respond(&page, accepts.0, now, "hit"));
    }
    // Others missing this page meanwhile wait for this render and take what it cached.
    let _flight = app.cache.flight(&key).await;
    if let Some(page) = app.cache.get(&key, now) {
        return Ok(app.cache.respond(&page, accepts.0, now, "hit"));
    }
    let r = render().await?;
    let page = app.cache.insert(key, r, now);
    Ok(app.cache.respond(&page, accepts.0, now, "miss"))
}

/// The surrogate key of each story a page shows.
fn story_keys<'a>(ids: impl IntoIterator<Item = &'a i64>) -> impl Iterator<Item = String> {
    ids.into_iter()
        .map(|id| http_cache::key("article", &id.to_string()))
}

pub(crate) fn html_response(body: String, cache: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(http_cache::PAGE_CACHE_CONTROL),
    );
    h.insert("x-warta-cache", HeaderValue::from_static(cache));
    res
}

/// `?page=N`: absent means 1; anything but a positive whole number is a 400. Other
/// query parameters (tracking tags) are ignored.
pub(crate) fn page_param(query: Option<&str>) -> Result<u32, AppError> {
    let Some(q) = query else { return Ok(1) };
    let mut page = 1;
    for pair in q.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k != "page" {
            continue;
        }
        page = v
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1 && v.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "`page` must be a whole number from 1 up, not `{}`",
                    v.chars().take(40).collect::<String>()
                ))
            })?;
    }
    Ok(page)
}

fn page_key(path: &str, page: u32) -> String {
    format!("{path}?page={page}")
}

pub(crate) async fn show_article(
    State(app): State<AppState>,
    accepts: Accepts,
    OriginalUri(uri): OriginalUri,
    Path((_, _, _, _, slug)): Path<(String, String, String, String, String)>,
) -> Result<Response, AppError> {
    let path = uri.path().to_owned();
    let now = app.now();
    if let Some(page) = app.cache.get(&path, now) {
        return Ok(app.cache.respond(&page, accepts.0, now, "hit"));
    }
    let article = app
        .store
        .visible_article_by_slug(&slug, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let published = article.published_at.ok_or(AppError::NotFound)?;
    let site = Site::load(&app).await?;
    let canonical = site.article_url(&article.section.slug, published, &article.slug);
    // Compared with the address as sent, not as decoded: `/…/%68ujan-…` is the same
    // article under another spelling, sent to its one address rather than cached twice.
    if canonical != path {
        // An old address of another story (an imported one, or one moved away from
        // this slug) leads to that story, or nowhere while it is not visible: never to
        // this one.
        if app
            .store
            .legacy_path(&path)
            .await?
            .is_some_and(|owner| owner != article.id)
        {
            let to = crate::error::legacy_redirect(&app, &uri)
                .await
                .ok_or(AppError::NotFound)?;
            return Ok((
                axum::http::StatusCode::MOVED_PERMANENTLY,
                [(axum::http::header::LOCATION, to)],
            )
                .into_response());
        }
        return Ok(Redirect::permanent(&canonical).into_response());
    }
    cached(&app, accepts, path, || async {
        // The engine's stored list (pins first); before it has one, shared tags.
        let related = match app
            .store
            .related_list(article.id, RELATED_LIMIT, now)
            .await?
        {
            Some(list) => list,
            None => {
                app.store
                    .related_by_tags(article.id, RELATED_LIMIT, now)
                    .await?
            }
        };
        let translations = app.store.translations(article.id, now).await?;
        let popular = app.popular.rankings();
        let picks = editors_picks(&app, now).await?;
        let around = views::Around {
            related: &related,
            translations: &translations,
            popular: &popular.day,
            picks: &picks,
        };
        let html = views::article_page(&site, &article, published, &around)?;
        // What the page shows: the story, and the stories its related block and
        // translations link to. (Its section's, tags' and authors' keys name the lists
        // of those: an edit of another story of the section leaves this page be.)
        let mut keys = vec![http_cache::key("article", &article.id.to_string())];
        keys.extend(story_keys(related.iter().map(|a| &a.id)));
        keys.extend(story_keys(translations.iter().map(|t| &t.id)));
        keys.extend(story_keys(picks.iter().map(|a| &a.id)));
        keys.sort();
        keys.dedup();
        let mut r = Rendered::html(html, site.locale, keys);
        // Its related block: dropped when the list is saved again.
        r.private_keys
            .push(http_cache::key("related", &article.id.to_string()));
        r.modified = Some(article.updated_at.unwrap_or(published).max(published));
        Ok(r)
    })
    .await
}

/// "Pilihan Editor" as the front page's editors chose it, the visible stories only.
pub(crate) async fn editors_picks(
    app: &AppState,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<ArticleSummary>, AppError> {
    match app.memo.picks() {
        Ok(picks) => Ok(picks),
        Err(generation) => {
            let front = app.store.front_page().await?;
            let picks = app.store.visible_summaries(&front.picks, now).await?;
            app.memo.keep_picks(generation, picks.clone());
            Ok(picks)
        }
    }
}

/// A page of what `filter` lists, its count kept between writes ([`crate::memo`]).
pub(crate) async fn list(
    app: &AppState,
    filter: ListFilter,
    page: u32,
    per_page: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<warta_core::Page<ArticleSummary>, AppError> {
    let name = format!("{filter:?}");
    let total = match app.memo.count(&name) {
        Ok(n) => n,
        Err(generation) => {
            let n = app.store.count(filter, now).await?;
            app.memo.keep_count(generation, name, n);
            n
        }
    };
    Ok(app
        .store
        .list_counted(filter, page, per_page, total, now)
        .await?)
}

pub(crate) async fn show_home(
    State(app): State<AppState>,
    accepts: Accepts,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = page_param(query.as_deref())?;
    cached(&app, accepts, page_key("/", page), || async {
        let now = app.now();
        let site = Site::load(&app).await?;
        let per_page = site.settings.page_size;
        let latest = list(&app, ListFilter::All, page, per_page, now).await?;
        if latest.page > 1 {
            let t = site.locale.strings();
            let picks = editors_picks(&app, now).await?;
            let spec = ListSpec {
                path: "/",
                current_section: "",
                kind: "",
                heading: t.latest,
                intro: "",
                popular: &app.popular.rankings().day,
                picks: &picks,
            };
            let html = views::list_page(&site, &spec, &latest)?;
            return Ok(list_rendered(html, &site, "home", latest.items.iter()));
        }
        // The front page as editors arranged it; empty or hidden slots fall back to
        // the newest stories.
        let front = app.store.front_page().await?;
        let mut asked: Vec<i64> = front.main.into_iter().collect();
        asked.extend(&front.secondary);
        let chosen = app.store.visible_summaries(&asked, now).await?;
        let picks = app.store.visible_summaries(&front.picks, now).await?;
        let newest = latest.items.iter();
        let top = front
            .main
            .and_then(|id| chosen.iter().find(|a| a.id == id))
            .or_else(|| latest.items.first())
            .cloned();
        let top_id = top.as_ref().map(|a| a.id);
        let mut secondary: Vec<ArticleSummary> = chosen
            .iter()
            .filter(|a| Some(a.id) != top_id && front.secondary.contains(&a.id))
            .cloned()
            .collect();
        for a in newest {
            if secondary.len() >= warta_store::MAX_SECONDARY {
                break;
            }
            if Some(a.id) != top_id && !secondary.iter().any(|s| s.id == a.id) {
                secondary.push(a.clone());
            }
        }
        let mut rest = latest.clone();
        rest.items
            .retain(|a| Some(a.id) != top_id && !secondary.iter().any(|s| s.id == a.id));
        let mut blocks = Vec::with_capacity(site.sections.len());
        for s in crate::admin::front::home_order(&site.sections, &front.sections) {
            let items = list(&app, ListFilter::Section(s.id), 1, HOME_BLOCK, now).await?;
            blocks.push((s.clone(), items.items));
        }
        let shown: Vec<ArticleSummary> = top
            .iter()
            .chain(&secondary)
            .chain(&picks)
            .chain(&rest.items)
            .chain(blocks.iter().flat_map(|(_, items)| items.iter()))
            .cloned()
            .collect();
        let home = views::Home {
            popular: app.popular.rankings(),
            top,
            secondary,
            picks,
            latest: rest,
            blocks,
        };
        let html = views::home_page(&site, home)?;
        Ok(list_rendered(html, &site, "home", shown.iter()))
    })
    .await
}

/// What a list page lists, as each handler resolves it; all render the same way.
struct ListOf {
    filter: ListFilter,
    /// The list's surrogate key.
    key: String,
    current_section: String,
    kind: fn(&'static Strings) -> &'static str,
    heading: String,
    intro: String,
}

/// A list page, keyed `key` and each story it shows, as modified as its newest story.
pub(crate) fn list_rendered<'a>(
    html: String,
    site: &Site,
    key: &str,
    items: impl Iterator<Item = &'a ArticleSummary> + Clone,
) -> Rendered {
    let mut keys = vec![key.to_owned()];
    keys.extend(story_keys(items.clone().map(|a| &a.id)));
    keys.sort();
    keys.dedup();
    let mut r = Rendered::html(html, site.locale, keys);
    r.modified = items
        .map(|a| a.updated_at.unwrap_or(a.published_at).max(a.published_at))
        .max();
    r
}

async fn render_list(
    app: &AppState,
    path: &str,
    page: u32,
    of: ListOf,
) -> Result<Rendered, AppError> {
    let site = Site::load(app).await?;
    let list = list(app, of.filter, page, site.settings.page_size, app.now()).await?;
    // A section's own most read stories on its page, else the site's.
    let rankings = app.popular.rankings();
    let popular = match of.filter {
        ListFilter::Section(id) => rankings.by_section.get(&id).map(Vec::as_slice),
        _ => Some(rankings.day.as_slice()),
    };
    let picks = editors_picks(app, app.now()).await?;
    let spec = ListSpec {
        path,
        current_section: &of.current_section,
        kind: (of.kind)(site.locale.strings()),
        heading: &of.heading,
        intro: &of.intro,
        popular: popular.unwrap_or(&[]),
        picks: &picks,
    };
    let html = views::list_page(&site, &spec, &list)?;
    Ok(list_rendered(html, &site, &of.key, list.items.iter()))
}

pub(crate) async fn list_section(
    State(app): State<AppState>,
    accepts: Accepts,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = page_param(query.as_deref())?;
    let path = format!("/{slug}");
    cached(&app, accepts, page_key(&path, page), || async {
        let Some(section) = app.store.section_by_slug(&slug).await? else {
            // Not a section: a page of the publication, or nothing.
            let sp = app
                .store
                .site_page_by_slug(&slug)
                .await?
                .ok_or(AppError::NotFound)?;
            return render_site_page(&app, &sp).await;
        };
        let of = ListOf {
            filter: ListFilter::Section(section.id),
            key: http_cache::key("section", &section.slug),
            current_section: section.slug,
            kind: |t| t.section,
            heading: section.name,
            intro: String::new(),
        };
        render_list(&app, &path, page, of).await
    })
    .await
}

/// A page of the publication, with the rail. Kept until the next change to the site
/// (a page's save bumps the `site` signal, which drops every cached page).
async fn render_site_page(
    app: &AppState,
    sp: &warta_store::SitePage,
) -> Result<Rendered, AppError> {
    let site = Site::load(app).await?;
    let mut media = Vec::new();
    for b in &sp.body {
        if let warta_core::Block::Photo { media_id, .. } = b
            && let Some(m) = app.store.media(*media_id).await?
        {
            media.push(m);
        }
    }
    let picks = editors_picks(app, app.now()).await?;
    let t = site.locale.strings();
    let rail = site.rail(
        &[(t.last_day, "day", &app.popular.rankings().day)],
        &picks,
        0,
    );
    let html = views::site_page(&site, sp, &media, rail)?;
    let mut r = Rendered::html(html, site.locale, vec!["pages".to_owned()]);
    r.modified = Some(sp.updated_at);
    Ok(r)
}

pub(crate) async fn list_tag(
    State(app): State<AppState>,
    accepts: Accepts,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = page_param(query.as_deref())?;
    let path = format!("/topik/{slug}");
    cached(&app, accepts, page_key(&path, page), || async {
        let tag = app
            .store
            .visible_tag_by_slug(&slug, app.now())
            .await?
            .ok_or(AppError::NotFound)?;
        let of = ListOf {
            filter: ListFilter::Tag(tag.id),
            key: http_cache::key("tag", &tag.slug),
            current_section: String::new(),
            kind: |t| t.topic,
            heading: tag.name,
            intro: String::new(),
        };
        render_list(&app, &path, page, of).await
    })
    .await
}

pub(crate) async fn list_author(
    State(app): State<AppState>,
    accepts: Accepts,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = page_param(query.as_deref())?;
    let path = format!("/penulis/{slug}");
    cached(&app, accepts, page_key(&path, page), || async {
        let author = app
            .store
            .author_by_slug(&slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let of = ListOf {
            filter: ListFilter::Author(author.id),
            key: http_cache::key("author", &author.slug),
            current_section: String::new(),
            kind: |t| t.author,
            heading: author.name,
            intro: author.bio,
        };
        render_list(&app, &path, page, of).await
    })
    .await
}

pub(crate) async fn not_found() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_param_table() {
        assert_eq!(page_param(None).ok(), Some(1));
        assert_eq!(page_param(Some("page=3")).ok(), Some(3));
        assert_eq!(page_param(Some("utm_source=x&page=2")).ok(), Some(2));
        assert_eq!(page_param(Some("utm_source=x")).ok(), Some(1));
        for bad in [
            "page=abc",
            "page=-1",
            "page=0",
            "page=",
            "page=+1",
            "page=99999999999",
        ] {
            assert!(page_param(Some(bad)).is_err(), "{bad}");
        }
    }
}
