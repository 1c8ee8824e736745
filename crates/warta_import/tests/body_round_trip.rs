//! The body's three forms hold the same thing: the editor's markup text (the
//! no-JavaScript fallback), the blocks Warta stores, and the body editor's document.
//! For the demo's bodies, generated bodies, the importers' test files (the fuzz
//! targets' seeds) and pseudo-random bodies made of the characters that matter:
//!
//! text → blocks → document → blocks → text is identical, for a text in the editor's
//! form (what `body_to_text` writes); and no body loses words on its way in.

use std::path::Path;

use warta_core::doc::{Node, from_doc, to_doc};
use warta_core::newsroom::{body_from_text, body_to_text};
use warta_core::sanitize::SafeHtml;
use warta_core::{Block, Status};
use warta_import::Record;

/// The words of a body, markup aside (what readers and search see).
fn words(blocks: &[Block]) -> Vec<String> {
    let mut out = String::new();
    for b in blocks {
        let text = match b {
            Block::Paragraph { html } => html.to_text(),
            Block::List { items, .. } => items
                .iter()
                .map(SafeHtml::to_text)
                .collect::<Vec<_>>()
                .join(" "),
            Block::Heading { text } => text.clone(),
            Block::Quote { text, cite } => format!("{text} {cite}"),
            Block::Photo {
                media_id,
                caption,
                credit,
            } => format!("{media_id} {caption} {credit}"),
            Block::Embed { url, title } => format!("{url} {title}"),
            Block::Correction { .. } => String::new(),
        };
        out.push(' ');
        out.push_str(&text);
    }
    out.split_whitespace().map(str::to_owned).collect()
}

/// Checks one body; returns how many blocks it had.
fn check(origin: &str, body: &[Block]) -> usize {
    let body: Vec<Block> = body
        .iter()
        .filter(|b| !matches!(b, Block::Correction { .. }))
        .cloned()
        .collect();
    // Into the editor's text form: the same words.
    let text = body_to_text(&body);
    let blocks = body_from_text(&text).unwrap_or_else(|e| panic!("{origin}: {e}\n{text}"));
    assert_eq!(words(&blocks), words(&body), "{origin}: words lost\n{text}");
    assert_eq!(
        blocks.len(),
        body.len(),
        "{origin}: blocks merged or split\n{text}"
    );
    // From there (the text in the editor's form), every form gives back the same.
    let text = body_to_text(&blocks);
    let doc = to_doc(&blocks);
    let json = serde_json::to_string(&doc).expect("json");
    let read: Node = serde_json::from_str(&json).expect("read back");
    let again = from_doc(&read).unwrap_or_else(|e| panic!("{origin}: {e}\n{json}"));
    assert_eq!(again, blocks, "{origin}: document → blocks\n{json}");
    assert_eq!(body_to_text(&again), text, "{origin}: blocks → text");
    assert_eq!(to_doc(&again), doc, "{origin}: blocks → document");
    assert_eq!(
        body_from_text(&text).expect("valid"),
        blocks,
        "{origin}: text → blocks"
    );
    body.len()
}

/// The bodies of the articles read, their photos numbered as stored ones are (an
/// import refers to the photos it brings by negative numbers until they are written).
fn articles(records: Vec<Record>) -> Vec<Vec<Block>> {
    records
        .into_iter()
        .filter_map(|r| match r {
            Record::Article(item) => Some(item.write.input.body),
            _ => None,
        })
        .map(|body| {
            body.into_iter()
                .map(|b| match b {
                    Block::Photo {
                        media_id,
                        caption,
                        credit,
                    } => Block::Photo {
                        media_id: media_id.abs(),
                        caption,
                        credit,
                    },
                    b => b,
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn demo_bodies() {
    let dir = tempfile::tempdir().expect("dir");
    let store = warta_store::Store::open_sqlite(&dir.path().join("w.db"))
        .await
        .expect("open");
    warta_demo::seed(&store, &dir.path().join("media"), chrono::Utc::now())
        .await
        .expect("demo");
    let mut n = 0;
    let mut lists = 0;
    let mut after = 0;
    loop {
        let page = store.export_page(after, 50).await.expect("page");
        let Some(last) = page.last() else { break };
        after = last.article.id;
        for a in &page {
            n += check(&format!("demo {}", a.article.slug), &a.article.body);
            lists += a
                .article
                .body
                .iter()
                .filter(|b| matches!(b, Block::List { .. }))
                .count();
        }
    }
    assert!(n > 100, "{n} blocks");
    assert!(lists >= 2, "the demo shows lists");
}

#[test]
fn generated_bodies() {
    let corpus = warta_import::generate::Corpus::new(7);
    let mut jsonl = Vec::new();
    corpus
        .write_jsonl(300, 7, chrono::Utc::now(), &mut jsonl)
        .expect("generate");
    let text = String::from_utf8(jsonl).expect("utf-8");
    let bodies = articles(warta_import::jsonl::parse(Path::new("gen.jsonl"), &text));
    assert_eq!(bodies.len(), 300);
    for (i, b) in bodies.iter().enumerate() {
        check(&format!("generated {i}"), b);
    }
}

#[test]
fn importer_test_files() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let wxr = std::fs::read_to_string(data.join("site.wxr")).expect("wxr");
    let mut bodies = articles(warta_import::wxr::parse(Path::new("site.wxr"), &wxr));
    for entry in std::fs::read_dir(data.join("html")).expect("html dir") {
        let path = entry.expect("entry").path();
        let html = std::fs::read_to_string(&path).expect("html");
        bodies.extend(articles(vec![warta_import::html::parse(&path, &html)]));
    }
    assert!(bodies.len() >= 4);
    for (i, b) in bodies.iter().enumerate() {
        check(&format!("test file body {i}"), b);
    }
    // Bodies as importers meet them: lists, nested lists, emphasis in every order,
    // entities, links of every kind, text that looks like the markup.
    let html = r#"<p>Satu <strong>tebal</strong> <em><b>dua</b></em> &amp; &lt;tiga&gt; &nbsp;x</p>
<ul><li>a <a href="https://contoh.id/?a=1&amp;b=2">tautan</a></li><li>b<ol><li>b1</li></ol></li></ul>
<p>## bukan judul</p><p>- bukan daftar</p><p>12. Desember</p><p>[foto 3]</p>
<blockquote><p>— bukan sumber</p></blockquote><p>H<sub>2</sub>O dan x<sup>2</sup><br>baris</p>
<p><a href="javascript:alert(1)">skrip</a> <a href="/nasional/2026/12/01/x">dalam</a> <a href="mailto:a@b.id">surel</a></p>"#;
    let pieces = warta_import::blocks::pieces(html);
    let body: Vec<Block> = pieces
        .into_iter()
        .filter_map(|p| match p {
            warta_import::blocks::Piece::Block(b) => Some(b),
            warta_import::blocks::Piece::Photo(_) => None,
        })
        .collect();
    assert!(body.iter().any(|b| matches!(b, Block::List { .. })));
    check("importer html", &body);
}

/// A pseudo-random generator (no dependency; the same bodies every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).unwrap_or(0) % n.max(1)
    }
}

#[test]
fn random_bodies() {
    let pieces = [
        "kata",
        " ",
        "  ",
        "\"",
        "'",
        "&",
        "<",
        ">",
        "\\",
        "|",
        "—",
        "-",
        "--",
        "*",
        "#",
        "##",
        "1.",
        "12. ",
        "[",
        "]",
        "[foto 2]",
        "é",
        "😀",
        "\u{a0}",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<em>",
        "</em>",
        "<strong>",
        "</strong>",
        "<br>",
        "<sub>",
        "</sub>",
        "<sup>",
        "</sup>",
        "<a href=\"https://contoh.id/a?b=1&c=2\">",
        "</a>",
        "<a href=\"/x\">",
        "<script>",
        "</script>",
        "\n",
        "> ",
    ];
    let mut rng = Lcg(0x5eed);
    let text = |rng: &mut Lcg, max: usize| -> String {
        (0..1 + rng.below(max))
            .map(|_| pieces[rng.below(pieces.len())])
            .collect()
    };
    let mut checked = 0;
    for round in 0..1500 {
        let mut body = Vec::new();
        for _ in 0..1 + rng.below(6) {
            let block = match rng.below(7) {
                0 | 1 => Block::Paragraph {
                    html: SafeHtml::sanitize(&text(&mut rng, 12)),
                },
                2 => Block::Heading {
                    text: text(&mut rng, 6),
                },
                3 => Block::Quote {
                    text: text(&mut rng, 8),
                    cite: text(&mut rng, 3),
                },
                4 => Block::List {
                    ordered: rng.below(2) == 0,
                    items: (0..1 + rng.below(4))
                        .map(|_| SafeHtml::sanitize(&text(&mut rng, 6)))
                        .collect(),
                },
                5 => Block::Photo {
                    media_id: 1 + rng.below(50) as i64,
                    caption: text(&mut rng, 5),
                    credit: text(&mut rng, 2),
                },
                _ => Block::Embed {
                    url: "https://www.youtube.com/watch?v=abc".into(),
                    title: text(&mut rng, 4),
                },
            };
            body.push(block);
        }
        // As an article's body is: normalised on its way in, empty blocks gone.
        let mut input = warta_core::ArticleInput::empty();
        input.headline = "x".into();
        input.section = "x".into();
        input.status = Status::Draft;
        input.body = body;
        let Ok(input) = input.normalize() else {
            continue;
        };
        let body: Vec<Block> = input
            .body
            .into_iter()
            .filter(|b| !words(std::slice::from_ref(b)).is_empty())
            .collect();
        // Quotes and headings hold single lines of plain text once normalised.
        checked += check(&format!("random {round}"), &body);
    }
    assert!(checked > 3000, "{checked} blocks checked");
}
