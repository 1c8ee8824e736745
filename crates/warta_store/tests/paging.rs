//! Lists page by page (issue #26): the rows of a page come from the index first and the
//! tag's and author's lists start from their links. Every page of every kind of list,
//! on both backends, is the visible stories in order (newest first, the higher id first
//! among stories of the same second), cut into pages: first, middle, last, and a page
//! past the end giving the last.

use chrono::{DateTime, Duration, TimeZone, Utc};
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, Status, TagKind, TagRef};
use warta_store::{ListFilter, Store};

#[macro_use]
#[path = "support/backends.rs"]
mod backends;
use backends::*;

on_both_backends!(every_page_of_every_list_is_the_visible_stories_in_order);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 3, 0, 0)
        .single()
        .expect("date")
}

/// Story `i`: in `dunia` or `bisnis`, tagged `Banjir` every third, by `rina` every
/// second, published minutes apart but in pairs at the same second (ties), some not
/// visible (a draft, and one due in the future).
fn story(i: i64) -> (ArticleInput, bool) {
    let at = t0() - Duration::minutes(i / 2 * 7);
    let (status, at, visible) = match i % 11 {
        4 => (Status::Draft, None, false),
        9 => (Status::Published, Some(t0() + Duration::hours(2)), false),
        _ => (Status::Published, Some(at), true),
    };
    let input = ArticleInput {
        slug: Some(format!("cerita-{i}")),
        headline: format!("Cerita nomor {i}"),
        lede: "Ringkasan".into(),
        body: vec![Block::Paragraph {
            html: SafeHtml::from_text("Paragraf."),
        }],
        dateline_place: String::new(),
        dateline_brand: String::new(),
        seo: Default::default(),
        section: if i % 2 == 0 { "dunia" } else { "bisnis" }.into(),
        tags: if i % 3 == 0 {
            vec![TagRef {
                kind: TagKind::Topic,
                name: "Banjir".into(),
            }]
        } else {
            vec![]
        },
        authors: if i % 2 == 0 {
            vec!["rina".into()]
        } else {
            vec![]
        },
        hero_media_id: None,
        status,
        sensitive: false,
        language: "id".into(),
        published_at: at,
    };
    (input, visible)
}

/// A visible story: (published_at, id, slug, in `dunia`, tagged, by `rina`).
type Shown = (Option<DateTime<Utc>>, i64, String, bool, bool, bool);
/// A list: its name, its filter and which visible stories it holds.
type List = (&'static str, ListFilter, fn(&Shown) -> bool);

async fn pages_of(store: &Store, filter: ListFilter, per_page: u32, page: u32) -> Vec<String> {
    store
        .list(filter, page, per_page, t0())
        .await
        .expect("list")
        .items
        .into_iter()
        .map(|a| a.slug)
        .collect()
}

async fn every_page_of_every_list_is_the_visible_stories_in_order(f: Fresh) {
    let s = &f.store;
    let dunia = s.upsert_section("dunia", "Dunia", 1).await.expect("dunia");
    s.upsert_section("bisnis", "Bisnis", 2)
        .await
        .expect("bisnis");
    let rina = s
        .upsert_author("rina", "Rina Wulandari", "")
        .await
        .expect("author");
    // (published_at, id, slug, section is dunia, tagged, by rina) of the visible ones.
    let mut visible = Vec::new();
    for i in 0..61 {
        let (input, shown) = story(i);
        let (in_dunia, tagged, by_rina) = (
            input.section == "dunia",
            !input.tags.is_empty(),
            !input.authors.is_empty(),
        );
        let at = input.published_at;
        let a = s.create_article(input, t0()).await.expect("create");
        if shown {
            visible.push((at, a.id, a.slug, in_dunia, tagged, by_rina));
        }
    }
    visible.sort_by_key(|v| std::cmp::Reverse((v.0, v.1)));
    let banjir = s
        .tag_by_slug("banjir")
        .await
        .expect("tag")
        .expect("the tag exists");
    let lists: [List; 5] = [
        ("all", ListFilter::All, |_| true),
        ("section", ListFilter::Section(dunia.id), |v| v.3),
        ("tag", ListFilter::Tag(banjir.id), |v| v.4),
        ("author", ListFilter::Author(rina.id), |v| v.5),
        (
            "between",
            ListFilter::Between {
                from: t0() - Duration::hours(1),
                to: t0() + Duration::hours(3),
                section: None,
            },
            |v| v.0.is_some_and(|at| at >= t0() - Duration::hours(1)),
        ),
    ];
    for (name, filter, keep) in lists {
        let want: Vec<String> = visible
            .iter()
            .filter(|v| keep(v))
            .map(|v| v.2.clone())
            .collect();
        assert!(want.len() > 8, "{name}: too few stories to page through");
        let per_page = 4;
        let pages: Vec<&[String]> = want.chunks(per_page as usize).collect();
        let last = u32::try_from(pages.len()).expect("pages");
        let total = s.list(filter, 1, per_page, t0()).await.expect("list");
        assert_eq!(total.total, want.len() as u64, "{name}: the count");
        assert_eq!(total.last_page, last, "{name}: the last page");
        for page in [1, last / 2, last - 1, last] {
            let got = pages_of(s, filter, per_page, page).await;
            assert_eq!(
                got,
                pages[page as usize - 1],
                "{name}: page {page} of {last}"
            );
        }
        let past = pages_of(s, filter, per_page, last + 5).await;
        assert_eq!(past, pages[pages.len() - 1], "{name}: past the end");
    }
}
