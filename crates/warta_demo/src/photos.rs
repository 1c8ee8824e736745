//! Demo photos, drawn by code: a sky, a sun, hills and a skyline, coloured by theme and
//! shaped by a seed. Each is written as a 1280-pixel JPEG and a 640-pixel rendition.

use std::path::Path;

use image::{Rgb, RgbImage, imageops};
use warta_core::Rendition;

use crate::DemoError;

pub(crate) struct Files {
    pub original: Original,
    pub renditions: Vec<Rendition>,
}

pub(crate) struct Original {
    pub file: String,
    pub width: u32,
    pub height: u32,
}

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;

/// A small deterministic generator (SplitMix64), so the demo looks the same each time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn palette(theme: &str) -> ([f32; 3], [f32; 3], [f32; 3]) {
    // Sky top, sky bottom, land.
    let h = theme
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let skies = [
        (
            [30.0, 60.0, 120.0],
            [240.0, 170.0, 110.0],
            [40.0, 70.0, 50.0],
        ),
        (
            [70.0, 130.0, 200.0],
            [200.0, 225.0, 240.0],
            [60.0, 110.0, 60.0],
        ),
        ([90.0, 40.0, 90.0], [250.0, 140.0, 90.0], [50.0, 40.0, 60.0]),
        (
            [40.0, 90.0, 110.0],
            [180.0, 220.0, 210.0],
            [30.0, 80.0, 90.0],
        ),
        (
            [100.0, 100.0, 110.0],
            [210.0, 210.0, 200.0],
            [80.0, 75.0, 70.0],
        ),
    ];
    skies[(h % skies.len() as u32) as usize]
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> Rgb<u8> {
    let c = |i: usize| (a[i] + (b[i] - a[i]) * t).clamp(0.0, 255.0) as u8;
    Rgb([c(0), c(1), c(2)])
}

fn draw(theme: &str, seed: u64) -> RgbImage {
    let mut rng = Rng(seed);
    let (top, bottom, land) = palette(theme);
    let sun_x = WIDTH as f32 * (0.15 + 0.7 * rng.unit());
    let sun_y = HEIGHT as f32 * (0.15 + 0.3 * rng.unit());
    let sun_r = 40.0 + 50.0 * rng.unit();
    let waves: Vec<(f32, f32, f32)> = (0..3)
        .map(|_| {
            (
                0.004 + 0.01 * rng.unit(),
                std::f32::consts::TAU * rng.unit(),
                20.0 + 40.0 * rng.unit(),
            )
        })
        .collect();
    let horizon = HEIGHT as f32 * (0.55 + 0.15 * rng.unit());
    let towers: Vec<(u32, u32, u32)> = (0..(6 + rng.next() % 10))
        .map(|_| {
            let x = (rng.unit() * WIDTH as f32) as u32;
            let w = 30 + (rng.unit() * 70.0) as u32;
            let h = 60 + (rng.unit() * 220.0) as u32;
            (x, w, h)
        })
        .collect();
    // The ground line depends on the column only.
    let grounds: Vec<f32> = (0..WIDTH)
        .map(|x| {
            horizon
                + waves
                    .iter()
                    .map(|(f, p, a)| (x as f32 * f + p).sin() * a)
                    .sum::<f32>()
        })
        .collect();
    RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let ground = grounds[x as usize];
        if fy > ground {
            let t = ((fy - ground) / (HEIGHT as f32 - ground + 1.0)).clamp(0.0, 1.0);
            return mix(land, [land[0] * 0.4, land[1] * 0.4, land[2] * 0.4], t);
        }
        for (tx, w, h) in &towers {
            if x >= *tx && x < tx + w && fy > horizon - *h as f32 {
                let lit = (x / 12 + y / 18) % 5 == 0;
                return if lit {
                    Rgb([250, 220, 150])
                } else {
                    mix([25.0, 25.0, 35.0], land, 0.2)
                };
            }
        }
        let d = ((fx - sun_x).powi(2) + (fy - sun_y).powi(2)).sqrt();
        if d < sun_r {
            return Rgb([255, 236, 180]);
        }
        mix(top, bottom, fy / HEIGHT as f32)
    })
}

/// Draws and writes one photo; returns its files.
pub(crate) fn write(dir: &Path, theme: &str, seed: u64) -> Result<Files, DemoError> {
    let img = draw(theme, seed);
    let name = format!("demo-{seed:x}");
    let original = format!("{name}-{WIDTH}.jpg");
    save(&img, &dir.join(&original))?;
    let small_w = 640;
    let small_h = HEIGHT * small_w / WIDTH;
    let small = imageops::resize(&img, small_w, small_h, imageops::FilterType::Triangle);
    let small_file = format!("{name}-{small_w}.jpg");
    save(&small, &dir.join(&small_file))?;
    let small_bytes = std::fs::metadata(dir.join(&small_file)).map_or(0, |m| m.len());
    Ok(Files {
        original: Original {
            file: original,
            width: WIDTH,
            height: HEIGHT,
        },
        renditions: vec![Rendition {
            width: small_w,
            file: small_file,
            og: false,
            bytes: small_bytes,
        }],
    })
}

fn save(img: &RgbImage, path: &Path) -> Result<(), DemoError> {
    let file = std::fs::File::create(path).map_err(|e| DemoError::Photo {
        path: path.display().to_string(),
        source: image::ImageError::IoError(e),
    })?;
    let mut out = std::io::BufWriter::new(file);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 78)
        .encode_image(img)
        .map_err(|e| DemoError::Photo {
            path: path.display().to_string(),
            source: e,
        })
}
