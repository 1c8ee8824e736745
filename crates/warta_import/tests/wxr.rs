//! The WordPress importer on an export written for these tests, and on broken ones.

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use warta_core::{Block, Status};
use warta_import::{Format, Options};
use warta_store::{ListFilter, Store};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn opts(keep_going: bool) -> Options {
    Options {
        keep_going,
        dry_run: false,
        default_section: "berita".into(),
        cache_mib: 256,
        overwrite_edited: false,
        media_from: None,
        now: Utc
            .with_ymd_and_hms(2024, 5, 1, 0, 0, 0)
            .single()
            .expect("date"),
    }
}

/// Imports `files` as WXR; the report.
async fn wxr(store: &Store, files: &[PathBuf], o: &Options) -> warta_import::Report {
    warta_import::import(store, Format::Wxr, files, o, &mut |_| {})
        .await
        .expect("import")
}

#[tokio::test]
async fn a_wordpress_export_imports_with_nothing_lost() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    let files = [data("site.wxr")];
    let report = warta_import::import(&store, Format::Wxr, &files, &opts(false), &mut |_| {})
        .await
        .expect("import");
    assert_eq!(report.created, 5, "{}", report.summary());
    let skipped: Vec<&str> = report.skipped.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(
        skipped.iter().filter(|r| r.starts_with("comment")).count(),
        2
    );
    // A published WordPress page is a page of the publication now (issue #32).
    let about = store
        .site_page_by_slug("tentang-kami")
        .await
        .expect("q")
        .expect("the page");
    assert_eq!(about.title, "Tentang Kami");
    for reason in ["menu item", "post type `revision`", "post in the trash"] {
        assert!(
            skipped.contains(&reason),
            "{reason} not counted: {skipped:?}"
        );
    }

    let a = store
        .article(
            store
                .legacy_path("/2020/02/12/pompa-baru-pluit/")
                .await
                .expect("q")
                .expect("legacy path"),
        )
        .await
        .expect("article");
    assert_eq!(a.headline, "Pompa Baru untuk Pluit & Sekitarnya");
    assert_eq!(a.slug, "pompa-baru-pluit");
    assert_eq!(a.status, Status::Published);
    assert_eq!(
        a.published_at,
        Utc.with_ymd_and_hms(2020, 2, 12, 10, 0, 0).single()
    );
    assert_eq!(
        a.updated_at,
        Utc.with_ymd_and_hms(2020, 2, 13, 1, 0, 0).single()
    );
    assert_eq!(a.section.slug, "nasional");
    assert_eq!(a.section.name, "Nasional");
    assert_eq!(a.lede, "Pompa baru dipasang di Pluit.");
    assert_eq!(a.authors[0].name, "Sari Handayani");
    let tags: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Banjir", "Pluit"]);
    let hero = a.hero.as_ref().expect("featured image");
    assert_eq!(hero.alt, "Pompa air berwarna biru");
    assert_eq!(hero.credit, "KABAR/Sari");
    assert_eq!(hero.caption, "Petugas memeriksa pompa air di Pluit.");
    assert!(hero.file.ends_with("/pompa.jpg"));
    let kinds: Vec<&str> = a
        .body
        .iter()
        .map(|b| match b {
            Block::Paragraph { .. } => "p",
            Block::Heading { .. } => "h",
            Block::Quote { .. } => "quote",
            Block::List { .. } => "list",
            Block::Photo { .. } => "photo",
            Block::Embed { .. } => "embed",
            Block::Correction { .. } => "correction",
        })
        .collect();
    assert_eq!(kinds, ["p", "photo", "h", "p"]);
    let Block::Paragraph { html } = &a.body[0] else {
        panic!()
    };
    assert_eq!(
        html.as_str(),
        "Pemerintah kota memasang <strong>pompa baru</strong> di Pluit."
    );
    let Block::Photo {
        caption, credit, ..
    } = &a.body[1]
    else {
        panic!()
    };
    assert_eq!(
        (caption.as_str(), credit.as_str()),
        ("Pompa baru mulai bekerja.", "KABAR/Sari")
    );
    assert!(store.legacy_path("/?p=201").await.expect("q").is_some());

    let b = store
        .article(
            store
                .legacy_path("/?p=202")
                .await
                .expect("q")
                .expect("path"),
        )
        .await
        .expect("article");
    assert_eq!(b.authors[0].name, "Budi Santoso");
    let photo = b
        .body
        .iter()
        .find_map(|x| match x {
            Block::Photo { media_id, .. } => b.media(*media_id),
            _ => None,
        })
        .expect("photo");
    assert_eq!(
        (
            photo.caption.as_str(),
            photo.credit.as_str(),
            photo.alt.as_str()
        ),
        (
            "Suasana rapat di balai kota.",
            "ANTARA FOTO/Dewi",
            "Ruang rapat"
        )
    );
    assert!(
        b.body
            .iter()
            .any(|x| matches!(x, Block::Quote { cite, .. } if cite == "Kepala dinas"))
    );

    // Every status arrived; only the published ones are public.
    let now = Utc
        .with_ymd_and_hms(2024, 5, 1, 0, 0, 0)
        .single()
        .expect("date");
    assert_eq!(
        store
            .list(ListFilter::All, 1, 50, now)
            .await
            .expect("list")
            .total,
        2
    );

    // The same export again: found, not duplicated, and nothing to write.
    let again = warta_import::import(&store, Format::Wxr, &files, &opts(false), &mut |_| {})
        .await
        .expect("re-import");
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 5));
}

#[tokio::test]
async fn broken_and_hostile_xml_is_refused_quickly() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    let full = std::fs::read_to_string(data("site.wxr")).expect("file");
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss><channel><item><title>&lol9;</title><wp:post_type>post</wp:post_type></item></channel></rss>"#;
    let external = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&xxe;</title></item></channel></rss>"#;
    let cases = [
        ("truncated.wxr", full[..full.len() / 2].to_owned()),
        ("bomb.wxr", bomb.to_owned()),
        ("external.wxr", external.to_owned()),
        ("not-wxr.wxr", "<html><body>hi</body></html>".to_owned()),
        ("garbage.wxr", "\u{0}\u{1}<<<<".to_owned()),
    ];
    for (name, text) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let started = std::time::Instant::now();
        let err = warta_import::import(&store, Format::Wxr, &[path], &opts(false), &mut |_| {})
            .await
            .expect_err(name);
        assert!(err.to_string().contains(name), "{name}: {err}");
        assert!(started.elapsed().as_secs() < 5, "{name} took too long");
    }
    assert!(store.is_empty().await.expect("q"));
}

/// Issue #32: a real export imports whole on the first try, without flags, and a
/// re-import updates what it made.
#[tokio::test]
async fn an_export_as_wordpress_writes_it_imports_whole_on_the_first_try() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    let files = [data("as-exported.wxr")];
    let report = warta_import::import(&store, Format::Wxr, &files, &opts(false), &mut |_| {})
        .await
        .expect("imports without --keep-going");
    assert_eq!(report.created, 5, "{}", report.summary());
    assert!(report.failed.is_empty(), "{}", report.summary());
    // Neither a password-protected nor a private post goes live, and the report says so.
    for (path, note) in [
        ("/?p=330", "password-protected: imported as a draft"),
        ("/?p=331", "private: imported as a draft"),
    ] {
        let id = store.legacy_path(path).await.expect("q").expect(path);
        assert_eq!(
            store.article(id).await.expect("a").status,
            Status::Draft,
            "{path}"
        );
        assert!(
            report.notes.iter().any(|n| n.contains(note)),
            "{note}: {:?}",
            report.notes
        );
    }
    // A WordPress page: a page of the publication, in the footer's order.
    let page = store
        .site_page_by_slug("pengurus-rt")
        .await
        .expect("q")
        .expect("page");
    assert_eq!(page.title, "Pengurus RT 05");
    assert_eq!(page.position, 2);
    assert!(matches!(page.body.first(), Some(Block::Paragraph { .. })));
    assert!(
        report.notes.iter().any(|n| n.contains("post id 318")),
        "the repeated GUID is said: {:?}",
        report.notes
    );
    let of = |path: &'static str| {
        let store = store.clone();
        async move {
            let id = store
                .legacy_path(path)
                .await
                .expect("q")
                .unwrap_or_else(|| panic!("{path} leads nowhere"));
            store.article(id).await.expect("article")
        }
    };
    // The untitled post: a title in the site's language and a slug from its id.
    let untitled = of("/?p=301").await;
    assert_eq!(untitled.headline, "(tanpa judul)");
    assert_eq!(untitled.slug, "tanpa-judul-301");
    assert_eq!(untitled.status, Status::Published);
    // Two posts of one post_name (and one GUID): both kept, the second suffixed as
    // WordPress does; each old address leads to its own.
    let first = of("/2021/03/10/jadwal-posyandu/").await;
    let second = of("/2021/04/02/jadwal-posyandu/").await;
    assert_eq!(first.slug, "jadwal-posyandu");
    assert_eq!(second.slug, "jadwal-posyandu-2");
    assert_eq!(second.headline, "Jadwal Posyandu Diubah");
    assert!(
        report.notes.iter().any(|n| n.contains(
            "the slug `jadwal-posyandu` is another story's: this one is `jadwal-posyandu-2`"
        )),
        "the rename is said: {:?}",
        report.notes
    );
    assert_eq!(second.slug, "jadwal-posyandu-2");

    // Again: every post found, none duplicated, and as nothing changed nothing is
    // written (no change logged: no webhooks, no purges).
    let logged = store.changes_after(0, 10_000).await.expect("changes").len();
    assert!(logged >= 5, "the first import logged its posts");
    let again = warta_import::import(&store, Format::Wxr, &files, &opts(false), &mut |_| {})
        .await
        .expect("re-import");
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 5),
        "{}",
        again.summary()
    );
    assert_eq!(
        store.changes_after(0, 10_000).await.expect("changes").len(),
        logged,
        "a re-import of the same file logs no change"
    );
    // A post edited on the WordPress side since: that one is updated, and logged.
    let edited = std::fs::read_to_string(&files[0])
        .expect("read")
        .replace("Jadwal Posyandu Diubah", "Jadwal Posyandu Diubah Lagi");
    let edited_file = dir.path().join("edited.wxr");
    std::fs::write(&edited_file, edited).expect("write");
    let third = warta_import::import(
        &store,
        Format::Wxr,
        std::slice::from_ref(&edited_file),
        &opts(false),
        &mut |_| {},
    )
    .await
    .expect("third import");
    assert_eq!(
        (third.created, third.updated, third.unchanged),
        (0, 1, 4),
        "{}",
        third.summary()
    );
    assert_eq!(
        store.changes_after(0, 10_000).await.expect("changes").len(),
        logged + 1
    );
    let all = store
        .list(ListFilter::All, 1, 50, opts(false).now)
        .await
        .expect("list");
    assert_eq!(all.total, 3, "the two drafts are not listed");
    let pages = store.site_pages().await.expect("pages");
    assert_eq!(pages.len(), 1, "not twice");
    assert_eq!(
        pages[0].updated_at, page.updated_at,
        "a page given as stored is not saved again"
    );
    assert!(
        report
            .summary()
            .contains("2 not public on the old site (password, private, members only, email only): imported as drafts"),
        "{}",
        report.summary()
    );
    assert_eq!(
        of("/2021/04/02/jadwal-posyandu/").await.slug,
        "jadwal-posyandu-2"
    );
}

/// A JPEG or PNG of the given size, as a camera or an editor would save it.
fn picture(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, format)
        .expect("encode");
    out.into_inner()
}

/// Issue #32, part 2: photos come along from a copy of `wp-content/uploads`, resized
/// names mapped back to their original, through the photo pipeline; sticky posts reach
/// the front page, Yoast's fields the SEO fields, child pages keep apart.
#[tokio::test]
async fn photos_come_along_from_the_upload_folder() {
    use warta_import::photos::MediaFrom;
    use warta_media::store::MediaStore;
    let dir = tempfile::tempdir().expect("dir");
    let uploads = dir.path().join("uploads");
    std::fs::create_dir_all(uploads.join("2022/06")).expect("mkdir");
    std::fs::write(
        uploads.join("2022/06/perahu-muara.jpg"),
        picture(900, 600, image::ImageFormat::Jpeg),
    )
    .expect("write");
    // Only the original of `peta-rob-scaled.png` is in the folder.
    std::fs::write(
        uploads.join("2022/06/peta-rob.png"),
        picture(700, 400, image::ImageFormat::Png),
    )
    .expect("write");
    let media_dir = dir.path().join("media");
    let with_photos = |dry_run| Options {
        dry_run,
        media_from: Some(MediaFrom::new(
            uploads.clone(),
            MediaStore::Folder(media_dir.clone()),
        )),
        ..opts(false)
    };
    let files = [data("with-uploads.wxr")];

    // A dry run finds the files without decoding or storing anything.
    let dry_store = Store::open_sqlite(&dir.path().join("dry.db"))
        .await
        .expect("store");
    let dry = wxr(&dry_store, &files, &with_photos(true)).await;
    let counted = dry.photos.clone().expect("photo counts");
    assert_eq!(counted.matched, 2, "{}", dry.summary());
    assert_eq!(counted.missing, ["2022/05/hilang.jpg"]);
    assert!(!media_dir.exists(), "a dry run stores no file");

    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    let report = wxr(&store, &files, &with_photos(false)).await;
    let photos = report.photos.clone().expect("photo counts");
    assert_eq!(
        (photos.brought, photos.reused, photos.missing.len()),
        (2, 0, 1),
        "{}",
        report.summary()
    );
    assert_eq!(
        photos.elsewhere, 1,
        "the other site's photo keeps its address"
    );
    assert!(report.summary().contains("missing: 2022/05/hilang.jpg"));

    let id = store
        .legacy_path("/2022/06/10/nelayan-melaut/")
        .await
        .expect("q")
        .expect("the post");
    let a = store.article(id).await.expect("article");
    // The featured image: stored by the pipeline, with its words from the export.
    let hero = a.hero.clone().expect("hero");
    assert!(hero.file.ends_with("-original.jpg"), "{}", hero.file);
    assert_eq!((hero.width, hero.height), (900, 600));
    assert_eq!(hero.alt, "Perahu kayu biru di muara");
    assert_eq!(hero.credit, "ANTARA FOTO/Sari Dewi");
    assert!(hero.renditions.iter().any(|r| r.og), "an Open Graph crop");
    for r in &hero.renditions {
        assert!(media_dir.join(&r.file).is_file(), "{} stored", r.file);
    }
    assert!(media_dir.join(&hero.file).is_file());
    // In the body: the resized copy is the same photo; the scaled PNG came from its
    // original; the missing one and the other site's keep their addresses.
    let shown: Vec<i64> = a
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Photo { media_id, .. } => Some(*media_id),
            _ => None,
        })
        .collect();
    assert_eq!(shown.len(), 4, "{:?}", a.body);
    assert_eq!(shown[0], hero.id, "the -300x200 copy is the featured photo");
    let media = |id: i64| {
        let store = store.clone();
        async move { store.media(id).await.expect("q").expect("media") }
    };
    let map = media(shown[1]).await;
    assert!(map.file.ends_with("-original.png"), "{}", map.file);
    assert_eq!((map.width, map.height), (700, 400));
    assert_eq!(
        media(shown[2]).await.file,
        "https://pesisir.example/wp-content/uploads/2022/05/hilang.jpg"
    );
    assert_eq!(
        media(shown[3]).await.file,
        "https://cdn.lain.example/foto/tamu.jpg"
    );
    // Yoast's title, its variables filled; its description.
    assert_eq!(
        a.seo.title,
        "Nelayan Kembali Melaut Setelah Badai - Kabar Pesisir"
    );
    assert_eq!(
        a.seo.description,
        "Nelayan di pesisir utara kembali melaut setelah tiga hari badai."
    );
    let harga = store
        .legacy_path("/2022/06/12/harga-ikan/")
        .await
        .expect("q")
        .expect("post");
    assert_eq!(
        store.article(harga).await.expect("a").seo.title,
        "",
        "a Yoast title that is the headline adds nothing"
    );
    assert_eq!(
        store.article(harga).await.expect("a").seo.canonical,
        "https://koran.example/ekonomi/harga-ikan",
        "Yoast's canonical address"
    );
    // The published sticky posts, newest first, among the front page's headlines.
    assert_eq!(
        store.front_page().await.expect("front").secondary,
        [harga, id]
    );
    // Custom post types: skipped, each named.
    let skipped: Vec<&str> = report.skipped.iter().map(|(_, r)| r.as_str()).collect();
    for kind in ["post type `product`", "post type `wp_block`"] {
        assert!(skipped.contains(&kind), "{kind}: {skipped:?}");
    }
    // Two child pages called `kontak`: each takes its parent's slug in front.
    let mut slugs: Vec<String> = store
        .site_pages()
        .await
        .expect("pages")
        .into_iter()
        .map(|p| p.slug)
        .collect();
    slugs.sort();
    assert_eq!(
        slugs,
        [
            "layanan",
            "layanan-kontak",
            "tentang-kami",
            "tentang-kami-kontak"
        ]
    );

    // Again: the photos are found by their bytes, nothing is processed or written.
    let again = wxr(&store, &files, &with_photos(false)).await;
    let photos = again.photos.clone().expect("counts");
    assert_eq!(
        (photos.brought, photos.reused),
        (0, 2),
        "{}",
        again.summary()
    );
    assert_eq!(
        (again.created, again.updated),
        (0, 0),
        "{}",
        again.summary()
    );

    // Without the folder, the attachment's size still comes from its metadata.
    let plain = Store::open_sqlite(&dir.path().join("plain.db"))
        .await
        .expect("store");
    wxr(&plain, &files, &opts(false)).await;
    let id = plain
        .legacy_path("/2022/06/10/nelayan-melaut/")
        .await
        .expect("q")
        .expect("post");
    let hero = plain.article(id).await.expect("a").hero.expect("hero");
    assert_eq!(
        (hero.file.as_str(), hero.width, hero.height),
        (
            "https://pesisir.example/wp-content/uploads/2022/06/perahu-muara.jpg",
            900,
            600
        )
    );
}

/// On a site in English, an untitled post is "(no title)".
#[tokio::test]
async fn an_untitled_post_is_named_in_the_sites_language() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    let mut settings = store.settings().await.expect("settings");
    settings.language = "en".into();
    store.save_settings(&settings).await.expect("save");
    warta_import::import(
        &store,
        Format::Wxr,
        &[data("as-exported.wxr")],
        &opts(false),
        &mut |_| {},
    )
    .await
    .expect("import");
    let id = store
        .legacy_path("/?p=301")
        .await
        .expect("q")
        .expect("post");
    let a = store.article(id).await.expect("a");
    assert_eq!(
        (a.headline.as_str(), a.slug.as_str()),
        ("(no title)", "no-title-301")
    );
}

/// A dry run reports what the real run would refuse, pages included, and writes nothing.
#[tokio::test]
async fn a_dry_run_reports_what_the_real_run_would() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    // A section already holds the page's slug.
    store
        .upsert_section("pengurus-rt", "Pengurus RT", 0)
        .await
        .expect("section");
    let files = [data("as-exported.wxr")];
    let dry = Options {
        dry_run: true,
        keep_going: true,
        ..opts(true)
    };
    let report = wxr(&store, &files, &dry).await;
    assert_eq!(report.created, 5, "{}", report.summary());
    assert!(
        report
            .failed
            .iter()
            .any(|e| e.reason.contains("pengurus-rt")),
        "{}",
        report.summary()
    );
    assert_eq!(
        store
            .list(ListFilter::All, 1, 10, opts(false).now)
            .await
            .expect("list")
            .total,
        0,
        "nothing written"
    );
    assert!(store.site_pages().await.expect("pages").is_empty());
    // The real run says the same.
    let real = wxr(&store, &files, &opts(true)).await;
    assert_eq!(
        (real.created, real.failed.len()),
        (report.created, report.failed.len())
    );
}
