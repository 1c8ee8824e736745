//! A page of the publication (issue #30): Redaksi, Pedoman Media Siber, Kontak…

use askama::Template;
use warta_core::Media;
use warta_core::locale::iso_with_offset;
use warta_store::SitePage;

use super::article::{BlockView, Stamp, block_view};
use super::{Chrome, Link, Rail, Site};
use crate::AppError;

#[derive(Template)]
#[template(path = "page.html")]
pub(crate) struct PageView {
    pub c: Chrome,
    pub crumbs: Vec<Link>,
    pub title: String,
    pub updated: Stamp,
    pub blocks: Vec<BlockView>,
    pub rail: Rail,
}

pub(crate) fn site_page(
    site: &Site,
    page: &SitePage,
    media: &[Media],
    rail: Rail,
) -> Result<String, AppError> {
    let t = site.locale.strings();
    let path = format!("/{}", page.slug);
    let description = page
        .body
        .iter()
        .find_map(|b| match b {
            warta_core::Block::Paragraph { html } => Some(html.to_text()),
            _ => None,
        })
        .map(|text| text.chars().take(160).collect::<String>())
        .unwrap_or_default();
    let view = PageView {
        c: site.chrome(&page.title, &description, &path, ""),
        crumbs: vec![
            Link {
                href: "/".into(),
                name: t.home.into(),
            },
            Link {
                href: path.clone(),
                name: page.title.clone(),
            },
        ],
        title: page.title.clone(),
        updated: Stamp {
            line: site.locale.short_date(page.updated_at, site.tz),
            iso: iso_with_offset(page.updated_at, site.tz),
        },
        blocks: page
            .body
            .iter()
            .filter_map(|b| block_view(site, b, |id| media.iter().find(|m| m.id == id)))
            .collect(),
        rail,
    };
    Ok(view.render()?)
}
