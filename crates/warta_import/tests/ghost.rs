//! The Ghost importer (issue #33) on exports written for these tests in Ghost's own
//! format: Ghost 5 and 6 (Lexical, `posts_meta`) and an older one (Mobiledoc, the SEO
//! fields and author on the post, times in milliseconds).

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use warta_core::{Article, Block, Status};
use warta_import::{Format, Options, Report};
use warta_store::Store;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ghost")
        .join(name)
}

fn opts() -> Options {
    Options {
        keep_going: false,
        dry_run: false,
        default_section: "berita".into(),
        cache_mib: 64,
        overwrite_edited: false,
        media_from: None,
        now: Utc
            .with_ymd_and_hms(2024, 5, 1, 0, 0, 0)
            .single()
            .expect("date"),
    }
}

async fn ghost(store: &Store, file: &str, o: &Options) -> Report {
    warta_import::import(store, Format::Ghost, &[data(file)], o, &mut |_| {})
        .await
        .expect("imports without flags")
}

async fn by_old_address(store: &Store, path: &str) -> Article {
    let id = store
        .legacy_path(path)
        .await
        .expect("q")
        .unwrap_or_else(|| panic!("{path} leads nowhere"));
    store.article(id).await.expect("article")
}

/// Each block as short text, to compare a body at a glance.
fn shape(body: &[Block]) -> Vec<String> {
    body.iter()
        .map(|b| match b {
            Block::Paragraph { html } => format!("p {}", html.to_text()),
            Block::Heading { text } => format!("h {text}"),
            Block::Quote { text, .. } => format!("q {text}"),
            Block::List { ordered, items } => format!(
                "{} {}",
                if *ordered { "ol" } else { "ul" },
                items
                    .iter()
                    .map(|i| i.to_text())
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
            Block::Photo { caption, .. } => format!("photo {caption}"),
            Block::Embed { url, title } => format!("embed {url} {title}"),
            Block::Correction { text, .. } => format!("correction {text}"),
        })
        .collect()
}

#[tokio::test]
async fn a_ghost_5_export_imports_whole_with_every_construct() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("g.db"))
        .await
        .expect("store");
    let report = ghost(&store, "ghost5.json", &opts()).await;
    assert_eq!(report.created, 8, "{}", report.summary());
    assert!(report.failed.is_empty(), "{}", report.summary());

    let a = by_old_address(&store, "/warga-menanam-mangrove/").await;
    assert_eq!(a.headline, "Warga Menanam Mangrove di Pantai Utara");
    assert_eq!(a.status, Status::Published);
    assert_eq!(
        a.lede,
        "Lima ribu bibit mangrove ditanam di tiga desa pesisir."
    );
    // The first public tag is the section; the internal #feature is no tag at all.
    assert_eq!(a.section.slug, "lingkungan");
    let tags: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Lingkungan", "Pantai"]);
    let authors: Vec<&str> = a.authors.iter().map(|u| u.slug.as_str()).collect();
    assert_eq!(authors, ["sari", "rudi"], "in posts_authors' order");
    assert_eq!(
        store
            .author_by_slug("rudi")
            .await
            .expect("q")
            .expect("author")
            .bio,
        "Wartawan warga di Desa Muara."
    );
    // posts_meta: SEO fields and the feature image's words.
    assert_eq!(a.seo.title, "Mangrove untuk Pantai Utara");
    assert!(a.seo.description.starts_with("Warga tiga desa"));
    let hero = a.hero.clone().expect("hero");
    assert_eq!(hero.file, "https://cdn.pesisir.example/mangrove-utama.jpg");
    assert_eq!(hero.alt, "Barisan bibit mangrove di lumpur");
    assert_eq!(
        (hero.caption.as_str(), hero.credit.as_str()),
        ("Bibit mangrove di Desa Muara.", "ANTARA FOTO/Rudi")
    );
    assert_eq!(
        a.updated_at,
        Utc.with_ymd_and_hms(2024, 3, 11, 5, 0, 0).single()
    );
    // The Lexical body, card by card. The two photos on the old site itself are left
    // out without --media-from, and said.
    assert_eq!(
        shape(&a.body),
        [
            "p Puluhan warga menanam bibit mangrove di pesisir, melanjutkan gerakan pantai bersih.",
            "h Bibit dari Kelompok Tani",
            "q Akar mangrove menahan abrasi lebih baik daripada tanggul.",
            "ul Lima ribu bibit | Tiga desa | Desa Muara | Desa Tanjung",
            "photo Perahu nelayan",
            "embed https://www.youtube.com/watch?v=abcdefghijk Video penanaman mangrove",
            "embed https://lingkungan.example/laporan-abrasi Laporan Abrasi Pesisir",
            "p Data dari dinas:",
            "ul 2022: 3 km | 2023: 5 km",
            "h Catatan Redaksi",
            "p Kegiatan ini didukung warga.",
            "ol Daftar | Tanam",
            "p 🌱 Relawan masih dibutuhkan.",
            "p Cara ikut",
            "p Datang ke balai desa setiap Sabtu.",
            "p Daftar relawan",
            "p jadwal: sabtu 07.00",
        ]
    );
    let Block::Paragraph { html } = &a.body[0] else {
        panic!("a paragraph")
    };
    assert!(
        html.as_str().contains("href=\"/pantai-bersih/\""),
        "a link to the old site is a path here: {}",
        html.as_str()
    );
    assert!(
        html.as_str().contains("menanam</"),
        "bold kept: {}",
        html.as_str()
    );
    let notes = report.notes.join("\n");
    for dropped in ["`signup`", "`paywall`", "`horizontalrule`", "`video`"] {
        assert!(notes.contains(dropped), "{dropped} counted: {notes}");
    }
    assert!(
        notes.contains("2 photo(s) at addresses of the old site left out"),
        "{notes}"
    );
    // `featured`: among the front page's headlines.
    assert_eq!(store.front_page().await.expect("front").secondary, [a.id]);

    // The other statuses.
    let canonical = by_old_address(&store, "/pantai-bersih/").await;
    assert_eq!(canonical.section.slug, "pantai");
    assert_eq!(
        canonical.seo.canonical, "https://koran.example/asli/pantai-bersih",
        "first published elsewhere: its canonical address is kept"
    );
    assert_eq!(a.seo.canonical, "", "none given");
    assert_eq!(
        by_old_address(&store, "/draf-banjir/").await.status,
        Status::Draft
    );
    assert_eq!(
        by_old_address(&store, "/festival-laut/").await.status,
        Status::Scheduled
    );
    for (path, note) in [
        ("/laporan-anggota/", "members only"),
        ("/buletin-mingguan/", "sent by email only"),
    ] {
        assert_eq!(
            by_old_address(&store, path).await.status,
            Status::Draft,
            "{path}"
        );
        assert!(notes.contains(note), "{note}: {notes}");
    }
    // An untitled post, a post with only HTML, a page.
    let untitled = store
        .article(
            store
                .slug_holder("tanpa-judul-65f000000000000000000008")
                .await
                .expect("q")
                .expect("the untitled post"),
        )
        .await
        .expect("article");
    assert_eq!(untitled.headline, "(tanpa judul)");
    assert_eq!(
        untitled.section.slug, "berita",
        "no tag: the default section"
    );
    let html_only = by_old_address(&store, "/resep-ikan-bakar/").await;
    assert_eq!(
        shape(&html_only.body),
        [
            "p Ikan dibakar di atas bara.",
            "photo Ikan bakar siap disajikan."
        ]
    );
    let page = store
        .site_page_by_slug("tentang-kami")
        .await
        .expect("q")
        .expect("page");
    assert_eq!(page.title, "Tentang Kami");

    // Again: nothing new, nothing written.
    let logged = store.changes_after(0, 1000).await.expect("changes").len();
    let again = ghost(&store, "ghost5.json", &opts()).await;
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 8),
        "{}",
        again.summary()
    );
    assert_eq!(
        store.changes_after(0, 1000).await.expect("changes").len(),
        logged
    );
}

#[tokio::test]
async fn ghost_photos_come_from_a_copy_of_content_images() {
    use warta_import::photos::MediaFrom;
    let dir = tempfile::tempdir().expect("dir");
    let images = dir.path().join("images");
    std::fs::create_dir_all(images.join("2024/03")).expect("mkdir");
    for name in ["mangrove.jpg", "bibit.jpg"] {
        let img = image::RgbImage::from_fn(640, 400, |x, y| image::Rgb([x as u8, y as u8, 7]));
        img.save(images.join("2024/03").join(name)).expect("jpeg");
    }
    let store = Store::open_sqlite(&dir.path().join("g.db"))
        .await
        .expect("store");
    let o = Options {
        media_from: Some(MediaFrom::new(
            images,
            warta_media::store::MediaStore::Folder(dir.path().join("media")),
        )),
        ..opts()
    };
    let report = ghost(&store, "ghost5.json", &o).await;
    let photos = report.photos.clone().expect("counts");
    assert_eq!(
        (photos.brought, photos.missing.len()),
        (2, 0),
        "{}",
        report.summary()
    );
    let a = by_old_address(&store, "/warga-menanam-mangrove/").await;
    let shown: Vec<String> = shape(&a.body)
        .into_iter()
        .filter(|b| b.starts_with("photo"))
        .collect();
    // The image card, then the gallery: the resized copy (size/w1000/) from its original.
    assert_eq!(
        shown,
        [
            "photo Bibit ditanam saat surut.",
            "photo Perahu nelayan",
            "photo Suasana penanaman"
        ]
    );
    let Some(Block::Photo {
        media_id, credit, ..
    }) = a.body.iter().find(|b| matches!(b, Block::Photo { .. }))
    else {
        panic!("a photo")
    };
    assert_eq!(credit, "ANTARA FOTO/Rudi");
    let m = store.media(*media_id).await.expect("q").expect("media");
    assert!(m.file.ends_with("-original.jpg"), "{}", m.file);
    assert_eq!(m.alt, "Warga menanam bibit mangrove");
}

#[tokio::test]
async fn ghost_6_and_an_older_mobiledoc_export_import_too() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("g.db"))
        .await
        .expect("store");
    let six = ghost(&store, "ghost6.json", &opts()).await;
    assert_eq!(six.created, 1, "{}", six.summary());
    let a = by_old_address(&store, "/nelayan-muda/").await;
    assert_eq!(
        shape(&a.body),
        [
            "p Dua puluh nelayan muda belajar membaca peta laut.",
            "photo "
        ]
    );
    let notes = six.notes.join("\n");
    assert!(
        notes.contains("`call-to-action`") && notes.contains("`transistor`"),
        "{notes}"
    );

    let old = ghost(&store, "ghost2-mobiledoc.json", &opts()).await;
    assert_eq!(old.created, 1, "{}", old.summary());
    let b = by_old_address(&store, "/harga-cabai/").await;
    assert_eq!(
        shape(&b.body),
        [
            "p Harga cabai di pasar naik dua kali lipat.",
            "h Penyebab",
            "ol Hujan | Panen gagal",
            "p Harga naik lagi.",
        ]
    );
    assert_eq!(b.seo.title, "Cabai Mahal di Muara");
    assert_eq!(b.authors[0].slug, "budi");
    assert_eq!(b.section.slug, "ekonomi");
    assert_eq!(
        b.published_at,
        Utc.timestamp_millis_opt(1_559_300_000_000).single()
    );
    assert!(
        b.hero.is_none(),
        "a relative feature image without the folder: left out"
    );
    assert!(
        store
            .site_page_by_slug("kontak")
            .await
            .expect("q")
            .is_some(),
        "a page of the older format"
    );
}

#[tokio::test]
async fn what_is_not_a_ghost_export_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("g.db"))
        .await
        .expect("store");
    for (text, says) in [
        ("{\"db\":[{\"meta\":{}}]}", "not a Ghost export"),
        ("{\"db\": [", "not readable JSON"),
    ] {
        let file = dir.path().join("bad.json");
        std::fs::write(&file, text).expect("write");
        let err = warta_import::import(&store, Format::Ghost, &[file], &opts(), &mut |_| {})
            .await
            .expect_err("refused");
        assert!(err.to_string().contains(says), "{err}");
        assert!(err.to_string().contains("bad.json"), "{err}");
    }
}
