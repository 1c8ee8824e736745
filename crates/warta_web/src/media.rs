//! Serving media from an object store (`GET /media/{*name}`); where files are
//! stored is `warta_media::store`, re-exported here.

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub use warta_media::store::{MediaError, MediaStore, S3Config};

use crate::AppState;

fn content_type(name: &str) -> &'static str {
    match name
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// `GET /media/{*name}` when media live in an object store.
pub(crate) async fn serve_object(
    State(app): State<AppState>,
    UrlPath(name): UrlPath<String>,
) -> Response {
    let Some(MediaStore::Object { store, prefix, .. }) = app.config.media_store.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if name
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let key = MediaStore::key(prefix, &name);
    let got = match store.get(&key).await {
        Ok(got) => got,
        Err(object_store::Error::NotFound { .. }) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::warn!(error = %e, %name, "media store");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    match got.bytes().await {
        Ok(bytes) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&name)),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            res
        }
        Err(e) => {
            tracing::warn!(error = %e, %name, "media store");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_types() {
        assert_eq!(MediaStore::key("", "a/b.jpg").as_ref(), "a/b.jpg");
        assert_eq!(MediaStore::key("situs", "a.webp").as_ref(), "situs/a.webp");
        assert_eq!(content_type("x.JPG"), "image/jpeg");
        assert_eq!(content_type("x.webp"), "image/webp");
        assert_eq!(content_type("x"), "application/octet-stream");
    }
}
