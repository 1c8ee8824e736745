//! Any string as a reader's search query, against a small real index: the parser,
//! the analyzer, the tantivy query, snippets and suggestions may find nothing, never
//! panic or hang.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use warta_core::sanitize::SafeHtml;
use warta_core::{ArticleInput, Block, Status};
use warta_search::{SearchIndex, SearchRequest, StemmerKind};

struct Setup {
    index: SearchIndex,
    _dir: tempfile::TempDir,
}

fn setup() -> &'static Setup {
    static S: OnceLock<Setup> = OnceLock::new();
    S.get_or_init(|| {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            let dir = tempfile::tempdir().expect("dir");
            let store = warta_store::Store::open_sqlite(&dir.path().join("w.db"))
                .await
                .expect("store");
            store.upsert_section("dunia", "Dunia", 0).await.expect("section");
            let now = chrono::Utc::now();
            for (h, b) in [
                ("Korea Utara Luncurkan Rudal", "Perundingan denuklirisasi Kim Jong-un gagal."),
                ("Banjir di Jakarta", "Ribuan warga mengungsi, anak-anak dievakuasi."),
                ("Harga Cabai Naik", "Inflasi 2,5 persen; PBB dan AS berunding."),
            ] {
                let mut a = ArticleInput::empty();
                a.headline = h.into();
                a.section = "dunia".into();
                a.status = Status::Published;
                a.published_at = Some(now - chrono::Duration::hours(1));
                a.body = vec![Block::Paragraph { html: SafeHtml::from_text(b) }];
                store.create_article(a, now).await.expect("article");
            }
            let index = SearchIndex::open(&dir.path().join("search"), StemmerKind::Dictionary)
                .expect("index");
            index.catch_up(&store).await.expect("catch up");
            Setup { index, _dir: dir }
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let q = String::from_utf8_lossy(data).into_owned();
    let _ = warta_search::query::parse(&q);
    let req = SearchRequest {
        q,
        page: 1,
        per_page: 10,
        ..SearchRequest::default()
    };
    let r = setup().index.search(&req, chrono::Utc::now()).expect("search");
    assert!(r.hits.len() <= 10);
});
