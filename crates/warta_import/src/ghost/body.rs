//! A Ghost post's body — Lexical (Ghost 5 and 6), Mobiledoc (older) or HTML — as
//! Warta's blocks. Ghost's cards (`@tryghost/kg-default-nodes`) become:
//!
//! | Ghost | Warta |
//! |---|---|
//! | paragraph, heading, quote / aside, list (bullet, number) | the same block (nested lists follow their item) |
//! | image | a photo with its caption and alt |
//! | gallery | a photo for each image |
//! | embed, bookmark | an embed card (the address and its title) |
//! | html | its paragraphs, headings, lists and images, sanitised |
//! | markdown | parsed (CommonMark), then as html |
//! | callout | a paragraph (its emoji in front) |
//! | toggle | its heading in bold, then its content |
//! | button | a paragraph with the link |
//! | codeblock | a paragraph of its text |
//! | video, audio, file, product, header, signup, paywall, email, email-cta, call-to-action, horizontalrule, and any card Warta does not know | dropped, counted by kind |

use std::collections::BTreeMap;

use serde_json::Value;
use warta_core::Block;
use warta_core::sanitize::SafeHtml;

use crate::blocks::{self, FoundPhoto, Piece};

/// A body read: its pieces, and what was left out, by kind.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub pieces: Vec<Piece>,
    pub dropped: BTreeMap<String, usize>,
}

impl Body {
    fn drop(&mut self, kind: &str) {
        *self.dropped.entry(kind.to_owned()).or_default() += 1;
    }
    fn block(&mut self, b: Block) {
        self.pieces.push(Piece::Block(b));
    }
    fn html(&mut self, html: &str) {
        self.pieces.extend(blocks::pieces(html));
    }
    fn paragraph(&mut self, html: &str) {
        let html = SafeHtml::sanitize(html);
        if !html.to_text().trim().is_empty() {
            self.block(Block::Paragraph { html });
        }
    }
}

/// Nesting deeper than this is not followed (Lexical documents are shallow).
const MAX_DEPTH: usize = 32;

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The text of inline HTML (a caption).
fn text_of_html(html: &str) -> String {
    warta_core::sanitize::clean_text(&SafeHtml::sanitize(html).to_text())
}

/// A Lexical document (`{"root":{"children":[…]}}`); `None` when it is not one.
pub(crate) fn lexical(json: &str) -> Option<Body> {
    let v: Value = serde_json::from_str(json).ok()?;
    let children = v.get("root")?.get("children")?.as_array()?;
    let mut body = Body::default();
    for node in children {
        lexical_block(node, &mut body, 0);
    }
    Some(body)
}

fn lexical_block(node: &Value, body: &mut Body, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let kind = s(node, "type");
    let children = || node.get("children").and_then(Value::as_array);
    match kind {
        "paragraph" => {
            let html = inline(children().map_or(&[][..], Vec::as_slice), depth);
            body.paragraph(&html);
        }
        "heading" | "extended-heading" => {
            let text = text_of_html(&inline(children().map_or(&[][..], Vec::as_slice), depth));
            if !text.is_empty() {
                body.block(Block::Heading { text });
            }
        }
        "quote" | "extended-quote" | "aside" => {
            let text = text_of_html(&inline(children().map_or(&[][..], Vec::as_slice), depth));
            if !text.is_empty() {
                body.block(Block::Quote {
                    text,
                    cite: String::new(),
                });
            }
        }
        "list" => {
            let mut items = Vec::new();
            list_items(node, &mut items, depth);
            if !items.is_empty() {
                body.block(Block::List {
                    ordered: s(node, "listType") == "number",
                    items,
                });
            }
        }
        "linebreak" => {}
        _ if children().is_some() => {
            // An element Warta does not know that holds text: its text as a paragraph.
            let html = inline(children().map_or(&[][..], Vec::as_slice), depth);
            body.paragraph(&html);
        }
        _ => card(kind, node, body),
    }
}

fn list_items(list: &Value, items: &mut Vec<SafeHtml>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for item in list
        .get("children")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
    {
        let own: Vec<Value> = item
            .get("children")
            .and_then(Value::as_array)
            .map(|c| {
                c.iter()
                    .filter(|n| s(n, "type") != "list")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let html = SafeHtml::sanitize(&inline(&own, depth + 1));
        if !html.to_text().trim().is_empty() {
            items.push(html);
        }
        // Warta's lists do not nest: a list inside an item follows it.
        for nested in item
            .get("children")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|n| s(n, "type") == "list")
        {
            list_items(nested, items, depth + 1);
        }
    }
}

/// Lexical's text formats, as bits of `format`.
const FORMATS: [(u64, &str); 5] = [(1, "b"), (2, "i"), (32, "sub"), (64, "sup"), (0, "")];

fn inline(nodes: &[Value], depth: usize) -> String {
    let mut out = String::new();
    if depth > MAX_DEPTH {
        return out;
    }
    for n in nodes {
        match s(n, "type") {
            "text" | "extended-text" | "hashtag" => {
                let format = n.get("format").and_then(Value::as_u64).unwrap_or(0);
                let mut t = escape(s(n, "text"));
                for (bit, tag) in FORMATS {
                    if bit != 0 && format & bit != 0 {
                        t = format!("<{tag}>{t}</{tag}>");
                    }
                }
                out.push_str(&t);
            }
            "link" | "autolink" => {
                let inner = inline(
                    n.get("children")
                        .and_then(Value::as_array)
                        .map_or(&[][..], Vec::as_slice),
                    depth + 1,
                );
                out.push_str(&format!(
                    "<a href=\"{}\">{inner}</a>",
                    escape(&site_relative(s(n, "url")))
                ));
            }
            "linebreak" => out.push_str("<br>"),
            _ => {
                if let Some(c) = n.get("children").and_then(Value::as_array) {
                    out.push_str(&inline(c, depth + 1));
                } else {
                    out.push_str(&escape(s(n, "text")));
                }
            }
        }
    }
    out
}

/// Ghost writes its own site's addresses as `__GHOST_URL__/…`: a link to another post
/// becomes a path on this site (its old address answers with a redirect).
pub(crate) fn site_relative(url: &str) -> String {
    match url.strip_prefix("__GHOST_URL__") {
        Some("") => "/".to_owned(),
        Some(rest) => rest.to_owned(),
        None => url.to_owned(),
    }
}

fn photo(p: &Value, caption: &str) -> Piece {
    let alt = match s(p, "alt") {
        "" => s(p, "altText"),
        a => a,
    };
    Piece::Photo(FoundPhoto {
        attachment: None,
        src: s(p, "src").to_owned(),
        alt: warta_core::sanitize::clean_text(alt),
        caption: text_of_html(caption),
    })
}

/// A card (a Lexical decorator node, or a Mobiledoc card's payload): same names.
pub(crate) fn card(kind: &str, p: &Value, body: &mut Body) {
    match kind {
        "image" => {
            if s(p, "src").is_empty() {
                body.drop("image without a file");
            } else {
                body.pieces.push(photo(p, s(p, "caption")));
            }
        }
        "gallery" => {
            let images = p.get("images").and_then(Value::as_array);
            let mut caption = s(p, "caption");
            for img in images.map_or(&[][..], Vec::as_slice) {
                if s(img, "src").is_empty() {
                    continue;
                }
                // The gallery's caption goes with its first photo that has none.
                let own = s(img, "caption");
                let c = if own.is_empty() {
                    std::mem::take(&mut caption)
                } else {
                    own
                };
                body.pieces.push(photo(img, c));
            }
        }
        "embed" | "bookmark" => {
            let url = site_relative(s(p, "url"));
            if url.starts_with("http://") || url.starts_with("https://") {
                let title = p
                    .get("metadata")
                    .map(|m| s(m, "title"))
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| s(p, "caption"));
                body.block(Block::Embed {
                    url,
                    title: text_of_html(title),
                });
            } else {
                body.drop(&format!("{kind} without an address"));
            }
        }
        "html" => body.html(s(p, "html")),
        "markdown" | "card-markdown" => {
            let md = s(p, "markdown");
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
            body.html(&html);
        }
        "callout" => {
            let emoji = s(p, "calloutEmoji");
            let text = s(p, "calloutText");
            let html = if emoji.is_empty() {
                text.to_owned()
            } else {
                format!("{} {text}", escape(emoji))
            };
            body.paragraph(&html);
        }
        "toggle" => {
            body.paragraph(&format!(
                "<b>{}</b>",
                escape(&text_of_html(s(p, "heading")))
            ));
            body.html(s(p, "content"));
        }
        "button" => {
            let url = site_relative(s(p, "buttonUrl"));
            let text = s(p, "buttonText");
            if url.is_empty() || text.is_empty() {
                body.drop("button");
            } else {
                body.paragraph(&format!(
                    "<a href=\"{}\">{}</a>",
                    escape(&url),
                    escape(text)
                ));
            }
        }
        "codeblock" | "code" => {
            let code = s(p, "code");
            if !code.trim().is_empty() {
                body.block(Block::Paragraph {
                    html: SafeHtml::from_text(code),
                });
            }
        }
        "" => body.drop("node without a type"),
        other => body.drop(other),
    }
}

/// A Mobiledoc document (Ghost before 5); `None` when it is not one.
pub(crate) fn mobiledoc(json: &str) -> Option<Body> {
    let v: Value = serde_json::from_str(json).ok()?;
    let sections = v.get("sections")?.as_array()?;
    let empty = Vec::new();
    let markups = v.get("markups").and_then(Value::as_array).unwrap_or(&empty);
    let atoms = v.get("atoms").and_then(Value::as_array).unwrap_or(&empty);
    let cards = v.get("cards").and_then(Value::as_array).unwrap_or(&empty);
    let mut body = Body::default();
    for section in sections {
        let Some(sec) = section.as_array() else {
            continue;
        };
        match sec.first().and_then(Value::as_u64) {
            // [1, tag, markers]
            Some(1) => {
                let tag = sec.get(1).and_then(Value::as_str).unwrap_or("p");
                let html = markers(sec.get(2), markups, atoms);
                match tag.to_ascii_lowercase().as_str() {
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        let text = text_of_html(&html);
                        if !text.is_empty() {
                            body.block(Block::Heading { text });
                        }
                    }
                    "blockquote" | "aside" | "pull-quote" => {
                        let text = text_of_html(&html);
                        if !text.is_empty() {
                            body.block(Block::Quote {
                                text,
                                cite: String::new(),
                            });
                        }
                    }
                    _ => body.paragraph(&html),
                }
            }
            // [2, src]: an image section of the earliest Mobiledoc.
            Some(2) => {
                let src = sec.get(1).and_then(Value::as_str).unwrap_or("");
                card("image", &serde_json::json!({ "src": src }), &mut body);
            }
            // [3, tag, [markers, …]]
            Some(3) => {
                let ordered = sec.get(1).and_then(Value::as_str) == Some("ol");
                let items: Vec<SafeHtml> = sec
                    .get(2)
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .map(|item| SafeHtml::sanitize(&markers(Some(item), markups, atoms)))
                    .filter(|h| !h.to_text().trim().is_empty())
                    .collect();
                if !items.is_empty() {
                    body.block(Block::List { ordered, items });
                }
            }
            // [10, card index]
            Some(10) => {
                let card_of = sec
                    .get(1)
                    .and_then(Value::as_u64)
                    .and_then(|i| cards.get(usize::try_from(i).ok()?))
                    .and_then(Value::as_array);
                match card_of {
                    Some(c) => {
                        let name = c.first().and_then(Value::as_str).unwrap_or("");
                        let payload = c.get(1).cloned().unwrap_or(Value::Null);
                        card(name, &payload, &mut body);
                    }
                    None => body.drop("card missing from the document"),
                }
            }
            _ => body.drop("section Warta does not know"),
        }
    }
    Some(body)
}

/// Mobiledoc markers (`[type, opened markups, closed count, value]`) as inline HTML.
fn markers(list: Option<&Value>, markups: &[Value], atoms: &[Value]) -> String {
    let mut out = String::new();
    let mut open: Vec<String> = Vec::new();
    for m in list
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
    {
        let Some(m) = m.as_array() else { continue };
        for i in m
            .get(1)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
        {
            let Some(markup) = i
                .as_u64()
                .and_then(|i| markups.get(usize::try_from(i).ok()?))
                .and_then(Value::as_array)
            else {
                continue;
            };
            let tag = markup
                .first()
                .and_then(Value::as_str)
                .unwrap_or("span")
                .to_ascii_lowercase();
            if !tag.bytes().all(|b| b.is_ascii_alphanumeric()) {
                continue;
            }
            let attrs = markup.get(1).and_then(Value::as_array);
            let mut opening = format!("<{tag}");
            if let Some(attrs) = attrs {
                for pair in attrs.chunks(2) {
                    if let [k, v] = pair
                        && let (Some(k), Some(v)) = (k.as_str(), v.as_str())
                        && k == "href"
                    {
                        opening.push_str(&format!(" href=\"{}\"", escape(&site_relative(v))));
                    }
                }
            }
            opening.push('>');
            out.push_str(&opening);
            open.push(tag);
        }
        let value = match m.first().and_then(Value::as_u64) {
            // An atom: its text.
            Some(1) => m
                .get(3)
                .and_then(Value::as_u64)
                .and_then(|i| atoms.get(usize::try_from(i).ok()?))
                .and_then(|a| a.get(1))
                .and_then(Value::as_str)
                .unwrap_or(""),
            _ => m.get(3).and_then(Value::as_str).unwrap_or(""),
        };
        out.push_str(&escape(value));
        let closed = m.get(2).and_then(Value::as_u64).unwrap_or(0);
        for _ in 0..closed {
            if let Some(tag) = open.pop() {
                out.push_str(&format!("</{tag}>"));
            }
        }
    }
    while let Some(tag) = open.pop() {
        out.push_str(&format!("</{tag}>"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(b: &Body) -> Vec<String> {
        b.pieces
            .iter()
            .map(|p| match p {
                Piece::Block(Block::Paragraph { html }) => format!("p:{}", html.as_str()),
                Piece::Block(Block::Heading { text }) => format!("h:{text}"),
                Piece::Block(Block::Quote { text, .. }) => format!("q:{text}"),
                Piece::Block(Block::List { ordered, items }) => format!(
                    "{}:{}",
                    if *ordered { "ol" } else { "ul" },
                    items
                        .iter()
                        .map(SafeHtml::as_str)
                        .collect::<Vec<_>>()
                        .join("|")
                ),
                Piece::Block(Block::Embed { url, title }) => format!("embed:{url}:{title}"),
                Piece::Block(other) => format!("{other:?}"),
                Piece::Photo(f) => format!("photo:{}:{}:{}", f.src, f.alt, f.caption),
            })
            .collect()
    }

    #[test]
    fn mobiledoc_markers_nest_and_close() {
        let doc = r#"{"version":"0.3.1","atoms":[["soft-return","",{}]],"cards":[["image",{"src":"__GHOST_URL__/content/images/2019/05/a.jpg","caption":"Pasar pagi"}],["hr",{}]],"markups":[["a",["href","__GHOST_URL__/pasar/"]],["strong"]],"sections":[[1,"p",[[0,[],0,"Harga "],[0,[0,1],2,"cabai"],[0,[],0," naik."]]],[1,"h2",[[0,[],0,"Sebab"]]],[3,"ol",[[[0,[],0,"Hujan"]],[[0,[1],1,"Panen"]]]],[10,0],[10,1],[10,7]]}"#;
        let b = mobiledoc(doc).expect("reads");
        assert_eq!(
            kinds(&b),
            [
                "p:Harga <a href=\"/pasar/\" rel=\"noopener\"><strong>cabai</strong></a> naik.",
                "h:Sebab",
                "ol:Hujan|<strong>Panen</strong>",
                "photo:__GHOST_URL__/content/images/2019/05/a.jpg::Pasar pagi",
            ]
        );
        assert_eq!(b.dropped.get("hr"), Some(&1));
        assert_eq!(b.dropped.get("card missing from the document"), Some(&1));
    }

    #[test]
    fn broken_documents_are_none_not_panics() {
        for bad in [
            "",
            "{",
            "[]",
            "{\"root\":1}",
            "{\"root\":{\"children\":{}}}",
        ] {
            assert!(lexical(bad).is_none(), "{bad}");
        }
        assert!(mobiledoc("{\"sections\":3}").is_none());
        // Deep nesting: past serde_json's limit the document is refused; below it, the
        // walk stops at its own limit. Neither overflows the stack.
        let deep = |n: usize| {
            format!(
                "{{\"root\":{{\"children\":[{}{{\"type\":\"text\",\"text\":\"x\"}}{}]}}}}",
                "{\"type\":\"paragraph\",\"children\":[".repeat(n),
                "]}".repeat(n)
            )
        };
        assert!(lexical(&deep(200)).is_none());
        let b = lexical(&deep(60)).expect("read");
        assert!(
            b.pieces.is_empty(),
            "text deeper than the walk goes is not reached"
        );
    }
}
