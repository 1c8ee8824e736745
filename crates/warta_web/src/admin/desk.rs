//! The desk (`/admin`): every article for editors, one's own for contributors, with
//! filters (status, section, mine) and a search of headlines, each in the address so
//! that a filtered list can be bookmarked and paged.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use warta_core::Status;
use warta_core::newsroom::{Action, Role};
use warta_store::DeskFilter;

use super::{AdminChrome, auth, page, status_name};
use crate::{AppError, AppState, views::Site};

pub(crate) struct DeskRow {
    pub id: i64,
    pub headline: String,
    pub status: &'static str,
    pub status_key: &'static str,
    pub section: String,
    pub author: String,
    pub changed: String,
    /// When a scheduled or embargoed story goes live; empty otherwise.
    pub planned: String,
}

pub(crate) struct Filter {
    pub href: String,
    pub name: &'static str,
    pub current: bool,
}

pub(crate) struct SectionChoice {
    pub slug: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "admin/desk.html")]
struct DeskPage {
    a: AdminChrome,
    filters: Vec<Filter>,
    sections: Vec<SectionChoice>,
    q: DeskQuery,
    /// Editors may narrow to their own stories (contributors only see theirs).
    can_mine: bool,
    /// Some filter or search is on: the list says how many it found.
    narrowed: bool,
    /// "12 artikel cocok".
    found: String,
    rows: Vec<DeskRow>,
    prev: Option<String>,
    next: Option<String>,
    /// "Kata sandi tersimpan…", after a link was used.
    done: String,
}

#[derive(Deserialize, Default, Clone)]
pub(crate) struct DeskQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    mine: Option<String>,
    #[serde(default)]
    page: Option<u32>,
    /// Just logged in through an invitation or reset link.
    #[serde(default)]
    welcome: Option<String>,
}

impl DeskQuery {
    /// This list's address with another status and page (`None`: the same status).
    fn href(&self, status: Option<&str>, page: u32) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        let status = status.unwrap_or(&self.status);
        if !status.is_empty() {
            parts.push(("status", status.to_owned()));
        }
        if !self.section.is_empty() {
            parts.push(("section", self.section.clone()));
        }
        if !self.q.trim().is_empty() {
            parts.push(("q", self.q.trim().to_owned()));
        }
        if self.mine.is_some() {
            parts.push(("mine", "1".to_owned()));
        }
        if page > 1 {
            parts.push(("page", page.to_string()));
        }
        if parts.is_empty() {
            return "/admin".to_owned();
        }
        match serde_urlencoded::to_string(&parts) {
            Ok(query) => format!("/admin?{query}"),
            Err(_) => "/admin".to_owned(),
        }
    }
}

/// The article list.
pub(crate) async fn show_desk(
    State(app): State<AppState>,
    staff: auth::StaffExt,
    Query(q): Query<DeskQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::UseNewsroom)?;
    let status = match q.status.as_str() {
        "" => None,
        s => Some(Status::parse(s).ok_or_else(|| {
            AppError::BadRequest(format!(
                "`status` must be one of draft, in_review, scheduled, published, unpublished, not `{}`",
                s.chars().take(40).collect::<String>()
            ))
        })?),
    };
    let contributor = staff.user.role == Role::Contributor;
    let site = Site::load(&app).await?;
    let section = Some(q.section.clone()).filter(|s| site.sections.iter().any(|x| x.slug == *s));
    let filter = DeskFilter {
        status,
        owner: (contributor || q.mine.is_some()).then_some(staff.user.id),
        section,
        query: q.q.chars().take(200).collect(),
    };
    let page_no = q.page.unwrap_or(1).max(1);
    let list = app.store.desk(&filter, page_no, 30).await?;
    let now = app.now();
    let t = staff.t;
    let mut filters = vec![Filter {
        href: q.href(Some(""), 1),
        name: t.all,
        current: status.is_none(),
    }];
    filters.extend(Status::ALL.into_iter().map(|s| Filter {
        href: q.href(Some(s.as_str()), 1),
        name: status_name(t, s),
        current: status == Some(s),
    }));
    let view = DeskPage {
        a: AdminChrome::load(&app, Some(&staff), "articles").await?,
        filters,
        sections: site
            .sections
            .iter()
            .map(|s| SectionChoice {
                slug: s.slug.clone(),
                name: s.name.clone(),
                selected: filter.section.as_deref() == Some(s.slug.as_str()),
            })
            .collect(),
        can_mine: !contributor,
        narrowed: filter != DeskFilter::default()
            && !(contributor
                && filter.status.is_none()
                && filter.section.is_none()
                && filter.query.trim().is_empty()),
        found: t.desk_found.replace("{n}", &list.total.to_string()),
        rows: list
            .items
            .iter()
            .map(|i| DeskRow {
                id: i.id,
                headline: i.headline.clone(),
                status: status_name(t, i.status),
                status_key: i.status.as_str(),
                section: i.section_name.clone(),
                author: i.author.clone(),
                changed: site
                    .locale
                    .date_line(i.changed_at, site.tz, &site.settings.sunday),
                planned: i
                    .published_at
                    .filter(|p| *p > now)
                    .map(|p| site.locale.date_line(p, site.tz, &site.settings.sunday))
                    .unwrap_or_default(),
            })
            .collect(),
        prev: (list.page > 1).then(|| q.href(None, list.page - 1)),
        next: (list.page < list.last_page).then(|| q.href(None, list.page + 1)),
        done: if q.welcome.is_some() {
            t.done_password_set.replace("{name}", &staff.user.name)
        } else {
            String::new()
        },
        q,
    };
    Ok(page(view.render()?))
}
