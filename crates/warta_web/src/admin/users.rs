//! Accounts, for admins: the list, adding one, changing a role, disabling and
//! enabling, setting a new password. Every change ends the account's sessions.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
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
    name: String,
    email: String,
}

async fn users_page(
    app: &AppState,
    staff: &StaffExt,
    message: String,
    kept: (&str, &str),
    status: StatusCode,
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
        name: kept.0.to_owned(),
        email: kept.1.to_owned(),
    };
    let mut res = page(view.render()?);
    *res.status_mut() = status;
    Ok(res)
}

pub(crate) async fn list_users(
    State(app): State<AppState>,
    staff: StaffExt,
) -> Result<Response, AppError> {
    staff.may(Action::ManageUsers)?;
    users_page(&app, &staff, String::new(), ("", ""), StatusCode::OK).await
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
            format!("field `role`: unknown role `{}`", f.role),
            kept,
            bad,
        )
        .await;
    };
    if let Err(why) = check_new_password(&f.password) {
        return users_page(&app, &staff, format!("field `password`: {why}"), kept, bad).await;
    }
    let hash = hash_off_thread(f.password.clone()).await?;
    match app
        .store
        .add_user(&f.email, &f.name, role, &hash, None, app.now())
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(e @ (StoreError::Invalid(_) | StoreError::Taken { .. })) => {
            users_page(&app, &staff, e.to_string(), kept, bad).await
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
        return Err(AppError::BadRequest(
            "an admin cannot disable their own account or change their own role".into(),
        ));
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
        check_new_password(&f.password).map_err(AppError::BadRequest)?;
        let hash = hash_off_thread(f.password.clone()).await?;
        app.store.set_password(&user.email, &hash).await?;
    }
    Ok(Redirect::to("/admin/users").into_response())
}
