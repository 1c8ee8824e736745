//! List pages: a section, a topic, an author, the home page's later pages.

use askama::Template;
use warta_core::{ArticleSummary, Page};

use super::{Chrome, ItemView, Link, Pager, Rail, Site};
use crate::AppError;

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
    /// Beranda › the list.
    pub crumbs: Vec<Link>,
    /// Terpopuler (the section's own on a section's page), Pilihan Editor, an ad slot.
    pub rail: Rail,
}

pub(crate) struct ListSpec<'a> {
    pub path: &'a str,
    pub current_section: &'a str,
    pub kind: &'a str,
    pub heading: &'a str,
    pub intro: &'a str,
    /// The most read stories: the section's on its page, else the site's.
    pub popular: &'a [ArticleSummary],
    /// The editors' picks.
    pub picks: &'a [ArticleSummary],
}

pub(crate) fn list_page(
    site: &Site,
    spec: &ListSpec<'_>,
    page: &Page<ArticleSummary>,
) -> Result<String, AppError> {
    let t = site.locale.strings();
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
    let description = if spec.intro.is_empty() {
        t.list_description
            .replace("{name}", spec.heading)
            .replace("{site}", &site.settings.name)
    } else {
        spec.intro.to_owned()
    };
    let canonical = if page.page > 1 {
        format!("{}?page={}", spec.path, page.page)
    } else {
        spec.path.to_owned()
    };
    let view = ListPage {
        c: site.chrome(&title, &description, &canonical, spec.current_section),
        kind: spec.kind.to_owned(),
        heading: spec.heading.to_owned(),
        intro: spec.intro.to_owned(),
        items: page.items.iter().map(|a| site.item(a)).collect(),
        pager: Pager::new(spec.path, page),
        crumbs: vec![
            Link {
                href: "/".into(),
                name: t.home.into(),
            },
            Link {
                href: spec.path.into(),
                name: spec.heading.into(),
            },
        ],
        rail: site.rail(
            &[(
                t.last_day,
                if spec.current_section.is_empty() {
                    "day"
                } else {
                    "section"
                },
                spec.popular,
            )],
            spec.picks,
            0,
        ),
    };
    Ok(view.render()?)
}
