//! The newsroom editor's document: an article body as ProseMirror's JSON
//! (`Node.toJSON()`), and back. The browser's editor (`crates/warta_web/editor`)
//! loads [`to_doc`]'s output with `Node.fromJSON` and posts `doc.toJSON()`; the server
//! reads it with [`from_doc`]. The schema, in both places:
//!
//! | node | content | attrs | block |
//! |---|---|---|---|
//! | `doc` | `block+` | | |
//! | `paragraph` | `inline*` | | `Paragraph` |
//! | `heading` | `text*` (no marks) | | `Heading` |
//! | `quote` | `quote_text quote_cite` | | `Quote` |
//! | `quote_text` | `(text \| hard_break)*` (no marks) | | its lines |
//! | `quote_cite` | `text*` (no marks) | | its source |
//! | `bullet_list`, `ordered_list` | `list_item+` | | `List` |
//! | `list_item` | `paragraph` | | one item |
//! | `photo` | (atom) | `media_id`, `caption`, `credit` | `Photo` |
//! | `embed` | (atom) | `url`, `title` | `Embed` |
//! | `hard_break`, `text` | inline | | `<br>`, text |
//!
//! Marks, in ProseMirror's order (outermost first): `link` (`href`), `bold`, `italic`,
//! `sub`, `sup`. Inline HTML is read into marked text and written back in one
//! canonical form ([`canonical_html`]: `<b>`, `<i>`, marks nested in that order), which
//! is what the editor's text form (`newsroom::body_from_text`) stores too, so that a
//! body goes text → blocks → document → blocks → text unchanged. Corrections are not in
//! the document, as they are not in the text.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::sanitize::{SafeHtml, clean_text, unescape};
use crate::{Block, ValidationError};

/// A ProseMirror node as `toJSON` writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attrs: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<Node>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<Mark>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A ProseMirror mark as `toJSON` writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attrs: Option<Map<String, Value>>,
}

/// Marks in the schema's order; a mark's rank is its place here.
const MARKS: [&str; 5] = ["link", "bold", "italic", "sub", "sup"];

impl Node {
    fn new(kind: &str) -> Node {
        Node {
            kind: kind.to_owned(),
            attrs: None,
            content: Vec::new(),
            marks: Vec::new(),
            text: None,
        }
    }

    fn with(kind: &str, content: Vec<Node>) -> Node {
        Node {
            content,
            ..Node::new(kind)
        }
    }

    fn text(text: &str, marks: Vec<Mark>) -> Node {
        Node {
            marks,
            text: Some(text.to_owned()),
            ..Node::new("text")
        }
    }

    fn attr_str(&self, name: &str) -> &str {
        self.attrs
            .as_ref()
            .and_then(|a| a.get(name))
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The text of a node whose content is text (and line breaks, as `\n`).
    fn plain(&self) -> String {
        let mut out = String::new();
        for n in &self.content {
            match (n.kind.as_str(), &n.text) {
                ("text", Some(t)) => out.push_str(t),
                ("hard_break", _) => out.push('\n'),
                _ => {}
            }
        }
        out
    }
}

fn attrs(pairs: &[(&str, Value)]) -> Option<Map<String, Value>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

fn plain_content(text: &str) -> Vec<Node> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(Node::new("hard_break"));
        }
        if !line.is_empty() {
            out.push(Node::text(line, Vec::new()));
        }
    }
    out
}

/// The editor's document for a body (corrections left out).
pub fn to_doc(body: &[Block]) -> Node {
    let mut content = Vec::new();
    for b in body {
        content.push(match b {
            Block::Paragraph { html } => Node::with("paragraph", html_to_inline(html.as_str())),
            Block::Heading { text } => Node::with("heading", plain_content(text)),
            Block::Quote { text, cite } => Node::with(
                "quote",
                vec![
                    Node::with("quote_text", plain_content(text)),
                    Node::with("quote_cite", plain_content(cite)),
                ],
            ),
            Block::List { ordered, items } => Node::with(
                if *ordered {
                    "ordered_list"
                } else {
                    "bullet_list"
                },
                items
                    .iter()
                    .map(|i| {
                        Node::with(
                            "list_item",
                            vec![Node::with("paragraph", html_to_inline(i.as_str()))],
                        )
                    })
                    .collect(),
            ),
            Block::Photo {
                media_id,
                caption,
                credit,
            } => Node {
                attrs: attrs(&[
                    ("media_id", Value::from(*media_id)),
                    ("caption", Value::from(caption.as_str())),
                    ("credit", Value::from(credit.as_str())),
                ]),
                ..Node::new("photo")
            },
            Block::Embed { url, title } => Node {
                attrs: attrs(&[
                    ("url", Value::from(url.as_str())),
                    ("title", Value::from(title.as_str())),
                ]),
                ..Node::new("embed")
            },
            Block::Correction { .. } => continue,
        });
    }
    if content.is_empty() {
        // `block+`: an empty body is one empty paragraph.
        content.push(Node::new("paragraph"));
    }
    Node::with("doc", content)
}

/// The blocks of an editor's document. Empty paragraphs, items and lists are dropped;
/// a node the schema does not have, a photo without its number or an embed without an
/// http(s) address is an error naming its block.
pub fn from_doc(doc: &Node) -> Result<Vec<Block>, ValidationError> {
    if doc.kind != "doc" {
        return Err(invalid(0, crate::Reason::NotADoc(doc.kind.clone())));
    }
    let mut blocks = Vec::new();
    for (i, n) in doc.content.iter().enumerate() {
        let block = match n.kind.as_str() {
            "paragraph" => {
                let html = inline_to_html(&n.content);
                (!html.as_str().is_empty()).then_some(Block::Paragraph { html })
            }
            "heading" => {
                let text = n.plain().split_whitespace().collect::<Vec<_>>().join(" ");
                (!text.is_empty()).then_some(Block::Heading { text })
            }
            "quote" => {
                let part = |kind: &str| {
                    n.content
                        .iter()
                        .find(|c| c.kind == kind)
                        .map(|c| c.plain())
                        .unwrap_or_default()
                };
                let text = part("quote_text")
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                let cite = part("quote_cite").trim().to_owned();
                (!text.is_empty() || !cite.is_empty()).then_some(Block::Quote { text, cite })
            }
            kind @ ("bullet_list" | "ordered_list") => {
                let items: Vec<SafeHtml> = n
                    .content
                    .iter()
                    .flat_map(|item| item.content.iter())
                    .map(|p| inline_to_html(&p.content))
                    .filter(|h| !h.as_str().is_empty())
                    .collect();
                (!items.is_empty()).then_some(Block::List {
                    ordered: kind == "ordered_list",
                    items,
                })
            }
            "photo" => {
                let media_id = n
                    .attrs
                    .as_ref()
                    .and_then(|a| a.get("media_id"))
                    .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
                    .filter(|id| *id > 0)
                    .ok_or_else(|| invalid(i, crate::Reason::PhotoWithoutNumber))?;
                Some(Block::Photo {
                    media_id,
                    caption: clean_text(n.attr_str("caption")),
                    credit: clean_text(n.attr_str("credit")),
                })
            }
            "embed" => {
                let url = clean_text(n.attr_str("url"));
                if !Block::is_linkable(&url) {
                    return Err(invalid(i, crate::Reason::EmbedNeedsHttp(url)));
                }
                Some(Block::Embed {
                    url,
                    title: clean_text(n.attr_str("title")),
                })
            }
            other => return Err(invalid(i, crate::Reason::UnknownBlock(other.to_owned()))),
        };
        blocks.extend(block);
    }
    Ok(blocks)
}

fn invalid(i: usize, reason: crate::Reason) -> ValidationError {
    ValidationError::Invalid {
        field: "body",
        reason: crate::Reason::InBlock {
            index: i + 1,
            reason: Box::new(reason),
        },
    }
}

/// Inline HTML in its one canonical form: what the editor would write for it.
pub fn canonical_html(html: &SafeHtml) -> SafeHtml {
    inline_to_html(&html_to_inline(html.as_str()))
}

fn mark(kind: &str, href: Option<&str>) -> Mark {
    Mark {
        kind: kind.to_owned(),
        attrs: href.and_then(|h| attrs(&[("href", Value::from(h))])),
    }
}

fn rank(m: &Mark) -> usize {
    MARKS
        .iter()
        .position(|k| *k == m.kind)
        .unwrap_or(MARKS.len())
}

/// Sanitised inline HTML (see [`SafeHtml`]: `a`, `b`, `strong`, `i`, `em`, `sub`,
/// `sup`, `br`; well formed, attributes double-quoted) as marked text.
fn html_to_inline(html: &str) -> Vec<Node> {
    let mut open = OpenMarks::default();
    let mut out: Vec<Node> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, &unescape(rest), open.marks());
            break;
        };
        if lt > 0 {
            push_text(&mut out, &unescape(&rest[..lt]), open.marks());
        }
        let Some(end) = tag_end(&rest[lt..]) else {
            // Not a tag after all (cannot happen in sanitised HTML): keep it as text.
            push_text(&mut out, &unescape(&rest[lt..]), open.marks());
            break;
        };
        let tag = &rest[lt + 1..lt + end];
        rest = &rest[lt + end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            open.close(&name.trim().to_ascii_lowercase());
            continue;
        }
        let name_len = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_len].to_ascii_lowercase();
        let given = match name.as_str() {
            "br" => {
                out.push(Node {
                    marks: open.marks(),
                    ..Node::new("hard_break")
                });
                continue;
            }
            "b" | "strong" => Some(Given::Mark(1)),
            "i" | "em" => Some(Given::Mark(2)),
            "sub" => Some(Given::Mark(3)),
            "sup" => Some(Given::Mark(4)),
            "a" => attr(&tag[name_len..], "href").map(Given::Link),
            _ => None,
        };
        open.open(name, given);
    }
    out
}

/// What an open element gives the text inside it.
enum Given {
    /// The mark of that rank in [`MARKS`] (not the link).
    Mark(usize),
    Link(String),
}

/// The open elements, and how many of them give each mark: the marks of a piece of
/// text are read in constant time however deep the nesting (sanitised HTML may nest
/// thousands of `<b>`s; reading the whole stack for each piece of text was quadratic).
#[derive(Default)]
struct OpenMarks {
    /// Each open element's name and whether it gave a mark (`Some(rank)`).
    stack: Vec<(String, Option<usize>)>,
    counts: [usize; MARKS.len()],
    /// The addresses of the open links, innermost last.
    links: Vec<String>,
}

impl OpenMarks {
    fn open(&mut self, name: String, given: Option<Given>) {
        let rank = match given {
            Some(Given::Mark(r)) => Some(r),
            Some(Given::Link(href)) => {
                self.links.push(href);
                Some(0)
            }
            None => None,
        };
        if let Some(r) = rank {
            self.counts[r] += 1;
        }
        self.stack.push((name, rank));
    }

    /// Closes the innermost open `name` and everything opened inside it.
    fn close(&mut self, name: &str) {
        let Some(at) = self.stack.iter().rposition(|(n, _)| n == name) else {
            return;
        };
        while self.stack.len() > at {
            if let Some((_, Some(r))) = self.stack.pop() {
                self.counts[r] -= 1;
                if r == 0 {
                    self.links.pop();
                }
            }
        }
    }

    fn marks(&self) -> Vec<Mark> {
        MARKS
            .iter()
            .enumerate()
            .filter(|(r, _)| self.counts[*r] > 0)
            .map(|(r, kind)| match r {
                0 => mark(kind, self.links.last().map(String::as_str)),
                _ => mark(kind, None),
            })
            .collect()
    }
}

/// Where the tag starting `s` (at its `<`) ends: the `>` outside quotes.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '>') => return Some(i),
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    None
}

/// An attribute's value in a tag's attribute text.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim().to_ascii_lowercase();
        let after = rest[eq + 1..].trim_start();
        let (value, tail) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &after[1..];
                let close = body.find(q).unwrap_or(body.len());
                (&body[..close], body.get(close + 1..).unwrap_or(""))
            }
            _ => {
                let close = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..close], &after[close..])
            }
        };
        if key == name {
            return Some(unescape(value));
        }
        rest = tail;
    }
    None
}

/// Adds text, joined to the text before it when their marks are the same (as
/// ProseMirror's `Fragment.fromArray` does); empty text is no node.
fn push_text(out: &mut Vec<Node>, text: &str, marks: Vec<Mark>) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = out.last_mut()
        && last.kind == "text"
        && last.marks == marks
        && let Some(t) = &mut last.text
    {
        t.push_str(text);
        return;
    }
    out.push(Node::text(text, marks));
}

/// Marked text as inline HTML, marks opened in the schema's order and kept open across
/// nodes that share them; sanitised like every paragraph.
fn inline_to_html(nodes: &[Node]) -> SafeHtml {
    let mut html = String::new();
    let mut active: Vec<Mark> = Vec::new();
    for n in nodes {
        let mut marks: Vec<Mark> = n
            .marks
            .iter()
            .filter(|m| rank(m) < MARKS.len() && (m.kind != "link" || href_ok(m)))
            .cloned()
            .collect();
        marks.sort_by_key(rank);
        marks.dedup_by(|a, b| a.kind == b.kind);
        let keep = active
            .iter()
            .zip(&marks)
            .take_while(|(a, b)| a == b)
            .count();
        while active.len() > keep {
            if let Some(m) = active.pop() {
                html.push_str(close_tag(&m));
            }
        }
        for m in &marks[keep..] {
            open_tag(&mut html, m);
            active.push(m.clone());
        }
        match (n.kind.as_str(), &n.text) {
            ("text", Some(t)) => escape_text(&mut html, t),
            ("hard_break", _) => html.push_str("<br>"),
            _ => {}
        }
    }
    while let Some(m) = active.pop() {
        html.push_str(close_tag(&m));
    }
    SafeHtml::sanitize_owned(html)
}

/// Whether a link's address is one the sanitiser keeps: http(s), mailto, or relative.
fn href_ok(m: &Mark) -> bool {
    let href = m
        .attrs
        .as_ref()
        .and_then(|a| a.get("href"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let scheme_end = href.find(['/', '?', '#']).unwrap_or(href.len());
    match href[..scheme_end].split_once(':') {
        _ if href.is_empty() => false,
        Some((scheme, _)) => matches!(scheme, "http" | "https" | "mailto"),
        None => true,
    }
}

fn open_tag(html: &mut String, m: &Mark) {
    match m.kind.as_str() {
        "link" => {
            let href = m
                .attrs
                .as_ref()
                .and_then(|a| a.get("href"))
                .and_then(Value::as_str)
                .unwrap_or("");
            html.push_str("<a href=\"");
            for c in href.chars() {
                match c {
                    '&' => html.push_str("&amp;"),
                    '"' => html.push_str("&quot;"),
                    '\u{a0}' => html.push_str("&nbsp;"),
                    c => html.push(c),
                }
            }
            html.push_str("\" rel=\"noopener\">");
        }
        "bold" => html.push_str("<b>"),
        "italic" => html.push_str("<i>"),
        "sub" => html.push_str("<sub>"),
        _ => html.push_str("<sup>"),
    }
}

fn close_tag(m: &Mark) -> &'static str {
    match m.kind.as_str() {
        "link" => "</a>",
        "bold" => "</b>",
        "italic" => "</i>",
        "sub" => "</sub>",
        _ => "</sup>",
    }
}

/// Text as html5ever (ammonia's serialiser) escapes it.
fn escape_text(html: &mut String, t: &str) {
    for c in t.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '\u{a0}' => html.push_str("&nbsp;"),
            c => html.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::newsroom::{body_from_text, body_to_text};

    fn p(html: &str) -> Block {
        Block::Paragraph {
            html: SafeHtml::sanitize(html),
        }
    }

    #[test]
    fn inline_html_as_marks() {
        let nodes = html_to_inline(
            r#"Kata <a href="https://contoh.id/?a=1&amp;b=2" rel="noopener"><b>tebal</b> biasa</a> &amp; <i>miring<br>baris</i>"#,
        );
        let json = serde_json::to_string(&nodes).expect("json");
        assert_eq!(
            json,
            r#"[{"type":"text","text":"Kata "},{"type":"text","marks":[{"type":"link","attrs":{"href":"https://contoh.id/?a=1&b=2"}},{"type":"bold"}],"text":"tebal"},{"type":"text","marks":[{"type":"link","attrs":{"href":"https://contoh.id/?a=1&b=2"}}],"text":" biasa"},{"type":"text","text":" & "},{"type":"text","marks":[{"type":"italic"}],"text":"miring"},{"type":"hard_break","marks":[{"type":"italic"}]},{"type":"text","marks":[{"type":"italic"}],"text":"baris"}]"#
        );
    }

    #[test]
    fn canonical_form() {
        let cases = [
            ("plain", "plain"),
            ("<strong>a</strong> <em>b</em>", "<b>a</b> <i>b</i>"),
            ("<i><b>x</b></i>", "<b><i>x</i></b>"),
            ("<b>a</b><b>b</b>", "<b>ab</b>"),
            ("1 &gt; 0 &amp; \"q\" 'x'", "1 &gt; 0 &amp; \"q\" 'x'"),
            ("&quot;kutip&quot; &#39;x&#39;", "\"kutip\" 'x'"),
            (r#"<a href="javascript:alert(1)">x</a>"#, "x"),
            (
                "a&nbsp;b<sub>2</sub><sup>3</sup>",
                "a&nbsp;b<sub>2</sub><sup>3</sup>",
            ),
        ];
        for (input, want) in cases {
            let once = canonical_html(&SafeHtml::sanitize(input));
            assert_eq!(once.as_str(), want, "{input}");
            assert_eq!(canonical_html(&once), once, "idempotent: {input}");
        }
    }

    #[test]
    fn deep_nesting_is_read_in_linear_time() {
        // 200,000 nested `<sub>`s (what ammonia keeps) with text in each: reading the
        // whole stack for each piece of text (as before) took hours on this.
        let html = "<sub>x".repeat(200_000);
        let nodes = html_to_inline(&html);
        assert_eq!(nodes.len(), 1, "one run of subscript text");
        assert_eq!(nodes[0].text.as_deref().map(str::len), Some(200_000));
        let nested = html_to_inline(r#"<a href="/a">x<a href="/b">y</a>z</a>"#);
        let href = |n: &Node| n.marks[0].attrs.as_ref().map(|a| a["href"].clone());
        assert_eq!(href(&nested[0]), Some(Value::from("/a")));
        assert_eq!(href(&nested[1]), Some(Value::from("/b")));
        assert_eq!(href(&nested[2]), Some(Value::from("/a")));
    }

    #[test]
    fn every_block_through_the_document() {
        let blocks = vec![
            p(r#"Satu <b>dua</b> <a href="https://contoh.id/" rel="noopener">tiga</a>."#),
            Block::Heading {
                text: "Sub judul".into(),
            },
            Block::Quote {
                text: "Baris satu\nbaris dua".into(),
                cite: "Tokoh".into(),
            },
            Block::Quote {
                text: "Tanpa sumber".into(),
                cite: String::new(),
            },
            Block::List {
                ordered: false,
                items: vec![SafeHtml::sanitize("<i>a</i>"), SafeHtml::sanitize("b")],
            },
            Block::List {
                ordered: true,
                items: vec![SafeHtml::sanitize("pertama")],
            },
            Block::Photo {
                media_id: 4,
                caption: "Keterangan".into(),
                credit: "ANTARA".into(),
            },
            Block::Embed {
                url: "https://www.youtube.com/watch?v=abc".into(),
                title: String::new(),
            },
        ];
        let doc = to_doc(&blocks);
        let json = serde_json::to_string(&doc).expect("json");
        let back: Node = serde_json::from_str(&json).expect("read");
        assert_eq!(from_doc(&back).expect("valid"), blocks);
        // Corrections stay out, as in the text.
        let with = [
            blocks[0].clone(),
            Block::Correction {
                text: "x".into(),
                at: chrono::DateTime::from_timestamp(0, 0).expect("time"),
            },
        ];
        assert_eq!(to_doc(&with).content.len(), 1);
        assert_eq!(to_doc(&[]).content, vec![Node::new("paragraph")]);
    }

    #[test]
    fn bad_documents_name_the_block() {
        let doc = |json: &str| -> Node { serde_json::from_str(json).expect("json") };
        let err = |json: &str| match from_doc(&doc(json)) {
            Err(ValidationError::Invalid { reason, .. }) => reason.to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            err(r#"{"type":"doc","content":[{"type":"paragraph"},{"type":"table"}]}"#),
            "block 2: unknown kind of block `table`"
        );
        assert!(
            err(r#"{"type":"doc","content":[{"type":"photo","attrs":{"media_id":0}}]}"#)
                .contains("without its number")
        );
        assert!(
            err(r#"{"type":"doc","content":[{"type":"embed","attrs":{"url":"javascript:x"}}]}"#)
                .contains("http(s)")
        );
        // Script in a text node is text; a link to script loses its address.
        let blocks = from_doc(&doc(
            r#"{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"<script>x</script>","marks":[{"type":"link","attrs":{"href":"javascript:alert(1)"}}]}]},{"type":"paragraph"}]}"#,
        ))
        .expect("valid");
        assert_eq!(blocks, vec![p("&lt;script&gt;x&lt;/script&gt;")]);
    }

    /// text → blocks → document → blocks → text, for texts in the editor's form.
    pub(crate) fn assert_round_trip(text: &str) {
        let blocks = body_from_text(text).expect("valid text");
        let doc = to_doc(&blocks);
        let json = serde_json::to_string(&doc).expect("json");
        let back = from_doc(&serde_json::from_str(&json).expect("read")).expect("valid doc");
        assert_eq!(back, blocks, "{text}");
        assert_eq!(body_to_text(&back), text);
    }

    #[test]
    fn texts_round_trip() {
        for text in [
            "Satu <b>dua</b> tiga.\n\n## Sub judul\n\n> Kata-kata\n> baris dua\n> — Tokoh\n\n[foto 3 | Keterangan | ANTARA]\n\n[foto 4]\n\n[embed https://example.org/v | Video]",
            "- satu\n- <i>dua</i>\n\n1. a\n2. b",
            r"\## bukan judul",
            "<b>a<br>b</b> <a href=\"https://contoh.id/\" rel=\"noopener\">x</a>",
        ] {
            assert_round_trip(text);
        }
    }
}
