//! The store's behaviour, written against the `Store` API only so that every backend
//! runs the same suite: each test below runs once on a new SQLite file and once on a
//! new PostgreSQL schema (when `WARTA_TEST_POSTGRES_URL` names a server; `.ci/run`
//! sets it, and with `WARTA_REQUIRE_POSTGRES=1` a missing server fails the test
//! instead of skipping it).

use chrono::{DateTime, Duration, TimeZone, Utc};
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, SiteSettings, Status, TagKind, TagRef};
use warta_store::{DeskFilter, ListFilter, NewMedia, Store, StoreError};

#[macro_use]
#[path = "support/backends.rs"]
mod backends;
use backends::*;

on_both_backends!(
    create_and_read_back,
    published_article_keeps_its_slug_and_gains_an_update_time,
    a_failed_write_leaves_everything_as_it_was,
    lists_show_only_what_readers_may_see_newest_first,
    tag_and_author_lists,
    related_by_tags_ranks_shared_tags_then_recency,
    settings_round_trip_and_validate,
    media_records_keep_caption_and_credit_apart,
    every_write_is_in_the_change_log,
    an_all_or_nothing_writer_refuses_to_commit_after_a_failed_batch,
    saves_succeed_while_other_writers_commit_beside_them,
    related_lists_pins_excludes_and_visibility,
    imports_match_by_source_and_keep_legacy_paths,
    exports_months_and_ranges,
    webhook_log_and_api_keys,
    media_ids_from_uploads_and_batches_never_collide,
    deletes_are_logged_and_cascade,
    scheduled_and_embargoed_articles_go_live_once_at_their_time,
    two_nodes_racing_publish_a_scheduled_article_once,
    accounts_sessions_and_failed_logins,
    revisions_are_numbered_under_the_write_lock,
    translations_form_groups_and_show_only_visible_members,
    the_desk_filters_by_section_and_searches_headlines,
    seo_fields_round_trip_and_a_moved_story_keeps_its_old_address,
);

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
        seo: Default::default(),
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

async fn create_and_read_back(f: Fresh) {
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

async fn published_article_keeps_its_slug_and_gains_an_update_time(f: Fresh) {
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

async fn a_failed_write_leaves_everything_as_it_was(f: Fresh) {
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

async fn lists_show_only_what_readers_may_see_newest_first(f: Fresh) {
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

async fn tag_and_author_lists(f: Fresh) {
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

async fn related_by_tags_ranks_shared_tags_then_recency(f: Fresh) {
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

async fn settings_round_trip_and_validate(f: Fresh) {
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

async fn media_records_keep_caption_and_credit_apart(f: Fresh) {
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

async fn every_write_is_in_the_change_log(f: Fresh) {
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

async fn an_all_or_nothing_writer_refuses_to_commit_after_a_failed_batch(f: Fresh) {
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

async fn saves_succeed_while_other_writers_commit_beside_them(f: Fresh) {
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

async fn related_lists_pins_excludes_and_visibility(f: Fresh) {
    seed(&f.store).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let a = f
            .store
            .create_article(
                input(&format!("Berita {n}"), &["Kim"], t0() - Duration::hours(n)),
                t0(),
            )
            .await
            .expect("article");
        ids.push(a.id);
    }
    let later = f
        .store
        .create_article(input("Embargo", &[], t0() + Duration::hours(2)), t0())
        .await
        .expect("embargoed");
    let me = ids[0];
    assert_eq!(
        f.store.related_list(me, 10, t0()).await.expect("none"),
        None
    );
    f.store
        .save_related(
            me,
            &[(ids[1], 0.9), (ids[2], 0.8), (later.id, 0.7), (ids[3], 0.5)],
            t0(),
        )
        .await
        .expect("save");
    f.store
        .set_related_edits(
            me,
            &warta_store::RelatedEdits {
                pins: vec![ids[4]],
                excludes: vec![ids[2], ids[4]],
            },
        )
        .await
        .expect("edits");
    // The bulk rebuild's view of every exclude: only the one that is not also a pin.
    let excludes = f.store.related_excludes().await.expect("excludes");
    assert_eq!(excludes.get(&me), Some(&vec![ids[2]]), "{excludes:?}");
    assert_eq!(excludes.len(), 1, "{excludes:?}");
    let shown: Vec<i64> = f
        .store
        .related_list(me, 10, t0())
        .await
        .expect("list")
        .expect("computed")
        .iter()
        .map(|s| s.id)
        .collect();
    // The pin first (a pin wins over an exclude of the same article), the excluded
    // entry gone, the embargoed one not yet shown.
    assert_eq!(shown, vec![ids[4], ids[1], ids[3]]);
    let after: Vec<i64> = f
        .store
        .related_list(me, 10, t0() + Duration::hours(3))
        .await
        .expect("list")
        .expect("computed")
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(after, vec![ids[4], ids[1], later.id, ids[3]]);
    let scores = f.store.related_scores(me).await.expect("scores");
    assert_eq!(scores.len(), 4);
    assert!((scores[0].1 - 0.9).abs() < 1e-6, "{scores:?}");
    assert_eq!(f.store.lists_showing(ids[1]).await.expect("q"), vec![me]);
    let floors = f.store.list_floors(&[me, ids[1]]).await.expect("floors");
    assert_eq!(floors.get(&me).map(|x| x.0), Some(4));
    assert!(!floors.contains_key(&ids[1]));
    // Many lists at once; entries pointing at missing articles are left out.
    f.store
        .save_related_many(
            &[
                (ids[1], vec![(ids[2], 0.4), (999_999, 0.3)]),
                (ids[2], vec![]),
            ],
            t0(),
        )
        .await
        .expect("many");
    assert_eq!(f.store.related_scores(ids[1]).await.expect("q").len(), 1);
    let stale = f
        .store
        .stale_lists(t0() + Duration::seconds(1), 100, t0())
        .await
        .expect("stale");
    assert!(stale.contains(&ids[3]) && stale.contains(&me), "{stale:?}");
    assert!(!stale.contains(&later.id), "not visible yet: {stale:?}");
    // The sweep's frequent question: lists computed before then, from their index.
    let old = f
        .store
        .old_lists(t0() + Duration::seconds(1), 100, t0())
        .await
        .expect("old");
    for id in [me, ids[1], ids[2]] {
        assert!(old.contains(&id), "{id}: {old:?}");
    }
    assert!(old.iter().all(|id| stale.contains(id)), "{old:?} {stale:?}");
    assert!(
        f.store
            .old_lists(t0() - Duration::seconds(1), 100, t0())
            .await
            .expect("old")
            .is_empty()
    );
    f.store.set_related_cursor(42).await.expect("cursor");
    assert_eq!(f.store.related_cursor().await.expect("cursor"), 42);
    f.store.clear_related(me).await.expect("clear");
    assert!(f.store.related_scores(me).await.expect("q").is_empty());
}

async fn imports_match_by_source_and_keep_legacy_paths(f: Fresh) {
    seed(&f.store).await;
    let write = |headline: &str| {
        let mut w = warta_store::ArticleWrite::new(input(headline, &["Kim Jong Un"], t0()));
        w.source_id = Some("https://lama.example/1".into());
        w.legacy_paths = vec!["/read/2020/02/12/1.html".into()];
        w.media = vec![NewMedia {
            file: "https://lama.example/foto.jpg".into(),
            mime: "image/jpeg".into(),
            width: 800,
            height: 600,
            alt: "Foto".into(),
            caption: "Keterangan".into(),
            credit: "REUTERS".into(),
            renditions: vec![],
        }];
        w.input.hero_media_id = Some(-1);
        w
    };
    let mut w = f.store.writer(t0()).await.expect("writer");
    let first = w.write(vec![write("Pertama")]).await.expect("first");
    w.commit().await.expect("commit");
    let mut w = f.store.writer(t0()).await.expect("writer");
    let again = w.write(vec![write("Diperbarui")]).await.expect("again");
    w.commit().await.expect("commit");
    assert!(matches!(first[0], warta_store::Outcome::Created(_)));
    assert_eq!(again[0], warta_store::Outcome::Updated(first[0].id()));
    // The same once more: nothing to write, and no change logged.
    let logged = f.store.changes_after(0, 100).await.expect("changes").len();
    let mut w = f.store.writer(t0()).await.expect("writer");
    let same = w.write(vec![write("Diperbarui")]).await.expect("same");
    w.commit().await.expect("commit");
    assert_eq!(same[0], warta_store::Outcome::Unchanged(first[0].id()));
    assert_eq!(
        f.store.changes_after(0, 100).await.expect("changes").len(),
        logged
    );
    let a = f.store.article(first[0].id()).await.expect("article");
    assert_eq!(a.headline, "Diperbarui");
    assert_eq!(a.hero.as_ref().map(|m| m.credit.as_str()), Some("REUTERS"));
    assert_eq!(
        f.store
            .legacy_path("/read/2020/02/12/1.html")
            .await
            .expect("q"),
        Some(a.id)
    );
    assert_eq!(f.store.legacy_path("/lain").await.expect("q"), None);
    // Two articles with one source in one batch: refused, nothing written.
    let mut w = f.store.writer(t0()).await.expect("writer");
    let mut twin = write("Kembar");
    twin.source_id = Some("https://lama.example/2".into());
    let err = w
        .write(vec![twin.clone(), twin])
        .await
        .expect_err("twice in one batch");
    assert_eq!(err.index, Some(1));
    w.commit().await.expect("commit the rest");
    let page = f.store.export_page(0, 10).await.expect("export");
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].source_id.as_deref(), Some("https://lama.example/1"));
    assert_eq!(page[0].legacy_paths, vec!["/read/2020/02/12/1.html"]);
    // A slug given twice is refused by name.
    let mut one = input("Satu", &[], t0());
    one.slug = Some("sama".into());
    f.store
        .create_article(one.clone(), t0())
        .await
        .expect("one");
    let err = f.store.create_article(one, t0()).await.expect_err("taken");
    assert!(
        matches!(err, StoreError::SlugTaken(ref s) if s == "sama"),
        "{err}"
    );
}

async fn exports_months_and_ranges(f: Fresh) {
    seed(&f.store).await;
    let jan = Utc
        .with_ymd_and_hms(2024, 1, 31, 23, 30, 0)
        .single()
        .expect("date");
    let feb = Utc
        .with_ymd_and_hms(2024, 2, 1, 0, 30, 0)
        .single()
        .expect("date");
    let a = f
        .store
        .create_article(input("Januari", &[], jan), t0())
        .await
        .expect("a");
    let b = f
        .store
        .create_article(input("Februari", &[], feb), t0())
        .await
        .expect("b");
    let months = f.store.visible_months(t0()).await.expect("months");
    let names: Vec<&str> = months.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(names, vec!["2024-02", "2024-01"]);
    assert_eq!(months[1].last_modified, jan);
    assert_eq!(months[1].articles, 1);
    // The Indeks' days: in UTC the two fall on two days; seven hours east (WIB) both
    // are on the 1st of February, which was changed last by the February story.
    let day = |y, m, d| {
        (chrono::NaiveDate::from_ymd_opt(y, m, d).expect("day")
            - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch"))
        .num_days()
    };
    let utc = f.store.visible_days(0, t0()).await.expect("days");
    assert_eq!(utc, vec![(day(2024, 2, 1), feb), (day(2024, 1, 31), jan)]);
    let wib = f.store.visible_days(7 * 3600, t0()).await.expect("days");
    assert_eq!(wib, vec![(day(2024, 2, 1), feb)]);
    assert!(
        f.store
            .visible_days(0, jan - Duration::hours(1))
            .await
            .expect("none")
            .is_empty()
    );
    // The newest first; a sitemap's later files skip the first ones.
    let skipped = f
        .store
        .published_between_from(jan, feb + Duration::days(1), 1, 10, t0())
        .await
        .expect("skipped");
    assert_eq!(skipped.iter().map(|s| s.id).collect::<Vec<_>>(), vec![a.id]);
    let between = f
        .store
        .published_between(feb, feb + Duration::days(1), 10, t0())
        .await
        .expect("between");
    assert_eq!(between.iter().map(|s| s.id).collect::<Vec<_>>(), vec![b.id]);
    let all = f
        .store
        .articles_by_ids(&[b.id, a.id, 12345])
        .await
        .expect("ids");
    assert_eq!(
        all.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![a.id, b.id]
    );
    let page = f.store.export_page(a.id, 10).await.expect("page");
    assert_eq!(
        page.iter().map(|x| x.article.id).collect::<Vec<_>>(),
        vec![b.id]
    );
    // Read ahead a page of one at a time (a thread on a SQLite file, a task on
    // PostgreSQL): every article once, in id order, as the single pages give them.
    let mut rx = f.store.export_pages(1, false);
    let mut ids = Vec::new();
    while let Some(page) = rx.recv().await {
        let page = page.expect("page");
        assert!(page.len() <= 1);
        for full in page {
            let alone = f
                .store
                .export_page(full.article.id - 1, 1)
                .await
                .expect("alone");
            assert_eq!(format!("{:?}", alone[0]), format!("{full:?}"));
            ids.push(full.article.id);
        }
    }
    assert_eq!(ids, vec![a.id, b.id]);
}

async fn webhook_log_and_api_keys(f: Fresh) {
    assert_eq!(f.store.webhook_cursor().await.expect("cursor"), None);
    f.store.set_webhook_cursor(7).await.expect("cursor");
    assert_eq!(f.store.webhook_cursor().await.expect("cursor"), Some(7));
    let d = f
        .store
        .add_delivery(3, "published", "http://127.0.0.1:1/hook", "{}", t0())
        .await
        .expect("delivery");
    f.store
        .record_attempt(d, 2, "failed", "connection refused", t0())
        .await
        .expect("attempt");
    let log = f.store.deliveries(10).await.expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].attempts, log[0].status.as_str()), (2, "failed"));
    assert_eq!(
        f.store
            .last_webhook_event(3)
            .await
            .expect("last")
            .as_deref(),
        Some("published")
    );
    let id = f.store.add_api_key("mitra", "h1", t0()).await.expect("key");
    f.store.add_api_key("mitra", "h2", t0()).await.expect("key");
    assert!(
        f.store.add_api_key("lain", "h1", t0()).await.is_err(),
        "hash is unique"
    );
    assert_eq!(
        f.store
            .revoke_api_keys("mitra", t0())
            .await
            .expect("revoke"),
        2
    );
    assert_eq!(
        f.store
            .revoke_api_keys("mitra", t0())
            .await
            .expect("revoke"),
        0
    );
    let k = f
        .store
        .api_key_by_hash("h1")
        .await
        .expect("q")
        .expect("key");
    assert_eq!((k.id, k.revoked_at), (id, Some(t0())));
    assert_eq!(f.store.api_keys().await.expect("keys").len(), 2);
}

async fn media_ids_from_uploads_and_batches_never_collide(f: Fresh) {
    seed(&f.store).await;
    let m = |file: &str| NewMedia {
        file: file.into(),
        mime: "image/jpeg".into(),
        width: 10,
        height: 10,
        alt: "a".into(),
        caption: String::new(),
        credit: String::new(),
        renditions: vec![],
    };
    let up = f
        .store
        .insert_media(&m("satu.jpg"), t0())
        .await
        .expect("upload");
    let mut w = warta_store::ArticleWrite::new(input("Foto", &[], t0()));
    w.media = vec![m("dua.jpg")];
    w.input.hero_media_id = Some(-1);
    let id = f
        .store
        .writer(t0())
        .await
        .expect("writer")
        .write(vec![w])
        .await
        .expect("write")[0]
        .id();
    // (The writer above was dropped: rolled back. Write again and commit.)
    assert!(f.store.article(id).await.is_err());
    let mut w = warta_store::ArticleWrite::new(input("Foto", &[], t0()));
    w.media = vec![m("dua.jpg")];
    w.input.hero_media_id = Some(-1);
    let mut writer = f.store.writer(t0()).await.expect("writer");
    let id = writer.write(vec![w]).await.expect("write")[0].id();
    writer.commit().await.expect("commit");
    let hero = f.store.article(id).await.expect("a").hero.expect("hero");
    let up2 = f
        .store
        .insert_media(&m("tiga.jpg"), t0())
        .await
        .expect("upload");
    let mut all = vec![up.id, hero.id, up2.id];
    all.dedup();
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(
        f.store.media(up2.id).await.expect("q").map(|x| x.file),
        Some("tiga.jpg".into())
    );
}

async fn deletes_are_logged_and_cascade(f: Fresh) {
    seed(&f.store).await;
    let a = f
        .store
        .create_article(input("Hapus", &["Kim"], t0()), t0())
        .await
        .expect("a");
    let b = f
        .store
        .create_article(input("Tetap", &["Kim"], t0()), t0())
        .await
        .expect("b");
    f.store
        .save_related(b.id, &[(a.id, 0.5)], t0())
        .await
        .expect("related");
    let before = f.store.last_change().await.expect("seq");
    f.store.delete_article(a.id, t0()).await.expect("delete");
    let changes = f.store.changes_after(before, 10).await.expect("changes");
    assert_eq!(changes.len(), 1);
    assert!(changes[0].deleted && changes[0].article_id == a.id);
    assert!(f.store.related_scores(b.id).await.expect("q").is_empty());
    assert!(matches!(
        f.store.delete_article(a.id, t0()).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(
        f.store
            .related_by_tags(b.id, 5, t0())
            .await
            .expect("q")
            .len(),
        0
    );
}

async fn scheduled_and_embargoed_articles_go_live_once_at_their_time(f: Fresh) {
    seed(&f.store).await;
    let mut sched = input("Dijadwalkan", &[], t0() + Duration::hours(1));
    sched.status = Status::Scheduled;
    let sched = f
        .store
        .create_article(sched, t0())
        .await
        .expect("scheduled");
    let embargo = f
        .store
        .create_article(input("Embargo", &[], t0() + Duration::hours(2)), t0())
        .await
        .expect("embargoed");
    // The first call notes the time; nothing is due.
    assert!(f.store.publish_due(t0()).await.expect("due").is_empty());
    let at = t0() + Duration::minutes(90);
    let visible = |when| {
        let store = f.store.clone();
        async move {
            store
                .list(ListFilter::All, 1, 10, when)
                .await
                .expect("list")
                .items
                .iter()
                .map(|a| a.id)
                .collect::<Vec<_>>()
        }
    };
    assert!(
        !visible(at).await.contains(&sched.id),
        "not before it is published"
    );
    let seq = f.store.last_change().await.expect("seq");
    assert_eq!(f.store.publish_due(at).await.expect("due"), vec![sched.id]);
    assert!(f.store.publish_due(at).await.expect("again").is_empty());
    assert!(visible(at).await.contains(&sched.id));
    assert_eq!(
        f.store.article(sched.id).await.expect("a").status,
        Status::Published
    );
    let later = t0() + Duration::hours(3);
    assert_eq!(
        f.store.publish_due(later).await.expect("due"),
        vec![embargo.id]
    );
    assert!(f.store.publish_due(later).await.expect("again").is_empty());
    // Each going-live is one change, which is how search, webhooks and purges hear.
    let changes = f.store.changes_after(seq, 100).await.expect("changes");
    let ids: Vec<i64> = changes.iter().map(|c| c.article_id).collect();
    assert_eq!(ids, vec![sched.id, embargo.id]);
    // A call with a clock behind changes nothing and announces nothing again.
    assert!(f.store.publish_due(at).await.expect("behind").is_empty());
    assert!(f.store.publish_due(later).await.expect("again").is_empty());
}

async fn two_nodes_racing_publish_a_scheduled_article_once(f: Fresh) {
    seed(&f.store).await;
    let other = Store::open_url(&f.url).await.expect("a second node");
    assert!(f.store.publish_due(t0()).await.expect("first").is_empty());
    let mut ids = Vec::new();
    for n in 0..5 {
        let mut a = input(&format!("Jadwal {n}"), &[], t0() + Duration::minutes(n + 1));
        a.status = Status::Scheduled;
        ids.push(f.store.create_article(a, t0()).await.expect("scheduled").id);
    }
    let mut tasks = Vec::new();
    for round in 0..6i64 {
        let when = t0() + Duration::minutes(round) + Duration::seconds(30);
        for store in [
            f.store.clone(),
            other.clone(),
            f.store.clone(),
            other.clone(),
        ] {
            tasks.push(tokio::spawn(async move { store.publish_due(when).await }));
        }
    }
    let mut published = Vec::new();
    for t in tasks {
        published.extend(t.await.expect("task").expect("publish_due"));
    }
    published.sort_unstable();
    assert_eq!(
        published, ids,
        "each scheduled article published exactly once"
    );
    other.close().await;
}

async fn accounts_sessions_and_failed_logins(f: Fresh) {
    use warta_core::newsroom::Role;
    let s = &f.store;
    assert_eq!(s.user_count().await.expect("count"), 0);
    let u = s
        .add_user(
            "Rina@Warta.test",
            "Rina",
            Role::Editor,
            "hash-1",
            None,
            t0(),
        )
        .await
        .expect("user");
    assert_eq!(
        (u.email.as_str(), u.role, u.disabled),
        ("rina@warta.test", Role::Editor, false)
    );
    // Bad input: a taken address (any case), no name, no address.
    assert!(matches!(
        s.add_user("RINA@warta.test", "R", Role::Admin, "h", None, t0())
            .await,
        Err(StoreError::Taken { .. })
    ));
    assert!(
        s.add_user("x@warta.test", " ", Role::Admin, "h", None, t0())
            .await
            .is_err()
    );
    assert!(
        s.add_user("bukan-surel", "X", Role::Admin, "h", None, t0())
            .await
            .is_err()
    );
    let (found, hash) = s
        .user_by_email("rina@WARTA.test")
        .await
        .expect("q")
        .expect("found");
    assert_eq!((found.id, hash.as_str()), (u.id, "hash-1"));
    // Sessions: found by hash, expired ones still found (the caller says "expired"),
    // ended by a password change, a role change or disabling.
    s.create_session("tok-1", u.id, "csrf-1", t0(), t0() + Duration::hours(12))
        .await
        .expect("session");
    let got = s.session("tok-1").await.expect("q").expect("session");
    assert_eq!((got.user.id, got.csrf.as_str()), (u.id, "csrf-1"));
    assert!(
        s.set_password("rina@warta.test", "hash-2")
            .await
            .expect("set")
    );
    assert!(s.session("tok-1").await.expect("q").is_none());
    s.create_session("tok-2", u.id, "c", t0(), t0())
        .await
        .expect("session");
    assert!(s.set_disabled("rina@warta.test", true).await.expect("set"));
    assert!(s.session("tok-2").await.expect("q").is_none());
    assert!(s.user(u.id).await.expect("q").expect("u").disabled);
    assert!(
        !s.set_role("siapa@warta.test", Role::Admin)
            .await
            .expect("set")
    );
    // Failed logins counted per subject in a window, and cleared.
    let subjects = [
        "account:rina@warta.test".to_owned(),
        "address:127.0.0.1".to_owned(),
    ];
    for i in 0..3 {
        s.record_login_failure(&subjects, t0() + Duration::minutes(i))
            .await
            .expect("record");
    }
    assert_eq!(s.login_failures(&subjects[0], t0()).await.expect("n"), 3);
    assert_eq!(
        s.login_failures(&subjects[0], t0() + Duration::minutes(2))
            .await
            .expect("n"),
        1
    );
    s.clear_login_failures(&subjects[0]).await.expect("clear");
    assert_eq!(s.login_failures(&subjects[0], t0()).await.expect("n"), 0);
    assert_eq!(s.login_failures(&subjects[1], t0()).await.expect("n"), 3);
}

async fn revisions_are_numbered_under_the_write_lock(f: Fresh) {
    use warta_core::newsroom::Role;
    seed(&f.store).await;
    let s = &f.store;
    let u = s
        .add_user("a@warta.test", "Ana", Role::Editor, "h", None, t0())
        .await
        .expect("user");
    let a = s
        .create_article(input("Versi satu", &[], t0()), t0())
        .await
        .expect("a");
    assert_eq!(s.latest_revision(a.id).await.expect("n"), 0);
    for (i, headline) in ["Versi dua", "Versi tiga"].into_iter().enumerate() {
        let mut w = s.writer(t0()).await.expect("writer");
        assert_eq!(w.latest_revision(a.id).await.expect("n"), i as i64);
        let mut item = warta_store::ArticleWrite::new(input(headline, &[], t0()));
        item.id = Some(a.id);
        w.write(vec![item]).await.expect("write");
        let n = w
            .add_revision(a.id, Some(u.id), "saved", &input(headline, &[], t0()))
            .await
            .expect("revision");
        assert_eq!(n, i as i64 + 1);
        w.commit().await.expect("commit");
    }
    // A writer that rolls back keeps no revision.
    let mut w = s.writer(t0()).await.expect("writer");
    w.add_revision(a.id, None, "lost", &input("x", &[], t0()))
        .await
        .expect("rev");
    w.rollback().await.expect("rollback");
    let revs = s.revisions(a.id).await.expect("revisions");
    assert_eq!(revs.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(revs[0].user_name.as_deref(), Some("Ana"));
    let r1 = s.revision(a.id, 1).await.expect("q").expect("r1");
    assert_eq!(r1.content.headline, "Versi dua");
    assert!(s.revision(a.id, 9).await.expect("q").is_none());
    assert_eq!(s.article_owner(a.id).await.expect("owner"), Some(u.id));
    let desk = s
        .desk(
            &DeskFilter {
                status: Some(Status::Published),
                owner: Some(u.id),
                ..Default::default()
            },
            1,
            10,
        )
        .await
        .expect("desk");
    assert_eq!(desk.items.iter().map(|d| d.id).collect::<Vec<_>>(), [a.id]);
    assert_eq!(
        s.desk(
            &DeskFilter {
                status: Some(Status::Draft),
                ..Default::default()
            },
            1,
            10
        )
        .await
        .expect("desk")
        .total,
        0
    );
    // Deleting the article deletes its revisions.
    s.delete_article(a.id, t0()).await.expect("delete");
    assert!(s.revisions(a.id).await.expect("revisions").is_empty());
}

async fn the_desk_filters_by_section_and_searches_headlines(f: Fresh) {
    seed(&f.store).await;
    let s = &f.store;
    let mut ids = Vec::new();
    for (headline, section) in [
        ("Banjir Rob di Pesisir Utara", "dunia"),
        ("Harga Cabai Naik 50% Menjelang Natal", "ekonomi"),
        ("Rob Surut, Warga Pesisir Kembali", "dunia"),
        ("Suku_bunga Tetap", "ekonomi"),
    ] {
        let mut i = input(headline, &[], t0());
        i.section = section.into();
        ids.push(s.create_article(i, t0()).await.expect("a").id);
    }
    let find = |section: Option<&str>, query: &str| DeskFilter {
        section: section.map(str::to_owned),
        query: query.to_owned(),
        ..Default::default()
    };
    let found = |f: DeskFilter| async move {
        let mut v: Vec<i64> = s
            .desk(&f, 1, 50)
            .await
            .expect("desk")
            .items
            .iter()
            .map(|d| d.id)
            .collect();
        v.sort();
        v
    };
    // Words in any case and order; every word must be there.
    assert_eq!(found(find(None, "PESISIR rob")).await, [ids[0], ids[2]]);
    assert_eq!(found(find(None, "rob utara")).await, [ids[0]]);
    assert_eq!(found(find(Some("ekonomi"), "")).await, [ids[1], ids[3]]);
    assert_eq!(found(find(Some("ekonomi"), "rob")).await, Vec::<i64>::new());
    // LIKE's wild cards are plain characters here.
    assert_eq!(found(find(None, "50%")).await, [ids[1]]);
    assert_eq!(found(find(None, "_")).await, [ids[3]]);
    // A number finds that article.
    assert_eq!(found(find(None, &format!("#{}", ids[2]))).await, [ids[2]]);
    // The byline's name comes with each row.
    let page = s.desk(&find(None, "cabai"), 1, 10).await.expect("desk");
    assert_eq!(page.items[0].author, "Rina Wulandari");
    assert_eq!(page.total, 1);
}

async fn seo_fields_round_trip_and_a_moved_story_keeps_its_old_address(f: Fresh) {
    seed(&f.store).await;
    let s = &f.store;
    let mut i = input("Banjir Rob di Pesisir", &[], t0());
    i.seo.title = "Banjir rob Jakarta Utara".into();
    i.seo.description = " Air laut \u{0}naik. ".into();
    let a = s.create_article(i, t0()).await.expect("a");
    let back = s.article(a.id).await.expect("a");
    assert_eq!(back.seo.title, "Banjir rob Jakarta Utara");
    assert_eq!(back.seo.description, "Air laut naik.");
    // Too long: refused, naming the field.
    let mut long = back.to_input();
    long.seo.title = "x".repeat(201);
    let mut w = s.writer(t0()).await.expect("writer");
    let mut item = warta_store::ArticleWrite::new(long);
    item.id = Some(a.id);
    let e = w.write(vec![item]).await.expect_err("too long");
    assert!(e.to_string().contains("seo_title"), "{e}");
    drop(w);
    // A published story moves only when the write says so; the old path it gives
    // then answers for it.
    let mut moved = back.to_input();
    moved.slug = Some("rob-pesisir".into());
    let mut w = s.writer(t0()).await.expect("writer");
    let mut item = warta_store::ArticleWrite::new(moved.clone());
    item.id = Some(a.id);
    assert!(w.write(vec![item]).await.is_err(), "kept its address");
    drop(w);
    let mut w = s.writer(t0()).await.expect("writer");
    let mut item = warta_store::ArticleWrite::new(moved);
    item.id = Some(a.id);
    item.readdress = true;
    item.legacy_paths = vec!["/dunia/2024/05/01/banjir-rob-di-pesisir".into()];
    w.write(vec![item]).await.expect("moved");
    w.commit().await.expect("commit");
    assert_eq!(s.article(a.id).await.expect("a").slug, "rob-pesisir");
    assert_eq!(
        s.legacy_path("/dunia/2024/05/01/banjir-rob-di-pesisir")
            .await
            .expect("path"),
        Some(a.id)
    );
    assert_eq!(
        s.legacy_paths_of(a.id).await.expect("paths"),
        ["/dunia/2024/05/01/banjir-rob-di-pesisir"]
    );
    assert_eq!(
        s.slug_holder("rob-pesisir").await.expect("slug"),
        Some(a.id)
    );
    // The slug it left is still its own: a new story with that headline gets another,
    // one asking for it by name is refused.
    assert_eq!(
        s.slug_holder("banjir-rob-di-pesisir").await.expect("slug"),
        Some(a.id)
    );
    let b = s
        .create_article(input("Banjir Rob di Pesisir", &[], t0()), t0())
        .await
        .expect("b");
    assert_eq!(b.slug, "banjir-rob-di-pesisir-2");
    let mut named = input("Lain", &[], t0());
    named.slug = Some("banjir-rob-di-pesisir".into());
    assert!(s.create_article(named, t0()).await.is_err());
    // Moving back to it gives it back.
    let mut back = s.article(a.id).await.expect("a").to_input();
    back.slug = Some("banjir-rob-di-pesisir".into());
    let mut w = s.writer(t0()).await.expect("writer");
    let mut item = warta_store::ArticleWrite::new(back);
    item.id = Some(a.id);
    item.readdress = true;
    w.write(vec![item]).await.expect("moved back");
    w.commit().await.expect("commit");
    assert_eq!(
        s.article(a.id).await.expect("a").slug,
        "banjir-rob-di-pesisir"
    );
    assert_eq!(
        s.slug_holder("rob-pesisir").await.expect("slug"),
        Some(a.id)
    );
}

async fn translations_form_groups_and_show_only_visible_members(f: Fresh) {
    seed(&f.store).await;
    let s = &f.store;
    let id = s
        .create_article(input("Banjir di Jakarta", &[], t0()), t0())
        .await
        .expect("a");
    let mut en = input("Floods in Jakarta", &[], t0());
    en.language = "en".into();
    let en = s.create_article(en, t0()).await.expect("en");
    let mut later = input("Inondations", &[], t0() + Duration::days(1));
    later.language = "fr".into();
    let fr = s.create_article(later, t0()).await.expect("fr");
    assert!(s.translations(id.id, t0()).await.expect("q").is_empty());
    let before = s.last_change().await.expect("seq");
    s.set_translation_of(en.id, Some(id.id), t0())
        .await
        .expect("link");
    s.set_translation_of(fr.id, Some(en.id), t0())
        .await
        .expect("link");
    // Every member whose translations changed is in the change log.
    let changed: std::collections::BTreeSet<i64> = s
        .changes_after(before, 20)
        .await
        .expect("changes")
        .iter()
        .map(|c| c.article_id)
        .collect();
    assert_eq!(changed, [id.id, en.id, fr.id].into_iter().collect());
    let langs =
        |v: Vec<warta_store::Translation>| v.into_iter().map(|t| t.language).collect::<Vec<_>>();
    // The French one is embargoed until tomorrow: not yet shown.
    assert_eq!(
        langs(s.translations(fr.id, t0()).await.expect("q")),
        ["en", "id"]
    );
    assert_eq!(
        langs(
            s.translations(id.id, t0() + Duration::days(2))
                .await
                .expect("q")
        ),
        ["en", "fr", "id"]
    );
    assert_eq!(s.translation_of(fr.id).await.expect("q"), Some(id.id));
    assert_eq!(s.translation_of(id.id).await.expect("q"), None);
    let roots = s.translation_roots().await.expect("roots");
    assert_eq!(roots.get(&fr.id), Some(&id.slug));
    // Bad input: itself, or an article that does not exist.
    assert!(
        s.set_translation_of(id.id, Some(id.id), t0())
            .await
            .is_err()
    );
    assert!(matches!(
        s.set_translation_of(id.id, Some(9_999), t0()).await,
        Err(StoreError::NotFound { .. })
    ));
    // The root leaves: the others stay together; the last pair parted, nothing is left.
    s.set_translation_of(id.id, None, t0())
        .await
        .expect("unlink");
    assert!(s.translations(id.id, t0()).await.expect("q").is_empty());
    assert_eq!(
        langs(
            s.translations(en.id, t0() + Duration::days(2))
                .await
                .expect("q")
        ),
        ["en", "fr"]
    );
    s.set_translation_of(fr.id, None, t0())
        .await
        .expect("unlink");
    assert!(
        s.translations(en.id, t0() + Duration::days(2))
            .await
            .expect("q")
            .is_empty()
    );
}
