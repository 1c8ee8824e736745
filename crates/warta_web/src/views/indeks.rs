//! The Indeks: every visible story of one day in the site's zone, newest first.

use askama::Template;
use chrono::{Datelike, NaiveDate, Timelike};
use warta_core::locale::{iso_with_offset, zone_abbreviation};
use warta_core::{ArticleSummary, Page};

use super::{Chrome, Link, OptionView, Pager, Rail, Site};
use crate::AppError;

/// One line of the Indeks: the time, the section, the headline.
pub(crate) struct IndexLine {
    pub url: String,
    pub headline: String,
    pub section: Link,
    pub iso: String,
    /// `17:00 WIB`.
    pub clock: String,
}

#[derive(Template)]
#[template(path = "indeks.html")]
pub(crate) struct IndexPage {
    pub c: Chrome,
    pub crumbs: Vec<Link>,
    pub heading: String,
    /// The day shown and today, `YYYY-MM-DD` (the date field's value and its `max`).
    pub date: String,
    pub today: String,
    pub sections: Vec<OptionView>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    pub lines: Vec<IndexLine>,
    /// `12 berita`.
    pub count: String,
    pub pager: Pager,
    pub rail: Rail,
}

/// What the handler resolved: the day, the section filter, the stories.
pub(crate) struct IndexSpec<'a> {
    pub day: NaiveDate,
    pub today: NaiveDate,
    /// The section's slug (empty: every section).
    pub section: &'a str,
    pub list: &'a Page<ArticleSummary>,
    pub popular: &'a [ArticleSummary],
    pub picks: &'a [ArticleSummary],
}

/// `/indeks/2026-12-05`, with `?kanal=` when a section is chosen.
pub(crate) fn index_path(day: NaiveDate, section: &str) -> String {
    if section.is_empty() {
        format!("/indeks/{}", day.format("%Y-%m-%d"))
    } else {
        format!("/indeks/{}?kanal={section}", day.format("%Y-%m-%d"))
    }
}

pub(crate) fn index_page(site: &Site, spec: &IndexSpec<'_>) -> Result<String, AppError> {
    let t = site.locale.strings();
    let (day, section) = (spec.day, spec.section);
    let weekday = site.locale.weekday(day.weekday(), &site.settings.sunday);
    let date = format!(
        "{weekday}, {} {} {}",
        day.day(),
        site.locale.month(day.month0()),
        day.year()
    );
    let heading = t.index_heading.replace("{date}", &date);
    let path = index_path(day, section);
    let page_url = |n: u32| {
        let sep = if path.contains('?') { '&' } else { '?' };
        if n <= 1 {
            path.clone()
        } else {
            format!("{path}{sep}page={n}")
        }
    };
    let page = spec.list;
    let title = if page.page > 1 {
        format!("{heading} ({} {})", t.page, page.page)
    } else {
        heading.clone()
    };
    let mut sections = vec![OptionView {
        value: String::new(),
        name: t.all_sections.to_owned(),
        selected: section.is_empty(),
    }];
    sections.extend(site.sections.iter().map(|s| OptionView {
        value: s.slug.clone(),
        name: s.name.clone(),
        selected: s.slug == section,
    }));
    let view = IndexPage {
        c: site.chrome(
            &title,
            &t.index_description
                .replace("{date}", &date)
                .replace("{site}", &site.settings.name),
            &page_url(page.page),
            "indeks",
        ),
        crumbs: vec![
            Link {
                href: "/".into(),
                name: t.home.into(),
            },
            Link {
                href: "/indeks".into(),
                name: t.index.into(),
            },
        ],
        heading,
        date: day.format("%Y-%m-%d").to_string(),
        today: spec.today.format("%Y-%m-%d").to_string(),
        sections,
        previous: day.pred_opt().map(|d| Link {
            href: index_path(d, section),
            name: t.previous_day.into(),
        }),
        next: day.succ_opt().filter(|d| *d <= spec.today).map(|d| Link {
            href: index_path(d, section),
            name: t.next_day.into(),
        }),
        lines: page
            .items
            .iter()
            .map(|a| {
                let local = a.published_at.with_timezone(&site.tz);
                IndexLine {
                    url: site.article_url(&a.section_slug, a.published_at, &a.slug),
                    headline: a.headline.clone(),
                    section: Link {
                        href: format!("/{}", a.section_slug),
                        name: a.section_name.clone(),
                    },
                    iso: iso_with_offset(a.published_at, site.tz),
                    clock: format!(
                        "{:02}:{:02} {}",
                        local.hour(),
                        local.minute(),
                        zone_abbreviation(a.published_at, site.tz)
                    ),
                }
            })
            .collect(),
        count: t.index_count.replace("{n}", &page.total.to_string()),
        pager: Pager {
            page: page.page,
            last: page.last_page,
            prev: (page.page > 1).then(|| page_url(page.page - 1)),
            next: (page.page < page.last_page).then(|| page_url(page.page + 1)),
        },
        rail: site.rail(&[(t.last_day, "day", spec.popular)], spec.picks, 0),
    };
    Ok(view.render()?)
}
