//! The home page's first page: the editors' arrangement, the newest stories, and the
//! sections' blocks.

use askama::Template;
use warta_core::{ArticleSummary, Page, Section};

use super::{Chrome, ItemView, Link, Pager, Rail, Site};
use crate::AppError;

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
    pub latest: Vec<ItemView>,
    pub blocks: Vec<SectionBlock>,
    pub pager: Pager,
    /// Terpopuler (24 hours, 7 days), Pilihan Editor and an ad slot.
    pub rail: Rail,
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
    let t = site.locale.strings();
    let view = HomePage {
        c: site.chrome("", &site.settings.tagline, "/", ""),
        top: home.top.as_ref().map(|a| site.item(a)),
        secondary: items(&home.secondary),
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
        rail: site.rail(
            &[
                (t.last_day, "day", &home.popular.day),
                (t.last_week, "week", &home.popular.week),
            ],
            &home.picks,
            0,
        ),
    };
    Ok(view.render()?)
}
