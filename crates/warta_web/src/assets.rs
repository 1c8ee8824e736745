//! Static assets, compiled into the binary. Their URLs carry a hash of their content,
//! so they can be cached for a year and still change on the next release.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::AppError;

struct Asset {
    name: String,
    mime: &'static str,
    bytes: &'static [u8],
}

const SITE_CSS: &[u8] = include_bytes!("../static/site.css");
/// The newsroom's body editor, built from `editor/` (see its `build.mjs`).
const EDITOR_JS: &[u8] = include_bytes!("../static/editor.js");
const EDITOR_CSS: &[u8] = include_bytes!("../static/editor.css");
/// The default site icon: Warta's W, as SVG and as `/favicon.ico` (16, 32, 48 px).
const ICON_SVG: &[u8] = include_bytes!("../static/icon.svg");
const FAVICON_ICO: &[u8] = include_bytes!("../static/favicon.ico");

const CSS: &str = "text/css; charset=utf-8";

fn assets() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let asset = |stem: &str, ext: &str, mime: &'static str, bytes: &'static [u8]| Asset {
            name: format!("{stem}-{:016x}.{ext}", fnv1a(bytes)),
            mime,
            bytes,
        };
        vec![
            asset("site", "css", CSS, SITE_CSS),
            asset("editor", "js", "text/javascript; charset=utf-8", EDITOR_JS),
            asset("editor", "css", CSS, EDITOR_CSS),
            asset("icon", "svg", "image/svg+xml", ICON_SVG),
        ]
    })
}

/// The URL of the site's stylesheet.
pub(crate) fn css_url() -> String {
    format!("/static/{}", assets()[0].name)
}

/// The URLs of the newsroom editor's script and stylesheet.
pub(crate) fn editor_urls() -> (String, String) {
    (
        format!("/static/{}", assets()[1].name),
        format!("/static/{}", assets()[2].name),
    )
}

/// The URL of the default site icon (SVG).
pub(crate) fn icon_url() -> String {
    format!("/static/{}", assets()[3].name)
}

/// `/favicon.ico`, which browsers and feed readers ask for whatever a page says: the
/// icon set in the site settings (a redirect to it), else Warta's.
pub(crate) async fn favicon(
    axum::extract::State(app): axum::extract::State<crate::AppState>,
) -> Response {
    if let Ok(site) = crate::views::Site::load(&app).await
        && !site.settings.icon.is_empty()
    {
        return axum::response::Redirect::temporary(&crate::views::media_url(
            "",
            &site.settings.icon,
        ))
        .into_response();
    }
    let mut res = FAVICON_ICO.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/vnd.microsoft.icon"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    res
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub(crate) async fn serve_asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let asset = assets()
        .iter()
        .find(|a| a.name == file)
        .ok_or(AppError::NotFound)?;
    let mut res = asset.bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(res)
}
