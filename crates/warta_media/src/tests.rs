//! The pipeline on pictures drawn here: renditions, refusals with their reason, the
//! pixel and memory limits read from the header, metadata gone from the original.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat};

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
        .filter(|r| !r.og)
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
fn shared_links_get_a_1200_by_630_crop_of_at_most_300_kb() {
    // A large, busy picture (noise compresses badly) and a small one.
    let noisy = DynamicImage::ImageRgb8(image::RgbImage::from_fn(3000, 2000, |x, y| {
        let v = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) as u8;
        image::Rgb([v, v.wrapping_mul(7), v.wrapping_add(y as u8)])
    }));
    let mut big = Cursor::new(Vec::new());
    noisy.write_to(&mut big, ImageFormat::Png).expect("encode");
    for bytes in [big.into_inner(), picture(640, 480, ImageFormat::Jpeg)] {
        let p = process(&bytes).expect("valid");
        let og: Vec<&Rendition> = p.media.renditions.iter().filter(|r| r.og).collect();
        assert_eq!(og.len(), 1);
        assert_eq!(og[0].width, OG_WIDTH);
        let (_, file) = p
            .files
            .iter()
            .find(|(n, _)| *n == og[0].file)
            .expect("the crop's file");
        assert!(file.len() <= OG_MAX_BYTES, "{} bytes", file.len());
        let img = image::load_from_memory(file).expect("a JPEG");
        assert_eq!((img.width(), img.height()), (OG_WIDTH, OG_HEIGHT));
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

/// A PNG header (IHDR) claiming `w` × `h` at `depth` bits and `color` type, with a few
/// bytes of pixel data and the end: enough to be read, far too little to decode.
fn png_header(w: u32, h: u32, depth: u8, color: u8) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[depth, color, 0, 0, 0]);
    for chunk in [ihdr, b"IDAT\x78\x9c\x63\x00\x00".to_vec(), b"IEND".to_vec()] {
        png.extend_from_slice(&((chunk.len() - 4) as u32).to_be_bytes());
        png.extend_from_slice(&chunk);
        png.extend_from_slice(&crc32fast::hash(&chunk).to_be_bytes());
    }
    png
}

#[test]
fn a_deep_picture_is_refused_from_its_header_by_its_decoded_size() {
    // 7000 × 7100 16-bit RGBA: under the pixel cap, 397 MB once decoded.
    assert_eq!(
        process(&png_header(7000, 7100, 16, 6)).err(),
        Some(PhotoError::TooDeep(398, 7000, 7100, 8))
    );
    let why = PhotoError::TooDeep(398, 7000, 7100, 8).to_string();
    assert!(why.contains("at most 200 MB"), "{why}");
    // The same size at 8-bit RGB (149 MB) passes the header checks (and then fails on
    // its missing pixel data, not on a limit).
    assert!(matches!(
        process(&png_header(7000, 7100, 8, 2)),
        Err(PhotoError::Broken(_))
    ));
}
