//! Site settings and sections, for admins: the settings the reader site runs on
//! (name, zone, language, ads, list size, feeds…) and the sections (add, rename,
//! reorder). A section's address never changes once made.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use warta_core::newsroom::Action;
use warta_core::{Reason, SiteSettings, ValidationError};

use super::auth::StaffExt;
use super::{AdminChrome, page};
use crate::{AppError, AppState};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    tagline: String,
    #[serde(default)]
    dateline_brand: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    sunday: String,
    #[serde(default)]
    ad_first_after: String,
    #[serde(default)]
    ad_every: String,
    #[serde(default)]
    page_size: String,
    #[serde(default)]
    base_url: String,
    #[serde(default)]
    feed_full_text: Option<String>,
    #[serde(default)]
    read_also_after: String,
    #[serde(default)]
    footer_text: String,
}

impl SettingsForm {
    pub(crate) fn of(s: &SiteSettings) -> SettingsForm {
        SettingsForm {
            name: s.name.clone(),
            tagline: s.tagline.clone(),
            dateline_brand: s.dateline_brand.clone(),
            time_zone: s.time_zone.clone(),
            language: s.language.clone(),
            sunday: s.sunday.clone(),
            ad_first_after: s.ad_first_after.to_string(),
            ad_every: s.ad_every.to_string(),
            page_size: s.page_size.to_string(),
            base_url: s.base_url.clone(),
            feed_full_text: s.feed_full_text.then(|| "on".into()),
            read_also_after: s.read_also_after.to_string(),
            footer_text: s.footer_text.clone(),
        }
    }

    fn to_settings(&self) -> Result<SiteSettings, ValidationError> {
        let number = |field: &'static str, v: &str| {
            v.trim()
                .parse::<u32>()
                .map_err(|_| ValidationError::Invalid {
                    field,
                    reason: Reason::NotWholeNumber(v.to_owned()),
                })
        };
        let clean = warta_core::sanitize::clean_text;
        let base_url = clean(&self.base_url).trim_end_matches('/').to_owned();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(ValidationError::Invalid {
                field: "base_url",
                reason: Reason::NotWebAddress(base_url),
            });
        }
        let sunday = clean(&self.sunday);
        if sunday != "Minggu" && sunday != "Ahad" {
            return Err(ValidationError::Invalid {
                field: "sunday",
                reason: Reason::NotSundayWord(sunday),
            });
        }
        let s = SiteSettings {
            name: clean(&self.name),
            tagline: clean(&self.tagline),
            dateline_brand: clean(&self.dateline_brand),
            time_zone: clean(&self.time_zone),
            language: clean(&self.language),
            sunday,
            ad_first_after: number("ad_first_after", &self.ad_first_after)?,
            ad_every: number("ad_every", &self.ad_every)?,
            page_size: number("page_size", &self.page_size)?,
            base_url,
            feed_full_text: self
                .feed_full_text
                .as_deref()
                .is_some_and(|v| !v.is_empty()),
            // Empty: not shown (as 0).
            read_also_after: match self.read_also_after.trim() {
                "" => 0,
                v => number("read_also_after", v)?,
            },
            footer_text: clean(&self.footer_text),
            ..SiteSettings::default()
        };
        s.validate()?;
        Ok(s)
    }
}

pub(crate) struct SectionRow {
    pub slug: String,
    pub name: String,
    pub position: i64,
}

#[derive(Template)]
#[template(path = "admin/site.html")]
struct SitePage {
    a: AdminChrome,
    /// The current logo's and icon's addresses (empty: none uploaded).
    logo: String,
    icon: String,
    f: SettingsForm,
    sections: Vec<SectionRow>,
    message: String,
    saved: bool,
}

pub(crate) async fn site_page(
    app: &AppState,
    staff: &StaffExt,
    f: SettingsForm,
    message: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let current = app.store.settings().await?;
    let media = |file: &str| {
        if file.is_empty() {
            String::new()
        } else {
            crate::views::media_url("", file)
        }
    };
    let view = SitePage {
        a: AdminChrome::load(app, Some(staff), "site").await?,
        logo: media(&current.logo),
        icon: media(&current.icon),
        f,
        sections: app
            .store
            .sections()
            .await?
            .into_iter()
            .map(|s| SectionRow {
                slug: s.slug,
                name: s.name,
                position: s.position,
            })
            .collect(),
        saved: status == StatusCode::OK && message == "saved",
        message: if message == "saved" {
            String::new()
        } else {
            message
        },
    };
    let mut res = page(view.render()?);
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Deserialize, Default)]
pub(crate) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(crate) async fn show_site(
    State(app): State<AppState>,
    staff: StaffExt,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::ManageSite)?;
    let f = SettingsForm::of(&app.store.settings().await?);
    let message = if q.saved.is_some() { "saved" } else { "" };
    site_page(&app, &staff, f, message.into(), StatusCode::OK).await
}

pub(crate) async fn save_site(
    State(app): State<AppState>,
    staff: StaffExt,
    Form(f): Form<SettingsForm>,
) -> Result<Response, AppError> {
    staff.may(Action::ManageSite)?;
    match f.to_settings() {
        Ok(mut s) => {
            // The logo and the icon are uploaded on their own form: kept here.
            let current = app.store.settings().await?;
            s.logo = current.logo;
            (s.logo_width, s.logo_height) = (current.logo_width, current.logo_height);
            s.icon = current.icon;
            app.store.save_settings(&s).await?;
            app.catch_up().await;
            Ok(Redirect::to("/admin/site?saved=1").into_response())
        }
        Err(why) => {
            let message = format!("{} {}", staff.t.not_saved, why.text(staff.t));
            site_page(&app, &staff, f, message, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct SectionForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    position: String,
}

/// Adds a section, or renames and moves the one with this slug.
pub(crate) async fn save_section(
    State(app): State<AppState>,
    staff: StaffExt,
    Form(f): Form<SectionForm>,
) -> Result<Response, AppError> {
    staff.may(Action::ManageSite)?;
    let slug = f.slug.trim().to_owned();
    let name = warta_core::sanitize::clean_text(&f.name);
    let position = f.position.trim();
    let invalid = |field, reason| Some(ValidationError::Invalid { field, reason });
    let why = if !warta_core::slug::is_valid(&slug) {
        invalid("slug", Reason::NotSlug(slug.clone()))
    } else if warta_core::slug::is_reserved(&slug) {
        invalid("slug", Reason::ReservedSlug(slug.clone()))
    } else if name.is_empty() {
        Some(ValidationError::Required { field: "name" })
    } else if position.parse::<i64>().is_err() {
        invalid("position", Reason::NotWholeNumber(position.to_owned()))
    } else {
        None
    };
    if let Some(why) = why {
        let f = SettingsForm::of(&app.store.settings().await?);
        let message = format!("{} {}", staff.t.not_saved, why.text(staff.t));
        return site_page(&app, &staff, f, message, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match app
        .store
        .upsert_section(&slug, &name, position.parse().unwrap_or(0))
        .await
    {
        Ok(_) => {}
        // A page of the publication holds the slug (one namespace).
        Err(e @ warta_store::StoreError::Invalid(_)) => {
            let f = SettingsForm::of(&app.store.settings().await?);
            let message = format!(
                "{} {}",
                staff.t.not_saved,
                super::shared::store_text(staff.t, &e)
            );
            return site_page(&app, &staff, f, message, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(e) => return Err(e.into()),
    }
    app.catch_up().await;
    Ok(Redirect::to("/admin/site?saved=1").into_response())
}
