//! Content codings: which one a request accepts best (`Accept-Encoding`), and making
//! them. The page cache compresses a page once per coding and keeps the bytes (see
//! `cache`); nothing here runs on a cache hit.

use std::io::Write;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

/// A content coding Warta sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coding {
    Brotli,
    Zstd,
    Gzip,
    Identity,
}

impl Coding {
    /// The codings a page is kept in, best first (for equal preference).
    pub const COMPRESSED: [Coding; 3] = [Coding::Brotli, Coding::Zstd, Coding::Gzip];

    /// The `Content-Encoding` token; `None` for identity.
    pub fn token(self) -> Option<&'static str> {
        match self {
            Coding::Brotli => Some("br"),
            Coding::Zstd => Some("zstd"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }

    /// Index into a `[_; 3]` of compressed variants.
    pub(crate) fn slot(self) -> Option<usize> {
        Coding::COMPRESSED.iter().position(|c| *c == self)
    }
}

/// How hard to compress: `Fast` on the request that renders a page, `Best` in the
/// background for pages that stay cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Fast,
    Best,
}

/// The coding a request accepts best, from its `Accept-Encoding` (RFC 9110 §12.5.3):
/// the highest `q` among br, zstd and gzip (`x-gzip` and `*` count), ties going in
/// that order; identity when none is acceptable.
pub fn negotiate(accept_encoding: Option<&str>) -> Coding {
    let Some(value) = accept_encoding else {
        return Coding::Identity;
    };
    // q of br, zstd, gzip; None = not named.
    let mut named: [Option<f32>; 3] = [None; 3];
    let mut star: Option<f32> = None;
    for item in value.split(',') {
        let mut fields = item.split(';');
        let name = fields.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut q = 1.0f32;
        for param in fields {
            if let Some((k, v)) = param.split_once('=')
                && k.trim().eq_ignore_ascii_case("q")
            {
                q = v.trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0);
            }
        }
        let slot = match name.as_str() {
            "br" => 0,
            "zstd" => 1,
            "gzip" | "x-gzip" => 2,
            "*" => {
                star = Some(q);
                continue;
            }
            _ => continue,
        };
        named[slot] = Some(q);
    }
    let mut best = (Coding::Identity, 0.0f32);
    for (i, coding) in Coding::COMPRESSED.iter().enumerate() {
        let q = named[i].or(star).unwrap_or(0.0);
        if q > best.1 {
            best = (*coding, q);
        }
    }
    best.0
}

/// The coding a request accepts best, as an extractor.
#[derive(Debug, Clone, Copy)]
pub struct Accepts(pub Coding);

impl Accepts {
    pub fn of(headers: &HeaderMap) -> Accepts {
        Accepts(negotiate(
            headers
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok()),
        ))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Accepts {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Accepts::of(&parts.headers))
    }
}

/// `data` compressed with `coding` (identity: a copy).
pub fn compress(coding: Coding, level: Level, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    match coding {
        Coding::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: match level {
                    Level::Fast => 5,
                    Level::Best => 11,
                },
                lgwin: 22,
                size_hint: data.len(),
                ..Default::default()
            };
            let mut input = data;
            // Writing to a Vec cannot fail.
            let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
        }
        Coding::Zstd => {
            let level = match level {
                Level::Fast => 3,
                Level::Best => 19,
            };
            match zstd::bulk::compress(data, level) {
                Ok(v) => out = v,
                Err(e) => {
                    // Only on allocation failure; a page is then sent another way.
                    tracing::error!(error = %e, "zstd could not compress a page");
                }
            }
        }
        Coding::Gzip => {
            let level = match level {
                Level::Fast => flate2::Compression::new(5),
                Level::Best => flate2::Compression::best(),
            };
            let mut enc = flate2::write::GzEncoder::new(out, level);
            let _ = enc.write_all(data);
            out = enc.finish().unwrap_or_default();
        }
        Coding::Identity => out.extend_from_slice(data),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn negotiation_table() {
        let cases = [
            (None, Coding::Identity),
            (Some(""), Coding::Identity),
            (Some("gzip, deflate, br, zstd"), Coding::Brotli),
            (Some("gzip, deflate, br"), Coding::Brotli),
            (Some("gzip, deflate"), Coding::Gzip),
            (Some("deflate"), Coding::Identity),
            (Some("identity"), Coding::Identity),
            (Some("zstd"), Coding::Zstd),
            (Some("x-gzip"), Coding::Gzip),
            (Some("br;q=0.5, gzip;q=0.8"), Coding::Gzip),
            (Some("br;q=0, gzip"), Coding::Gzip),
            (Some("br;q=0"), Coding::Identity),
            (Some("*"), Coding::Brotli),
            (Some("*;q=0.1, zstd;q=0.5"), Coding::Zstd),
            (Some("*, br;q=0"), Coding::Zstd),
            (Some("BR , GZIP"), Coding::Brotli),
            (Some("gzip;q=abc, br;q=1"), Coding::Brotli),
        ];
        for (header, want) in cases {
            assert_eq!(negotiate(header), want, "{header:?}");
        }
    }

    #[test]
    fn every_coding_decodes_to_the_input_at_both_levels() {
        let text = "<p>Banjir merendam Jakarta, kata Gubernur.</p>\n".repeat(200);
        for level in [Level::Fast, Level::Best] {
            let br = compress(Coding::Brotli, level, text.as_bytes());
            let mut got = String::new();
            brotli::Decompressor::new(&br[..], 4096)
                .read_to_string(&mut got)
                .expect("brotli");
            assert_eq!(got, text);
            assert!(br.len() < text.len() / 10, "{}", br.len());

            let zs = compress(Coding::Zstd, level, text.as_bytes());
            let got = zstd::bulk::decompress(&zs, text.len()).expect("zstd");
            assert_eq!(got, text.as_bytes());

            let gz = compress(Coding::Gzip, level, text.as_bytes());
            let mut got = String::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_string(&mut got)
                .expect("gzip");
            assert_eq!(got, text);
        }
        assert_eq!(
            compress(Coding::Identity, Level::Fast, b"abc"),
            b"abc".to_vec()
        );
    }
}
