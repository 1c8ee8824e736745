//! The name extractor measured on hand-labelled texts (`eval/names.json`: people,
//! organisations, places and events in 20 demo articles and 20 IndoSum articles,
//! labelled by a reader who had not seen the extractor).
//!
//! ```text
//! python3 tools/names_texts.py /tmp/names.jsonl   # the texts, from the demo and ../shared
//! cargo run -p warta_text --example eval_names -- /tmp/names.jsonl
//! ```
//!
//! For the names the index keeps (the first 12) and the tag suggestions' candidates
//! (the first 8): precision (a name found is a labelled one, or one of its aliases),
//! recall (labelled names found), how many are amounts or numbers, and, of the
//! labelled names found, how many get their labelled kind (an event counts as
//! `other`, the suggestion's topic). Demo and IndoSum texts apart, then together.

use std::collections::HashMap;

use serde::Deserialize;
use warta_text::entities::{Kind, extract_kinds};

#[derive(Deserialize)]
struct Labels {
    texts: Vec<Labelled>,
}

#[derive(Deserialize)]
struct Labelled {
    source: String,
    names: Vec<Name>,
}

#[derive(Deserialize)]
struct Name {
    name: String,
    kind: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
struct Text {
    source: String,
    text: String,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    found: usize,
    right: usize,
    labelled: usize,
    recalled: usize,
    amounts: usize,
    kinds_right: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let texts_path = std::env::args()
        .nth(1)
        .ok_or("usage: eval_names TEXTS.jsonl (python3 tools/names_texts.py writes it)")?;
    let labels: Labels = serde_json::from_str(include_str!("../eval/names.json"))?;
    let texts: HashMap<String, String> = std::fs::read_to_string(&texts_path)?
        .lines()
        .map(|l| serde_json::from_str::<Text>(l).map(|t| (t.source, t.text)))
        .collect::<Result<_, _>>()?;
    // [demo, indosum, all] × [index's 12, suggestions' 8]
    let mut tallies = [[Tally::default(); 2]; 3];
    for l in &labels.texts {
        let Some(text) = texts.get(&l.source) else {
            continue;
        };
        // As Warta reads a demo article for names: lede and body, not the headline.
        let text = if l.source.starts_with("demo:") {
            text.split_once("\n\n").map_or(text.as_str(), |x| x.1)
        } else {
            text.as_str()
        };
        let set = usize::from(!l.source.starts_with("demo:"));
        for (slot, limit) in [12, 8].into_iter().enumerate() {
            let found = extract_kinds(text, limit);
            let mut t = Tally {
                labelled: l.names.len(),
                found: found.len(),
                ..Tally::default()
            };
            let mut recalled = vec![false; l.names.len()];
            for (name, kind) in &found {
                t.amounts += usize::from(name.chars().any(|c| c.is_ascii_digit()));
                let hit = l
                    .names
                    .iter()
                    .position(|n| n.name == *name || n.aliases.iter().any(|a| a == name));
                if let Some(i) = hit {
                    t.right += 1;
                    recalled[i] = true;
                    let want = match l.names[i].kind.as_str() {
                        "person" => Kind::Person,
                        "organisation" => Kind::Organisation,
                        "place" => Kind::Place,
                        _ => Kind::Other,
                    };
                    t.kinds_right += usize::from(*kind == want);
                }
            }
            t.recalled = recalled.iter().filter(|r| **r).count();
            if slot == 0 && std::env::var_os("WARTA_EVAL_VERBOSE").is_some() {
                let wrong: Vec<String> = found
                    .iter()
                    .filter(|(n, _)| {
                        !l.names
                            .iter()
                            .any(|x| x.name == *n || x.aliases.iter().any(|a| a == n))
                    })
                    .map(|(n, k)| format!("{n} ({})", k.as_str()))
                    .collect();
                let missed: Vec<&str> = l
                    .names
                    .iter()
                    .zip(&recalled)
                    .filter(|(_, r)| !**r)
                    .map(|(n, _)| n.name.as_str())
                    .collect();
                println!(
                    "{}\n  not labelled: {wrong:?}\n  missed: {missed:?}",
                    l.source
                );
            }
            for target in [set, 2] {
                let a = &mut tallies[target][slot];
                a.found += t.found;
                a.right += t.right;
                a.labelled += t.labelled;
                a.recalled += t.recalled;
                a.amounts += t.amounts;
                a.kinds_right += t.kinds_right;
            }
        }
    }
    println!(
        "| texts | names | found | precision | recall | amounts among them | kind right (of those found) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (set, label) in ["demo (20)", "IndoSum (20)", "all"].iter().enumerate() {
        for (slot, what) in ["index (12)", "suggestions (8)"].iter().enumerate() {
            let t = tallies[set][slot];
            let div = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
            println!(
                "| {label} | {what} | {} | {:.3} | {:.3} | {} | {:.3} |",
                t.found,
                div(t.right, t.found),
                div(t.recalled, t.labelled),
                t.amounts,
                div(t.kinds_right, t.right),
            );
        }
    }
    Ok(())
}
