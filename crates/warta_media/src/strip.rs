//! The kept original without what could tell where or by whom it was taken: an
//! allow-list of what showing the picture needs, everything else dropped (issue #24).
//!
//! - JPEG: the frame and scan segments (SOFn, DHT, DQT, DRI, DAC, SOS with its
//!   entropy-coded data, DNL, EXP), APP0's JFIF header without its thumbnail (JFXX
//!   thumbnails go too), APP2 only when it is `ICC_PROFILE`
//!   (MPF, the multi-picture index phones write, is APP2 too), APP14 `Adobe` (which a
//!   CMYK picture needs); nothing after the end of the first picture (an MPO's second
//!   picture carries its own EXIF with GPS). Walked here marker by marker: `img-parts`
//!   keeps everything from the first scan on as one block, comments between
//!   progressive scans and whatever follows the end included.
//! - PNG: the image chunks (IHDR, PLTE, tRNS, IDAT, IEND) and the colour ones (iCCP,
//!   sRGB, gAMA, cHRM, sBIT); nothing after IEND.
//! - WebP: the image chunks (VP8, VP8L, VP8X, ALPH, ANIM, ANMF) and ICCP, with the
//!   VP8X flags for EXIF and XMP cleared.

use img_parts::riff::RiffContent;

use crate::PhotoError;

/// The file without its metadata (see the module notes). The picture is not
/// re-encoded: its bytes are copied as they were.
pub fn strip_metadata(bytes: &[u8], format: image::ImageFormat) -> Result<Vec<u8>, PhotoError> {
    match format {
        image::ImageFormat::Jpeg => strip_jpeg(bytes),
        image::ImageFormat::Png => strip_png(bytes),
        image::ImageFormat::WebP => strip_webp(bytes),
        _ => Err(PhotoError::NotAnImage),
    }
}

fn broken(why: &str) -> PhotoError {
    PhotoError::Broken(format!("JPEG: {why}"))
}

/// What of a JPEG segment (marker, payload without its length) is kept: the payload to
/// write, or `None` to drop the segment.
fn kept_jpeg_payload(marker: u8, payload: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    use std::borrow::Cow;
    let keep = match marker {
        // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC) are frames; those three are
        // tables (JPG is reserved, never kept).
        0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => true,
        0xC4 | 0xCC => true,               // DHT, DAC
        0xDB | 0xDD | 0xDC | 0xDF => true, // DQT, DRI, DNL, EXP
        // JFIF's header without its thumbnail (a thumbnail can show the picture
        // before it was cropped); JFXX exists only to carry thumbnails.
        0xE0 if payload.starts_with(b"JFIF\0") && payload.len() >= 12 => {
            let mut header = payload[..12].to_vec();
            header.extend_from_slice(&[0, 0]);
            return Some(Cow::Owned(header));
        }
        0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
        0xEE => payload.starts_with(b"Adobe"),
        _ => false, // other APPn (EXIF, XMP, IPTC, MPF, JFXX…), COM, anything unknown
    };
    keep.then_some(Cow::Borrowed(payload))
}

fn strip_jpeg(b: &[u8]) -> Result<Vec<u8>, PhotoError> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(broken("no start-of-image marker"));
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        // A marker: 0xFF, any fill 0xFF bytes, then its code.
        if b.get(i) != Some(&0xFF) {
            return Err(broken(&format!("a marker was expected at byte {i}")));
        }
        while b.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *b.get(i).ok_or_else(|| broken("cut short"))?;
        i += 1;
        match marker {
            0xD9 => {
                // End of the picture: whatever follows (a second picture, text) goes.
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            0xD0..=0xD7 | 0x01 => {
                // Restart markers and TEM stand alone.
                out.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            _ => {}
        }
        let len = b
            .get(i..i + 2)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
            .ok_or_else(|| broken("a segment length is cut short"))?;
        if len < 2 {
            return Err(broken(&format!("segment length {len} at byte {i}")));
        }
        let end = i + len;
        let segment = b
            .get(i..end)
            .ok_or_else(|| broken("a segment is cut short"))?;
        if marker == 0xDA {
            // A scan: its header, then entropy-coded data up to the next marker that is
            // not a stuffed byte (FF00) or a restart (FFD0–FFD7).
            out.extend_from_slice(&[0xFF, 0xDA]);
            out.extend_from_slice(segment);
            let mut j = end;
            loop {
                let at = b
                    .get(j..)
                    .and_then(|rest| rest.iter().position(|&x| x == 0xFF))
                    .map(|p| p + j)
                    .ok_or_else(|| broken("the scan data has no end"))?;
                match b.get(at + 1) {
                    Some(0x00) | Some(0xD0..=0xD7) => j = at + 2,
                    Some(0xFF) => j = at + 1,
                    Some(_) => {
                        out.extend_from_slice(&b[end..at]);
                        i = at;
                        break;
                    }
                    None => return Err(broken("the scan data has no end")),
                }
            }
            continue;
        }
        if let Some(payload) = kept_jpeg_payload(marker, &segment[2..]) {
            let len = u16::try_from(payload.len() + 2).map_err(|_| broken("segment too long"))?;
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(&payload);
        }
        i = end;
    }
}

fn strip_png(b: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let mut p = img_parts::png::Png::from_bytes(bytes::Bytes::copy_from_slice(b))
        .map_err(|e| PhotoError::Broken(format!("PNG: {e}")))?;
    const KEEP: [&[u8; 4]; 10] = [
        b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"iCCP", b"sRGB", b"gAMA", b"cHRM", b"sBIT",
    ];
    p.chunks_mut().retain(|c| KEEP.contains(&&c.kind()));
    Ok(p.encoder().bytes().to_vec())
}

fn strip_webp(b: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let mut w = img_parts::webp::WebP::from_bytes(bytes::Bytes::copy_from_slice(b))
        .map_err(|e| PhotoError::Broken(format!("WebP: {e}")))?;
    const KEEP: [&[u8; 4]; 7] = [
        b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
    ];
    w.chunks_mut().retain(|c| KEEP.contains(&&c.id()));
    // The extended header says which chunks follow: not EXIF (0x08) or XMP (0x04) now.
    for c in w.chunks_mut().iter_mut().filter(|c| &c.id() == b"VP8X") {
        if let RiffContent::Data(data) = c.content_mut()
            && let Some(first) = data.first()
        {
            let mut v = data.to_vec();
            v[0] = first & !0x0C;
            *data = bytes::Bytes::from(v);
        }
    }
    Ok(w.encoder().bytes().to_vec())
}
