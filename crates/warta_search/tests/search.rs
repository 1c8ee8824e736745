//! The index against a real store: the demo site indexed, searched with inflected
//! forms, phrases, filters and hostile strings, and kept in step with writes.

use chrono::{DateTime, Duration, TimeZone, Utc};
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, Status, TagKind, TagRef};
use warta_search::{SearchIndex, SearchRequest, Sort, StemmerKind};
use warta_store::Store;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0)
        .single()
        .expect("date")
}

struct Site {
    store: Store,
    index: SearchIndex,
    dir: tempfile::TempDir,
}

async fn demo_site(kind: StemmerKind) -> Site {
    let dir = tempfile::tempdir().expect("dir");
    let store = Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("store");
    warta_demo::seed(&store, &dir.path().join("media"), now())
        .await
        .expect("demo");
    let index = SearchIndex::open(&dir.path().join("search"), kind).expect("index");
    index.catch_up(&store).await.expect("catch up");
    Site { store, index, dir }
}

fn req(q: &str) -> SearchRequest {
    SearchRequest {
        q: q.to_owned(),
        page: 1,
        per_page: 10,
        ..SearchRequest::default()
    }
}

fn headlines(site: &Site, r: &SearchRequest) -> Vec<String> {
    site.index
        .search(r, now())
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.headline)
        .collect()
}

fn article(headline: &str, body: &str) -> ArticleInput {
    let mut a = ArticleInput::empty();
    a.headline = headline.to_owned();
    a.section = "nasional".to_owned();
    a.body = vec![Block::Paragraph {
        html: SafeHtml::from_text(body),
    }];
    a.status = Status::Published;
    a.published_at = Some(now() - Duration::hours(1));
    a.tags = vec![TagRef {
        kind: TagKind::Topic,
        name: "Uji".into(),
    }];
    a
}

#[tokio::test]
async fn an_inflected_form_finds_the_other_form_of_its_root() {
    let site = demo_site(StemmerKind::Dictionary).await;
    assert!(site.index.num_docs() >= 20);
    // The Bekasi story says `mengungsi` and `Pengungsi`, never `pengungsian`.
    let got = headlines(&site, &req("pengungsian bekasi"));
    assert!(
        got.first().is_some_and(|h| h.contains("Bekasi Mengungsi")),
        "{got:?}"
    );
    // Without stemming the same query finds nothing with both words.
    let plain = demo_site(StemmerKind::None).await;
    assert!(headlines(&plain, &req("pengungsian bekasi")).is_empty());
}

#[tokio::test]
async fn results_have_highlighted_snippets_and_filters_narrow_them() {
    let site = demo_site(StemmerKind::Dictionary).await;
    let r = site.index.search(&req("rudal"), now()).expect("search");
    assert!(r.total >= 2, "{r:?}");
    assert!(r.hits[0].snippet_html.contains("<b>"), "{:?}", r.hits[0]);
    let mut only_economy = req("rudal");
    only_economy.section = Some("ekonomi".into());
    assert_eq!(site.index.search(&only_economy, now()).expect("s").total, 0);
    let mut by_tag = req("");
    by_tag.tag = Some("banjir".into());
    let r = site.index.search(&by_tag, now()).expect("search");
    assert!(r.total >= 3 && !r.empty_query, "{r:?}");
    // Newest first when asked.
    let mut newest = req("banjir");
    newest.sort = Sort::Newest;
    let r = site.index.search(&newest, now()).expect("search");
    assert!(
        r.hits
            .windows(2)
            .all(|w| w[0].published_at >= w[1].published_at)
    );
    // A date range that ends before everything finds nothing.
    let mut old = req("banjir");
    old.to = Some(now() - Duration::days(3650));
    assert_eq!(site.index.search(&old, now()).expect("s").total, 0);
}

#[tokio::test]
async fn phrases_and_exclusions() {
    let site = demo_site(StemmerKind::Dictionary).await;
    let phrase = headlines(&site, &req("\"korea utara\""));
    assert!(!phrase.is_empty());
    let words = site.index.search(&req("korea utara"), now()).expect("s");
    let excluded = site
        .index
        .search(&req("korea utara -rudal"), now())
        .expect("s");
    assert!(
        excluded.total < words.total,
        "{} vs {}",
        excluded.total,
        words.total
    );
}

#[tokio::test]
async fn a_misspelt_word_gets_a_suggestion() {
    let site = demo_site(StemmerKind::Dictionary).await;
    let r = site.index.search(&req("bnajir jakarta"), now()).expect("s");
    assert_eq!(r.suggestion.as_deref(), Some("banjir jakarta"), "{r:?}");
    let r = site.index.search(&req("banjir"), now()).expect("s");
    assert_eq!(r.suggestion, None);
}

#[tokio::test]
async fn hostile_queries_give_results_or_an_empty_answer() {
    let site = demo_site(StemmerKind::Dictionary).await;
    let long = "banjir ".repeat(1_500);
    for q in [
        "\"kim jong",
        "-",
        "--",
        "\"\"",
        &long,
        "a\u{0}b\u{1}\u{7f}",
        "😀🔥",
        "مرحبا بالعالم",
        "'; DROP TABLE articles; --",
        "headline:banjir AND (rudal OR",
        "*",
        "~2^3",
        "yang dan di",
    ] {
        let r = site.index.search(&req(q), now()).expect(q);
        assert!(r.hits.len() <= 10);
    }
    assert!(site.index.search(&req(&long), now()).expect("s").truncated);
    assert!(
        site.index
            .search(&req("yang dan di"), now())
            .expect("s")
            .empty_query
    );
}

/// The demo site with one more story, "Zebra Lepas di Ragunan", found by `zebra`.
async fn zebra_site() -> (Site, warta_core::Article) {
    let site = demo_site(StemmerKind::Dictionary).await;
    let a = site
        .store
        .create_article(
            article("Zebra Lepas di Ragunan", "Seekor zebra lepas."),
            now(),
        )
        .await
        .expect("create");
    site.index.catch_up(&site.store).await.expect("catch up");
    assert_eq!(headlines(&site, &req("zebra")), ["Zebra Lepas di Ragunan"]);
    (site, a)
}

#[tokio::test]
async fn writes_show_in_search_after_a_catch_up() {
    let (site, a) = zebra_site().await;

    let mut changed = article("Zebra Kembali ke Kandang", "Zebra itu kembali.");
    changed.slug = Some(a.slug.clone());
    site.store
        .update_article(a.id, changed.clone(), now())
        .await
        .expect("update");
    site.index.catch_up(&site.store).await.expect("catch up");
    assert_eq!(
        headlines(&site, &req("zebra")),
        ["Zebra Kembali ke Kandang"]
    );

    changed.status = Status::Unpublished;
    site.store
        .update_article(a.id, changed, now())
        .await
        .expect("unpublish");
    site.index.catch_up(&site.store).await.expect("catch up");
    assert!(headlines(&site, &req("zebra")).is_empty());

    let b = site
        .store
        .create_article(article("Zebra Kedua", "Zebra lain."), now())
        .await
        .expect("create");
    site.index.catch_up(&site.store).await.expect("catch up");
    assert_eq!(headlines(&site, &req("zebra")).len(), 1);
    site.store
        .delete_article(b.id, now())
        .await
        .expect("delete");
    site.index.catch_up(&site.store).await.expect("catch up");
    assert!(headlines(&site, &req("zebra")).is_empty());
}

#[tokio::test]
async fn a_repeated_search_is_answered_from_memory_until_the_index_changes() {
    let (site, a) = zebra_site().await;
    assert_eq!(site.index.searches_remembered(), 0);
    // A catch-up with nothing new reloads the reader, as the follow loop does four
    // times a second: the same segments, so the same answer.
    assert_eq!(site.index.catch_up(&site.store).await.expect("catch up"), 0);
    assert_eq!(headlines(&site, &req("zebra")), ["Zebra Lepas di Ragunan"]);
    assert_eq!(site.index.searches_remembered(), 1);
    // Another page, sort or filter is another search.
    let mut newest = req("zebra");
    newest.sort = Sort::Newest;
    assert_eq!(headlines(&site, &newest), ["Zebra Lepas di Ragunan"]);
    assert_eq!(site.index.searches_remembered(), 1);

    let mut changed = article("Zebra Kembali ke Kandang", "Zebra itu kembali.");
    changed.slug = Some(a.slug.clone());
    site.store
        .update_article(a.id, changed, now())
        .await
        .expect("update");
    site.index.catch_up(&site.store).await.expect("catch up");
    assert_eq!(
        headlines(&site, &req("zebra")),
        ["Zebra Kembali ke Kandang"]
    );
    assert_eq!(site.index.searches_remembered(), 1);
}

#[tokio::test]
async fn an_embargoed_article_is_not_found_before_its_time() {
    let site = demo_site(StemmerKind::Dictionary).await;
    let mut a = article("Embargo Laporan Zebra", "Laporan tentang zebra.");
    a.published_at = Some(now() + Duration::hours(2));
    site.store.create_article(a, now()).await.expect("create");
    site.index.catch_up(&site.store).await.expect("catch up");
    assert!(headlines(&site, &req("zebra")).is_empty());
    let later = now() + Duration::hours(3);
    let r = site.index.search(&req("zebra"), later).expect("search");
    assert_eq!(r.total, 1);
    // While something is embargoed, nothing is kept: the clock changes the answer.
    assert!(headlines(&site, &req("zebra")).is_empty());
    assert_eq!(site.index.searches_remembered(), 0);
}

#[tokio::test]
async fn a_crash_between_store_and_index_heals_at_the_next_start() {
    let site = demo_site(StemmerKind::Dictionary).await;
    let seq = site.index.seq().expect("seq");
    // Written while no index was following (as if the process died before indexing).
    site.store
        .create_article(article("Zebra Saat Mati Listrik", "Zebra."), now())
        .await
        .expect("create");
    let dir = site.dir.path().join("search");
    drop(site.index);
    let reopened = SearchIndex::open(&dir, StemmerKind::Dictionary).expect("reopen");
    assert_eq!(reopened.seq().expect("seq"), seq);
    assert!(reopened.catch_up(&site.store).await.expect("catch up") >= 1);
    let r = reopened.search(&req("zebra"), now()).expect("search");
    assert_eq!(r.total, 1);
}

#[tokio::test]
async fn a_rebuild_swaps_generations_under_a_live_index() {
    let site = demo_site(StemmerKind::None).await;
    let dir = site.dir.path().join("search");
    assert_eq!(site.index.stemmer(), StemmerKind::None);
    let n = SearchIndex::rebuild(&dir, &site.store, StemmerKind::Dictionary)
        .await
        .expect("rebuild");
    assert_eq!(n, site.index.num_docs());
    // The live handle keeps answering, then follows the new generation.
    assert!(!headlines(&site, &req("banjir")).is_empty());
    site.index.catch_up(&site.store).await.expect("catch up");
    assert_eq!(site.index.stemmer(), StemmerKind::Dictionary);
    assert!(!headlines(&site, &req("pengungsian bekasi")).is_empty());
    let gens: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    assert_eq!(gens, ["gen-2"]);
}

/// The archive-wide pass scores a candidate's text exactly as the one-by-one path
/// does (coverage of the article's telling words by the candidate's whole text), also
/// when the candidate's body is longer than what its own telling words are read from.
#[tokio::test]
async fn bulk_neighbours_score_text_exactly_as_one_by_one() {
    let site = demo_site(StemmerKind::Dictionary).await;
    let mut rare = article(
        "Zebrakuda Langka Terlihat di Taman Nasional Gununghijau",
        "Petugas Taman Nasional Gununghijau melihat zebrakuda di lembah utara.",
    );
    rare.tags.clear();
    let rare = site
        .store
        .create_article(rare, now())
        .await
        .expect("create");
    let filler = "Pengunjung menikmati udara sejuk dan jalur pendakian yang ramai. ";
    let mut long_body = filler.repeat(21_000 / filler.len() + 1);
    long_body.push_str("Di ujung jalur, seekor zebrakuda terlihat.");
    let mut long = article(
        "Taman Nasional Gununghijau Dibuka Lagi untuk Pendaki",
        &format!("Gununghijau menerima pendaki lagi. {long_body}"),
    );
    long.tags.clear();
    // Cut at sentence ends into paragraphs that fit the limit, as importers cut it.
    warta_core::limits::split_long_paragraphs(&mut long.body);
    let long = site
        .store
        .create_article(long, now())
        .await
        .expect("create");
    site.index.catch_up(&site.store).await.expect("catch up");

    let bulk = site.index.bulk_neighbours().expect("bulk");
    let mut scratch = bulk.scratch();
    let last = site.store.last_change().await.expect("last");
    let mut compared = 0;
    let mut subject_gap = Vec::new();
    let mut long_scored = None;
    for id in 1..=last {
        let one = site.index.neighbours(id, 60, now()).expect("one by one");
        let all = bulk.neighbours(id, 60, now(), &mut scratch).expect("bulk");
        let (Some(one), Some(all)) = (one, all) else {
            continue;
        };
        assert_eq!(one.target, all.target);
        for c in &all.candidates {
            if let Some(o) = one.candidates.iter().find(|o| o.profile.id == c.profile.id) {
                assert_eq!(c.text_score, o.text_score, "{id} → {}", c.profile.id);
                compared += usize::from(c.text_score > 0.0);
                // The subject score: the same words and counts (up to four), over the
                // best candidate's; lengths are exact here and the index's norms
                // are rounded, and the best candidate may differ.
                assert_eq!(
                    c.subject_score > 0.0,
                    o.subject_score > 0.0,
                    "{id} → {}",
                    c.profile.id
                );
                subject_gap.push((c.subject_score - o.subject_score).abs());
                if id == rare.id && c.profile.id == long.id {
                    long_scored = Some(c.text_score);
                }
            }
        }
    }
    assert!(compared > 50, "only {compared} candidates scored by both");
    let mean_gap = subject_gap.iter().sum::<f32>() / subject_gap.len() as f32;
    let worst = subject_gap.iter().copied().fold(0.0f32, f32::max);
    assert!(
        mean_gap < 0.05 && worst < 0.5,
        "subject scores apart by {mean_gap} on average, {worst} at worst"
    );
    // `zebrakuda` is past the long body's first 20,000 characters and still counts.
    let score = long_scored.expect("the long article is a candidate of the rare one");
    assert!(score > 0.3, "{score}");
}
