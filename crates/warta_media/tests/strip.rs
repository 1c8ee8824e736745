//! The metadata corpus (`tests/corpus`, made by `tools/make_photo_corpus.py`): every
//! file carries the marker text `WARTA-GPS-SECRET` where cameras, phones and editors
//! put location and other metadata (EXIF, XMP and IPTC in every APPn, a comment, a
//! comment between progressive scans, an MPO's second picture, data after the end,
//! PNG text and EXIF chunks before and after the pixels, WebP EXIF and XMP). After
//! stripping none of it is left, the picture decodes to the same size, and what
//! colours need is kept: an ICC profile, a CMYK JPEG's Adobe segment, PNG alpha.

use std::path::PathBuf;

use warta_media::{process, strip_metadata};

const SECRET: &[u8] = b"WARTA-GPS-SECRET";

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    out.sort();
    assert!(out.len() >= 50, "{} files", out.len());
    out
}

fn has(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_metadata_survives_and_every_picture_still_decodes() {
    let mut failures = Vec::new();
    for (name, bytes) in corpus() {
        let format = image::guess_format(&bytes).expect("a picture");
        if !name.starts_with("keep-") {
            assert!(
                has(&bytes, SECRET),
                "{name}: the corpus file lacks its marker"
            );
        }
        let stripped = match strip_metadata(&bytes, format) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        if has(&stripped, SECRET) {
            failures.push(format!("{name}: the marker text survived"));
        }
        for tag in [
            &b"Exif\0\0"[..],
            b"http://ns.adobe.com/xap",
            b"Photoshop 3.0",
            b"MPF\0",
        ] {
            if has(&stripped, tag) {
                failures.push(format!(
                    "{name}: {:?} survived",
                    String::from_utf8_lossy(tag)
                ));
            }
        }
        let before = image::load_from_memory(&bytes).expect("the corpus decodes");
        match image::load_from_memory(&stripped) {
            Ok(after) => {
                if (after.width(), after.height()) != (before.width(), before.height()) {
                    failures.push(format!("{name}: the size changed"));
                }
                if after.to_rgb8() != before.to_rgb8() {
                    failures.push(format!("{name}: the pixels changed"));
                }
            }
            Err(e) => failures.push(format!("{name}: does not decode after stripping: {e}")),
        }
        // The whole pipeline keeps only the stripped original.
        let p = process(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (file, data) in &p.files {
            if has(data, SECRET) {
                failures.push(format!("{name}: {file} holds the marker"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn what_colours_need_is_kept() {
    let files = corpus();
    let get = |n: &str| {
        files
            .iter()
            .find(|(name, _)| name == n)
            .map(|(_, b)| b.clone())
            .unwrap_or_else(|| panic!("{n}"))
    };
    let strip = |n: &str| {
        let b = get(n);
        strip_metadata(&b, image::guess_format(&b).expect("format")).expect(n)
    };
    let jpeg_icc = strip("keep-jpeg-icc.jpg");
    assert!(has(&jpeg_icc, b"ICC_PROFILE\0"), "JPEG ICC profile kept");
    let cmyk = strip("keep-jpeg-cmyk.jpg");
    assert!(has(&cmyk, b"Adobe"), "the CMYK JPEG's Adobe segment kept");
    let a = image::load_from_memory(&cmyk).expect("CMYK decodes");
    let b = image::load_from_memory(&get("keep-jpeg-cmyk.jpg")).expect("decodes");
    assert_eq!(a.to_rgb8(), b.to_rgb8(), "CMYK colours unchanged");
    assert!(
        has(&strip("keep-png-icc.png"), b"iCCP"),
        "PNG ICC profile kept"
    );
    let alpha = image::load_from_memory(&strip("keep-png-alpha.png")).expect("decodes");
    assert!(alpha.color().has_alpha(), "PNG alpha kept");
    let webp = strip("keep-webp-icc.webp");
    assert!(has(&webp, b"ICCP"), "WebP ICC profile kept");
    assert!(!has(&webp, b"EXIF"), "WebP EXIF gone");
}
