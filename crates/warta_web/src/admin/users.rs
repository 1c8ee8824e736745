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
    /// Invited by email and not in yet: "menunggu…" or "undangan kedaluwarsa".
    pub invite: &'static str,
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
    /// Mail can be sent: an account may be invited instead of given a password.
    mail_on: bool,
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
    let waiting = app.store.awaiting_invitation(app.now()).await?;
    let invite = |id: i64| match waiting.iter().find(|(u, _)| *u == id) {
        None => "",
        Some((_, Some(_))) => t.invite_waiting,
        Some((_, None)) => t.invite_expired,
    };
    let view = UsersPage {
        mail_on: app.mailer.is_some(),
        a: AdminChrome::load(app, Some(staff), "users").await?,
        rows: app
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                is_me: u.id == staff.user.id,
                invite: invite(u.id),
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
    /// An invitation just went to this address.
    #[serde(default)]
    invited: Option<String>,
}

pub(crate) async fn list_users(
    State(app): State<AppState>,
    staff: StaffExt,
    Query(q): Query<UsersQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::ManageUsers)?;
    let cut = |s: &String| s.chars().take(200).collect::<String>();
    let done = match (&q.added, &q.changed, &q.invited) {
        (Some(email), _, _) => staff.t.done_user_added.replace("{email}", &cut(email)),
        (None, _, Some(email)) => staff
            .t
            .done_user_invited
            .replace("{email}", &cut(email))
            .replace("{days}", &super::links::INVITE_DAYS.to_string()),
        (None, Some(_), None) => staff.t.done_user_changed.to_owned(),
        (None, None, None) => String::new(),
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
    // No password: an invitation by email, when mail can be sent.
    let invite = f.password.is_empty();
    if invite && app.mailer.is_none() {
        let why = staff.t.invite_needs_mail.to_owned();
        return users_page(&app, &staff, why, kept, bad, String::new()).await;
    }
    if !invite && check_new_password(&f.password).is_err() {
        let why = password_short(staff.t);
        return users_page(&app, &staff, why, kept, bad, String::new()).await;
    }
    let hash = if invite {
        warta_store::NO_PASSWORD_YET.to_owned()
    } else {
        hash_off_thread(f.password.clone()).await?
    };
    match app
        .store
        .add_user(&f.email, &f.name, role, &hash, None, app.now())
        .await
    {
        Ok(u) if invite => invited(&app, &staff, &u).await,
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

/// Sends `user` an invitation: on to the list saying so, or the list saying why it
/// did not go (the account stays, to be invited again).
async fn invited(
    app: &AppState,
    staff: &StaffExt,
    user: &warta_store::User,
) -> Result<Response, AppError> {
    match super::links::send_invitation(app, staff.t, user, &staff.user.name).await? {
        Ok(()) => {
            let q =
                serde_urlencoded::to_string([("invited", user.email.as_str())]).unwrap_or_default();
            Ok(Redirect::to(&format!("/admin/users?{q}")).into_response())
        }
        Err(why) => {
            let why = staff
                .t
                .invite_failed
                .replace("{email}", &user.email)
                .replace("{0}", &why);
            users_page(
                app,
                staff,
                why,
                ("", ""),
                StatusCode::BAD_GATEWAY,
                String::new(),
            )
            .await
        }
    }
}

/// `POST /admin/users/{id}/invite`: a new invitation for an account that has not
/// chosen its password yet (the older link stops working).
pub(crate) async fn invite_again(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    staff.may(Action::ManageUsers)?;
    let user = app.store.user(id).await?.ok_or(AppError::NotFound)?;
    let waiting = app.store.awaiting_invitation(app.now()).await?;
    if user.disabled || !waiting.iter().any(|(u, _)| *u == id) {
        return Err(AppError::BadRequest(staff.t.invite_not_waiting.to_owned()));
    }
    invited(&app, &staff, &user).await
}

/// "The password needs at least 10 characters", in the newsroom's language.
pub(crate) fn password_short(t: &warta_core::locale::AdminStrings) -> String {
    t.why_password_short
        .replace("{0}", &super::auth::MIN_PASSWORD.to_string())
}
