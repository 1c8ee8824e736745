//! Saved pages in the markup of a WordPress theme, a Ghost theme and an Indonesian
//! portal (all written for these tests) import with their declared fields and only
//! their article text.

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use warta_core::Block;
use warta_import::{Format, Options};
use warta_store::Store;

fn page(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/html")
        .join(name)
}

async fn import_one(name: &str) -> warta_core::Article {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    let opts = Options {
        keep_going: false,
        dry_run: false,
        default_section: "berita".into(),
        cache_mib: 256,
        overwrite_edited: false,
        media_from: None,
        now: Utc
            .with_ymd_and_hms(2024, 5, 1, 0, 0, 0)
            .single()
            .expect("date"),
    };
    let report = warta_import::import(&store, Format::Html, &[page(name)], &opts, &mut |_| {})
        .await
        .expect("import");
    assert_eq!(report.created, 1, "{name}: {}", report.summary());
    let ids = store.export_page(0, 10).await.expect("export");
    ids.into_iter().next().expect("one article").article
}

fn paragraphs(a: &warta_core::Article) -> Vec<String> {
    a.body
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { html } => Some(html.to_text()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn wordpress_theme_page() {
    let a = import_one("wordpress.html").await;
    assert_eq!(
        a.headline,
        "Festival Layang-Layang Ramaikan Pantai Parangtritis"
    );
    assert_eq!(
        a.published_at,
        Utc.with_ymd_and_hms(2023, 8, 20, 2, 30, 0).single()
    );
    assert_eq!(
        a.updated_at,
        Utc.with_ymd_and_hms(2023, 8, 20, 5, 0, 0).single()
    );
    assert_eq!(a.section.slug, "budaya");
    assert_eq!(a.authors[0].name, "Wulan Sari");
    let tags: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Layang-layang", "Parangtritis"]);
    assert_eq!(
        paragraphs(&a),
        [
            "Ratusan layang-layang raksasa menghiasi langit Pantai Parangtritis pada Minggu pagi.",
            "Peserta datang dari Bantul, Klaten, hingga Bali.",
            "Panitia menyebut angin laut sore hari paling cocok untuk layang-layang besar.",
        ]
    );
    assert!(
        a.body
            .iter()
            .any(|b| matches!(b, Block::Heading { text } if text == "Angin yang bersahabat"))
    );
    let hero = a.hero.as_ref().expect("lead photo");
    assert_eq!(
        (hero.caption.as_str(), hero.credit.as_str()),
        (
            "Layang-layang berbentuk naga terbang di atas Parangtritis.",
            "KABAR JOGJA/Wulan"
        )
    );
    assert_eq!(hero.alt, "Layang-layang naga di atas pantai");
    let Block::Paragraph { html } = &a.body[1] else {
        panic!("paragraph")
    };
    assert!(
        html.as_str()
            .contains("<a href=\"https://contoh.example/bali\" rel=\"noopener\">Bali</a>")
    );
}

#[tokio::test]
async fn ghost_theme_page() {
    let a = import_one("ghost.html").await;
    assert_eq!(a.headline, "Why Night Markets Matter");
    assert_eq!(a.language, "en");
    assert_eq!(a.authors[0].name, "Tom Hale");
    assert_eq!(a.lede, "Small stalls, big economies.");
    assert_eq!(
        paragraphs(&a),
        [
            "Night markets turn empty car parks into the busiest streets in town.",
            "They are also where new cooks test recipes before opening a shop.",
        ]
    );
    assert!(a.body.iter().any(|b| matches!(b, Block::Quote { text, cite } if text == "Everyone eats here, from clerks to ministers." && cite == "A stall owner")));
    assert!(a.body.iter().any(|b| matches!(b, Block::Photo { .. })));
    // The page's photo was at a path of its site: it keeps its full address there.
    let photo = a.body_media.first().expect("the photo's record");
    assert!(
        photo.file.starts_with("https://")
            && photo.file.ends_with("/content/images/2022/11/market.jpg"),
        "{}",
        photo.file
    );
    let tags: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Food", "Cities"]);
}

#[tokio::test]
async fn indonesian_portal_page() {
    let a = import_one("portal.html").await;
    assert_eq!(a.headline, "Harga Bawang Merah Turun Menjelang Panen Raya");
    assert_eq!(
        a.published_at,
        Utc.with_ymd_and_hms(2024, 3, 11, 7, 20, 0).single()
    );
    assert_eq!(a.section.slug, "ekonomi");
    assert_eq!(a.dateline_brand, "WARTADAERAH.COM");
    assert_eq!(a.dateline_place, "Brebes");
    assert_eq!(
        paragraphs(&a),
        [
            "Harga bawang merah di tingkat petani turun dalam sepekan terakhir.",
            "Pedagang menyebut pasokan dari Brebes dan Nganjuk mulai melimpah.",
            "Panen raya diperkirakan berlangsung hingga akhir April.",
        ]
    );
    let hero = a.hero.as_ref().expect("JSON-LD image");
    assert_eq!(
        (hero.caption.as_str(), hero.credit.as_str()),
        ("Petani memanen bawang merah di Brebes.", "ANTARA FOTO/Agus")
    );
    assert_eq!(a.tags.len(), 3);
}

#[tokio::test]
async fn pages_without_what_an_article_needs_are_refused_by_name() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    let opts = Options {
        keep_going: true,
        dry_run: false,
        default_section: "berita".into(),
        cache_mib: 256,
        overwrite_edited: false,
        media_from: None,
        now: Utc::now(),
    };
    let cases = [
        (
            "nodate.html",
            "<html><head><title>Judul</title></head><body><article><p>Isi.</p></article></body></html>",
        ),
        (
            "notext.html",
            "<html><head><title>Judul</title><meta property=\"article:published_time\" content=\"2024-01-01T00:00:00Z\"></head><body></body></html>",
        ),
        ("empty.html", ""),
        ("binary.html", "\u{0}\u{1}\u{2}<<>>"),
    ];
    let mut files = Vec::new();
    for (name, text) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        files.push(p);
    }
    let report = warta_import::import(&store, Format::Html, &files, &opts, &mut |_| {})
        .await
        .expect("keep going");
    assert_eq!(report.failed.len(), 4, "{}", report.summary());
    assert!(
        report.failed[0]
            .to_string()
            .contains("nodate.html: no publication date")
    );
    assert!(store.is_empty().await.expect("q"));
}
