//! The content model. Types here are what the store saves and the web layer renders;
//! the store owns their row forms.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::sanitize::{SafeHtml, clean_text};

/// Where an article is in the newsroom workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    InReview,
    Scheduled,
    Published,
    Unpublished,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Draft,
        Status::InReview,
        Status::Scheduled,
        Status::Published,
        Status::Unpublished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in_review",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// The kind of a tag. Related news weighs people and organisations differently from
/// broad topics, so the kind is part of the tag, not a naming convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    Person,
    Organisation,
    Place,
    Topic,
}

impl TagKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Person => "person",
            TagKind::Organisation => "organisation",
            TagKind::Place => "place",
            TagKind::Topic => "topic",
        }
    }

    pub fn parse(s: &str) -> Option<TagKind> {
        [
            TagKind::Person,
            TagKind::Organisation,
            TagKind::Place,
            TagKind::Topic,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: TagKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
}

/// One stored size of an image, for `srcset`; or (`og`) the 1200×630 crop that
/// shared links show (Open Graph), which `srcset` leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendition {
    pub width: u32,
    pub file: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub og: bool,
    /// The file's size in bytes (0: not recorded, for files made before it was).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub bytes: u64,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The size of the Open Graph crop.
pub const OG_WIDTH: u32 = 1200;
pub const OG_HEIGHT: u32 = 630;

/// A photo (or other media file) with the fields a newsroom needs: the caption and the
/// credit are separate so the credit can never be lost in an edit of the caption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    pub id: i64,
    /// File name inside the data folder's `media/` directory (the original).
    pub file: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// Smaller sizes, ascending by width.
    pub renditions: Vec<Rendition>,
    /// The point a crop keeps in view, in percent of the width and the height from
    /// the top left (50, 50: the centre), set in the photo library.
    #[serde(default = "centre")]
    pub focus_x: u8,
    #[serde(default = "centre")]
    pub focus_y: u8,
}

fn centre() -> u8 {
    50
}

/// A block of an article body. Paragraph text is sanitised inline HTML (links and
/// emphasis only); everything else is plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        html: SafeHtml,
    },
    Heading {
        text: String,
    },
    Quote {
        text: String,
        #[serde(default)]
        cite: String,
    },
    /// A bulleted (`ordered: false`) or numbered list; each item is inline HTML like a
    /// paragraph's. Lists do not nest.
    List {
        #[serde(default)]
        ordered: bool,
        items: Vec<SafeHtml>,
    },
    Photo {
        media_id: i64,
        /// Overrides the media record's caption for this use, when not empty.
        #[serde(default)]
        caption: String,
        #[serde(default)]
        credit: String,
    },
    /// A link to something published elsewhere (a video, a post, a document), shown
    /// as a link card. For the players Warta knows (YouTube, X, Instagram:
    /// [`crate::embed::player`]) the card has a button that loads the player, in a
    /// frame, when the reader presses it; nothing of the third party loads before.
    Embed {
        url: String,
        #[serde(default)]
        title: String,
    },
    /// A correction, dated, shown at the end of the article (the newsroom appends it).
    Correction {
        text: String,
        at: DateTime<Utc>,
    },
}

impl Block {
    /// Whether an embed address is one a reader may follow (`http` or `https`).
    pub fn is_linkable(url: &str) -> bool {
        let lower = url.trim_start().to_ascii_lowercase();
        (lower.starts_with("https://") || lower.starts_with("http://"))
            && url.len() > "http://".len()
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    }
}

/// An article as the reader site sees it: everything resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub lede: String,
    pub body: Vec<Block>,
    pub dateline_place: String,
    /// The brand opening this article's dateline; empty means the site's.
    pub dateline_brand: String,
    /// What search results and shared cards show, when not the headline and lede.
    #[serde(default)]
    pub seo: Seo,
    pub section: Section,
    pub tags: Vec<Tag>,
    pub authors: Vec<Author>,
    pub hero: Option<Media>,
    /// The media records that photo blocks of the body point to.
    pub body_media: Vec<Media>,
    pub status: Status,
    pub sensitive: bool,
    pub language: String,
    pub published_at: Option<DateTime<Utc>>,
    /// Set when a published article is changed again.
    pub updated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Article {
    pub fn media(&self, id: i64) -> Option<&Media> {
        self.body_media.iter().find(|m| m.id == id)
    }

    /// The input that would write this article as it is (what the newsroom's editor
    /// starts from, and what a revision keeps).
    pub fn to_input(&self) -> ArticleInput {
        ArticleInput {
            slug: Some(self.slug.clone()),
            headline: self.headline.clone(),
            lede: self.lede.clone(),
            body: self.body.clone(),
            dateline_place: self.dateline_place.clone(),
            dateline_brand: self.dateline_brand.clone(),
            seo: self.seo.clone(),
            section: self.section.slug.clone(),
            tags: self
                .tags
                .iter()
                .map(|t| TagRef {
                    kind: t.kind,
                    name: t.name.clone(),
                })
                .collect(),
            authors: self.authors.iter().map(|a| a.slug.clone()).collect(),
            hero_media_id: self.hero.as_ref().map(|m| m.id),
            status: self.status,
            sensitive: self.sensitive,
            language: self.language.clone(),
            published_at: self.published_at,
        }
    }
}

/// What list pages and the related block show of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub lede: String,
    pub section_slug: String,
    pub section_name: String,
    pub published_at: DateTime<Utc>,
    /// When it was last changed after first publication, if it was.
    pub updated_at: Option<DateTime<Utc>>,
    pub hero: Option<Media>,
}

/// A tag as given by an author or an importer: by kind and name; the store finds or
/// creates the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRef {
    pub kind: TagKind,
    pub name: String,
}

/// What it takes to create or replace an article. Sections and authors are named by
/// slug, tags by kind and name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleInput {
    pub slug: Option<String>,
    pub headline: String,
    pub lede: String,
    pub body: Vec<Block>,
    pub dateline_place: String,
    /// The brand opening the dateline, when not the site's (kept from imports).
    #[serde(default)]
    pub dateline_brand: String,
    #[serde(default)]
    pub seo: Seo,
    pub section: String,
    pub tags: Vec<TagRef>,
    pub authors: Vec<String>,
    pub hero_media_id: Option<i64>,
    pub status: Status,
    pub sensitive: bool,
    pub language: String,
    pub published_at: Option<DateTime<Utc>>,
}

pub use crate::limits::{
    MAX_BLOCKS, MAX_HEADLINE, MAX_LEDE, MAX_SEO_CANONICAL, MAX_SEO_DESCRIPTION, MAX_SEO_TITLE,
};

/// The title and description search engines and shared cards (WhatsApp, Facebook, X)
/// show. Empty: the headline and the lede.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seo {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The story's canonical address when it was first published elsewhere (a
    /// syndicated or moved story): search engines credit that address. Empty: its
    /// address on this site.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub canonical: String,
}

impl Seo {
    /// The title shown: this one, else the headline.
    pub fn title_or<'a>(&'a self, headline: &'a str) -> &'a str {
        if self.title.is_empty() {
            headline
        } else {
            &self.title
        }
    }

    /// The description shown: this one, else the lede.
    pub fn description_or<'a>(&'a self, lede: &'a str) -> &'a str {
        if self.description.is_empty() {
            lede
        } else {
            &self.description
        }
    }

    pub fn is_empty(&self) -> bool {
        self.title.is_empty() && self.description.is_empty() && self.canonical.is_empty()
    }
}

impl ArticleInput {
    /// An input with nothing in it (a draft with no headline: not valid as it is).
    pub fn empty() -> ArticleInput {
        ArticleInput {
            slug: None,
            headline: String::new(),
            lede: String::new(),
            body: Vec::new(),
            dateline_place: String::new(),
            dateline_brand: String::new(),
            seo: Seo::default(),
            section: String::new(),
            tags: Vec::new(),
            authors: Vec::new(),
            hero_media_id: None,
            status: Status::Draft,
            sensitive: false,
            language: String::new(),
            published_at: None,
        }
    }

    /// Cleans every text field (control characters out, white space trimmed) and checks
    /// what must hold before anything is written.
    pub fn normalize(mut self) -> Result<ArticleInput, ValidationError> {
        self.normalize_in_place()?;
        Ok(self)
    }

    /// [`ArticleInput::normalize`] without giving the input away: on error it is kept
    /// (some fields may already be cleaned), so the caller can still report on it.
    pub fn normalize_in_place(&mut self) -> Result<(), ValidationError> {
        self.headline = clean_text(&self.headline);
        self.lede = clean_text(&self.lede);
        self.dateline_place = clean_text(&self.dateline_place);
        self.dateline_brand = clean_text(&self.dateline_brand);
        self.seo.title = clean_text(&self.seo.title);
        self.seo.description = clean_text(&self.seo.description);
        self.language = clean_text(&self.language);
        if self.headline.is_empty() {
            return Err(ValidationError::Required { field: "headline" });
        }
        check_len("headline", &self.headline, MAX_HEADLINE)?;
        check_len("lede", &self.lede, MAX_LEDE)?;
        check_len("seo_title", &self.seo.title, MAX_SEO_TITLE)?;
        check_len(
            "seo_description",
            &self.seo.description,
            MAX_SEO_DESCRIPTION,
        )?;
        self.seo.canonical = self.seo.canonical.trim().to_owned();
        if !self.seo.canonical.is_empty() {
            check_len("seo_canonical", &self.seo.canonical, MAX_SEO_CANONICAL)?;
            let c = &self.seo.canonical;
            if !(c.starts_with("https://") || c.starts_with("http://"))
                || c.contains(char::is_whitespace)
            {
                return Err(ValidationError::Invalid {
                    field: "seo_canonical",
                    reason: crate::Reason::NotWebAddress(c.clone()),
                });
            }
        }
        if self.section.trim().is_empty() {
            return Err(ValidationError::Required { field: "section" });
        }
        if self.language.is_empty() {
            self.language = "id".to_owned();
        }
        if self.body.len() > MAX_BLOCKS {
            return Err(ValidationError::TooLong {
                field: "body",
                len: self.body.len(),
                max: MAX_BLOCKS,
            });
        }
        for block in &mut self.body {
            match block {
                // A SafeHtml is sanitised by construction; nothing to do again.
                Block::Paragraph { .. } => {}
                Block::List { items, .. } => {
                    items.retain(|i| !i.as_str().is_empty());
                    if items.is_empty() {
                        return Err(ValidationError::Invalid {
                            field: "body",
                            reason: crate::Reason::EmptyList,
                        });
                    }
                }
                Block::Heading { text } => *text = clean_text(text),
                Block::Quote { text, cite } => {
                    *text = clean_text(text);
                    *cite = clean_text(cite);
                }
                Block::Photo {
                    caption, credit, ..
                } => {
                    *caption = clean_text(caption);
                    *credit = clean_text(credit);
                }
                Block::Embed { url, title } => {
                    *url = clean_text(url);
                    *title = clean_text(title);
                    if !Block::is_linkable(url) {
                        return Err(ValidationError::Invalid {
                            field: "body",
                            reason: crate::Reason::EmbedNeedsHttp(
                                url.chars().take(80).collect::<String>(),
                            ),
                        });
                    }
                }
                Block::Correction { text, .. } => *text = clean_text(text),
            }
        }
        crate::limits::check_sizes(&self.headline, &self.lede, &self.body, self.tags.len())?;
        for tag in &mut self.tags {
            tag.name = clean_text(&tag.name);
            if tag.name.is_empty() {
                return Err(ValidationError::Invalid {
                    field: "tags",
                    reason: crate::Reason::EmptyTag,
                });
            }
        }
        if let Some(slug) = &self.slug
            && !crate::slug::is_valid(slug)
        {
            return Err(ValidationError::Invalid {
                field: "slug",
                reason: crate::Reason::NotSlug(slug.clone()),
            });
        }
        if matches!(self.status, Status::Published | Status::Scheduled)
            && self.published_at.is_none()
        {
            return Err(ValidationError::Required {
                field: "published_at",
            });
        }
        Ok(())
    }
}

fn check_len(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::TooLong { field, len, max });
    }
    Ok(())
}

/// A page of a list, with what the pager needs.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub last_page: u32,
    pub total: u64,
}

/// Which rows a page of a list holds: the total, the size, the page asked for kept
/// within 1 and the last page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageWindow {
    pub total: u64,
    pub per_page: u32,
    pub page: u32,
    pub last_page: u32,
}

impl PageWindow {
    /// `total` as counted by the database (a negative count reads as none).
    pub fn new(total: i64, page: u32, per_page: u32) -> PageWindow {
        let total = u64::try_from(total).unwrap_or(0);
        let per_page = per_page.max(1);
        let last_page = page_count(total, per_page);
        PageWindow {
            total,
            per_page,
            page: page.clamp(1, last_page),
            last_page,
        }
    }

    /// Rows to skip before the page.
    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// The page of `items`.
    pub fn of<T>(&self, items: Vec<T>) -> Page<T> {
        Page {
            items,
            page: self.page,
            last_page: self.last_page,
            total: self.total,
        }
    }
}

/// Turns a page count and page size into the number of pages (at least one, so an
/// empty list still has a page to show).
pub fn page_count(total: u64, per_page: u32) -> u32 {
    let per = u64::from(per_page.max(1));
    u32::try_from(total.div_ceil(per).max(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ArticleInput {
        ArticleInput {
            slug: None,
            headline: "  Judul\u{0} berita ".into(),
            lede: "Ringkas".into(),
            body: vec![Block::Paragraph {
                html: SafeHtml::sanitize("Teks <script>alert(1)</script><b>tebal</b>"),
            }],
            dateline_place: "Jakarta".into(),
            dateline_brand: String::new(),
            seo: Seo::default(),
            section: "dunia".into(),
            tags: vec![],
            authors: vec![],
            hero_media_id: None,
            status: Status::Draft,
            sensitive: false,
            language: String::new(),
            published_at: None,
        }
    }

    #[test]
    fn normalize_cleans_and_defaults() {
        let a = input().normalize().expect("valid");
        assert_eq!(a.headline, "Judul berita");
        assert_eq!(a.language, "id");
        let Block::Paragraph { html } = &a.body[0] else {
            panic!("paragraph expected")
        };
        assert_eq!(html.as_str(), "Teks <b>tebal</b>");
    }

    #[test]
    fn normalize_rejects_bad_input() {
        let mut a = input();
        a.headline = " \u{1} ".into();
        assert_eq!(
            a.normalize(),
            Err(ValidationError::Required { field: "headline" })
        );
        let mut a = input();
        a.slug = Some("Bukan Slug".into());
        assert!(matches!(
            a.normalize(),
            Err(ValidationError::Invalid { field: "slug", .. })
        ));
        let mut a = input();
        a.status = Status::Published;
        assert_eq!(
            a.normalize(),
            Err(ValidationError::Required {
                field: "published_at"
            })
        );
        let mut a = input();
        a.headline = "x".repeat(MAX_HEADLINE + 1);
        assert!(matches!(
            a.normalize(),
            Err(ValidationError::TooLong { .. })
        ));
    }

    #[test]
    fn page_windows_keep_the_page_in_range() {
        let w = PageWindow::new(25, 9, 10);
        assert_eq!((w.page, w.last_page, w.offset()), (3, 3, 20));
        let w = PageWindow::new(-1, 0, 0);
        assert_eq!((w.total, w.per_page, w.page, w.offset()), (0, 1, 1, 0));
        assert_eq!(PageWindow::new(5, 1, 10).of(vec![1, 2]).items, vec![1, 2]);
    }

    #[test]
    fn page_counts() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(page_count(5, 0), 5);
    }

    #[test]
    fn status_round_trips() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("gone"), None);
    }
}

/// The public address of an article: `/{section}/{yyyy}/{mm}/{dd}/{slug}`, the date in
/// the site's zone (the day readers saw it published).
pub fn article_path(
    section_slug: &str,
    published_at: DateTime<Utc>,
    tz: chrono_tz::Tz,
    slug: &str,
) -> String {
    use chrono::Datelike;
    let d = published_at.with_timezone(&tz);
    format!(
        "/{section_slug}/{:04}/{:02}/{:02}/{slug}",
        d.year(),
        d.month(),
        d.day()
    )
}

#[cfg(test)]
mod path_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn path_uses_the_local_day() {
        let t = Utc
            .with_ymd_and_hms(2020, 2, 11, 20, 0, 0)
            .single()
            .expect("date");
        assert_eq!(
            article_path("dunia", t, chrono_tz::Tz::Asia__Jakarta, "x"),
            "/dunia/2020/02/12/x"
        );
        assert_eq!(
            article_path("dunia", t, chrono_tz::Tz::UTC, "x"),
            "/dunia/2020/02/11/x"
        );
    }
}
