//! Photos: upload (type from the bytes, size and pixel limits, location data
//! stripped, the original kept), renditions for `srcset` (JPEG and WebP at
//! 320/640/1024/1600 px wide), caption/credit/alt as fields, and the library.

use std::io::Cursor;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use img_parts::ImageEXIF;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use warta_core::Rendition;
use warta_core::newsroom::Action;
use warta_store::NewMedia;

use super::auth::{StaffExt, same_secret};
use super::{AdminChrome, page};
use crate::media::MediaStore;
use crate::{AppError, AppState};

/// Largest upload accepted, in bytes.
pub(crate) const MAX_UPLOAD: usize = 20 * 1024 * 1024;
/// Largest picture accepted, in pixels (width × height): decoding a bigger one would
/// take the server's memory for one upload.
pub(crate) const MAX_PIXELS: u64 = 50_000_000;
/// Rendition widths; only those narrower than the photo are made.
pub(crate) const WIDTHS: [u32; 4] = [320, 640, 1024, 1600];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum PhotoError {
    #[error(
        "the file is not a JPEG, PNG or WebP image (its first bytes say otherwise, whatever its name)"
    )]
    NotAnImage,
    #[error("the image is {0} × {1} pixels; at most {MAX_PIXELS} pixels in all are accepted")]
    TooManyPixels(u32, u32),
    #[error("the file is larger than {} MB", MAX_UPLOAD / 1024 / 1024)]
    TooLarge,
    #[error("the image cannot be read: {0}")]
    Broken(String),
}

/// A processed upload: files to store (name, bytes) and the media record.
pub(crate) struct Processed {
    pub files: Vec<(String, Vec<u8>)>,
    pub media: NewMedia,
}

/// Checks and processes an uploaded file. Pure apart from CPU: no I/O.
pub(crate) fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    if bytes.len() > MAX_UPLOAD {
        return Err(PhotoError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| PhotoError::NotAnImage)?;
    let (ext, mime) = match format {
        ImageFormat::Jpeg => ("jpg", "image/jpeg"),
        ImageFormat::Png => ("png", "image/png"),
        ImageFormat::WebP => ("webp", "image/webp"),
        _ => return Err(PhotoError::NotAnImage),
    };
    let broken = |e: image::ImageError| PhotoError::Broken(e.to_string());
    // The pixel limit is ours, checked from the header before anything is decoded.
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.no_limits();
    let mut decoder = reader.into_decoder().map_err(broken)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels(w, h));
    }
    let orientation = decoder.orientation().map_err(broken)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(broken)?;
    img.apply_orientation(orientation);
    let original = strip_metadata(bytes, format)?;
    let hash: String = Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|x| format!("{x:02x}"))
        .collect();
    let mut files = vec![(format!("{hash}-original.{ext}"), original.clone())];
    // The file pages show at full width: the stripped original, unless the camera
    // stored the picture turned (its orientation tag went with the metadata), then a
    // turned copy.
    let (file, file_mime) = if orientation == image::metadata::Orientation::NoTransforms {
        (format!("{hash}-original.{ext}"), mime)
    } else {
        let name = format!("{hash}-full.jpg");
        files.push((name.clone(), jpeg(&img, 88)?));
        (name, "image/jpeg")
    };
    let mut renditions = Vec::new();
    for width in WIDTHS.into_iter().filter(|rw| *rw < img.width()) {
        let height = (u64::from(img.height()) * u64::from(width) / u64::from(img.width())).max(1);
        let small = img.resize_exact(
            width,
            u32::try_from(height).unwrap_or(1),
            image::imageops::FilterType::CatmullRom,
        );
        let name = format!("{hash}-{width}.jpg");
        files.push((name.clone(), jpeg(&small, 82)?));
        renditions.push(Rendition { width, file: name });
        let rgb = small.to_rgb8();
        let webp = webp::Encoder::from_rgb(rgb.as_raw(), rgb.width(), rgb.height()).encode(78.0);
        let name = format!("{hash}-{width}.webp");
        files.push((name.clone(), webp.to_vec()));
        renditions.push(Rendition { width, file: name });
    }
    Ok(Processed {
        files,
        media: NewMedia {
            file,
            mime: file_mime.into(),
            width: img.width(),
            height: img.height(),
            alt: String::new(),
            caption: String::new(),
            credit: String::new(),
            renditions,
        },
    })
}

fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    img.to_rgb8()
        .write_with_encoder(enc)
        .map_err(|e| PhotoError::Broken(e.to_string()))?;
    Ok(out)
}

/// The file without the metadata that can say where it was taken (EXIF with its GPS
/// block, XMP, IPTC) and without text chunks; the picture itself is not re-encoded.
fn strip_metadata(bytes: &[u8], format: ImageFormat) -> Result<Vec<u8>, PhotoError> {
    let b = bytes::Bytes::copy_from_slice(bytes);
    let broken = |e: img_parts::Error| PhotoError::Broken(e.to_string());
    let out = match format {
        ImageFormat::Jpeg => {
            let mut j = img_parts::jpeg::Jpeg::from_bytes(b).map_err(broken)?;
            // APP1: EXIF and XMP; APP13: IPTC/Photoshop.
            j.remove_segments_by_marker(img_parts::jpeg::markers::APP1);
            j.remove_segments_by_marker(img_parts::jpeg::markers::APP13);
            j.encoder().bytes()
        }
        ImageFormat::Png => {
            let mut p = img_parts::png::Png::from_bytes(b).map_err(broken)?;
            for kind in [*b"eXIf", *b"tEXt", *b"iTXt", *b"zTXt"] {
                p.remove_chunks_by_type(kind);
            }
            p.encoder().bytes()
        }
        _ => {
            let mut w = img_parts::webp::WebP::from_bytes(b).map_err(broken)?;
            w.set_exif(None);
            w.remove_chunks_by_id(*b"XMP ");
            w.encoder().bytes()
        }
    };
    Ok(out.to_vec())
}

pub(crate) struct PhotoRow {
    pub id: i64,
    pub src: String,
    pub caption: String,
    pub credit: String,
    pub alt: String,
    pub size: String,
}

#[derive(Template)]
#[template(path = "admin/photos.html")]
struct PhotosPage {
    a: AdminChrome,
    q: String,
    rows: Vec<PhotoRow>,
    message: String,
    caption: String,
    credit: String,
    alt: String,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub(crate) struct PhotosQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<u32>,
}

/// The fields an upload form had, shown again when it is refused.
#[derive(Default)]
struct Kept {
    caption: String,
    credit: String,
    alt: String,
}

async fn photos_page(
    app: &AppState,
    staff: &StaffExt,
    q: &str,
    page_no: u32,
    message: String,
    kept: Kept,
    status: StatusCode,
) -> Result<Response, AppError> {
    let list = app.store.media_library(q, page_no, 24).await?;
    let href = |p: u32| {
        let qs =
            serde_urlencoded::to_string([("q", q), ("page", &p.to_string())]).unwrap_or_default();
        format!("/admin/photos?{qs}")
    };
    let view = PhotosPage {
        a: AdminChrome::load(app, Some(staff), "photos").await?,
        q: q.to_owned(),
        rows: list
            .items
            .iter()
            .map(|m| {
                let thumb = m
                    .renditions
                    .iter()
                    .find(|r| !r.file.ends_with(".webp"))
                    .map_or(m.file.as_str(), |r| r.file.as_str());
                PhotoRow {
                    id: m.id,
                    src: if thumb.is_empty() {
                        String::new()
                    } else {
                        crate::views::media_url("", thumb)
                    },
                    caption: m.caption.clone(),
                    credit: m.credit.clone(),
                    alt: m.alt.clone(),
                    size: format!("{} × {}", m.width, m.height),
                }
            })
            .collect(),
        message,
        caption: kept.caption,
        credit: kept.credit,
        alt: kept.alt,
        prev: (list.page > 1).then(|| href(list.page - 1)),
        next: (list.page < list.last_page).then(|| href(list.page + 1)),
    };
    let mut res = page(view.render()?);
    *res.status_mut() = status;
    Ok(res)
}

pub(crate) async fn list_photos(
    State(app): State<AppState>,
    staff: StaffExt,
    Query(q): Query<PhotosQuery>,
) -> Result<Response, AppError> {
    staff.may(Action::UseNewsroom)?;
    let q_text: String = q.q.chars().take(100).collect();
    photos_page(
        &app,
        &staff,
        &q_text,
        q.page.unwrap_or(1).max(1),
        String::new(),
        Kept::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/photos` (multipart): `csrf` first, then `caption`, `credit`, `alt`
/// and `file`. The CSRF field is checked before the file is read.
pub(crate) async fn upload_photo(
    State(app): State<AppState>,
    staff: StaffExt,
    mut form: Multipart,
) -> Result<Response, AppError> {
    staff.may(Action::UploadMedia)?;
    let mut kept = Kept::default();
    let mut csrf_ok = false;
    let mut file: Option<Vec<u8>> = None;
    let refuse = |why: String| AppError::BadRequest(why);
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            refuse(format!("field `file`: {}", PhotoError::TooLarge))
        } else {
            refuse(format!("the upload could not be read: {}", e.body_text()))
        }
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_owned();
        if name != "csrf" && !csrf_ok {
            return Err(AppError::Forbidden(staff.t.csrf_failed.to_owned()));
        }
        match name.as_str() {
            "csrf" => {
                let v = field.text().await.unwrap_or_default();
                if !same_secret(&v, &staff.csrf) {
                    return Err(AppError::Forbidden(staff.t.csrf_failed.to_owned()));
                }
                csrf_ok = true;
            }
            "caption" => kept.caption = field.text().await.unwrap_or_default(),
            "credit" => kept.credit = field.text().await.unwrap_or_default(),
            "alt" => kept.alt = field.text().await.unwrap_or_default(),
            "file" => {
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = Some(bytes.to_vec());
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(AppError::Forbidden(staff.t.csrf_failed.to_owned()));
    }
    let again = |why: String, kept| {
        photos_page(
            &app,
            &staff,
            "",
            1,
            why,
            kept,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let alt = warta_core::sanitize::clean_text(&kept.alt);
    if alt.is_empty() {
        return again(
            "field `alt`: describe the photo for readers who cannot see it (required)".into(),
            kept,
        )
        .await;
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return again("field `file`: choose a photo to upload".into(), kept).await;
    };
    let processed = match tokio::task::spawn_blocking(move || process(&bytes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    {
        Ok(p) => p,
        Err(e) => return again(format!("field `file`: {e}"), kept).await,
    };
    let store = app
        .config
        .media_store
        .clone()
        .unwrap_or_else(|| MediaStore::Folder(app.config.media_dir.clone()));
    for (name, bytes) in processed.files {
        store
            .put_file(&name, bytes)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let mut media = processed.media;
    media.alt = alt;
    media.caption = kept.caption;
    media.credit = kept.credit;
    let m = app.store.insert_media(&media, app.now()).await?;
    Ok(Redirect::to(&format!("/admin/photos?uploaded={}", m.id)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct PhotoForm {
    #[serde(default)]
    caption: String,
    #[serde(default)]
    credit: String,
    #[serde(default)]
    alt: String,
}

pub(crate) async fn save_photo(
    State(app): State<AppState>,
    staff: StaffExt,
    Path(id): Path<i64>,
    Form(f): Form<PhotoForm>,
) -> Result<Response, AppError> {
    staff.may(Action::UploadMedia)?;
    if warta_core::sanitize::clean_text(&f.alt).is_empty() {
        return Err(AppError::BadRequest(
            "field `alt`: describe the photo for readers who cannot see it (required)".into(),
        ));
    }
    // A photo a visible article shows is live content: only editors change it, and the
    // change is an edit of every article that uses it.
    let may_change_live = warta_core::newsroom::may(staff.user.role, Action::Publish);
    let text = warta_store::MediaText {
        alt: &f.alt,
        caption: &f.caption,
        credit: &f.credit,
    };
    match app
        .store
        .update_media_text(id, text, Some(staff.user.id), may_change_live, app.now())
        .await?
    {
        warta_store::MediaEdit::NotFound => Err(AppError::NotFound),
        warta_store::MediaEdit::Live => Err(AppError::Forbidden(staff.t.photo_live.to_owned())),
        warta_store::MediaEdit::Done { .. } => {
            app.cache.clear();
            Ok(Redirect::to("/admin/photos").into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).expect("encode");
        out.into_inner()
    }

    #[test]
    fn renditions_are_made_below_the_photo_width() {
        let p = process(&picture(700, 400, ImageFormat::Png)).expect("valid");
        let widths: Vec<(u32, bool)> = p
            .media
            .renditions
            .iter()
            .map(|r| (r.width, r.file.ends_with(".webp")))
            .collect();
        assert_eq!(
            widths,
            [(320, false), (320, true), (640, false), (640, true)]
        );
        assert_eq!((p.media.width, p.media.height), (700, 400));
        assert_eq!(p.media.mime, "image/png");
        // Every rendition is a real image of its width.
        for (name, bytes) in &p.files {
            let img = image::load_from_memory(bytes).expect(name);
            if let Some(r) = p.media.renditions.iter().find(|r| &r.file == name) {
                assert_eq!(img.width(), r.width, "{name}");
            }
        }
    }

    #[test]
    fn bad_uploads_are_refused_with_their_reason() {
        // A renamed executable: the bytes say ELF, whatever the name.
        assert_eq!(
            process(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0").err(),
            Some(PhotoError::NotAnImage)
        );
        assert_eq!(process(b"GIF89a....").err(), Some(PhotoError::NotAnImage));
        // A truncated JPEG.
        let mut j = picture(64, 64, ImageFormat::Jpeg);
        j.truncate(40);
        assert!(matches!(process(&j), Err(PhotoError::Broken(_))));
    }

    #[test]
    fn a_huge_picture_is_refused_from_its_header() {
        // A PNG header claiming 20,000 × 10,000 (200 megapixels): refused before
        // any pixel is decoded.
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(b"IHDR");
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&10_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32fast::hash(&ihdr).to_be_bytes());
        // The start of its pixel data (a few bytes of it), then the end.
        for (kind, data) in [(&b"IDAT"[..], &b"\x78\x9c\x63\x00\x00"[..]), (b"IEND", b"")] {
            let mut chunk = kind.to_vec();
            chunk.extend_from_slice(data);
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            png.extend_from_slice(&chunk);
            png.extend_from_slice(&crc32fast::hash(&chunk).to_be_bytes());
        }
        assert_eq!(
            process(&png).err(),
            Some(PhotoError::TooManyPixels(20_000, 10_000))
        );
    }

    #[test]
    fn location_metadata_is_stripped_from_the_original() {
        let jpeg = picture(32, 32, ImageFormat::Jpeg);
        // Put an EXIF segment with a GPS marker after SOI.
        let exif_payload = b"Exif\0\0MM\0*GPSLatitude-6.2088";
        let mut with_exif = jpeg[..2].to_vec();
        with_exif.extend_from_slice(&[0xFF, 0xE1]);
        with_exif.extend_from_slice(&((exif_payload.len() + 2) as u16).to_be_bytes());
        with_exif.extend_from_slice(exif_payload);
        with_exif.extend_from_slice(&jpeg[2..]);
        let p = process(&with_exif).expect("valid");
        let (_, original) = &p.files[0];
        let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        assert!(has(&with_exif, b"GPSLatitude"));
        assert!(!has(original, b"GPSLatitude"));
        assert!(image::load_from_memory(original).is_ok());
    }
}
