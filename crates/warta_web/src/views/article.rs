//! The article page: its body blocks, ad slots and "Baca juga", its related block.

use askama::Template;
use chrono::{DateTime, Utc};
use warta_core::locale::iso_with_offset;
use warta_core::{Article, ArticleSummary, Block, Locale, ads};

use super::{Chrome, ItemView, Link, PhotoView, Rail, Site, meta::structured_data, photo, share};
use crate::AppError;

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
    /// "Baca juga": the stories it links to.
    pub links: Vec<ItemView>,
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
            links: Vec::new(),
        }
    }
}

fn s_embed_note(site: &Site, who: &str) -> String {
    site.locale.strings().embed_note.replace("{site}", who)
}

pub(crate) struct Stamp {
    pub line: String,
    pub iso: String,
}

#[derive(Template)]
#[template(path = "article.html")]
pub(crate) struct ArticlePage {
    pub c: Chrome,
    /// The story's address on this site (the copy link's), whatever its canonical one.
    pub own_url: String,
    /// The article's language, when it is not the site's.
    pub lang: Option<String>,
    pub headline: String,
    pub published: Stamp,
    pub updated: Option<Stamp>,
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
    /// Terpopuler, Pilihan Editor and an ad slot, beside the story.
    pub rail: Rail,
    /// Beranda › the section.
    pub crumbs: Vec<Link>,
}

/// What an article page shows beside the story itself.
pub(crate) struct Around<'a> {
    /// The related list, best first: its first two also go into the body as "Baca
    /// juga" when the body is long enough.
    pub related: &'a [ArticleSummary],
    pub translations: &'a [warta_store::Translation],
    /// "Terpopuler" of the last 24 hours, site-wide.
    pub popular: &'a [ArticleSummary],
    /// The editors' picks of the front page.
    pub picks: &'a [ArticleSummary],
}

/// Links of "Baca juga" inside the body.
const READ_ALSO: usize = 2;

/// The block index after which "Baca juga" goes: the `after`-th paragraph, when
/// something follows it (`None`: not shown).
fn read_also_at(body: &[Block], after: u32) -> Option<usize> {
    if after == 0 {
        return None;
    }
    let (i, _) = body
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::Paragraph { .. }))
        .nth(after as usize - 1)?;
    (i + 1 < body.len()).then_some(i)
}

/// One block of a body as printed (`None`: a photo whose record is gone). Shared by
/// articles and the publication's pages.
pub(crate) fn block_view<'m>(
    site: &Site,
    block: &Block,
    media: impl Fn(i64) -> Option<&'m warta_core::Media>,
) -> Option<BlockView> {
    Some(match block {
        Block::Paragraph { html } => {
            let mut v = BlockView::new("p");
            v.html = html.as_str().to_owned();
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
            let m = media(*media_id)?;
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
            v.cite = site.locale.date_line(*at, site.tz, &site.settings.sunday);
            v.html = iso_with_offset(*at, site.tz);
            v
        }
    })
}

pub(crate) fn article_page(
    site: &Site,
    a: &Article,
    published: DateTime<Utc>,
    around: &Around<'_>,
) -> Result<String, AppError> {
    let s = &site.settings;
    let Around {
        related,
        translations,
        popular,
        picks,
    } = around;
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
    let mut blocks = Vec::with_capacity(a.body.len() + slots.len() + 1);
    // "Baca juga" takes the first related stories into the body, when the block
    // under the story keeps at least as many.
    let also_at =
        read_also_at(&a.body, s.read_also_after).filter(|_| related.len() >= 2 * READ_ALSO);
    let (also, related) = match also_at {
        Some(_) => related.split_at(READ_ALSO),
        None => (&related[..0], &related[..]),
    };
    let mut first_paragraph = true;
    for (i, block) in a.body.iter().enumerate() {
        let Some(mut view) = block_view(site, block, |id| a.media(id)) else {
            continue;
        };
        if view.kind == "p" && first_paragraph {
            view.dateline = dateline.clone();
            first_paragraph = false;
        }
        blocks.push(view);
        if also_at == Some(i) {
            let mut v = BlockView::new("also");
            v.links = also.iter().map(|r| site.item(r)).collect();
            blocks.push(v);
        }
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
    let own_url = c.canonical.clone();
    // A story first published elsewhere credits that address (shares stay here).
    if !a.seo.canonical.is_empty() {
        c.canonical = a.seo.canonical.clone();
    }
    let lang = (Locale::parse(&a.language) != Some(site.locale)).then(|| a.language.clone());
    let page = ArticlePage {
        c,
        own_url,
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
        crumbs: vec![
            Link {
                href: "/".into(),
                name: site.locale.strings().home.into(),
            },
            Link {
                href: format!("/{}", a.section.slug),
                name: a.section.name.clone(),
            },
        ],
        rail: site.rail(
            &[(site.locale.strings().last_day, "article", popular)],
            picks,
            a.id,
        ),
    };
    Ok(page.render()?)
}
