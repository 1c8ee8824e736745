//! HTML article bodies (WordPress classic and block editor, saved pages) into Warta
//! blocks: paragraphs (inline HTML through the sanitiser), sub-headings, quotes and
//! captioned photos. `[caption]` shortcodes become figures first; bodies without any
//! block markup are split into paragraphs at blank lines, as WordPress's `wpautop`
//! does.

use scraper::{ElementRef, Html, Node};
use warta_core::Block;
use warta_core::sanitize::{SafeHtml, clean_text};
use warta_store::NewMedia;

/// A photo found in a body, before it is matched to a media record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPhoto {
    /// WordPress attachment id (`wp-image-123`, `attachment_123`), when given.
    pub attachment: Option<i64>,
    pub src: String,
    pub alt: String,
    pub caption: String,
}

/// One piece of a body: a finished block, or a photo to resolve.
#[derive(Debug, Clone)]
pub enum Piece {
    Block(Block),
    Photo(FoundPhoto),
}

/// Turns `[caption …]<img …> Text[/caption]` into `<figure>` markup.
pub fn expand_caption_shortcodes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("[caption") {
        let Some(open_end) = rest[start..].find(']') else {
            break;
        };
        let Some(close) = rest[start..].find("[/caption]") else {
            break;
        };
        if close <= open_end {
            // `[caption` with no `]` of its own before the closing tag: not a
            // shortcode; keep the text and look further on.
            let skip = start + "[caption".len();
            out.push_str(&rest[..skip]);
            rest = &rest[skip..];
            continue;
        }
        let open = &rest[start..start + open_end + 1];
        let inner = &rest[start + open_end + 1..start + close];
        out.push_str(&rest[..start]);
        let id = open
            .split("attachment_")
            .nth(1)
            .map(|s| {
                s.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .unwrap_or_default();
        // The caption is the text after the image markup.
        let (img, text) = match inner.rfind('>') {
            Some(i) => (&inner[..=i], &inner[i + 1..]),
            None => ("", inner),
        };
        out.push_str(&format!(
            "<figure data-attachment=\"{id}\">{img}<figcaption>{}</figcaption></figure>",
            text.trim()
        ));
        rest = &rest[start + close + "[/caption]".len()..];
    }
    out.push_str(rest);
    out
}

/// WordPress stores classic posts without `<p>`: blank lines separate paragraphs.
fn autop(html: &str) -> String {
    if html.contains("<p") || html.contains("<!-- wp:") {
        return html.to_owned();
    }
    html.split("\n\n")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            let block = [
                "<figure",
                "<h",
                "<blockquote",
                "<ul",
                "<ol",
                "<div",
                "<table",
            ]
            .iter()
            .any(|t| c.starts_with(t));
            if block {
                c.to_owned()
            } else {
                format!("<p>{c}</p>")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The pieces of a body, in order.
pub fn pieces(html: &str) -> Vec<Piece> {
    let html = autop(&expand_caption_shortcodes(html));
    let doc = Html::parse_fragment(&html);
    let mut out = Vec::new();
    walk(doc.root_element(), &mut out);
    out
}

fn walk(el: ElementRef<'_>, out: &mut Vec<Piece>) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                let text = clean_text(t);
                if !text.is_empty() && !is_junk_text(&text) {
                    out.push(Piece::Block(Block::Paragraph {
                        html: SafeHtml::from_text(&text),
                    }));
                }
            }
            Node::Element(_) => {
                let Some(e) = ElementRef::wrap(child) else {
                    continue;
                };
                element(e, out);
            }
            _ => {}
        }
    }
}

fn text_of(e: ElementRef<'_>) -> String {
    clean_text(&e.text().collect::<String>())
}

/// Page furniture inside article containers: related links, share bars, ads.
fn is_junk(e: ElementRef<'_>) -> bool {
    const MARKS: [&str; 15] = [
        "related",
        "baca-juga",
        "bacajuga",
        "read-also",
        "share",
        "sharing",
        "social",
        "advert",
        "iklan",
        "newsletter",
        "comment",
        "promo",
        "sponsor",
        "breadcrumb",
        "ads",
    ];
    let v = e.value();
    let names = format!(
        "{} {}",
        v.attr("class").unwrap_or(""),
        v.attr("id").unwrap_or("")
    )
    .to_ascii_lowercase();
    names
        .split(|c: char| c.is_whitespace() || c == '_')
        .any(|w| {
            MARKS.iter().any(|m| {
                // Short marks must be whole words (`ads`, `ads-top`); longer ones may sit
                // inside a name (`jp-relatedposts`, `sharedaddy`).
                if m.len() <= 3 {
                    w == *m || w.starts_with(&format!("{m}-")) || w.ends_with(&format!("-{m}"))
                } else {
                    w.contains(m)
                }
            })
        })
}

/// Lines that are furniture whatever their markup.
fn is_junk_text(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    t.starts_with("baca juga")
        || t.starts_with("lihat juga")
        || matches!(
            t.as_str(),
            "advertisement" | "advertising" | "iklan" | "scroll to continue with content"
        )
}

fn element(e: ElementRef<'_>, out: &mut Vec<Piece>) {
    let name = e.value().name();
    if is_junk(e) {
        return;
    }
    match name {
        "p" => {
            // A paragraph holding only an image is a photo.
            if let Some(img) = only_image(e) {
                out.push(Piece::Photo(photo_of(img, None, String::new())));
                return;
            }
            let html = SafeHtml::sanitize(&e.inner_html());
            if !html.as_str().is_empty() && !is_junk_text(&html.to_text()) {
                out.push(Piece::Block(Block::Paragraph { html }));
            }
        }
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let text = text_of(e);
            if !text.is_empty() {
                out.push(Piece::Block(Block::Heading { text }));
            }
        }
        "blockquote" => {
            let cite = e
                .children()
                .filter_map(ElementRef::wrap)
                .find(|c| matches!(c.value().name(), "cite" | "footer"))
                .map(text_of)
                .unwrap_or_default();
            let mut parts: Vec<String> = Vec::new();
            for c in e.children() {
                match c.value() {
                    Node::Text(t) => parts.push(t.to_string()),
                    Node::Element(el) if !matches!(el.name(), "cite" | "footer") => {
                        if let Some(er) = ElementRef::wrap(c) {
                            parts.push(text_of(er));
                        }
                    }
                    _ => {}
                }
            }
            let text = clean_text(&parts.join(" "));
            if !text.is_empty() {
                out.push(Piece::Block(Block::Quote { text, cite }));
            }
        }
        "figure" => {
            let caption = e
                .children()
                .filter_map(ElementRef::wrap)
                .find(|c| c.value().name() == "figcaption")
                .map(text_of)
                .unwrap_or_default();
            let attachment = e
                .value()
                .attr("data-attachment")
                .and_then(|a| a.parse().ok());
            match e
                .descendants()
                .filter_map(ElementRef::wrap)
                .find(|d| d.value().name() == "img")
            {
                Some(img) => out.push(Piece::Photo(photo_of(img, attachment, caption))),
                None => {
                    // A figure around a quote or a table: keep its text.
                    walk(e, out);
                }
            }
        }
        "img" => out.push(Piece::Photo(photo_of(e, None, String::new()))),
        "ul" | "ol" => {
            let mut items = Vec::new();
            list_items(e, &mut items);
            if !items.is_empty() {
                out.push(Piece::Block(Block::List {
                    ordered: name == "ol",
                    items,
                }));
            }
        }
        // Never article text.
        "script" | "style" | "noscript" | "iframe" | "form" | "nav" | "aside" | "button"
        | "header" | "footer" | "svg" | "time" => {}
        "br" | "hr" => {}
        // Wrappers: look inside.
        _ => walk(e, out),
    }
}

/// The items of a list. Warta's lists do not nest: the items of a list inside an item
/// follow that item.
fn list_items(list: ElementRef<'_>, items: &mut Vec<SafeHtml>) {
    for li in list
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|c| c.value().name() == "li")
    {
        let mut own = String::new();
        let mut nested = Vec::new();
        for c in li.children() {
            match c.value() {
                Node::Text(t) => own.push_str(&warta_core::sanitize::escape(t)),
                Node::Element(el) if matches!(el.name(), "ul" | "ol") => {
                    nested.extend(ElementRef::wrap(c));
                }
                Node::Element(_) => own.extend(ElementRef::wrap(c).map(|e| e.html())),
                _ => {}
            }
        }
        let html = SafeHtml::sanitize_owned(own.split_whitespace().collect::<Vec<_>>().join(" "));
        if !html.as_str().is_empty() && !is_junk_text(&html.to_text()) {
            items.push(html);
        }
        for n in nested {
            list_items(n, items);
        }
    }
}

fn only_image(p: ElementRef<'_>) -> Option<ElementRef<'_>> {
    if !text_of(p).is_empty() {
        return None;
    }
    p.descendants()
        .filter_map(ElementRef::wrap)
        .find(|d| d.value().name() == "img")
}

fn photo_of(img: ElementRef<'_>, attachment: Option<i64>, caption: String) -> FoundPhoto {
    let class = img.value().attr("class").unwrap_or("");
    let from_class = class
        .split_whitespace()
        .find_map(|c| c.strip_prefix("wp-image-"))
        .and_then(|n| n.parse().ok());
    FoundPhoto {
        attachment: attachment.or(from_class),
        src: img.value().attr("src").unwrap_or("").to_owned(),
        alt: clean_text(img.value().attr("alt").unwrap_or("")),
        caption,
    }
}

/// A canonical address an export kept for a post first published elsewhere (Ghost's
/// `canonical_url`, Yoast's `_yoast_wpseo_canonical`); one on the old site itself
/// (`__GHOST_URL__/…`, a path) or not a web address says nothing: empty.
pub(crate) fn canonical_elsewhere(url: &str) -> String {
    let url = url.trim();
    if (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace)
        && url.chars().count() <= warta_core::MAX_SEO_CANONICAL
    {
        url.to_owned()
    } else {
        String::new()
    }
}

/// An article's lede: the source's excerpt, else the first 300 characters of its
/// first paragraph; at most [`warta_core::MAX_LEDE`] characters.
pub(crate) fn lede_or_first_paragraph(excerpt: String, body: &[Block]) -> String {
    if excerpt.is_empty() {
        body.iter()
            .find_map(|b| match b {
                Block::Paragraph { html } => Some(html.to_text()),
                _ => None,
            })
            .map(|t| t.chars().take(300).collect())
            .unwrap_or_default()
    } else {
        excerpt.chars().take(warta_core::MAX_LEDE).collect()
    }
}

/// A page of the publication from an importer's pieces. Photos are left out (pages
/// take no media from an export), each counted as skipped, naming the `platform`.
pub(crate) fn page_record(
    loc: &crate::Location,
    pieces: Vec<Piece>,
    (slug, title, position): (String, String, i64),
    platform: &str,
) -> Vec<crate::Record> {
    let mut out = Vec::new();
    let mut body = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Block(b) => body.push(b),
            Piece::Photo(_) => out.push(crate::Record::Skipped {
                location: loc.clone(),
                reason: format!("photo in a {platform} page (left out)"),
            }),
        }
    }
    out.push(crate::Record::Page(
        loc.clone(),
        crate::jsonl::PageRecord {
            slug,
            title,
            body,
            position,
        },
    ));
    out
}

/// A media record for a photo with no record of its own: the image stays at its
/// original address, caption and credit split as agencies write them.
pub fn media_for(photo: &FoundPhoto) -> NewMedia {
    let (caption, credit) = crate::text::split_credit(&photo.caption)
        .map(|(c, cr)| (c.to_owned(), cr.to_owned()))
        .unwrap_or_else(|| (photo.caption.clone(), String::new()));
    NewMedia {
        // A path on the old site stays as it is, for `--media-from` to find (and is
        // left out without it).
        file: if photo.src.starts_with("http://")
            || photo.src.starts_with("https://")
            || photo.src.starts_with('/')
        {
            photo.src.clone()
        } else {
            String::new()
        },
        mime: String::new(),
        width: 0,
        height: 0,
        alt: photo.alt.clone(),
        caption,
        credit,
        renditions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(ps: &[Piece]) -> Vec<&'static str> {
        ps.iter()
            .map(|p| match p {
                Piece::Block(Block::Paragraph { .. }) => "p",
                Piece::Block(Block::Heading { .. }) => "h",
                Piece::Block(Block::Quote { .. }) => "quote",
                Piece::Block(Block::List { ordered: false, .. }) => "ul",
                Piece::Block(Block::List { ordered: true, .. }) => "ol",
                Piece::Block(Block::Photo { .. }) => "block-photo",
                Piece::Block(_) => "other",
                Piece::Photo(_) => "photo",
            })
            .collect()
    }

    #[test]
    fn classic_editor_body() {
        let html = "Paragraf satu dengan <strong>tebal</strong>.\n\n\
            [caption id=\"attachment_45\" align=\"alignnone\" width=\"640\"]<img class=\"size-full wp-image-45\" src=\"https://lama.id/a.jpg\" alt=\"Alt\" /> Warga antre. ANTARA/Budi[/caption]\n\n\
            <h2>Sub</h2>\n\nParagraf dua.";
        let ps = pieces(html);
        assert_eq!(kinds(&ps), ["p", "photo", "h", "p"]);
        let Piece::Photo(p) = &ps[1] else { panic!() };
        assert_eq!(p.attachment, Some(45));
        assert_eq!(p.caption, "Warga antre. ANTARA/Budi");
        let m = media_for(p);
        assert_eq!(
            (m.caption.as_str(), m.credit.as_str()),
            ("Warga antre.", "ANTARA/Budi")
        );
        let Piece::Block(Block::Paragraph { html }) = &ps[0] else {
            panic!()
        };
        assert_eq!(
            html.as_str(),
            "Paragraf satu dengan <strong>tebal</strong>."
        );
    }

    #[test]
    fn block_editor_body() {
        let html = "<!-- wp:paragraph --><p>Satu.</p><!-- /wp:paragraph -->\
            <!-- wp:image {\"id\":7} --><figure class=\"wp-block-image\"><img src=\"/x.jpg\" alt=\"\" class=\"wp-image-7\"/><figcaption>Keterangan.</figcaption></figure><!-- /wp:image -->\
            <!-- wp:quote --><blockquote class=\"wp-block-quote\"><p>Kutipan.</p><cite>Tokoh</cite></blockquote><!-- /wp:quote -->\
            <!-- wp:list --><ul><li>A</li><li>B</li></ul><!-- /wp:list -->\
            <script>alert(1)</script>";
        let ps = pieces(html);
        assert_eq!(kinds(&ps), ["p", "photo", "quote", "ul"]);
        let Piece::Block(Block::Quote { text, cite }) = &ps[2] else {
            panic!()
        };
        assert_eq!((text.as_str(), cite.as_str()), ("Kutipan.", "Tokoh"));
        let Piece::Photo(p) = &ps[1] else { panic!() };
        assert_eq!(p.attachment, Some(7));
    }

    #[test]
    fn lists_stay_lists() {
        let html = "<p>Syaratnya:</p><ol><li>KTP <b>asli</b></li>\n<li>Kartu keluarga<ul><li>fotokopi</li><li>dua lembar</li></ul></li></ol><ul><li> </li></ul>";
        let ps = pieces(html);
        assert_eq!(kinds(&ps), ["p", "ol"]);
        let Piece::Block(Block::List { items, .. }) = &ps[1] else {
            panic!()
        };
        let items: Vec<&str> = items.iter().map(|i| i.as_str()).collect();
        assert_eq!(
            items,
            [
                "KTP <b>asli</b>",
                "Kartu keluarga",
                "fotokopi",
                "dua lembar"
            ]
        );
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for html in [
            "<p>unclosed",
            "[caption]",
            "[caption id=\"x\"]no end",
            "<<<>>>",
            "",
            "<figure></figure>",
            // Found by the fuzzer: the first `]` closes `[/caption]` itself.
            "[caption id=\"a\" x=\"[/caption] tail",
            "[caption[caption][/caption]",
        ] {
            let _ = pieces(html);
        }
    }
}
