//! The store's behaviour, written against the `Store` API only so that every backend
//! runs the same suite. Each test gets a fresh database.

use chrono::{DateTime, Duration, TimeZone, Utc};
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, SiteSettings, Status, TagKind, TagRef};
use warta_store::{ListFilter, NewMedia, Store, StoreError};

struct Fresh {
    store: Store,
    _dir: tempfile::TempDir,
}

async fn fresh() -> Fresh {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_sqlite(&dir.path().join("warta.db"))
        .await
        .expect("open store");
    Fresh { store, _dir: dir }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0)
        .single()
        .expect("date")
}

async fn seed(store: &Store) {
    store
        .upsert_section("dunia", "Dunia", 1)
        .await
        .expect("section");
    store
        .upsert_section("ekonomi", "Ekonomi", 2)
        .await
        .expect("section");
    store
        .upsert_author("rina", "Rina Wulandari", "")
        .await
        .expect("author");
}

fn input(headline: &str, tags: &[&str], published: DateTime<Utc>) -> ArticleInput {
    ArticleInput {
        slug: None,
        headline: headline.into(),
        lede: "Ringkasan".into(),
        body: vec![Block::Paragraph {
            html: SafeHtml::from_text("Paragraf pertama."),
        }],
        dateline_place: "Jakarta".into(),
        dateline_brand: String::new(),
        section: "dunia".into(),
        tags: tags
            .iter()
            .map(|n| TagRef {
                kind: TagKind::Person,
                name: (*n).into(),
            })
            .collect(),
        authors: vec!["rina".into()],
        hero_media_id: None,
        status: Status::Published,
        sensitive: false,
        language: "id".into(),
        published_at: Some(published),
    }
}

#[tokio::test]
async fn create_and_read_back() {
    let f = fresh().await;
    seed(&f.store).await;
    let a = f
        .store
        .create_article(input("Kim Jong Un Uji Rudal", &["Kim Jong Un"], t0()), t0())
        .await
        .expect("create");
    assert_eq!(a.slug, "kim-jong-un-uji-rudal");
    assert_eq!(a.section.slug, "dunia");
    assert_eq!(a.tags[0].slug, "kim-jong-un");
    assert_eq!(a.authors[0].name, "Rina Wulandari");
    assert_eq!(a.published_at, Some(t0()));
    let again = f
        .store
        .create_article(input("Kim Jong Un Uji Rudal", &[], t0()), t0())
        .await
        .expect("second");
    assert_eq!(again.slug, "kim-jong-un-uji-rudal-2");
    let seen = f
        .store
        .visible_article_by_slug("kim-jong-un-uji-rudal", t0())
        .await
        .expect("query");
    assert_eq!(seen.map(|a| a.id), Some(a.id));
}

#[tokio::test]
async fn published_article_keeps_its_slug_and_gains_an_update_time() {
    let f = fresh().await;
    seed(&f.store).await;
    let a = f
        .store
        .create_article(input("Judul Lama", &[], t0()), t0())
        .await
        .expect("create");
    let later = t0() + Duration::hours(2);
    let b = f
        .store
        .update_article(a.id, input("Judul Baru", &[], later), later)
        .await
        .expect("update");
    assert_eq!(b.slug, "judul-lama");
    assert_eq!(b.headline, "Judul Baru");
    assert_eq!(b.published_at, Some(t0()));
    assert_eq!(b.updated_at, Some(later));
    let mut moved = input("Judul Baru", &[], later);
    moved.slug = Some("alamat-lain".into());
    let err = f.store.update_article(a.id, moved, later).await;
    assert!(matches!(err, Err(StoreError::Invalid(_))), "{err:?}");
}

#[tokio::test]
async fn a_failed_write_leaves_everything_as_it_was() {
    let f = fresh().await;
    seed(&f.store).await;
    f.store
        .create_article(input("Pertama", &["Ada"], t0()), t0())
        .await
        .expect("create");
    let before = f.store.last_change().await.expect("seq");
    let mut bad = input("Kedua", &["Tag Baru"], t0());
    bad.section = "tidak-ada".into();
    let err = f.store.create_article(bad, t0()).await;
    assert!(
        matches!(
            err,
            Err(StoreError::NotFound {
                what: "section",
                ..
            })
        ),
        "{err:?}"
    );
    assert!(f.store.tag_by_slug("tag-baru").await.expect("q").is_none());
    assert_eq!(f.store.last_change().await.expect("seq"), before);

    // A batch with one bad record writes nothing at all.
    let mut bad_author = input("Ketiga", &[], t0());
    bad_author.authors = vec!["hantu".into()];
    let batch = vec![input("Keempat", &[], t0()), bad_author];
    assert!(f.store.create_articles(batch, t0()).await.is_err());
    let page = f
        .store
        .list(ListFilter::All, 1, 10, t0())
        .await
        .expect("list");
    assert_eq!(page.total, 1);

    let mut no_media = input("Kelima", &[], t0());
    no_media.hero_media_id = Some(999);
    assert!(matches!(
        f.store.create_article(no_media, t0()).await,
        Err(StoreError::NotFound { what: "media", .. })
    ));
}

#[tokio::test]
async fn lists_show_only_what_readers_may_see_newest_first() {
    let f = fresh().await;
    seed(&f.store).await;
    for i in 0..5 {
        f.store
            .create_article(
                input(&format!("Berita {i}"), &[], t0() - Duration::hours(i)),
                t0(),
            )
            .await
            .expect("create");
    }
    let mut draft = input("Draf", &[], t0());
    draft.status = Status::Draft;
    f.store.create_article(draft, t0()).await.expect("draft");
    f.store
        .create_article(input("Masa Depan", &[], t0() + Duration::hours(1)), t0())
        .await
        .expect("future");

    let p1 = f
        .store
        .list(ListFilter::All, 1, 2, t0())
        .await
        .expect("list");
    assert_eq!(p1.total, 5);
    assert_eq!(p1.last_page, 3);
    let heads: Vec<_> = p1.items.iter().map(|a| a.headline.as_str()).collect();
    assert_eq!(heads, ["Berita 0", "Berita 1"]);
    let past_end = f
        .store
        .list(ListFilter::All, 99, 2, t0())
        .await
        .expect("list");
    assert_eq!(past_end.page, 3);
    assert_eq!(past_end.items.len(), 1);
    // Once its time comes, the future article shows.
    let later = f
        .store
        .list(ListFilter::All, 1, 10, t0() + Duration::hours(2))
        .await
        .expect("list");
    assert_eq!(later.total, 6);
    let section = f
        .store
        .section_by_slug("ekonomi")
        .await
        .expect("q")
        .expect("exists");
    let empty = f
        .store
        .list(ListFilter::Section(section.id), 1, 10, t0())
        .await
        .expect("list");
    assert_eq!((empty.total, empty.last_page, empty.items.len()), (0, 1, 0));
}

#[tokio::test]
async fn tag_and_author_lists() {
    let f = fresh().await;
    seed(&f.store).await;
    f.store
        .create_article(input("Satu", &["Joko Widodo"], t0()), t0())
        .await
        .expect("create");
    f.store
        .create_article(input("Dua", &["Prabowo Subianto"], t0()), t0())
        .await
        .expect("create");
    let tag = f
        .store
        .tag_by_slug("joko-widodo")
        .await
        .expect("q")
        .expect("tag");
    let page = f
        .store
        .list(ListFilter::Tag(tag.id), 1, 10, t0())
        .await
        .expect("list");
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].headline, "Satu");
    let author = f
        .store
        .author_by_slug("rina")
        .await
        .expect("q")
        .expect("author");
    let page = f
        .store
        .list(ListFilter::Author(author.id), 1, 10, t0())
        .await
        .expect("list");
    assert_eq!(page.total, 2);
}

#[tokio::test]
async fn related_by_tags_ranks_shared_tags_then_recency() {
    let f = fresh().await;
    seed(&f.store).await;
    let me = f
        .store
        .create_article(
            input("Pusat", &["Trump", "Kim"], t0() - Duration::days(30)),
            t0(),
        )
        .await
        .expect("create");
    let both = f
        .store
        .create_article(
            input("Keduanya", &["Trump", "Kim"], t0() - Duration::days(20)),
            t0(),
        )
        .await
        .expect("create");
    let newer_one = f
        .store
        .create_article(
            input("Satu Baru", &["Trump"], t0() - Duration::days(1)),
            t0(),
        )
        .await
        .expect("create");
    let older_one = f
        .store
        .create_article(input("Satu Lama", &["Kim"], t0() - Duration::days(5)), t0())
        .await
        .expect("create");
    f.store
        .create_article(input("Lain", &["Jokowi"], t0()), t0())
        .await
        .expect("create");
    let related = f
        .store
        .related_by_tags(me.id, 10, t0())
        .await
        .expect("related");
    let ids: Vec<i64> = related.iter().map(|a| a.id).collect();
    assert_eq!(ids, [both.id, newer_one.id, older_one.id]);
    assert!(!ids.contains(&me.id));
    let two = f
        .store
        .related_by_tags(me.id, 2, t0())
        .await
        .expect("related");
    assert_eq!(two.len(), 2);
}

#[tokio::test]
async fn settings_round_trip_and_validate() {
    let f = fresh().await;
    assert_eq!(
        f.store.settings().await.expect("get"),
        SiteSettings::default()
    );
    let s = SiteSettings {
        sunday: "Ahad".into(),
        ..SiteSettings::default()
    };
    f.store.save_settings(&s).await.expect("save");
    assert_eq!(f.store.settings().await.expect("get").sunday, "Ahad");
    let bad = SiteSettings {
        time_zone: "Mars/Olympus".into(),
        ..SiteSettings::default()
    };
    assert!(f.store.save_settings(&bad).await.is_err());
    assert_eq!(f.store.settings().await.expect("get").sunday, "Ahad");
}

#[tokio::test]
async fn media_records_keep_caption_and_credit_apart() {
    let f = fresh().await;
    let m = f
        .store
        .insert_media(
            &NewMedia {
                file: "a.jpg".into(),
                mime: "image/jpeg".into(),
                width: 1280,
                height: 720,
                alt: "Pelabuhan".into(),
                caption: "Kapal bersandar.".into(),
                credit: "WARTA/Rina".into(),
                renditions: vec![],
            },
            t0(),
        )
        .await
        .expect("media");
    let back = f.store.media(m.id).await.expect("q").expect("exists");
    assert_eq!(back.caption, "Kapal bersandar.");
    assert_eq!(back.credit, "WARTA/Rina");
}

#[tokio::test]
async fn every_write_is_in_the_change_log() {
    let f = fresh().await;
    seed(&f.store).await;
    assert_eq!(f.store.last_change().await.expect("seq"), 0);
    let a = f
        .store
        .create_article(input("Satu", &[], t0()), t0())
        .await
        .expect("create");
    f.store
        .update_article(a.id, input("Satu", &[], t0()), t0())
        .await
        .expect("update");
    f.store.delete_article(a.id, t0()).await.expect("delete");
    assert_eq!(f.store.last_change().await.expect("seq"), 3);
    assert!(f.store.is_empty().await.expect("q"));
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("warta.db");
    std::fs::write(&path, vec![b'x'; 4096]).expect("write");
    let err = Store::open_sqlite(&path).await.expect_err("must fail");
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err:?}");
    assert!(err.to_string().contains("warta.db"), "{err}");
    assert!(err.to_string().contains("not a SQLite database"), "{err}");
}

#[tokio::test]
async fn an_all_or_nothing_writer_refuses_to_commit_after_a_failed_batch() {
    let f = fresh().await;
    seed(&f.store).await;
    let mut w = f.store.writer(t0()).await.expect("writer");
    w.all_or_nothing();
    w.write(vec![warta_store::ArticleWrite::new(input(
        "Baik",
        &[],
        t0(),
    ))])
    .await
    .expect("good batch");
    let mut bad = input("Buruk", &[], t0());
    bad.section = "tidak-ada".into();
    assert!(
        w.write(vec![warta_store::ArticleWrite::new(bad)])
            .await
            .is_err()
    );
    // Even a good batch is refused now, and so is the commit.
    assert!(
        w.write(vec![warta_store::ArticleWrite::new(input(
            "Lagi",
            &[],
            t0()
        ))])
        .await
        .is_err()
    );
    assert!(w.commit().await.is_err());
    assert!(f.store.is_empty().await.expect("q"));
}

#[tokio::test]
async fn saves_succeed_while_other_writers_commit_beside_them() {
    let f = fresh().await;
    seed(&f.store).await;
    let a = f
        .store
        .create_article(input("Sidang kabinet", &["Rina"], t0()), t0())
        .await
        .expect("article");
    // Another writer committing all the time (as the webhook log does beside saves).
    let other = f.store.clone();
    let busy = tokio::spawn(async move {
        for seq in 0..300 {
            other.set_webhook_cursor(seq).await.expect("cursor");
        }
    });
    for n in 0..30 {
        f.store
            .update_article(
                a.id,
                input(&format!("Sidang kabinet {n}"), &["Rina"], t0()),
                t0(),
            )
            .await
            .unwrap_or_else(|e| panic!("save {n} failed beside another writer: {e}"));
    }
    busy.await.expect("other writer");
    let last = f.store.article(a.id).await.expect("read");
    assert_eq!(last.headline, "Sidang kabinet 29");
}
