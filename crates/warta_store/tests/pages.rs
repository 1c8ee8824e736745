//! The publication's pages (issue #30), on both backends: saved, listed in order,
//! refused on a slug a section, a reserved name or another page holds; and a section
//! holding a name the site reserved since is moved off it.

use chrono::{DateTime, TimeZone, Utc};
use warta_core::Block;
use warta_core::sanitize::SafeHtml;
use warta_store::{PageInput, Store};

#[macro_use]
#[path = "support/backends.rs"]
mod backends;
use backends::*;

on_both_backends!(pages_share_one_namespace_with_sections,);

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, h, 0, 0)
        .single()
        .expect("time")
}

fn page(slug: &str, title: &str, position: i64) -> PageInput {
    PageInput {
        slug: slug.into(),
        title: title.into(),
        body: vec![Block::Paragraph {
            html: SafeHtml::from_text("Isi halaman."),
        }],
        position,
    }
}

async fn pages_share_one_namespace_with_sections(f: Fresh) {
    let store = &f.store;
    store
        .upsert_section("nasional", "Nasional", 0)
        .await
        .expect("section");
    let kontak = store
        .save_site_page(None, &page("kontak", "Kontak", 2), at(1))
        .await
        .expect("kontak");
    store
        .save_site_page(None, &page("redaksi", "Redaksi", 1), at(1))
        .await
        .expect("redaksi");
    let titles: Vec<String> = store
        .site_pages()
        .await
        .expect("pages")
        .into_iter()
        .map(|p| p.title)
        .collect();
    assert_eq!(titles, ["Redaksi", "Kontak"], "in the footer's order");
    assert_eq!(
        store.site_page_links().await.expect("links"),
        [
            ("redaksi".to_owned(), "Redaksi".to_owned()),
            ("kontak".to_owned(), "Kontak".to_owned())
        ],
        "the footer's links, in the same order"
    );
    let before = store.watermark().await.expect("w").site;
    store
        .save_site_page(
            Some(kontak),
            &page("hubungi-kami", "Hubungi Kami", 2),
            at(2),
        )
        .await
        .expect("renamed");
    assert!(
        store.watermark().await.expect("w").site > before,
        "every page's footer changed"
    );
    assert!(
        store
            .site_page_by_slug("kontak")
            .await
            .expect("q")
            .is_none()
    );
    let p = store
        .site_page_by_slug("hubungi-kami")
        .await
        .expect("q")
        .expect("page");
    assert_eq!((p.id, p.updated_at), (kontak, at(2)));
    for taken in ["nasional", "redaksi", "indeks", "admin"] {
        let err = store
            .save_site_page(None, &page(taken, "Lain", 3), at(3))
            .await
            .expect_err(taken);
        assert!(
            err.to_string().contains(&format!("/{taken}")),
            "{taken}: {err}"
        );
    }
    assert!(store.upsert_section("redaksi", "Redaksi", 3).await.is_err());
    assert!(
        store
            .save_site_page(None, &page("bad slug", "x", 0), at(3))
            .await
            .is_err()
    );
    assert!(
        store
            .save_site_page(None, &page("kosong", " ", 0), at(3))
            .await
            .is_err()
    );
    assert_eq!(
        store.site_pages().await.expect("pages").len(),
        2,
        "nothing written"
    );
    assert!(store.delete_site_page(kontak).await.expect("delete"));
    assert!(!store.delete_site_page(kontak).await.expect("again"));
    assert_eq!(store.site_pages().await.expect("pages").len(), 1);
}

#[tokio::test]
async fn a_section_on_a_name_the_site_reserved_since_is_moved_off_it() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("warta.db");
    let store = Store::open_sqlite(&path).await.expect("open");
    store
        .upsert_section("indeks-kanal", "Taken", 0)
        .await
        .expect("section");
    drop(store);
    // An older release let a section take `indeks` (it is reserved now).
    let c = rusqlite::Connection::open(&path).expect("sqlite");
    c.execute(
        "INSERT INTO sections (slug, name, position) VALUES ('indeks', 'Indeks Lama', 1)",
        [],
    )
    .expect("insert");
    drop(c);
    let store = Store::open_sqlite(&path).await.expect("reopen");
    let renamed = store.rename_reserved_sections().await.expect("rename");
    assert_eq!(
        renamed,
        [("indeks".to_owned(), "indeks-kanal-2".to_owned())]
    );
    let s = store
        .section_by_slug("indeks-kanal-2")
        .await
        .expect("q")
        .expect("moved");
    assert_eq!(s.name, "Indeks Lama");
    assert!(
        store
            .rename_reserved_sections()
            .await
            .expect("again")
            .is_empty()
    );
}
