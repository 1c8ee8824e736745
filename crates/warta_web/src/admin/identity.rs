//! The site's identity (issue #30): a logo for the masthead and an icon for browser tabs
//! and home screens, uploaded on the site settings page. PNG or WebP only (no SVG: a
//! sanitiser for SVG is a larger attack surface than a logo is worth); metadata is
//! stripped as for photos; the files go where photos go (the media folder or bucket).

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use warta_core::locale::AdminStrings;
use warta_core::newsroom::Action;

use super::auth::{StaffExt, same_secret};
use crate::media::MediaStore;
use crate::{AppError, AppState};

/// Largest logo and icon file accepted.
pub(crate) const MAX_LOGO_BYTES: usize = 1024 * 1024;
pub(crate) const MAX_ICON_BYTES: usize = 512 * 1024;
/// A logo fits a masthead: at most this wide and high.
pub(crate) const LOGO_MAX: (u32, u32) = (1600, 400);
/// An icon is square, between these sides.
pub(crate) const ICON_SIDES: (u32, u32) = (48, 1024);

/// What a logo or icon upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Logo,
    Icon,
}

/// A checked file: its name in the media store, bytes (metadata stripped) and size.
#[derive(Debug)]
pub(crate) struct Checked {
    pub name: String,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Checks an uploaded logo or icon; the refusal in the newsroom's language.
pub(crate) fn check(kind: Kind, bytes: &[u8], t: &AdminStrings) -> Result<Checked, String> {
    let what = match kind {
        Kind::Logo => t.site_logo,
        Kind::Icon => t.site_icon,
    };
    let max = match kind {
        Kind::Logo => MAX_LOGO_BYTES,
        Kind::Icon => MAX_ICON_BYTES,
    };
    if bytes.len() > max {
        return Err(t
            .identity_too_large
            .replace("{0}", what)
            .replace("{1}", &(max / 1024).to_string()));
    }
    let Some(still) = warta_media::still_image(bytes) else {
        return Err(t.identity_not_image.replace("{0}", what));
    };
    let (width, height) = (still.width, still.height);
    let size = |w: u32, h: u32| format!("{w} × {h}");
    match kind {
        Kind::Logo if width > LOGO_MAX.0 || height > LOGO_MAX.1 || width < 16 || height < 16 => {
            return Err(t
                .logo_size
                .replace("{0}", &LOGO_MAX.0.to_string())
                .replace("{1}", &LOGO_MAX.1.to_string())
                .replace("{2}", &size(width, height)));
        }
        Kind::Icon if width != height || width < ICON_SIDES.0 || width > ICON_SIDES.1 => {
            return Err(t
                .icon_size
                .replace("{0}", &ICON_SIDES.0.to_string())
                .replace("{1}", &ICON_SIDES.1.to_string())
                .replace("{2}", &size(width, height)));
        }
        _ => {}
    }
    let (ext, bytes) = (still.ext, still.bytes);
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let stem = match kind {
        Kind::Logo => "logo",
        Kind::Icon => "icon",
    };
    Ok(Checked {
        name: format!("{stem}-{hash}.{ext}"),
        bytes,
        width,
        height,
    })
}

/// `POST /admin/site/identity` (multipart): `csrf` first, then `logo` and `icon` files
/// (either may be empty) and the `remove_logo`, `remove_icon` boxes.
pub(crate) async fn save_identity(
    State(app): State<AppState>,
    staff: StaffExt,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    // Who may comes first: a form of the wrong kind from someone else is a 403 too.
    staff.may(Action::ManageSite)?;
    let t = staff.t;
    let mut form = form.map_err(|_| AppError::BadRequest(t.photo_unreadable_upload.to_owned()))?;
    let mut csrf_ok = false;
    let mut files: Vec<(Kind, Vec<u8>)> = Vec::new();
    let mut remove = (false, false);
    let unreadable = |_| AppError::BadRequest(t.photo_unreadable_upload.to_owned());
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_owned();
        if name != "csrf" && !csrf_ok {
            return Err(AppError::Forbidden(t.csrf_failed.to_owned()));
        }
        match name.as_str() {
            "csrf" => {
                let v = field.text().await.unwrap_or_default();
                if !same_secret(&v, &staff.csrf) {
                    return Err(AppError::Forbidden(t.csrf_failed.to_owned()));
                }
                csrf_ok = true;
            }
            "logo" | "icon" => {
                let bytes = field.bytes().await.map_err(unreadable)?;
                if !bytes.is_empty() {
                    let kind = if name == "logo" {
                        Kind::Logo
                    } else {
                        Kind::Icon
                    };
                    files.push((kind, bytes.to_vec()));
                }
            }
            "remove_logo" => remove.0 = true,
            "remove_icon" => remove.1 = true,
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(AppError::Forbidden(t.csrf_failed.to_owned()));
    }
    // Every file is checked before anything is written: a bad icon keeps the old logo.
    let mut checked = Vec::new();
    for (kind, bytes) in files {
        match check(kind, &bytes, t) {
            Ok(c) => checked.push((kind, c)),
            Err(why) => {
                let f = super::site::SettingsForm::of(&app.store.settings().await?);
                let message = format!("{} {why}", t.not_saved);
                return super::site::site_page(
                    &app,
                    &staff,
                    f,
                    message,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        }
    }
    let store = app
        .config
        .media_store
        .clone()
        .unwrap_or_else(|| MediaStore::Folder(app.config.media_dir.clone()));
    let mut s = app.store.settings().await?;
    if remove.0 {
        s.logo.clear();
        (s.logo_width, s.logo_height) = (0, 0);
    }
    if remove.1 {
        s.icon.clear();
    }
    for (kind, c) in checked {
        store
            .put_file(&c.name, c.bytes)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        match kind {
            Kind::Logo => {
                s.logo = c.name;
                (s.logo_width, s.logo_height) = (c.width, c.height);
            }
            Kind::Icon => s.icon = c.name,
        }
    }
    app.store.save_settings(&s).await?;
    app.catch_up().await;
    Ok(Redirect::to("/admin/site?saved=1").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([179, 18, 27]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png)
            .expect("png");
        out.into_inner()
    }

    #[test]
    fn logos_and_icons_are_checked_for_kind_and_size() {
        let t = warta_core::Locale::Id.admin();
        let ok = check(Kind::Logo, &png(300, 60), t).expect("a logo");
        assert!(ok.name.starts_with("logo-") && ok.name.ends_with(".png"));
        assert_eq!((ok.width, ok.height), (300, 60));
        assert!(check(Kind::Logo, &png(2000, 60), t).is_err());
        assert!(check(Kind::Icon, &png(64, 64), t).is_ok());
        let why = check(Kind::Icon, &png(64, 32), t).expect_err("not square");
        assert!(why.contains("64 × 32"), "{why}");
        let why =
            check(Kind::Icon, b"<svg xmlns='http://www.w3.org/2000/svg'/>", t).expect_err("svg");
        assert!(why.contains("PNG atau WebP"), "{why}");
    }
}
