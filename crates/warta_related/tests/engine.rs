//! The engine on the demo site: events come first, new coverage enters old lists
//! incrementally, pins and excludes hold, odd articles give sensible lists.

use chrono::{DateTime, Duration, TimeZone, Utc};
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, Status, TagKind, TagRef};
use warta_related::Engine;
use warta_search::{SearchIndex, StemmerKind};
use warta_store::{RelatedEdits, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0)
        .single()
        .expect("date")
}

struct Site {
    engine: Engine,
    _dir: tempfile::TempDir,
}

async fn demo() -> Site {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    warta_demo::seed(&store, &dir.path().join("media"), now())
        .await
        .expect("demo");
    let index =
        SearchIndex::open(&dir.path().join("search"), StemmerKind::Dictionary).expect("index");
    let engine = Engine::new(store, index);
    sync(&engine).await;
    Site { engine, _dir: dir }
}

async fn sync(e: &Engine) -> warta_related::Progress {
    e.index.catch_up(&e.store).await.expect("index");
    e.catch_up(now()).await.expect("related")
}

async fn id_of(e: &Engine, headline_start: &str) -> i64 {
    let ids: Vec<i64> = (1..=40).collect();
    e.store
        .articles_by_ids(&ids)
        .await
        .expect("articles")
        .into_iter()
        .find(|a| a.headline.starts_with(headline_start))
        .map(|a| a.id)
        .unwrap_or_else(|| panic!("no article {headline_start}"))
}

async fn set_edits(e: &Engine, id: i64, pins: Vec<i64>, excludes: Vec<i64>) {
    e.store
        .set_related_edits(id, &RelatedEdits { pins, excludes })
        .await
        .expect("edits");
}

async fn related_headlines(e: &Engine, id: i64) -> Vec<String> {
    e.store
        .related_list(id, 10, now())
        .await
        .expect("list")
        .expect("computed")
        .into_iter()
        .map(|a| a.headline)
        .collect()
}

fn article(headline: &str, body: &str, tags: &[(TagKind, &str)]) -> ArticleInput {
    let mut a = ArticleInput::empty();
    a.headline = headline.to_owned();
    a.section = "dunia".to_owned();
    a.body = body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| Block::Paragraph {
            html: SafeHtml::from_text(p),
        })
        .collect();
    a.tags = tags
        .iter()
        .map(|(kind, name)| TagRef {
            kind: *kind,
            name: (*name).to_owned(),
        })
        .collect();
    a.status = Status::Published;
    a.published_at = Some(now() - Duration::minutes(10));
    a
}

#[tokio::test]
async fn the_same_event_comes_first() {
    let site = demo().await;
    let e = &site.engine;
    let bekasi = id_of(e, "Ribuan Warga Bekasi").await;
    let got = related_headlines(e, bekasi).await;
    let flood = [
        "Hujan Deras Semalaman",
        "Gubernur Hendra Saputra Janjikan",
        "Air Surut",
    ];
    assert!(
        got.iter()
            .take(3)
            .all(|h| flood.iter().any(|f| h.starts_with(f))),
        "{got:?}"
    );
    let ktt = id_of(e, "KTT ASEAN Makassar Sepakati").await;
    let got = related_headlines(e, ktt).await;
    assert!(
        got.iter()
            .take(3)
            .all(|h| h.contains("KTT") || h.contains("Ratna") || h.contains("Makassar")),
        "{got:?}"
    );
}

#[tokio::test]
async fn a_new_article_enters_old_lists_without_recomputing_the_archive() {
    let site = demo().await;
    let e = &site.engine;
    let rudal = id_of(e, "Korea Utara Luncurkan Rudal").await;
    let new = article(
        "Korea Utara Kembali Uji Rudal Balistik, Jepang Protes",
        "Korea Utara kembali meluncurkan rudal balistik ke arah Laut Jepang pada Kamis pagi, \
         sepekan setelah uji rudal sebelumnya.\n\nKepala Staf Gabungan Korea Selatan menyebut \
         rudal terbang sekitar 700 kilometer. Jepang memprotes peluncuran itu.",
        &[(TagKind::Place, "Korea Utara"), (TagKind::Topic, "Rudal")],
    );
    let created = e.store.create_article(new, now()).await.expect("create");
    let p = sync(e).await;
    assert_eq!(p.changes, 1);
    // Its own list and the few it enters: far fewer than the 29 articles.
    assert!(p.lists >= 2 && p.lists <= 12, "{p:?}");
    let got = related_headlines(e, rudal).await;
    assert_eq!(
        got.first().map(String::as_str),
        Some("Korea Utara Kembali Uji Rudal Balistik, Jepang Protes"),
        "{got:?}"
    );

    // Unpublished: it leaves the lists at once (the page hides it) and for good.
    let mut gone = e.store.article(created.id).await.expect("article");
    gone.status = Status::Unpublished;
    let mut input = article(&gone.headline, "Ditarik.", &[]);
    input.status = Status::Unpublished;
    input.slug = Some(gone.slug.clone());
    e.store
        .update_article(created.id, input, now())
        .await
        .expect("unpublish");
    assert!(
        !related_headlines(e, rudal)
            .await
            .iter()
            .any(|h| h.contains("Kembali Uji"))
    );
    sync(e).await;
    let scores = e.store.related_scores(rudal).await.expect("scores");
    assert!(!scores.iter().any(|(id, _)| *id == created.id));
}

#[tokio::test]
async fn pins_come_first_excludes_never_and_dead_pins_are_skipped() {
    let site = demo().await;
    let e = &site.engine;
    let bekasi = id_of(e, "Ribuan Warga Bekasi").await;
    let coffee = id_of(e, "Festival Kopi Gayo").await;
    let rain = id_of(e, "Hujan Deras Semalaman").await;
    let football = id_of(e, "Timnas Indonesia Tundukkan").await;
    let doomed = e
        .store
        .create_article(
            article("Artikel Akan Dihapus", "Sebentar saja.", &[]),
            now(),
        )
        .await
        .expect("create");
    set_edits(e, bekasi, vec![doomed.id, football, coffee], vec![rain]).await;
    e.store
        .delete_article(doomed.id, now())
        .await
        .expect("delete");
    sync(e).await;
    e.refresh(bekasi, now()).await.expect("refresh");
    let got = related_headlines(e, bekasi).await;
    // Live pins first, in the editor's order.
    assert!(got[0].starts_with("Timnas Indonesia Tundukkan"), "{got:?}");
    assert!(got[1].starts_with("Festival Kopi Gayo"), "{got:?}");
    assert!(!got.iter().any(|h| h.starts_with("Hujan Deras")), "{got:?}");
    assert!(
        !got.iter().any(|h| h.starts_with("Artikel Akan")),
        "{got:?}"
    );
}

/// Articles with no text, one word, only stop words, 100,000 words, another language.
fn odd_articles() -> [(&'static str, String); 5] {
    [
        ("Kosong", String::new()),
        ("Satu", "kata".to_owned()),
        (
            "Hanya Kata Tugas",
            "yang dan di ke dari untuk pada".to_owned(),
        ),
        (
            "Panjang Sekali",
            // 250 paragraphs of 400 words (a paragraph holds at most 20,000
            // characters).
            format!("{}\n\n", "banjir jakarta pompa warga ".repeat(100)).repeat(250),
        ),
        (
            "An English Story About Coffee",
            "Farmers in the highlands brought their best beans to the festival.".to_owned(),
        ),
    ]
}

#[tokio::test]
async fn odd_articles_get_sensible_lists_and_no_error() {
    let site = demo().await;
    let e = &site.engine;
    for (headline, body) in odd_articles() {
        let a = e
            .store
            .create_article(article(headline, &body, &[]), now())
            .await
            .expect("create");
        sync(e).await;
        let list = e.refresh(a.id, now()).await.expect(headline);
        assert!(list.len() <= 10);
        assert!(!list.iter().any(|(id, _)| *id == a.id));
    }
    // The long one is about floods: its list says so.
    let long_id = id_of(e, "Panjang Sekali").await;
    let got = related_headlines(e, long_id).await;
    assert!(
        got.iter()
            .take(2)
            .any(|h| h.contains("Banjir") || h.contains("Hujan")),
        "{got:?}"
    );
}

/// The related block is served from memory between writes; an embargoed pin still
/// appears at its time, not a cache lifetime later.
#[tokio::test]
async fn a_cached_block_shows_an_embargoed_pin_on_time() {
    let site = demo().await;
    let e = &site.engine;
    let bekasi = id_of(e, "Ribuan Warga Bekasi").await;
    let mut embargoed = article("Laporan Akhir Banjir Bekasi Dirilis", "Laporan.", &[]);
    embargoed.status = Status::Published;
    embargoed.published_at = Some(now() + Duration::seconds(30));
    let embargoed = e
        .store
        .create_article(embargoed, now())
        .await
        .expect("create");
    set_edits(e, bekasi, vec![embargoed.id], Vec::new()).await;
    let read = |at: DateTime<Utc>| async move {
        e.store
            .related_list(bekasi, 10, at)
            .await
            .expect("list")
            .expect("computed")
            .into_iter()
            .map(|a| a.headline)
            .collect::<Vec<_>>()
    };
    let before = read(now()).await;
    assert!(
        !before.iter().any(|h| h.starts_with("Laporan Akhir")),
        "{before:?}"
    );
    assert_eq!(read(now() + Duration::seconds(10)).await, before, "cached");
    let after = read(now() + Duration::seconds(31)).await;
    assert_eq!(
        after.first().map(String::as_str),
        Some("Laporan Akhir Banjir Bekasi Dirilis")
    );
}

/// The same archive gives the same list every time (no hash-map order in it).
#[tokio::test]
async fn lists_are_the_same_every_time() {
    let site = demo().await;
    let e = &site.engine;
    for headline in [
        "Ribuan Warga Bekasi",
        "Timnas Indonesia Tundukkan",
        "Festival Kopi Gayo",
    ] {
        let id = id_of(e, headline).await;
        let first = e.compute(id, now()).await.expect("compute");
        for _ in 0..8 {
            assert_eq!(
                e.compute(id, now()).await.expect("compute"),
                first,
                "{headline}"
            );
        }
    }
}

/// The bulk rebuild stores what refreshing each article one by one stores.
#[tokio::test]
async fn bulk_rebuild_stores_the_same_lists_as_one_by_one() {
    let site = demo().await;
    let e = &site.engine;
    let ids: Vec<i64> = (1..=28).collect();
    let mut one_by_one = Vec::new();
    for id in &ids {
        e.refresh(*id, now()).await.expect("refresh");
        one_by_one.push(e.store.related_scores(*id).await.expect("scores"));
    }
    for id in &ids {
        e.store.clear_related(*id).await.expect("clear");
    }
    assert_eq!(e.rebuild(&ids, now()).await.expect("rebuild"), ids.len());
    for (id, want) in ids.iter().zip(&one_by_one) {
        let got = e.store.related_scores(*id).await.expect("scores");
        assert_eq!(&got, want, "article {id}");
        assert!(!got.is_empty(), "article {id} has a list");
    }
}

/// The archive-wide rebuild (pruned postings, what an import or a rebuild of many
/// lists uses) keeps an event's articles first, honours excludes, leaves out what
/// readers cannot see, and gives odd articles a sensible list without an error.
#[tokio::test]
async fn the_archive_wide_rebuild_keeps_events_first_and_skips_what_is_hidden() {
    let site = demo().await;
    let e = &site.engine;
    let bekasi = id_of(e, "Ribuan Warga Bekasi").await;
    let rain = id_of(e, "Hujan Deras Semalaman").await;
    let mut embargoed = article(
        "Banjir Bekasi Warga Mengungsi Pompa Air",
        "Banjir di Bekasi membuat ribuan warga mengungsi; pompa air dikerahkan.",
        &[],
    );
    embargoed.published_at = Some(now() + Duration::hours(2));
    let embargoed = e
        .store
        .create_article(embargoed, now())
        .await
        .expect("create");
    let mut odd = Vec::new();
    for (headline, body) in odd_articles() {
        let a = e
            .store
            .create_article(article(headline, &body, &[]), now())
            .await
            .expect("create");
        odd.push(a.id);
    }
    sync(e).await;
    set_edits(e, bekasi, Vec::new(), vec![rain]).await;
    let last = e.store.last_change().await.expect("last");
    let ids: Vec<i64> = (1..=last).collect();
    let bulk = e.index.bulk_neighbours().expect("bulk");
    let excludes = e.store.related_excludes().await.expect("excludes");
    let first = e.lists_from(&bulk, &ids, &excludes, now()).expect("lists");
    // The same archive, the same lists (no thread or hash-map order in them).
    assert_eq!(
        e.lists_from(&bulk, &ids, &excludes, now()).expect("lists"),
        first
    );
    assert_eq!(
        e.rebuild_bulk(&ids, now()).await.expect("rebuild"),
        ids.len()
    );
    let got = related_headlines(e, bekasi).await;
    let flood = ["Gubernur Hendra Saputra Janjikan", "Air Surut"];
    assert!(
        got.iter()
            .take(2)
            .all(|h| flood.iter().any(|f| h.starts_with(f))),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|h| h.starts_with("Hujan Deras")),
        "excluded: {got:?}"
    );
    for (id, list) in &first {
        let Some(list) = list else {
            // Only the embargoed article is not visible yet: no list of its own.
            assert_eq!(*id, embargoed.id);
            continue;
        };
        assert!(list.len() <= 10, "article {id}");
        assert!(
            !list.iter().any(|(x, _)| *x == *id || *x == embargoed.id),
            "article {id}: {list:?}"
        );
        let stored: Vec<i64> = e
            .store
            .related_scores(*id)
            .await
            .expect("scores")
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(
            stored,
            list.iter().map(|x| x.0).collect::<Vec<_>>(),
            "article {id}"
        );
    }
    let long = id_of(e, "Panjang Sekali").await;
    assert!(odd.contains(&long));
    let got = related_headlines(e, long).await;
    assert!(
        got.iter()
            .take(2)
            .any(|h| h.contains("Banjir") || h.contains("Hujan")),
        "{got:?}"
    );
}
