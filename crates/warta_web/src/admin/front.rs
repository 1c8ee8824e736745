//! The front page as editors arrange it (issue #29): the main headline, secondary
//! headlines, "Pilihan Editor" and the order of the section blocks. A form of plain
//! selects and position fields that works without script; a few lines of script let
//! the sections be dragged into order. A slot left empty, or whose story is no longer
//! visible, shows the newest story on the home page.

use std::collections::HashSet;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use warta_core::newsroom::Action;
use warta_store::{FrontPage, ListFilter, MAX_PICKS, MAX_SECONDARY, StoreError};

use super::auth::StaffExt;
use super::{AdminChrome, page};
use crate::views::Site;
use crate::{AppError, AppState};

/// Stories offered in each slot's list: the newest visible ones.
const CHOICES: u32 = 60;

pub(crate) struct Choice {
    pub id: i64,
    pub label: String,
}

/// One slot: its field name and the story in it (0: automatic).
pub(crate) struct Slot {
    pub name: &'static str,
    pub label: String,
    pub chosen: i64,
}

pub(crate) struct SectionRow {
    pub id: i64,
    pub name: String,
    pub position: usize,
}

#[derive(Template)]
#[template(path = "admin/front.html")]
struct FrontEditor {
    a: AdminChrome,
    choices: Vec<Choice>,
    slots: Vec<Slot>,
    sections: Vec<SectionRow>,
    message: String,
    done: String,
}

#[derive(Deserialize, Default)]
pub(crate) struct FrontQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn editor(
    app: &AppState,
    staff: &StaffExt,
    front: &FrontPage,
    message: String,
    done: String,
) -> Result<Response, AppError> {
    let t = staff.t;
    let site = Site::load(app).await?;
    let now = app.now();
    let recent = app
        .store
        .list(ListFilter::All, 1, CHOICES, now)
        .await?
        .items;
    let label = |a: &warta_core::ArticleSummary| {
        format!(
            "{} · {} · {}",
            a.headline,
            a.section_name,
            site.locale
                .date_line(a.published_at, site.tz, &site.settings.sunday)
        )
    };
    let mut choices: Vec<Choice> = recent
        .iter()
        .map(|a| Choice {
            id: a.id,
            label: label(a),
        })
        .collect();
    // Chosen stories older than the list, or no longer visible, stay choosable.
    let chosen: Vec<i64> = front
        .main
        .iter()
        .chain(&front.secondary)
        .chain(&front.picks)
        .copied()
        .collect();
    let missing: Vec<i64> = chosen
        .iter()
        .copied()
        .filter(|id| !choices.iter().any(|c| c.id == *id))
        .collect();
    let visible = app.store.visible_summaries(&missing, now).await?;
    for id in missing {
        let label = match visible.iter().find(|a| a.id == id) {
            Some(a) => label(a),
            None => t.front_gone.replace("{id}", &id.to_string()),
        };
        choices.push(Choice { id, label });
    }
    let mut slots = vec![Slot {
        name: "main",
        label: t.front_main.to_owned(),
        chosen: front.main.unwrap_or(0),
    }];
    for i in 0..MAX_SECONDARY {
        slots.push(Slot {
            name: "secondary",
            label: t.front_secondary.replace("{n}", &(i + 1).to_string()),
            chosen: front.secondary.get(i).copied().unwrap_or(0),
        });
    }
    for i in 0..MAX_PICKS {
        slots.push(Slot {
            name: "pick",
            label: t.front_pick.replace("{n}", &(i + 1).to_string()),
            chosen: front.picks.get(i).copied().unwrap_or(0),
        });
    }
    let view = FrontEditor {
        a: AdminChrome::load(app, Some(staff), "front").await?,
        choices,
        slots,
        sections: home_order(&site.sections, &front.sections)
            .into_iter()
            .enumerate()
            .map(|(i, s)| SectionRow {
                id: s.id,
                name: s.name.clone(),
                position: i + 1,
            })
            .collect(),
        message,
        done,
    };
    Ok(page(view.render()?))
}

/// The sections in the home page's order: those editors ordered first, then the rest
/// in the navigation's order.
pub(crate) fn home_order<'a>(
    sections: &'a [warta_core::Section],
    order: &[i64],
) -> Vec<&'a warta_core::Section> {
    let mut out: Vec<&warta_core::Section> = order
        .iter()
        .filter_map(|id| sections.iter().find(|s| s.id == *id))
        .collect();
    out.extend(sections.iter().filter(|s| !order.contains(&s.id)));
    out
}

/// `GET /admin/front`.
pub(crate) async fn show_front(
    State(app): State<AppState>,
    staff: StaffExt,
    Query(q): Query<FrontQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::ArrangeFront)?;
    let front = app.store.front_page().await?;
    let done = if q.saved.is_some() {
        staff.t.done_front_saved.to_owned()
    } else {
        String::new()
    };
    editor(&app, &staff, &front, String::new(), done).await
}

/// The arrangement a posted form asks for: slots in their order (empty ones and
/// repeats left out), sections by their position fields (ties in the form's order).
fn read_form(fields: &[(String, String)]) -> Result<FrontPage, String> {
    let mut f = FrontPage::default();
    let mut used = HashSet::new();
    let mut sections: Vec<(i64, i64, usize)> = Vec::new();
    for (i, (k, v)) in fields.iter().enumerate() {
        let v = v.trim();
        if let Some(id) = k.strip_prefix("pos_") {
            let id: i64 = id.parse().map_err(|_| k.clone())?;
            let position: i64 = if v.is_empty() {
                i64::MAX
            } else {
                v.parse().map_err(|_| v.to_owned())?
            };
            sections.push((position, id, i));
            continue;
        }
        if !matches!(k.as_str(), "main" | "secondary" | "pick") || v.is_empty() || v == "0" {
            continue;
        }
        let id: i64 = v.parse().map_err(|_| v.to_owned())?;
        if !used.insert(id) {
            continue;
        }
        match k.as_str() {
            "main" => f.main = Some(id),
            "secondary" => f.secondary.push(id),
            _ => f.picks.push(id),
        }
    }
    sections.sort();
    f.sections = sections.into_iter().map(|(_, id, _)| id).collect();
    Ok(f)
}

/// `POST /admin/front`: saves the arrangement; the home page shows it at once.
pub(crate) async fn save_front(
    State(app): State<AppState>,
    staff: StaffExt,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    staff.may(Action::ArrangeFront)?;
    let t = staff.t;
    let front = match read_form(&fields) {
        Ok(f) => f,
        Err(bad) => {
            let now = app.store.front_page().await?;
            let why = t.why_not_whole_number.replace("{0}", &bad);
            return editor(&app, &staff, &now, why, String::new()).await;
        }
    };
    match app.store.save_front_page(&front).await {
        Ok(()) => {
            app.catch_up().await;
            Ok(Redirect::to("/admin/front?saved=1").into_response())
        }
        Err(e @ (StoreError::Invalid(_) | StoreError::NotFound { .. })) => {
            let why = super::shared::store_text(t, &e);
            editor(&app, &staff, &front, why, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_form_reads_as_slots_and_an_order() {
        let f = read_form(&form(&[
            ("csrf", "x"),
            ("main", "7"),
            ("secondary", "0"),
            ("secondary", "9"),
            ("secondary", "7"),
            ("pick", "3"),
            ("pos_2", "2"),
            ("pos_1", "3"),
            ("pos_5", "1"),
            ("pos_4", ""),
        ]))
        .expect("form");
        assert_eq!(f.main, Some(7));
        assert_eq!(
            f.secondary,
            vec![9],
            "empty and repeated slots are left out"
        );
        assert_eq!(f.picks, vec![3]);
        assert_eq!(f.sections, vec![5, 2, 1, 4]);
        assert_eq!(
            read_form(&form(&[("main", "tujuh")])),
            Err("tujuh".to_owned())
        );
    }
}
