//! The search page.

use askama::Template;
use warta_core::locale::iso_with_offset;

use super::{Chrome, Link, OptionView, Pager, Site};
use crate::AppError;
use crate::cache::AgeSlot;

pub(crate) struct HitView {
    pub url: String,
    pub headline: String,
    pub section: Link,
    pub iso: String,
    pub age: AgeSlot,
    /// Escaped by the index's snippet generator, with `<b>` around matches.
    pub snippet_html: String,
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
