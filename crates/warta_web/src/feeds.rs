//! What aggregators and search engines read: RSS 2.0 and Atom feeds (home, each
//! section, each tag), the sitemap index with a sitemap per month, the news sitemap
//! (Google News: the last 48 hours) and `robots.txt` pointing at them.
//!
//! Every address in them is absolute (`base_url` of the site settings); times carry
//! the site's zone offset. Feeds carry each story's lede as its summary and the hero
//! photo as an enclosure. Unknown feeds and sitemaps are 404s like any other address.

use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use quick_xml::escape::escape;
use std::collections::HashMap;

use warta_core::{Article, ArticleSummary, Block};
use warta_store::ListFilter;

use crate::cache::Rendered;
use crate::encoding::Accepts;
use crate::http_cache::key;
use crate::public::cached;
use crate::views::{Site, media_url};
use crate::{AppError, AppState};

/// Stories in a feed.
const FEED_ITEMS: u32 = 30;
/// URLs in one sitemap: the protocol's limit (and 50 MB: an entry is at most about
/// 400 bytes, as slugs are bounded, so 50,000 of them stay under 20 MB).
pub const SITEMAP_URLS: u32 = 50_000;
/// The news sitemap lists what was published this recently (Google News' rule).
const NEWS_HOURS: i64 = 48;
/// News sitemaps hold at most 1,000 URLs.
const NEWS_URLS: u32 = 1_000;

/// Shared caches may keep feeds and sitemaps as long as pages.
const CACHE_CONTROL: &str = crate::http_cache::PAGE_CACHE_CONTROL;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rss,
    Atom,
}

impl Kind {
    fn from_file(file: &str) -> Option<Kind> {
        match file {
            "rss.xml" => Some(Kind::Rss),
            "atom.xml" => Some(Kind::Atom),
            _ => None,
        }
    }
}

/// A feed or sitemap for the page cache.
fn xml(site: &Site, body: String, content_type: &'static str, keys: Vec<String>) -> Rendered {
    let mut r = Rendered::html(body, site.locale, keys);
    r.content_type = content_type;
    r
}

/// What one feed is about.
struct Channel {
    title: String,
    description: String,
    /// The page the feed follows (`/`, `/{section}`, `/topik/{tag}`).
    page: String,
    /// Surrogate keys: `feeds` and the section's or tag's key.
    keys: Vec<String>,
}

fn base(site: &Site) -> &str {
    site.settings.base_url.trim_end_matches('/')
}

fn rfc3339(site: &Site, t: DateTime<Utc>) -> String {
    t.with_timezone(&site.tz).to_rfc3339()
}

/// A story's body as HTML for a feed reader: paragraphs (already sanitised),
/// sub-headings, quotes, lists, and photos with their caption and credit, addresses absolute.
fn body_html(site: &Site, a: &Article) -> String {
    let base = base(site);
    let mut out = String::new();
    for b in &a.body {
        match b {
            Block::Paragraph { html } => {
                out.push_str("<p>");
                out.push_str(html.as_str());
                out.push_str("</p>");
            }
            Block::Heading { text } => out.push_str(&format!("<h2>{}</h2>", escape(text))),
            Block::Quote { text, cite } => {
                out.push_str(&format!("<blockquote><p>{}</p>", escape(text)));
                if !cite.is_empty() {
                    out.push_str(&format!("<footer>{}</footer>", escape(cite)));
                }
                out.push_str("</blockquote>");
            }
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>"));
                for i in items {
                    out.push_str("<li>");
                    out.push_str(i.as_str());
                    out.push_str("</li>");
                }
                out.push_str(&format!("</{tag}>"));
            }
            Block::Embed { url, title } => {
                let label = if title.is_empty() { url } else { title };
                out.push_str(&format!(
                    "<p><a href=\"{}\">{}</a></p>",
                    escape(url),
                    escape(label)
                ));
            }
            Block::Correction { text, at } => out.push_str(&format!(
                "<p><em>{} ({}):</em> {}</p>",
                escape(site.locale.strings().correction),
                at.format("%Y-%m-%d"),
                escape(text)
            )),
            Block::Photo {
                media_id,
                caption,
                credit,
            } => {
                let Some(m) = a.media(*media_id).filter(|m| !m.file.is_empty()) else {
                    continue;
                };
                let src = media_url(base, &m.file);
                let or = |own: &str, rec: &str| if own.is_empty() { rec } else { own }.to_owned();
                let (caption, credit) = (or(caption, &m.caption), or(credit, &m.credit));
                out.push_str(&format!(
                    "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}{}</figcaption></figure>",
                    escape(&src),
                    escape(&m.alt),
                    escape(&caption),
                    if credit.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", escape(&credit))
                    }
                ));
            }
        }
    }
    out
}

fn render(
    site: &Site,
    kind: Kind,
    ch: &Channel,
    items: &[ArticleSummary],
    full: &HashMap<i64, String>,
    sizes: &HashMap<String, u64>,
) -> Rendered {
    let mut keys = ch.keys.clone();
    keys.extend(items.iter().map(|a| key("article", &a.id.to_string())));
    let base = base(site);
    let self_url = format!(
        "{base}{}{}",
        ch.page.trim_end_matches('/'),
        match kind {
            Kind::Rss => "/rss.xml",
            Kind::Atom => "/atom.xml",
        }
    );
    let page_url = format!("{base}{}", ch.page);
    let mut out = String::with_capacity(2048 + items.len() * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let url_of = |a: &ArticleSummary| {
        format!(
            "{base}{}",
            site.article_url(&a.section_slug, a.published_at, &a.slug)
        )
    };
    let media_url = |file: &str| media_url(base, file);
    match kind {
        Kind::Rss => {
            out.push_str(
                "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" \
                 xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n",
            );
            push_el(&mut out, "title", &ch.title);
            push_el(&mut out, "link", &page_url);
            push_el(&mut out, "description", &ch.description);
            push_el(&mut out, "language", &site.settings.language);
            push_el(&mut out, "generator", "Warta");
            out.push_str(&format!(
                "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
                escape(&self_url)
            ));
            if let Some(last) = items.iter().map(|a| a.published_at).max() {
                push_el(
                    &mut out,
                    "lastBuildDate",
                    &last.with_timezone(&site.tz).to_rfc2822(),
                );
            }
            for a in items {
                let url = url_of(a);
                out.push_str("<item>\n");
                push_el(&mut out, "title", &a.headline);
                push_el(&mut out, "link", &url);
                out.push_str(&format!(
                    "<guid isPermaLink=\"true\">{}</guid>\n",
                    escape(&url)
                ));
                push_el(&mut out, "description", &a.lede);
                if let Some(html) = full.get(&a.id) {
                    push_el(&mut out, "content:encoded", html);
                }
                push_el(&mut out, "category", &a.section_name);
                push_el(
                    &mut out,
                    "pubDate",
                    &a.published_at.with_timezone(&site.tz).to_rfc2822(),
                );
                // A length still unknown is 0, as the RSS advisory board recommends.
                if let Some((file, length, mime)) =
                    a.hero.as_ref().and_then(|m| enclosure_of(m, sizes))
                {
                    out.push_str(&format!(
                        "<enclosure url=\"{}\" length=\"{length}\" type=\"{}\"/>\n",
                        escape(&media_url(&file)),
                        escape(&mime)
                    ));
                }
                out.push_str("</item>\n");
            }
            out.push_str("</channel>\n</rss>\n");
            xml(site, out, "application/rss+xml; charset=utf-8", keys)
        }
        Kind::Atom => {
            out.push_str(&format!(
                "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
                escape(&site.settings.language)
            ));
            push_el(&mut out, "id", &self_url);
            push_el(&mut out, "title", &ch.title);
            push_el(&mut out, "subtitle", &ch.description);
            out.push_str(&format!(
                "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n\
                 <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                escape(&self_url),
                escape(&page_url)
            ));
            let updated = items
                .iter()
                .map(|a| a.updated_at.unwrap_or(a.published_at).max(a.published_at))
                .max()
                .unwrap_or(DateTime::UNIX_EPOCH);
            push_el(&mut out, "updated", &rfc3339(site, updated));
            out.push_str(&format!(
                "<author><name>{}</name></author>\n<generator>Warta</generator>\n",
                escape(&site.settings.name)
            ));
            for a in items {
                let url = url_of(a);
                out.push_str("<entry>\n");
                push_el(&mut out, "id", &url);
                push_el(&mut out, "title", &a.headline);
                out.push_str(&format!(
                    "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                    escape(&url)
                ));
                push_el(&mut out, "published", &rfc3339(site, a.published_at));
                push_el(
                    &mut out,
                    "updated",
                    &rfc3339(site, a.updated_at.unwrap_or(a.published_at)),
                );
                push_el(&mut out, "summary", &a.lede);
                if let Some(html) = full.get(&a.id) {
                    out.push_str(&format!(
                        "<content type=\"html\">{}</content>\n",
                        escape(html)
                    ));
                }
                out.push_str(&format!(
                    "<category term=\"{}\" label=\"{}\"/>\n",
                    escape(&a.section_slug),
                    escape(&a.section_name)
                ));
                if let Some((file, length, mime)) =
                    a.hero.as_ref().and_then(|m| enclosure_of(m, sizes))
                {
                    let length = if length > 0 {
                        format!(" length=\"{length}\"")
                    } else {
                        String::new()
                    };
                    out.push_str(&format!(
                        "<link rel=\"enclosure\" type=\"{}\" href=\"{}\"{length}/>\n",
                        escape(&mime),
                        escape(&media_url(&file))
                    ));
                }
                out.push_str("</entry>\n");
            }
            out.push_str("</feed>\n");
            xml(site, out, "application/atom+xml; charset=utf-8", keys)
        }
    }
}

fn push_el(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(text));
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

async fn feed(
    app: &AppState,
    kind: Kind,
    filter: ListFilter,
    ch: Channel,
) -> Result<Rendered, AppError> {
    let site = Site::load(app).await?;
    let list = crate::public::list(app, filter, 1, FEED_ITEMS, app.now()).await?;
    let mut full = HashMap::new();
    if site.settings.feed_full_text {
        let ids: Vec<i64> = list.items.iter().map(|a| a.id).collect();
        for a in app.store.articles_by_ids(&ids).await? {
            full.insert(a.id, body_html(&site, &a));
        }
    }
    // Enclosures whose size was not recorded (photos from before it was) are measured
    // on disk when media are served from it.
    let mut sizes = HashMap::new();
    if app.config.media_store.is_none() {
        for a in &list.items {
            if let Some(r) = a.hero.as_ref().and_then(enclosure)
                && r.bytes == 0
                && !r.file.contains(['/', '\\'])
                && let Ok(meta) = tokio::fs::metadata(app.config.media_dir.join(&r.file)).await
            {
                sizes.insert(r.file.clone(), meta.len());
            }
        }
    }
    Ok(render(&site, kind, &ch, &list.items, &full, &sizes))
}

/// The picture a feed item carries: the JPEG rendition nearest 800 pixels wide (feed
/// readers show it in a column), not the original; `None` when the photo has no
/// rendition (an imported one keeping its old address).
fn enclosure(m: &warta_core::Media) -> Option<&warta_core::Rendition> {
    m.renditions
        .iter()
        .filter(|r| !r.og && r.file.ends_with(".jpg"))
        .min_by_key(|r| (i64::from(r.width) - 800).abs())
}

/// An item's enclosure: address, length in bytes and type.
fn enclosure_of(
    m: &warta_core::Media,
    sizes: &HashMap<String, u64>,
) -> Option<(String, u64, String)> {
    if m.file.is_empty() {
        return None;
    }
    Some(match enclosure(m) {
        Some(r) => (
            r.file.clone(),
            if r.bytes > 0 {
                r.bytes
            } else {
                sizes.get(&r.file).copied().unwrap_or(0)
            },
            "image/jpeg".to_owned(),
        ),
        None => (m.file.clone(), 0, m.mime.clone()),
    })
}

/// `/rss.xml`, `/atom.xml`: the latest stories.
pub(crate) async fn home_feed(
    State(app): State<AppState>,
    accepts: Accepts,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let kind = Kind::from_file(uri.path().trim_start_matches('/')).ok_or(AppError::NotFound)?;
    cached(&app, accepts, uri.path().to_owned(), || async {
        let settings = app.store.settings().await?;
        let ch = Channel {
            title: settings.name.clone(),
            description: settings.tagline.clone(),
            page: "/".into(),
            keys: vec!["feeds".into(), "home".into()],
        };
        feed(&app, kind, ListFilter::All, ch).await
    })
    .await
}

/// A feed of one section's or one topic's stories, titled with its name.
async fn named_feed(
    app: &AppState,
    file: &str,
    filter: ListFilter,
    name: &str,
    page: String,
    key: String,
) -> Result<Rendered, AppError> {
    let kind = Kind::from_file(file).ok_or(AppError::NotFound)?;
    let settings = app.store.settings().await?;
    let ch = Channel {
        title: format!("{name} - {}", settings.name),
        description: format!("{}: {name}", settings.name),
        page,
        keys: vec!["feeds".into(), key],
    };
    feed(app, kind, filter, ch).await
}

/// `/{section}/rss.xml`, `/{section}/atom.xml`.
pub(crate) async fn section_feed(
    State(app): State<AppState>,
    accepts: Accepts,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    Kind::from_file(&file).ok_or(AppError::NotFound)?;
    cached(&app, accepts, format!("/{slug}/{file}"), || async {
        let s = app
            .store
            .section_by_slug(&slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let page = format!("/{}", s.slug);
        let key = key("section", &s.slug);
        named_feed(&app, &file, ListFilter::Section(s.id), &s.name, page, key).await
    })
    .await
}

/// `/topik/{tag}/rss.xml`, `/topik/{tag}/atom.xml`.
pub(crate) async fn tag_feed(
    State(app): State<AppState>,
    accepts: Accepts,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    Kind::from_file(&file).ok_or(AppError::NotFound)?;
    cached(&app, accepts, format!("/topik/{slug}/{file}"), || async {
        let t = app
            .store
            .visible_tag_by_slug(&slug, app.now())
            .await?
            .ok_or(AppError::NotFound)?;
        let page = format!("/topik/{}", t.slug);
        let key = key("tag", &t.slug);
        named_feed(&app, &file, ListFilter::Tag(t.id), &t.name, page, key).await
    })
    .await
}

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The files a month's sitemap takes: `YYYY-MM.xml` while it fits in one, else
/// `YYYY-MM-1.xml`, `YYYY-MM-2.xml`… of at most `per_file` URLs each.
fn month_files(month: &str, articles: u64, per_file: u32) -> Vec<String> {
    let per_file = u64::from(per_file.max(1));
    if articles <= per_file {
        return vec![format!("{month}.xml")];
    }
    (1..=articles.div_ceil(per_file))
        .map(|n| format!("{month}-{n}.xml"))
        .collect()
}

/// `/sitemap.xml`: the sitemap index, the sitemaps of each month with stories, and
/// the news sitemap.
pub(crate) async fn sitemap_index(
    State(app): State<AppState>,
    accepts: Accepts,
) -> Result<Response, AppError> {
    cached(&app, accepts, "/sitemap.xml".into(), || async {
        let site = Site::load(&app).await?;
        let base = base(&site);
        let months = app.store.visible_months(app.now()).await?;
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{SITEMAP_NS}\">\n"
        );
        out.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            escape(&format!("{base}/sitemap-news.xml"))
        ));
        if !months.is_empty() {
            out.push_str(&format!(
                "<sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>\n",
                escape(&format!("{base}/sitemaps/indeks.xml")),
                rfc3339(
                    &site,
                    months
                        .iter()
                        .map(|m| m.last_modified)
                        .max()
                        .unwrap_or(app.now())
                )
            ));
        }
        for m in months {
            for file in month_files(&m.month, m.articles, app.config.sitemap_urls) {
                out.push_str(&format!(
                    "<sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>\n",
                    escape(&format!("{base}/sitemaps/{file}")),
                    rfc3339(&site, m.last_modified)
                ));
            }
        }
        out.push_str("</sitemapindex>\n");
        Ok(xml(
            &site,
            out,
            "application/xml; charset=utf-8",
            vec!["sitemaps".into()],
        ))
    })
    .await
}

/// A sitemap file of a month: the month (`YYYY-MM`), the first instant of it and of
/// the next (UTC), and which file of the month (`None`: `YYYY-MM.xml`).
type MonthFile<'a> = (&'a str, DateTime<Utc>, DateTime<Utc>, Option<u32>);

/// `YYYY-MM.xml` or `YYYY-MM-N.xml` → its [`MonthFile`].
fn month_range(file: &str) -> Option<MonthFile<'_>> {
    let name = file.strip_suffix(".xml")?;
    let (month, part) = match name.get(7..) {
        Some("") => (name, None),
        Some(rest) => {
            let n = rest.strip_prefix('-')?;
            if n.is_empty() || n.len() > 6 || !n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u32 = n.parse().ok().filter(|n| *n >= 1)?;
            (name.get(..7)?, Some(n))
        }
        None => return None,
    };
    let (y, m) = month.split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    let at = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t));
    Some((month, at(first)?, at(next)?, part))
}

/// `/sitemaps/{YYYY-MM}.xml`: every visible story published that month (UTC), newest
/// first; `/sitemaps/{YYYY-MM}-{N}.xml`: the month's Nth file of `sitemap_urls`
/// stories, for months with more than that. `YYYY-MM.xml` of such a month still
/// answers, with its first file's stories.
pub(crate) async fn sitemap_month(
    State(app): State<AppState>,
    accepts: Accepts,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    if file == "indeks.xml" {
        return cached(&app, accepts, "/sitemaps/indeks.xml".into(), || async {
            sitemap_indeks(&app).await
        })
        .await;
    }
    let (month, from, to, part) = month_range(&file).ok_or(AppError::NotFound)?;
    let month = month.to_owned();
    cached(&app, accepts, format!("/sitemaps/{file}"), || async {
        let site = Site::load(&app).await?;
        let base = base(&site);
        let per_file = app.config.sitemap_urls.max(1);
        let skip = u64::from(part.unwrap_or(1) - 1) * u64::from(per_file);
        let items = app
            .store
            .published_between_from(from, to, skip, per_file, app.now())
            .await?;
        if items.is_empty() {
            return Err(AppError::NotFound);
        }
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n"
        );
        for a in &items {
            let url = format!(
                "{base}{}",
                site.article_url(&a.section_slug, a.published_at, &a.slug)
            );
            out.push_str(&format!(
                "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
                escape(&url),
                rfc3339(&site, a.updated_at.unwrap_or(a.published_at))
            ));
        }
        out.push_str("</urlset>\n");
        Ok(xml(
            &site,
            out,
            "application/xml; charset=utf-8",
            vec![key("sitemap", &month)],
        ))
    })
    .await
}

/// `/sitemaps/indeks.xml`: the Indeks of every day with visible stories (days in the
/// site's zone, at its offset now), newest first, and the publication's pages.
async fn sitemap_indeks(app: &AppState) -> Result<Rendered, AppError> {
    let site = Site::load(app).await?;
    let base = base(&site);
    let now = app.now();
    let offset = site
        .tz
        .offset_from_utc_datetime(&now.naive_utc())
        .fix()
        .local_minus_utc();
    let days = app.store.visible_days(offset, now).await?;
    let pages = app.store.site_pages().await?;
    if days.is_empty() && pages.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n");
    let mut url = |path: String, at: DateTime<Utc>| {
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            escape(&format!("{base}{path}")),
            rfc3339(&site, at)
        ));
    };
    for (d, changed) in days {
        let Some(day) = NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|epoch| epoch.checked_add_signed(Duration::days(d)))
        else {
            continue;
        };
        url(crate::views::index_path(day, ""), changed);
    }
    for p in pages {
        url(format!("/{}", p.slug), p.updated_at);
    }
    out.push_str("</urlset>\n");
    Ok(xml(
        &site,
        out,
        "application/xml; charset=utf-8",
        vec!["sitemaps".into()],
    ))
}

/// `/sitemap-news.xml`: stories of the last 48 hours in the Google News format.
pub(crate) async fn sitemap_news(
    State(app): State<AppState>,
    accepts: Accepts,
) -> Result<Response, AppError> {
    cached(&app, accepts, "/sitemap-news.xml".into(), || async {
        sitemap_news_of(&app).await
    })
    .await
}

async fn sitemap_news_of(app: &AppState) -> Result<Rendered, AppError> {
    let site = Site::load(app).await?;
    let base = base(&site);
    let now = app.now();
    let items = app
        .store
        .published_between(
            now - Duration::hours(NEWS_HOURS),
            // Up to and including this second (visibility stops at `now` anyway).
            now + Duration::seconds(1),
            NEWS_URLS,
            now,
        )
        .await?;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n"
    );
    for a in &items {
        let url = format!(
            "{base}{}",
            site.article_url(&a.section_slug, a.published_at, &a.slug)
        );
        out.push_str(&format!(
            "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name>\
             <news:language>{}</news:language></news:publication>\
             <news:publication_date>{}</news:publication_date>\
             <news:title>{}</news:title></news:news></url>\n",
            escape(&url),
            escape(&site.settings.name),
            escape(&site.settings.language),
            rfc3339(&site, a.published_at),
            escape(&a.headline)
        ));
    }
    out.push_str("</urlset>\n");
    let mut keys = vec!["sitemaps".to_owned()];
    keys.extend(items.iter().map(|a| key("article", &a.id.to_string())));
    Ok(xml(&site, out, "application/xml; charset=utf-8", keys))
}

/// `/robots.txt`: everything may be crawled; the sitemaps are named.
pub(crate) async fn robots(State(app): State<AppState>) -> Result<Response, AppError> {
    let settings = app.store.settings().await?;
    let base = settings.base_url.trim_end_matches('/');
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /cari\n\nSitemap: {base}/sitemap.xml\nSitemap: {base}/sitemap-news.xml\n"
    );
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_file_names() {
        let (month, from, to, part) = month_range("2020-02.xml").expect("February");
        assert_eq!((month, part), ("2020-02", None));
        assert_eq!(from.to_rfc3339(), "2020-02-01T00:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2020-03-01T00:00:00+00:00");
        let (_, _, to, _) = month_range("2019-12.xml").expect("December");
        assert_eq!(to.to_rfc3339(), "2020-01-01T00:00:00+00:00");
        let (month, _, _, part) = month_range("2020-02-3.xml").expect("third file");
        assert_eq!((month, part), ("2020-02", Some(3)));
        for bad in [
            "2020-13.xml",
            "2020-00.xml",
            "2020-2.xml",
            "20-02.xml",
            "2020-02",
            "2020-02.txt",
            "x020-02.xml",
            "2020-+2.xml",
            "2020-02-0.xml",
            "2020-02-.xml",
            "2020-02-x.xml",
            "2020-02-1-1.xml",
            "2020-02-+1.xml",
            "2020-02-9999999.xml",
            "",
        ] {
            assert!(month_range(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_busy_month_is_split_into_files() {
        assert_eq!(month_files("2020-02", 3, 3), vec!["2020-02.xml"]);
        assert_eq!(
            month_files("2020-02", 7, 3),
            vec!["2020-02-1.xml", "2020-02-2.xml", "2020-02-3.xml"]
        );
        assert_eq!(month_files("2020-02", 6, 3).len(), 2);
        assert_eq!(month_files("2020-02", 60_001, SITEMAP_URLS).len(), 2);
    }
}
