//! Warta's photo pipeline (issue #24), one for every way a photo arrives (the
//! newsroom's upload now; the importers' `--media-from` next): the type read from the
//! bytes, size, pixel and decoded-memory limits checked from the header before any
//! pixel is decoded, metadata stripped from the kept original by an allow-list
//! ([`strip`]), JPEG and WebP renditions for `srcset`, and where the files go
//! ([`store`]: the data folder or an S3-compatible bucket). [`process`] is pure apart
//! from CPU and memory; callers decide how many decodes run at once
//! ([`max_decodes`]) and then store the files.

pub mod store;
pub mod strip;

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use warta_core::{OG_HEIGHT, OG_WIDTH, Rendition};
use warta_store::NewMedia;

pub use strip::strip_metadata;

/// Largest upload accepted, in bytes.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;
/// Largest picture accepted, in pixels (width × height).
pub const MAX_PIXELS: u64 = 50_000_000;
/// Most memory one picture may take once decoded, in bytes (width × height × bytes per
/// pixel as the file stores it): 200 MB, a 50-megapixel picture with 8-bit RGBA. A
/// small file can claim a large, deep picture (a 377 KB PNG of 7000 × 7100 16-bit RGBA
/// decodes to 397 MB); it is refused from its header.
pub const DECODE_BUDGET: u64 = 200_000_000;
/// Rendition widths; only those narrower than the photo are made.
pub const WIDTHS: [u32; 4] = [320, 640, 1024, 1600];

/// How many pictures may be decoded at once in one process: one per core (at most
/// [`DECODE_BUDGET`] each, plus the 8-bit copy the renditions are made from).
pub fn max_decodes() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    #[error(
        "the file is not a JPEG, PNG or WebP image (its first bytes say otherwise, whatever its name)"
    )]
    NotAnImage,
    #[error("the image is {0} × {1} pixels; at most {MAX_PIXELS} pixels in all are accepted")]
    TooManyPixels(u32, u32),
    #[error(
        "the image would take {0} MB of memory once decoded ({1} × {2} pixels at {3} bytes each); at most {budget} MB are accepted: save it with 8 bits per channel or fewer pixels",
        budget = DECODE_BUDGET / 1_000_000
    )]
    TooDeep(u64, u32, u32, u16),
    #[error("the file is larger than {} MB", MAX_UPLOAD / 1024 / 1024)]
    TooLarge,
    #[error("the image cannot be read: {0}")]
    Broken(String),
}

/// A processed photo: files to store (name, bytes) and the media record.
pub struct Processed {
    pub files: Vec<(String, Vec<u8>)>,
    pub media: NewMedia,
}

/// The name a photo's files start with (`{name}-original.jpg`, `{name}-640.webp`, …):
/// the first 8 bytes of the SHA-256 of the bytes as received, in hex. The same bytes
/// always give the same name, so a photo is found again without being decoded.
pub fn content_name(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// Checks and processes a photo's bytes (see the crate notes).
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
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
    // The decoder's own limits stay on, a little above ours (it allocates beside the
    // picture); ours are checked from the header first, to say what is wrong.
    let mut limits = Limits::default();
    limits.max_alloc = Some(DECODE_BUDGET + DECODE_BUDGET / 2);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(broken)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels(w, h));
    }
    let depth = decoder.color_type().bytes_per_pixel();
    let decoded = u64::from(w) * u64::from(h) * u64::from(depth);
    if decoded > DECODE_BUDGET {
        return Err(PhotoError::TooDeep(
            decoded.div_ceil(1_000_000),
            w,
            h,
            u16::from(depth),
        ));
    }
    let orientation = decoder.orientation().map_err(broken)?;
    let decoded = DynamicImage::from_decoder(decoder).map_err(broken)?;
    // One 8-bit RGB picture from here on (renditions are JPEG and WebP without alpha);
    // the decoded one goes as soon as it is converted.
    let mut img = DynamicImage::ImageRgb8(decoded.into_rgb8());
    img.apply_orientation(orientation);
    let original = strip_metadata(bytes, format)?;
    let hash = content_name(bytes);
    let mut files = vec![(format!("{hash}-original.{ext}"), original)];
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
        let bytes = jpeg(&small, 82)?;
        renditions.push(Rendition {
            width,
            file: name.clone(),
            og: false,
            bytes: bytes.len() as u64,
        });
        files.push((name, bytes));
        let rgb = small.into_rgb8();
        let webp = webp::Encoder::from_rgb(rgb.as_raw(), rgb.width(), rgb.height()).encode(78.0);
        let name = format!("{hash}-{width}.webp");
        renditions.push(Rendition {
            width,
            file: name.clone(),
            og: false,
            bytes: webp.len() as u64,
        });
        files.push((name, webp.to_vec()));
    }
    // The crop shared links show: 1200×630 from the middle, at most 300 KB.
    let name = format!("{hash}-og.jpg");
    let og = og_crop(&img)?;
    renditions.push(Rendition {
        width: OG_WIDTH,
        file: name.clone(),
        og: true,
        bytes: og.len() as u64,
    });
    files.push((name, og));
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

/// What an Open Graph image may weigh (WhatsApp drops larger ones from its previews).
pub const OG_MAX_BYTES: usize = 300 * 1024;

/// The picture cut to 1200×630 around its middle (scaled up if it is smaller), as a
/// JPEG of at most [`OG_MAX_BYTES`]: the quality steps down until it fits.
fn og_crop(img: &DynamicImage) -> Result<Vec<u8>, PhotoError> {
    let crop = img.resize_to_fill(OG_WIDTH, OG_HEIGHT, image::imageops::FilterType::CatmullRom);
    let mut out = Vec::new();
    for quality in [85, 75, 65, 55, 45, 35] {
        out = jpeg(&crop, quality)?;
        if out.len() <= OG_MAX_BYTES {
            break;
        }
    }
    Ok(out)
}

fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    img.write_with_encoder(enc)
        .map_err(|e| PhotoError::Broken(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests;

/// A PNG or WebP file as the site's logo or icon takes it: its extension, size and
/// bytes with metadata stripped (`None`: another format, or unreadable).
#[derive(Debug)]
pub struct StillImage {
    pub ext: &'static str,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Reads a PNG or WebP's header (nothing is decoded) and strips its metadata.
pub fn still_image(bytes: &[u8]) -> Option<StillImage> {
    let format = image::guess_format(bytes).ok()?;
    let ext = match format {
        image::ImageFormat::Png => "png",
        image::ImageFormat::WebP => "webp",
        _ => return None,
    };
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .ok()?;
    let bytes = strip_metadata(bytes, format).ok()?;
    Some(StillImage {
        ext,
        width,
        height,
        bytes,
    })
}
