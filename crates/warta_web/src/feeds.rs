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
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use quick_xml::escape::escape;
use std::collections::HashMap;

use warta_core::{Article, ArticleSummary, Block};
use warta_store::ListFilter;

use crate::views::{Site, media_url};
use crate::{AppError, AppState};

/// Stories in a feed.
const FEED_ITEMS: u32 = 30;
/// URLs in one sitemap: the protocol's limit.
const SITEMAP_URLS: u32 = 50_000;
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

fn xml_response(body: String, content_type: &'static str, keys: &str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    crate::http_cache::describe(h, keys, None);
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    res
}

/// What one feed is about.
struct Channel {
    title: String,
    description: String,
    /// The page the feed follows (`/`, `/{section}`, `/topik/{tag}`).
    page: String,
    /// Surrogate keys: `feeds` and the section's or tag's key.
    keys: String,
}

fn base(site: &Site) -> &str {
    site.settings.base_url.trim_end_matches('/')
}

fn rfc3339(site: &Site, t: DateTime<Utc>) -> String {
    t.with_timezone(&site.tz).to_rfc3339()
}

/// A story's body as HTML for a feed reader: paragraphs (already sanitised),
/// sub-headings, quotes, and photos with their caption and credit, addresses absolute.
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
) -> Response {
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
                if let Some(m) = &a.hero {
                    // The length is unknown to the feed; 0 is what the RSS advisory
                    // board recommends then.
                    out.push_str(&format!(
                        "<enclosure url=\"{}\" length=\"0\" type=\"{}\"/>\n",
                        escape(&media_url(&m.file)),
                        escape(&m.mime)
                    ));
                }
                out.push_str("</item>\n");
            }
            out.push_str("</channel>\n</rss>\n");
            xml_response(out, "application/rss+xml; charset=utf-8", &ch.keys)
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
                if let Some(m) = &a.hero {
                    out.push_str(&format!(
                        "<link rel=\"enclosure\" type=\"{}\" href=\"{}\"/>\n",
                        escape(&m.mime),
                        escape(&media_url(&m.file))
                    ));
                }
                out.push_str("</entry>\n");
            }
            out.push_str("</feed>\n");
            xml_response(out, "application/atom+xml; charset=utf-8", &ch.keys)
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
) -> Result<Response, AppError> {
    let site = Site::load(app).await?;
    let list = app.store.list(filter, 1, FEED_ITEMS, app.now()).await?;
    let mut full = HashMap::new();
    if site.settings.feed_full_text {
        let ids: Vec<i64> = list.items.iter().map(|a| a.id).collect();
        for a in app.store.articles_by_ids(&ids).await? {
            full.insert(a.id, body_html(&site, &a));
        }
    }
    Ok(render(&site, kind, &ch, &list.items, &full))
}

/// `/rss.xml`, `/atom.xml`: the latest stories.
pub(crate) async fn home_feed(
    State(app): State<AppState>,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, AppError> {
    let kind = Kind::from_file(uri.path().trim_start_matches('/')).ok_or(AppError::NotFound)?;
    let settings = app.store.settings().await?;
    let ch = Channel {
        title: settings.name.clone(),
        description: settings.tagline.clone(),
        page: "/".into(),
        keys: "feeds home".into(),
    };
    feed(&app, kind, ListFilter::All, ch).await
}

/// A feed of one section's or one topic's stories, titled with its name.
async fn named_feed(
    app: &AppState,
    file: &str,
    filter: ListFilter,
    name: &str,
    page: String,
    key: String,
) -> Result<Response, AppError> {
    let kind = Kind::from_file(file).ok_or(AppError::NotFound)?;
    let settings = app.store.settings().await?;
    let ch = Channel {
        title: format!("{name} - {}", settings.name),
        description: format!("{}: {name}", settings.name),
        page,
        keys: format!("feeds {key}"),
    };
    feed(app, kind, filter, ch).await
}

/// `/{section}/rss.xml`, `/{section}/atom.xml`.
pub(crate) async fn section_feed(
    State(app): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    Kind::from_file(&file).ok_or(AppError::NotFound)?;
    let s = app
        .store
        .section_by_slug(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = format!("/{}", s.slug);
    let key = crate::http_cache::key("section", &s.slug);
    named_feed(&app, &file, ListFilter::Section(s.id), &s.name, page, key).await
}

/// `/topik/{tag}/rss.xml`, `/topik/{tag}/atom.xml`.
pub(crate) async fn tag_feed(
    State(app): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    Kind::from_file(&file).ok_or(AppError::NotFound)?;
    let t = app
        .store
        .visible_tag_by_slug(&slug, app.now())
        .await?
        .ok_or(AppError::NotFound)?;
    let page = format!("/topik/{}", t.slug);
    let key = crate::http_cache::key("tag", &t.slug);
    named_feed(&app, &file, ListFilter::Tag(t.id), &t.name, page, key).await
}

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// `/sitemap.xml`: the sitemap index, a sitemap per month with stories, and the news
/// sitemap.
pub(crate) async fn sitemap_index(State(app): State<AppState>) -> Result<Response, AppError> {
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
    for (month, last) in months {
        out.push_str(&format!(
            "<sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>\n",
            escape(&format!("{base}/sitemaps/{month}.xml")),
            rfc3339(&site, last)
        ));
    }
    out.push_str("</sitemapindex>\n");
    Ok(xml_response(
        out,
        "application/xml; charset=utf-8",
        "sitemaps",
    ))
}

/// `YYYY-MM.xml` → the first instant of that month and of the next (UTC).
fn month_range(file: &str) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let name = file.strip_suffix(".xml")?;
    let (y, m) = name.split_once('-')?;
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
    Some((at(first)?, at(next)?))
}

/// `/sitemaps/{YYYY-MM}.xml`: every visible story published that month (UTC).
pub(crate) async fn sitemap_month(
    State(app): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let (from, to) = month_range(&file).ok_or(AppError::NotFound)?;
    let site = Site::load(&app).await?;
    let base = base(&site);
    let items = app
        .store
        .published_between(from, to, SITEMAP_URLS, app.now())
        .await?;
    if items.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n");
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
    Ok(xml_response(
        out,
        "application/xml; charset=utf-8",
        "sitemaps",
    ))
}

/// `/sitemap-news.xml`: stories of the last 48 hours in the Google News format.
pub(crate) async fn sitemap_news(State(app): State<AppState>) -> Result<Response, AppError> {
    let site = Site::load(&app).await?;
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
    Ok(xml_response(
        out,
        "application/xml; charset=utf-8",
        "sitemaps",
    ))
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
        let (from, to) = month_range("2020-02.xml").expect("February");
        assert_eq!(from.to_rfc3339(), "2020-02-01T00:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2020-03-01T00:00:00+00:00");
        let (_, to) = month_range("2019-12.xml").expect("December");
        assert_eq!(to.to_rfc3339(), "2020-01-01T00:00:00+00:00");
        for bad in [
            "2020-13.xml",
            "2020-00.xml",
            "2020-2.xml",
            "20-02.xml",
            "2020-02",
            "2020-02.txt",
            "x020-02.xml",
            "2020-+2.xml",
            "",
        ] {
            assert!(month_range(bad).is_none(), "{bad}");
        }
    }
}
