//! View models: everything a template prints, prepared in Rust (formatted dates, URLs,
//! `srcset` strings), so templates stay logic-free and every string is escaped by
//! askama unless it is sanitiser output.

use askama::Template;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use warta_core::locale::{Strings, iso_with_offset};
use warta_core::{ArticleSummary, Locale, Media, Page, Section, SiteSettings, article_path};

use crate::cache::AgeSlot;
use crate::{AppError, AppState, assets};

mod article;
mod home;
mod indeks;
mod list;
mod meta;
mod search;
mod share;
mod site_page;
pub(crate) use article::{Around, article_page};
pub(crate) use home::{Home, home_page};
pub(crate) use indeks::{IndexSpec, index_page, index_path};
pub(crate) use list::{ListSpec, list_page};
pub(crate) use search::search_page;
pub(crate) use site_page::site_page;

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
    /// The footer's line about the publication (the tagline when none is set).
    pub footer_text: String,
    /// The year in the footer's copyright line, in the site's zone.
    pub year: i32,
    /// The current section's slug, or `indeks` on the Indeks.
    pub current: String,
    /// The publication's own pages (Redaksi, Pedoman Media Siber…), in the footer.
    pub pages: Vec<Link>,
    /// The site's icon (Warta's W as SVG, or the one set in the site settings) and its
    /// type.
    pub icon: String,
    pub icon_type: &'static str,
    /// The masthead's logo (`None`: the name in letters), shown 48 px high.
    pub logo: Option<Link>,
    pub logo_width: u32,
    pub logo_height: u32,
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
    /// The application's clock when the page is rendered.
    pub now: DateTime<Utc>,
    /// The publication's pages, for the footer.
    pub pages: Vec<Link>,
}

impl Site {
    pub async fn load(app: &AppState) -> Result<Site, AppError> {
        let parts = match app.memo.site() {
            Ok(parts) => parts,
            Err(generation) => {
                let parts = crate::memo::SiteParts {
                    settings: app.store.settings().await?,
                    sections: app.store.sections().await?,
                    pages: app.store.site_page_links().await?,
                };
                app.memo.keep_site(generation, parts.clone());
                parts
            }
        };
        let crate::memo::SiteParts {
            settings,
            sections,
            pages,
        } = parts;
        let pages = pages
            .into_iter()
            .map(|(slug, title)| Link {
                href: format!("/{slug}"),
                name: title,
            })
            .collect();
        // Settings are validated on save; a bad stored value falls back rather than
        // taking the site down.
        let tz = settings.tz().unwrap_or(Tz::Asia__Jakarta);
        let locale = settings.locale().unwrap_or(Locale::Id);
        Ok(Site {
            settings,
            sections,
            tz,
            locale,
            now: app.now(),
            pages,
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
            footer_text: if self.settings.footer_text.is_empty() {
                self.settings.tagline.clone()
            } else {
                self.settings.footer_text.clone()
            },
            year: chrono::Datelike::year(&self.now.with_timezone(&self.tz)),
            current: current.to_owned(),
            pages: self
                .pages
                .iter()
                .map(|p| Link {
                    href: p.href.clone(),
                    name: p.name.clone(),
                })
                .collect(),
            icon: if self.settings.icon.is_empty() {
                assets::icon_url()
            } else {
                media_url("", &self.settings.icon)
            },
            icon_type: match self.settings.icon.rsplit('.').next() {
                _ if self.settings.icon.is_empty() => "image/svg+xml",
                Some("webp") => "image/webp",
                _ => "image/png",
            },
            logo: (!self.settings.logo.is_empty()).then(|| Link {
                href: media_url("", &self.settings.logo),
                name: self.settings.name.clone(),
            }),
            // Shown 48 px high, as wide as its ratio makes it.
            logo_height: 48,
            logo_width: match (self.settings.logo_width, self.settings.logo_height) {
                (w, h) if w > 0 && h > 0 => (w * 48).div_ceil(h),
                _ => 0,
            },
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

/// An `<option>` of a filter.
pub(crate) struct OptionView {
    pub value: String,
    pub name: String,
    pub selected: bool,
}

/// The rail beside the content on wide screens, under it on phones: the most read
/// stories, the editors' picks and an ad slot.
pub(crate) struct Rail {
    pub popular: Vec<PopularBox>,
    /// "Pilihan Editor" (empty: not shown).
    pub picks: Vec<ItemView>,
}

/// One "Terpopuler" list: `sub` says over which time, `name` names it for tests.
pub(crate) struct PopularBox {
    pub sub: &'static str,
    pub name: &'static str,
    pub items: Vec<ItemView>,
}

impl Site {
    /// The rail of a page showing story `own` (0: none), which it leaves out.
    pub fn rail(
        &self,
        popular: &[(&'static str, &'static str, &[ArticleSummary])],
        picks: &[ArticleSummary],
        own: i64,
    ) -> Rail {
        let items = |list: &[ArticleSummary]| -> Vec<ItemView> {
            list.iter()
                .filter(|a| a.id != own)
                .map(|a| self.item(a))
                .collect()
        };
        Rail {
            popular: popular
                .iter()
                .map(|(sub, name, list)| PopularBox {
                    sub,
                    name,
                    items: items(list),
                })
                .filter(|b| !b.items.is_empty())
                .collect(),
            picks: items(picks),
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
    /// `object-position` of crops, from the photo's focal point (empty: the centre).
    pub focus: String,
}

pub(crate) fn photo(m: &Media, caption: &str, credit: &str) -> PhotoView {
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
            focus: String::new(),
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
        focus: if (m.focus_x, m.focus_y) == (50, 50) {
            String::new()
        } else {
            format!("{}% {}%", m.focus_x.min(100), m.focus_y.min(100))
        },
    }
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
