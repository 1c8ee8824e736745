//! Where in-article ad slots go. Slots sit between blocks, counted in paragraphs: after
//! paragraph `first`, then every `every` paragraphs. Never on sensitive articles, never
//! before the first paragraph (the dateline paragraph), never inside a quote (quotes are
//! blocks of their own), and never after the last block. A slot that would fall between
//! a paragraph and the list it introduces ("Berikut daftarnya:") goes after the list.

use crate::Block;

/// Indexes of the blocks after which an ad slot goes.
pub fn slots_after(body: &[Block], first: u32, every: u32, sensitive: bool) -> Vec<usize> {
    let mut out = Vec::new();
    if sensitive || first == 0 {
        return out;
    }
    let mut next = first;
    let mut paragraphs = 0u32;
    for (i, block) in body.iter().enumerate() {
        if !matches!(block, Block::Paragraph { .. }) {
            continue;
        }
        paragraphs += 1;
        if paragraphs == next {
            let mut at = i;
            while matches!(body.get(at + 1), Some(Block::List { .. })) {
                at += 1;
            }
            if at + 1 < body.len() {
                out.push(at);
            }
            if every == 0 {
                break;
            }
            next += every;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sanitize::SafeHtml;

    fn p() -> Block {
        Block::Paragraph {
            html: SafeHtml::from_text("p"),
        }
    }
    fn q() -> Block {
        Block::Quote {
            text: "q".into(),
            cite: String::new(),
        }
    }

    #[test]
    fn slot_table() {
        let ten: Vec<Block> = (0..10).map(|_| p()).collect();
        assert_eq!(slots_after(&ten, 3, 3, false), vec![2, 5, 8]);
        assert_eq!(slots_after(&ten, 5, 0, false), vec![4]);
        assert_eq!(slots_after(&ten, 5, 5, false), vec![4]); // not after the last block
        assert_eq!(slots_after(&ten, 3, 3, true), Vec::<usize>::new());
        assert_eq!(slots_after(&ten, 0, 3, false), Vec::<usize>::new());
        assert_eq!(slots_after(&ten, 11, 3, false), Vec::<usize>::new());
        assert_eq!(slots_after(&[], 1, 1, false), Vec::<usize>::new());
    }

    #[test]
    fn quotes_are_not_counted_and_never_split() {
        let body = vec![p(), q(), p(), q(), p(), p()];
        // Second paragraph is block 2; the slot goes after it, before the quote.
        assert_eq!(slots_after(&body, 2, 1, false), vec![2, 4]);
    }

    #[test]
    fn a_list_stays_with_the_paragraph_introducing_it() {
        let list = Block::List {
            ordered: false,
            items: vec![SafeHtml::from_text("a"), SafeHtml::from_text("b")],
        };
        let body = vec![p(), list.clone(), p(), p(), list, p()];
        // The first slot would be after block 0, before the list: it goes after the list.
        assert_eq!(slots_after(&body, 1, 1, false), vec![1, 2, 4]);
        // Nothing after a list that ends the body.
        let body = vec![
            p(),
            p(),
            Block::List {
                ordered: true,
                items: vec![SafeHtml::from_text("x")],
            },
        ];
        assert_eq!(slots_after(&body, 2, 0, false), Vec::<usize>::new());
    }

    #[test]
    fn first_slot_is_never_before_the_dateline_paragraph() {
        let body = vec![q(), p(), p()];
        let slots = slots_after(&body, 1, 1, false);
        assert_eq!(slots, vec![1]);
        assert!(slots.iter().all(|&i| i >= 1));
    }
}
