//! The front page's arrangement (issue #29), on both backends: saved whole, read back
//! in order, a bad arrangement refused with the earlier one intact, visible stories
//! only, and the `front` signal moving so every node drops its home page.

use chrono::{DateTime, Duration, TimeZone, Utc};
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, Status};
use warta_store::{FrontPage, StoreError};

#[macro_use]
#[path = "support/backends.rs"]
mod backends;
use backends::*;

on_both_backends!(the_front_page_is_saved_whole_and_read_in_order);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 3, 0, 0)
        .single()
        .expect("date")
}

fn story(headline: &str, status: Status, at: DateTime<Utc>) -> ArticleInput {
    ArticleInput {
        slug: None,
        headline: headline.into(),
        lede: "Ringkasan".into(),
        body: vec![Block::Paragraph {
            html: SafeHtml::from_text("Paragraf."),
        }],
        dateline_place: String::new(),
        dateline_brand: String::new(),
        seo: Default::default(),
        section: "dunia".into(),
        tags: Vec::new(),
        authors: Vec::new(),
        hero_media_id: None,
        status,
        sensitive: false,
        language: "id".into(),
        published_at: Some(at),
    }
}

async fn the_front_page_is_saved_whole_and_read_in_order(f: Fresh) {
    let s = &f.store;
    let dunia = s
        .upsert_section("dunia", "Dunia", 1)
        .await
        .expect("section");
    let bola = s.upsert_section("bola", "Bola", 2).await.expect("section");
    let now = t0();
    let a = s
        .create_article(story("Satu", Status::Published, now), now)
        .await
        .expect("a");
    let b = s
        .create_article(story("Dua", Status::Published, now), now)
        .await
        .expect("b");
    let draft = s
        .create_article(story("Draf", Status::Draft, now), now)
        .await
        .expect("draft");
    let later = s
        .create_article(
            story("Nanti", Status::Published, now + Duration::hours(2)),
            now,
        )
        .await
        .expect("later");
    assert_eq!(s.front_page().await.expect("front"), FrontPage::default());
    let before = s.watermark().await.expect("mark").front;
    let want = FrontPage {
        main: Some(b.id),
        secondary: vec![a.id, draft.id],
        picks: vec![later.id, a.id],
        sections: vec![bola.id, dunia.id],
    };
    s.save_front_page(&want).await.expect("save");
    assert_eq!(s.front_page().await.expect("front"), want);
    assert!(s.watermark().await.expect("mark").front > before);
    // Only what a reader may see now, in the order asked.
    let shown = s
        .visible_summaries(&[later.id, draft.id, a.id, b.id], now)
        .await
        .expect("visible");
    assert_eq!(
        shown.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![a.id, b.id]
    );
    // Bad: a story that does not exist, a section that does not, too many picks.
    let err = s
        .save_front_page(&FrontPage {
            main: Some(9_999),
            ..FrontPage::default()
        })
        .await
        .expect_err("no such story");
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    let err = s
        .save_front_page(&FrontPage {
            sections: vec![9_999],
            ..FrontPage::default()
        })
        .await
        .expect_err("no such section");
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    let err = s
        .save_front_page(&FrontPage {
            picks: vec![a.id; 7],
            ..FrontPage::default()
        })
        .await
        .expect_err("too many");
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    assert_eq!(
        s.front_page().await.expect("front"),
        want,
        "nothing changed"
    );
    // A deleted story leaves its slots.
    s.delete_article(a.id, now).await.expect("delete");
    let left = s.front_page().await.expect("front");
    assert_eq!(left.secondary, vec![draft.id]);
    assert_eq!(left.picks, vec![later.id]);
}
