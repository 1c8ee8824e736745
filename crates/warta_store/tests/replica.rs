//! A read replica (issue #8): reader pages' reads go to it, writes and what a writer
//! reads back stay on the primary. The "replica" here is a second schema holding
//! another site, so that where each read went shows in what it returns.

use chrono::{Duration, TimeZone, Utc};
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, Status};
use warta_store::{ListFilter, Store};

fn input(headline: &str) -> ArticleInput {
    let t = Utc
        .with_ymd_and_hms(2024, 5, 1, 12, 0, 0)
        .single()
        .expect("date");
    ArticleInput {
        slug: None,
        headline: headline.into(),
        lede: "Ringkasan".into(),
        body: vec![Block::Paragraph {
            html: SafeHtml::from_text("Paragraf."),
        }],
        dateline_place: "Jakarta".into(),
        dateline_brand: String::new(),
        seo: Default::default(),
        section: "dunia".into(),
        tags: vec![],
        authors: vec![],
        hero_media_id: None,
        status: Status::Published,
        sensitive: false,
        language: "id".into(),
        published_at: Some(t),
    }
}

#[tokio::test]
async fn reader_reads_go_to_the_replica_and_writes_to_the_primary() {
    let Some(base) = warta_store::testing::postgres_url() else {
        assert!(std::env::var("WARTA_REQUIRE_POSTGRES").is_err());
        eprintln!("WARTA_TEST_POSTGRES_URL is not set: replica test skipped");
        return;
    };
    let now = Utc
        .with_ymd_and_hms(2024, 6, 1, 0, 0, 0)
        .single()
        .expect("date");
    let (primary_url, primary) = warta_store::testing::fresh_postgres(&base)
        .await
        .expect("primary");
    let (replica_url, replica) = warta_store::testing::fresh_postgres(&base)
        .await
        .expect("replica");
    for s in [&primary, &replica] {
        s.upsert_section("dunia", "Dunia", 1)
            .await
            .expect("section");
    }
    replica
        .create_article(input("Hanya di replika"), now - Duration::days(1))
        .await
        .expect("replica article");
    let store = Store::open_postgres(&primary_url)
        .await
        .expect("open")
        .with_read_replica(&replica_url)
        .await
        .expect("replica");
    let written = store
        .create_article(input("Ditulis ke primer"), now)
        .await
        .expect("write");
    // What a writer reads back comes from the primary…
    assert_eq!(written.headline, "Ditulis ke primer");
    assert_eq!(
        store.article(written.id).await.expect("read back").headline,
        "Ditulis ke primer"
    );
    assert_eq!(
        store.last_change().await.expect("seq"),
        primary.last_change().await.expect("seq")
    );
    // …and reader pages read the replica (here: another site, so it shows).
    let list = store.list(ListFilter::All, 1, 10, now).await.expect("list");
    let headlines: Vec<&str> = list.items.iter().map(|a| a.headline.as_str()).collect();
    assert_eq!(headlines, vec!["Hanya di replika"]);
    assert!(
        store.with_read_replica("sqlite://x.db").await.is_err(),
        "a replica must be PostgreSQL"
    );
}
