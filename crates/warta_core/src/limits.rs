//! How large an article may be, in one place (issue #24): checked by
//! `ArticleInput::normalize`, which the newsroom, every importer and the store's
//! writer all go through, each error naming the field and the limit. A 50 MB
//! paragraph once imported at 1.8 GB of memory and gave a page that answered 500.
//!
//! Importers keep real archives whole: [`split_long_paragraphs`] cuts a paragraph over
//! the limit at sentence ends (at spaces, if a sentence alone is too long) and the
//! importer reports it; only what cannot be made to fit is refused.

use crate::Block;
use crate::sanitize::SafeHtml;

/// Characters in a headline.
pub const MAX_HEADLINE: usize = 300;
/// Characters in a lede.
pub const MAX_LEDE: usize = 2_000;
/// Characters in a title for search results and shared cards (they show about 60).
pub const MAX_SEO_TITLE: usize = 200;
/// Characters in a description for search results and shared cards (about 160 shown).
pub const MAX_SEO_DESCRIPTION: usize = 500;
/// Characters in a story's canonical address (an address elsewhere).
pub const MAX_SEO_CANONICAL: usize = 2000;
/// Blocks in a body.
pub const MAX_BLOCKS: usize = 5_000;
/// Characters in one paragraph (its HTML), heading, quote or caption.
pub const MAX_PARAGRAPH: usize = 20_000;
/// Characters in a whole body (about 150,000 words).
pub const MAX_TEXT: usize = 1_000_000;
/// Tags on one article.
pub const MAX_TAGS: usize = 50;

/// The length of a block's text, as [`MAX_PARAGRAPH`] counts it.
pub fn block_len(block: &Block) -> usize {
    match block {
        Block::Paragraph { html } => html.as_str().chars().count(),
        Block::List { items, .. } => items.iter().map(|i| i.as_str().chars().count()).sum(),
        Block::Heading { text } | Block::Correction { text, .. } => text.chars().count(),
        Block::Quote { text, cite } => text.chars().count() + cite.chars().count(),
        Block::Photo {
            caption, credit, ..
        } => caption.chars().count() + credit.chars().count(),
        Block::Embed { url, title } => url.chars().count() + title.chars().count(),
    }
}

/// Checks an article's sizes against the limits; the error names the field and the
/// limit (and the block, for one too long).
pub fn check_sizes(
    headline: &str,
    lede: &str,
    body: &[Block],
    tags: usize,
) -> Result<(), crate::ValidationError> {
    use crate::ValidationError;
    for (field, value, max) in [
        ("headline", headline, MAX_HEADLINE),
        ("lede", lede, MAX_LEDE),
    ] {
        let len = value.chars().count();
        if len > max {
            return Err(ValidationError::TooLong { field, len, max });
        }
    }
    if body.len() > MAX_BLOCKS {
        return Err(ValidationError::TooLong {
            field: "body",
            len: body.len(),
            max: MAX_BLOCKS,
        });
    }
    let mut total = 0;
    for (i, block) in body.iter().enumerate() {
        let len = block_len(block);
        if len > MAX_PARAGRAPH {
            return Err(ValidationError::Invalid {
                field: "body",
                reason: crate::Reason::ParagraphTooLong {
                    index: i + 1,
                    len,
                    max: MAX_PARAGRAPH,
                },
            });
        }
        total += len;
    }
    if total > MAX_TEXT {
        return Err(ValidationError::TooLong {
            field: "body",
            len: total,
            max: MAX_TEXT,
        });
    }
    if tags > MAX_TAGS {
        return Err(ValidationError::Invalid {
            field: "tags",
            reason: crate::Reason::TooManyTags {
                count: tags,
                max: MAX_TAGS,
            },
        });
    }
    Ok(())
}

/// Cuts every paragraph longer than [`MAX_PARAGRAPH`] into paragraphs that fit, at
/// sentence ends where it can; returns how many paragraphs were cut.
pub fn split_long_paragraphs(body: &mut Vec<Block>) -> usize {
    if !body
        .iter()
        .any(|b| matches!(b, Block::Paragraph { .. }) && block_len(b) > MAX_PARAGRAPH)
    {
        return 0;
    }
    let mut cut = 0;
    let mut out = Vec::with_capacity(body.len() + 8);
    for block in body.drain(..) {
        match block {
            Block::Paragraph { html } if html.as_str().chars().count() > MAX_PARAGRAPH => {
                cut += 1;
                for piece in pieces(html.as_str(), MAX_PARAGRAPH) {
                    // Each piece is sanitised again: a tag cut in two is closed.
                    let html = SafeHtml::sanitize(&piece);
                    if !html.as_str().is_empty() {
                        out.push(Block::Paragraph { html });
                    }
                }
            }
            other => out.push(other),
        }
    }
    *body = out;
    cut
}

/// `text` in pieces of at most `max` characters (a little less, so that sanitising a
/// piece, which may close a tag, keeps it within the limit), cut after a sentence end
/// (`. `, `? `, `! `) where one falls in the second half of a piece, else at a space,
/// else anywhere.
fn pieces(text: &str, max: usize) -> Vec<String> {
    let room = max - max / 20;
    let mut out = Vec::new();
    let mut rest: &str = text;
    while rest.chars().count() > room {
        let limit = rest.char_indices().nth(room).map_or(rest.len(), |(i, _)| i);
        let window = &rest[..limit];
        let half = window.char_indices().nth(room / 2).map_or(0, |(i, _)| i);
        let sentence = [". ", "? ", "! "]
            .iter()
            .filter_map(|end| window.rfind(end).map(|i| i + end.len() - 1))
            .max()
            .filter(|i| *i >= half);
        let at = sentence
            .or_else(|| window.rfind(' ').filter(|i| *i > 0))
            .unwrap_or(limit);
        let (head, tail) = rest.split_at(at);
        out.push(head.trim().to_owned());
        rest = tail.trim_start();
    }
    if !rest.trim().is_empty() {
        out.push(rest.trim().to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_paragraph_is_cut_at_sentence_ends_into_pieces_that_fit() {
        let sentence = "Warga kembali ke rumah setelah banjir surut. ";
        let long = sentence.repeat(1_500); // 67,500 characters
        let mut body = vec![
            Block::Paragraph {
                html: SafeHtml::sanitize("Pendek."),
            },
            Block::Paragraph {
                html: SafeHtml::sanitize(&long),
            },
        ];
        assert_eq!(split_long_paragraphs(&mut body), 1);
        assert!(body.len() >= 5, "{} blocks", body.len());
        for b in &body {
            assert!(block_len(b) <= MAX_PARAGRAPH);
            if let Block::Paragraph { html } = b {
                assert!(html.as_str().ends_with('.'), "cut at a sentence end");
            }
        }
        let joined: String = body[1..]
            .iter()
            .map(|b| match b {
                Block::Paragraph { html } => html.as_str().to_owned(),
                _ => String::new(),
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined, long.trim(), "nothing lost");
        // One 30,000-character word: cut anywhere, still nothing lost.
        let word = "a".repeat(30_000);
        let mut body = vec![Block::Paragraph {
            html: SafeHtml::sanitize(&word),
        }];
        assert_eq!(split_long_paragraphs(&mut body), 1);
        assert_eq!(body.len(), 2);
        assert!(body.iter().all(|b| block_len(b) <= MAX_PARAGRAPH));
        // Nothing to do: nothing changes.
        let mut short = vec![Block::Heading { text: "x".into() }];
        assert_eq!(split_long_paragraphs(&mut short), 0);
    }

    #[test]
    fn a_tag_cut_in_two_is_closed() {
        let long = format!("<b>{}</b>", "kata ".repeat(5_000));
        let mut body = vec![Block::Paragraph {
            html: SafeHtml::sanitize(&long),
        }];
        split_long_paragraphs(&mut body);
        let Some(Block::Paragraph { html }) = body.first() else {
            panic!("a paragraph");
        };
        assert!(html.as_str().starts_with("<b>") && html.as_str().ends_with("</b>"));
    }

    #[test]
    fn an_article_over_a_limit_is_refused_naming_the_field_and_the_limit() {
        let base = || {
            let mut a = crate::ArticleInput::empty();
            a.headline = "Judul".into();
            a.section = "berita".into();
            a
        };
        let mut a = base();
        a.body.push(Block::Paragraph {
            html: SafeHtml::sanitize(&"kata ".repeat(5_000)),
        });
        let e = a.normalize().expect_err("paragraph too long").to_string();
        assert!(
            e.contains("`body`") && e.contains("block 1") && e.contains("20000"),
            "{e}"
        );
        let mut a = base();
        a.tags = (0..51)
            .map(|i| crate::TagRef {
                name: format!("topik {i}"),
                kind: crate::TagKind::Topic,
            })
            .collect();
        let e = a.normalize().expect_err("too many tags").to_string();
        assert!(e.contains("`tags`") && e.contains("at most 50"), "{e}");
        let mut a = base();
        a.body = (0..60)
            .map(|_| Block::Paragraph {
                html: SafeHtml::sanitize(&"kata ".repeat(3_600)),
            })
            .collect();
        let e = a.normalize().expect_err("too much text").to_string();
        assert!(e.contains("`body`") && e.contains("at most 1000000"), "{e}");
        assert!(base().normalize().is_ok());
    }
}
