//! Accounts, for admins: the list, adding one, changing a role, disabling and
//! enabling, setting a new password. Every change ends the account's sessions.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use warta_core::newsroom::{Action, Role};
use warta_store::StoreError;

use super::auth::{StaffExt, check_new_password, hash_off_thread};
use super::{AdminChrome, page, role_name};
use crate::{AppError, AppState};

pub(crate) struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub role_key: &'static str,
    pub disabled: bool,
    pub is_me: bool,
}

pub(crate) struct RoleOption {
    pub key: &'static str,
    pub name: &'static str,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    a: AdminChrome,
    rows: Vec<UserRow>,
    roles: Vec<RoleOption>,
    message: String,
    /// What was just done ("Akun … ditambahkan."), after a redirect.
    done: String,
    name: String,
    email: String,
}

async fn users_page(
    app: &AppState,
    staff: &StaffExt,
    message: String,
    kept: (&str, &str),
    status: StatusCode,
    done: String,
) -> Result<Response, AppError> {
    let t = staff.t;
    let view = UsersPage {
        a: AdminChrome::load(app, Some(staff), "users").await?,
        rows: app
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                is_me: u.id == staff.user.id,
                name: u.name,
                email: u.email,
                role: role_name(t, u.role),
                role_key: u.role.as_str(),
                disabled: u.disabled,
            })
            .collect(),
        roles: Role::ALL
            .into_iter()
            .map(|r| RoleOption {
                key: r.as_str(),
                name: role_name(t, r),
            })
            .collect(),
        message,
        done,
        name: kept.0.to_owned(),
        email: kept.1.to_owned(),
    };
    let mut res = page(view.render()?);
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Deserialize, Default)]
pub(crate) struct UsersQuery {
    /// The account just added.
    #[serde(default)]
    added: Option<String>,
    /// An account was just changed.
    #[serde(default)]
    changed: Option<String>,
}

pub(crate) async fn list_users(
    State(app): State<AppState>,
    staff: StaffExt,
    Query(q): Query<UsersQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::ManageUsers)?;
    let done = match (&q.added, &q.changed) {
        (Some(email), _) => staff.t.done_user_added.replace(
            "{email}",
            email.chars().take(200).collect::<String>().as_str(),
        ),
        (None, Some(_)) => staff.t.done_user_changed.to_owned(),
        (None, None) => String::new(),
    };
    users_page(&app, &staff, String::new(), ("", ""), StatusCode::OK, done).await
}

#[derive(Deserialize)]
pub(crate) struct NewUserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

pub(crate) async fn add_user(
    State(app): State<AppState>,
    staff: StaffExt,
    Form(f): Form<NewUserForm>,
) -> Result<Response, AppError> {
    staff.may(Action::ManageUsers)?;
    let kept = (f.name.as_str(), f.email.as_str());
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    let Some(role) = Role::parse(&f.role) else {
        return users_page(
            &app,
            &staff,
            staff.t.why_unknown_role.to_owned(),
            kept,
            bad,
            String::new(),
        )
        .await;
    };
    if check_new_password(&f.password).is_err() {
        let why = password_short(staff.t);
        return users_page(&app, &staff, why, kept, bad, String::new()).await;
    }
    let hash = hash_off_thread(f.password.clone()).await?;
    match app
        .store
        .add_user(&f.email, &f.name, role, &hash, None, app.now())
        .await
    {
        Ok(u) => {
            let q = serde_urlencoded::to_string([("added", u.email.as_str())]).unwrap_or_default();
            Ok(Redirect::to(&format!("/admin/users?{q}")).into_response())
        }
        Err(e @ (StoreError::Invalid(_) | StoreError::Taken { .. })) => {
            let why = super::shared::store_text(staff.t, &e);
            users_page(&app, &staff, why, kept, bad, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct ChangeUserForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    disabled: String,
    #[serde(default)]
    password: String,
}

pub(crate) async fn change_user(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    Form(f): Form<ChangeUserForm>,
) -> Result<Response, AppError> {
    staff.may(Action::ManageUsers)?;
    let user = app.store.user(id).await?.ok_or(AppError::NotFound)?;
    if user.id == staff.user.id && (!f.disabled.is_empty() || !f.role.is_empty()) {
        return Err(AppError::BadRequest(staff.t.err_own_account.into()));
    }
    if !f.role.is_empty() {
        let role = Role::parse(&f.role)
            .ok_or_else(|| AppError::BadRequest(format!("unknown role `{}`", f.role)))?;
        app.store.set_role(&user.email, role).await?;
    }
    match f.disabled.as_str() {
        "" => {}
        "1" => {
            app.store.set_disabled(&user.email, true).await?;
        }
        "0" => {
            app.store.set_disabled(&user.email, false).await?;
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "`disabled` must be 0 or 1, not `{other}`"
            )));
        }
    }
    if !f.password.is_empty() {
        check_new_password(&f.password)
            .map_err(|_| AppError::BadRequest(password_short(staff.t)))?;
        let hash = hash_off_thread(f.password.clone()).await?;
        app.store.set_password(&user.email, &hash).await?;
    }
    Ok(Redirect::to("/admin/users?changed=1").into_response())
}

/// "The password needs at least 10 characters", in the newsroom's language.
pub(crate) fn password_short(t: &warta_core::locale::AdminStrings) -> String {
    t.why_password_short
        .replace("{0}", &super::auth::MIN_PASSWORD.to_string())
}
