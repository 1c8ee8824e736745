//! View models: everything a template prints, prepared in Rust (formatted dates, URLs,
//! `srcset` strings), so templates stay logic-free and every string is escaped by
//! askama unless it is sanitiser output.

use askama::Template;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use warta_core::locale::{Strings, iso_with_offset};
use warta_core::{
    Article, ArticleSummary, Block, Locale, Media, Page, Section, SiteSettings, ads, article_path,
};

use crate::cache::AgeSlot;
use crate::{AppError, AppState, assets};

mod meta;
mod share;
use meta::structured_data;

/// Related entries shown under an article.
pub(crate) const RELATED_LIMIT: u32 = 10;

/// The site-wide parts of a page: language, navigation, head tags.
pub(crate) struct Chrome {
    pub lang: &'static str,
    pub t: &'static Strings,
    pub site_name: String,
    pub tagline: String,
    pub nav: Vec<NavLink>,
    pub css: String,
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub age_forms: String,
    /// RSS feeds a reader's feed finder offers for this page: the site's, and the
    /// section's or topic's it belongs to.
    pub feeds: Vec<Link>,
    /// Open Graph `og:type`: `website`, or `article` on an article.
    pub og_type: &'static str,
    /// `og:locale`, e.g. `id_ID`.
    pub og_locale: &'static str,
    /// The page's picture for social cards (absolute), if it has one.
    pub og_image: Option<Link>,
    /// The Open Graph image's size, when known (0: not said).
    pub og_image_width: u32,
    pub og_image_height: u32,
    /// `article:*` Open Graph properties of an article page.
    pub og_article: Option<OgArticle>,
    /// JSON-LD for search engines, already safe inside `<script>` (see [`json_ld`]).
    pub json_ld: String,
    /// The page in other languages (`hreflang`: `name` is the language, `href`
    /// absolute), the page itself included; empty when it has no translation.
    pub alternates: Vec<Link>,
}

pub(crate) struct OgArticle {
    pub published: String,
    pub modified: String,
    pub section: String,
    pub tags: Vec<String>,
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` as `\u` escapes,
/// so no text in it can close the script or open a comment, whatever articles contain.
pub(crate) fn json_ld(value: &serde_json::Value) -> String {
    let mut out = String::new();
    for ch in value.to_string().chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) struct NavLink {
    pub href: String,
    pub name: String,
    pub current: bool,
}

pub(crate) struct Link {
    pub href: String,
    pub name: String,
}

/// What a page render needs from the site: settings, resolved once per render.
pub(crate) struct Site {
    pub settings: SiteSettings,
    pub sections: Vec<Section>,
    pub tz: Tz,
    pub locale: Locale,
}

impl Site {
    pub async fn load(app: &AppState) -> Result<Site, AppError> {
        let settings = app.store.settings().await?;
        let sections = app.store.sections().await?;
        // Settings are validated on save; a bad stored value falls back rather than
        // taking the site down.
        let tz = settings.tz().unwrap_or(Tz::Asia__Jakarta);
        let locale = settings.locale().unwrap_or(Locale::Id);
        Ok(Site {
            settings,
            sections,
            tz,
            locale,
        })
    }

    pub fn chrome(&self, title: &str, description: &str, path: &str, current: &str) -> Chrome {
        let full_title = if title.is_empty() {
            format!("{} - {}", self.settings.name, self.settings.tagline)
        } else {
            format!("{title} - {}", self.settings.name)
        };
        Chrome {
            lang: self.locale.strings().lang,
            t: self.locale.strings(),
            site_name: self.settings.name.clone(),
            tagline: self.settings.tagline.clone(),
            nav: self
                .sections
                .iter()
                .map(|s| NavLink {
                    href: format!("/{}", s.slug),
                    name: s.name.clone(),
                    current: s.slug == current,
                })
                .collect(),
            css: assets::css_url(),
            title: full_title,
            description: description.to_owned(),
            canonical: format!("{}{}", self.settings.base_url.trim_end_matches('/'), path),
            age_forms: self.locale.age_forms_json(),
            feeds: self.feeds(path, current),
            og_type: "website",
            og_locale: match self.locale {
                Locale::Id => "id_ID",
                Locale::En => "en_US",
            },
            og_image: None,
            og_image_width: 0,
            og_image_height: 0,
            og_article: None,
            json_ld: String::new(),
            alternates: Vec::new(),
        }
    }

    fn feeds(&self, path: &str, current: &str) -> Vec<Link> {
        let mut feeds = vec![Link {
            href: "/rss.xml".into(),
            name: self.settings.name.clone(),
        }];
        if let Some(s) = self.sections.iter().find(|s| s.slug == current) {
            feeds.push(Link {
                href: format!("/{}/rss.xml", s.slug),
                name: format!("{} - {}", s.name, self.settings.name),
            });
        } else if let Some(tag) = path.strip_prefix("/topik/")
            && !tag.is_empty()
            && !tag.contains('/')
        {
            feeds.push(Link {
                href: format!("{path}/rss.xml"),
                name: format!("{tag} - {}", self.settings.name),
            });
        }
        feeds
    }

    pub fn article_url(&self, section_slug: &str, published: DateTime<Utc>, slug: &str) -> String {
        article_path(section_slug, published, self.tz, slug)
    }

    pub fn item(&self, a: &ArticleSummary) -> ItemView {
        ItemView {
            url: self.article_url(&a.section_slug, a.published_at, &a.slug),
            headline: a.headline.clone(),
            lede: a.lede.clone(),
            section: Link {
                href: format!("/{}", a.section_slug),
                name: a.section_name.clone(),
            },
            iso: iso_with_offset(a.published_at, self.tz),
            age: AgeSlot(a.published_at),
            photo: a
                .hero
                .as_ref()
                .filter(|m| !m.file.is_empty())
                .map(|m| photo(m, "", "")),
        }
    }
}

/// A photo as printed: caption and credit kept apart, credit after the caption.
pub(crate) struct PhotoView {
    pub src: String,
    pub srcset: String,
    /// WebP renditions (newsroom uploads have them), offered through `<picture>`.
    pub webp_srcset: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

fn photo(m: &Media, caption: &str, credit: &str) -> PhotoView {
    // A caption or credit given where the photo is used wins over the media record's.
    let or = |own: &str, record: &str| if own.is_empty() { record } else { own }.to_owned();
    let (caption, credit) = (or(caption, &m.caption), or(credit, &m.credit));
    // An imported caption may come without its image file: caption and credit only.
    if m.file.is_empty() {
        return PhotoView {
            src: String::new(),
            srcset: String::new(),
            webp_srcset: String::new(),
            width: 0,
            height: 0,
            alt: m.alt.clone(),
            caption,
            credit,
        };
    }
    let url = |file: &str| media_url("", file);
    let is_webp = |f: &str| f.ends_with(".webp");
    let set = |webp: bool| {
        let mut set: Vec<String> = m
            .renditions
            .iter()
            .filter(|r| !r.og && r.width < m.width && is_webp(&r.file) == webp)
            .map(|r| format!("{} {}w", url(&r.file), r.width))
            .collect();
        if m.width > 0 && (is_webp(&m.file) == webp || !set.is_empty()) {
            set.push(format!("{} {}w", url(&m.file), m.width));
        }
        set
    };
    let webp = set(true);
    PhotoView {
        src: url(&m.file),
        srcset: set(false).join(", "),
        webp_srcset: if webp.len() > 1 {
            webp.join(", ")
        } else {
            String::new()
        },
        width: m.width,
        height: m.height,
        alt: m.alt.clone(),
        caption,
        credit,
    }
}

/// One block of the article body as printed. `kind` is one of `p`, `h`, `quote`,
/// `photo`, `embed` (`text` the title, `cite` the address), `correction` (`text`,
/// `cite` the date line, `html` the ISO time), `ad`.
pub(crate) struct BlockView {
    pub kind: &'static str,
    pub html: String,
    pub text: String,
    pub cite: String,
    /// Set on the first paragraph only: `WARTA, Jakarta -`.
    pub dateline: String,
    pub photo: Option<PhotoView>,
    /// A list's items (sanitised inline HTML).
    pub items: Vec<String>,
    /// An embed's player, loaded only when the reader asks (`None`: a link card only).
    pub player: Option<warta_core::embed::Player>,
    /// The note under an embed's button: who the player comes from.
    pub note: String,
}

impl BlockView {
    fn new(kind: &'static str) -> BlockView {
        BlockView {
            kind,
            html: String::new(),
            text: String::new(),
            cite: String::new(),
            dateline: String::new(),
            photo: None,
            items: Vec::new(),
            player: None,
            note: String::new(),
        }
    }
}

fn s_embed_note(site: &Site, who: &str) -> String {
    site.locale.strings().embed_note.replace("{site}", who)
}

pub(crate) struct ItemView {
    pub url: String,
    pub headline: String,
    pub lede: String,
    pub section: Link,
    pub iso: String,
    pub age: AgeSlot,
    pub photo: Option<PhotoView>,
}

pub(crate) struct Stamp {
    pub line: String,
    pub iso: String,
}

#[derive(Template)]
#[template(path = "article.html")]
pub(crate) struct ArticlePage {
    pub c: Chrome,
    /// The article's language, when it is not the site's.
    pub lang: Option<String>,
    pub headline: String,
    pub published: Stamp,
    pub updated: Option<Stamp>,
    pub section: Link,
    pub authors: Vec<Link>,
    pub tags: Vec<Link>,
    pub hero: Option<PhotoView>,
    pub blocks: Vec<BlockView>,
    /// Some embed has a player: the page carries the few lines that load it on a click.
    pub has_player: bool,
    pub related: Vec<ItemView>,
    /// WhatsApp, Facebook, X, Telegram and LINE, with the canonical address.
    pub share: Vec<share::ShareLink>,
    /// The story's number, for the read beacon.
    pub id: i64,
    /// "Terpopuler" of the last 24 hours, site-wide.
    pub popular: Vec<ItemView>,
}

pub(crate) fn article_page(
    site: &Site,
    a: &Article,
    published: DateTime<Utc>,
    related: &[ArticleSummary],
    translations: &[warta_store::Translation],
    popular: &[ArticleSummary],
) -> Result<String, AppError> {
    let s = &site.settings;
    let path = site.article_url(&a.section.slug, published, &a.slug);
    let brand = if a.dateline_brand.is_empty() {
        &s.dateline_brand
    } else {
        &a.dateline_brand
    };
    let dateline = if a.dateline_place.is_empty() {
        format!("{brand} -")
    } else {
        format!("{brand}, {} -", a.dateline_place)
    };
    let slots = ads::slots_after(&a.body, s.ad_first_after, s.ad_every, a.sensitive);
    let mut blocks = Vec::with_capacity(a.body.len() + slots.len());
    let mut first_paragraph = true;
    for (i, block) in a.body.iter().enumerate() {
        let view = match block {
            Block::Paragraph { html } => {
                let mut v = BlockView::new("p");
                v.html = html.as_str().to_owned();
                if first_paragraph {
                    v.dateline = dateline.clone();
                    first_paragraph = false;
                }
                v
            }
            Block::Heading { text } => {
                let mut v = BlockView::new("h");
                v.text = text.clone();
                v
            }
            Block::Quote { text, cite } => {
                let mut v = BlockView::new("quote");
                v.text = text.clone();
                v.cite = cite.clone();
                v
            }
            Block::List { ordered, items } => {
                let mut v = BlockView::new(if *ordered { "ol" } else { "ul" });
                v.items = items.iter().map(|i| i.as_str().to_owned()).collect();
                v
            }
            Block::Photo {
                media_id,
                caption,
                credit,
            } => {
                let Some(m) = a.media(*media_id) else {
                    continue;
                };
                let mut v = BlockView::new("photo");
                v.photo = Some(photo(m, caption, credit));
                v
            }
            Block::Embed { url, title } => {
                let mut v = BlockView::new("embed");
                v.text = if title.is_empty() {
                    url.clone()
                } else {
                    title.clone()
                };
                v.cite = url.clone();
                v.player = warta_core::embed::player(url);
                if let Some(p) = &v.player {
                    v.note = s_embed_note(site, p.site);
                }
                v
            }
            Block::Correction { text, at } => {
                let mut v = BlockView::new("correction");
                v.text = text.clone();
                v.cite = site.locale.date_line(*at, site.tz, &s.sunday);
                v.html = iso_with_offset(*at, site.tz);
                v
            }
        };
        blocks.push(view);
        if slots.contains(&i) {
            blocks.push(BlockView::new("ad"));
        }
    }
    let mut c = site.chrome(
        a.seo.title_or(&a.headline),
        a.seo.description_or(&a.lede),
        &path,
        &a.section.slug,
    );
    structured_data(site, a, published, translations, &mut c);
    let share = share::share_links(&c.canonical, &a.headline);
    let lang = (Locale::parse(&a.language) != Some(site.locale)).then(|| a.language.clone());
    let page = ArticlePage {
        c,
        lang,
        headline: a.headline.clone(),
        published: Stamp {
            line: site.locale.date_line(published, site.tz, &s.sunday),
            iso: iso_with_offset(published, site.tz),
        },
        updated: a.updated_at.filter(|u| *u > published).map(|u| Stamp {
            line: site.locale.date_line(u, site.tz, &s.sunday),
            iso: iso_with_offset(u, site.tz),
        }),
        section: Link {
            href: format!("/{}", a.section.slug),
            name: a.section.name.clone(),
        },
        authors: a
            .authors
            .iter()
            .map(|u| Link {
                href: format!("/penulis/{}", u.slug),
                name: u.name.clone(),
            })
            .collect(),
        tags: a
            .tags
            .iter()
            .map(|t| Link {
                href: format!("/topik/{}", t.slug),
                name: t.name.clone(),
            })
            .collect(),
        hero: a.hero.as_ref().map(|m| photo(m, "", "")),
        has_player: blocks.iter().any(|b| b.player.is_some()),
        blocks,
        related: related.iter().map(|r| site.item(r)).collect(),
        share,
        id: a.id,
        popular: popular
            .iter()
            .filter(|p| p.id != a.id)
            .map(|p| site.item(p))
            .collect(),
    };
    Ok(page.render()?)
}

/// A media file's address: `{base}/media/{file}` (`base` empty for a path on this
/// site), or the file itself when an imported record kept its old absolute address.
pub(crate) fn media_url(base: &str, file: &str) -> String {
    if file.starts_with("https://") || file.starts_with("http://") {
        file.to_owned()
    } else {
        format!("{base}/media/{file}")
    }
}

pub(crate) struct Pager {
    pub page: u32,
    pub last: u32,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new<T>(path: &str, page: &Page<T>) -> Pager {
        let url = |n: u32| {
            if n <= 1 {
                path.to_owned()
            } else {
                format!("{path}?page={n}")
            }
        };
        Pager {
            page: page.page,
            last: page.last_page,
            prev: (page.page > 1).then(|| url(page.page - 1)),
            next: (page.page < page.last_page).then(|| url(page.page + 1)),
        }
    }
}

#[derive(Template)]
#[template(path = "list.html")]
pub(crate) struct ListPage {
    pub c: Chrome,
    /// `Kanal`, `Topik`, `Penulis`, or empty on the home page's later pages.
    pub kind: String,
    pub heading: String,
    pub intro: String,
    pub items: Vec<ItemView>,
    pub pager: Pager,
    /// "Terpopuler" of the section (24 hours); empty elsewhere.
    pub popular: Vec<ItemView>,
}

pub(crate) struct ListSpec<'a> {
    pub path: &'a str,
    pub current_section: &'a str,
    pub kind: &'a str,
    pub heading: &'a str,
    pub intro: &'a str,
    /// The section's most read stories (empty: none shown).
    pub popular: &'a [ArticleSummary],
}

pub(crate) fn list_page(
    site: &Site,
    spec: &ListSpec<'_>,
    page: &Page<ArticleSummary>,
) -> Result<String, AppError> {
    let title = if page.page > 1 {
        format!(
            "{} ({} {})",
            spec.heading,
            site.locale.strings().page,
            page.page
        )
    } else {
        spec.heading.to_owned()
    };
    let canonical = if page.page > 1 {
        format!("{}?page={}", spec.path, page.page)
    } else {
        spec.path.to_owned()
    };
    let view = ListPage {
        c: site.chrome(&title, spec.intro, &canonical, spec.current_section),
        kind: spec.kind.to_owned(),
        heading: spec.heading.to_owned(),
        intro: spec.intro.to_owned(),
        items: page.items.iter().map(|a| site.item(a)).collect(),
        pager: Pager::new(spec.path, page),
        popular: spec.popular.iter().map(|a| site.item(a)).collect(),
    };
    Ok(view.render()?)
}

pub(crate) struct SectionBlock {
    pub link: Link,
    pub items: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub(crate) struct HomePage {
    pub c: Chrome,
    pub top: Option<ItemView>,
    pub secondary: Vec<ItemView>,
    pub picks: Vec<ItemView>,
    pub latest: Vec<ItemView>,
    pub blocks: Vec<SectionBlock>,
    pub pager: Pager,
    pub popular_day: Vec<ItemView>,
    pub popular_week: Vec<ItemView>,
}

/// What the home page's first page shows, as the handler resolved it from the
/// editors' arrangement and the newest stories.
pub(crate) struct Home {
    pub top: Option<ArticleSummary>,
    pub secondary: Vec<ArticleSummary>,
    /// "Pilihan Editor" (empty: the row is not shown).
    pub picks: Vec<ArticleSummary>,
    /// The newest stories but those above, with the pager's figures.
    pub latest: Page<ArticleSummary>,
    /// Section blocks in the editors' order.
    pub blocks: Vec<(Section, Vec<ArticleSummary>)>,
    /// "Terpopuler": the last 24 hours and 7 days.
    pub popular: std::sync::Arc<crate::popular::Rankings>,
}

pub(crate) fn home_page(site: &Site, home: Home) -> Result<String, AppError> {
    let items = |list: &[ArticleSummary]| list.iter().map(|a| site.item(a)).collect();
    let view = HomePage {
        c: site.chrome("", &site.settings.tagline, "/", ""),
        top: home.top.as_ref().map(|a| site.item(a)),
        secondary: items(&home.secondary),
        picks: items(&home.picks),
        latest: items(&home.latest.items),
        blocks: home
            .blocks
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(s, items)| SectionBlock {
                link: Link {
                    href: format!("/{}", s.slug),
                    name: s.name,
                },
                items: items.iter().map(|a| site.item(a)).collect(),
            })
            .collect(),
        pager: Pager::new("/", &home.latest),
        popular_day: items(&home.popular.day),
        popular_week: items(&home.popular.week),
    };
    Ok(view.render()?)
}

#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorView {
    pub c: Chrome,
    pub status: u16,
    pub title: String,
    pub body: String,
}

pub(crate) async fn error_page(
    app: &AppState,
    status: StatusCode,
    detail: Option<&str>,
) -> Result<String, AppError> {
    let site = Site::load(app).await?;
    let t = site.locale.strings();
    let (title, body) = match status {
        StatusCode::NOT_FOUND => (t.not_found_title, t.not_found_body.to_owned()),
        StatusCode::BAD_REQUEST => (t.bad_request_title, detail.unwrap_or_default().to_owned()),
        StatusCode::FORBIDDEN => (
            site.locale.admin().forbidden,
            detail.unwrap_or_default().to_owned(),
        ),
        _ => (t.server_error_title, t.server_error_body.to_owned()),
    };
    let view = ErrorView {
        c: site.chrome(title, "", "/", ""),
        status: status.as_u16(),
        title: title.to_owned(),
        body,
    };
    Ok(view.render()?)
}

pub(crate) struct HitView {
    pub url: String,
    pub headline: String,
    pub section: Link,
    pub iso: String,
    pub age: AgeSlot,
    /// Escaped by the index's snippet generator, with `<b>` around matches.
    pub snippet_html: String,
}

pub(crate) struct OptionView {
    pub value: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
pub(crate) struct SearchPage {
    pub c: Chrome,
    pub q: String,
    pub from: String,
    pub to: String,
    pub sections: Vec<OptionView>,
    pub sorts: Vec<OptionView>,
    /// False before anything was asked: the page shows the prompt.
    pub asked: bool,
    pub count: String,
    pub none: String,
    pub suggestion: Option<Link>,
    pub truncated: bool,
    pub hits: Vec<HitView>,
    pub pager: Pager,
}

pub(crate) fn search_page(
    site: &Site,
    params: &crate::search::Params,
    results: Option<&warta_search::SearchResults>,
) -> Result<String, AppError> {
    let t = site.locale.strings();
    let title = if params.q.trim().is_empty() {
        t.search_heading.to_owned()
    } else {
        format!("{} - {}", params.q.trim(), t.search_heading)
    };
    let mut sections = vec![OptionView {
        value: String::new(),
        name: t.all_sections.to_owned(),
        selected: params.section.is_empty(),
    }];
    sections.extend(site.sections.iter().map(|s| OptionView {
        value: s.slug.clone(),
        name: s.name.clone(),
        selected: s.slug == params.section,
    }));
    let sorts = [("relevance", t.sort_relevance), ("newest", t.sort_newest)]
        .into_iter()
        .map(|(v, name)| OptionView {
            value: v.to_owned(),
            name: name.to_owned(),
            selected: params.sort == v,
        })
        .collect();
    let (page, last) = results.map_or((1, 1), |r| (r.page, r.last_page));
    let view = SearchPage {
        c: site.chrome(&title, "", &params.url_for_page(page), ""),
        q: params.q.clone(),
        from: params.from.clone(),
        to: params.to.clone(),
        sections,
        sorts,
        asked: results.is_some(),
        count: results.map_or(String::new(), |r| {
            t.search_count.replace("{n}", &r.total.to_string())
        }),
        none: t.search_none.replace("{q}", params.q.trim()),
        suggestion: results.and_then(|r| r.suggestion.as_ref()).map(|s| {
            let mut p = params.clone();
            p.q = s.clone();
            Link {
                href: p.url_for_page(1),
                name: s.clone(),
            }
        }),
        truncated: results.is_some_and(|r| r.truncated),
        hits: results.map_or(Vec::new(), |r| {
            r.hits
                .iter()
                .map(|h| HitView {
                    url: site.article_url(&h.section_slug, h.published_at, &h.slug),
                    headline: h.headline.clone(),
                    section: Link {
                        href: format!("/{}", h.section_slug),
                        name: h.section_name.clone(),
                    },
                    iso: iso_with_offset(h.published_at, site.tz),
                    age: AgeSlot(h.published_at),
                    snippet_html: h.snippet_html.clone(),
                })
                .collect()
        }),
        pager: Pager {
            page,
            last,
            prev: (page > 1).then(|| params.url_for_page(page - 1)),
            next: (page < last).then(|| params.url_for_page(page + 1)),
        },
    };
    Ok(view.render()?)
}
