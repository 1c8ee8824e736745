//! Candidate names in a text: people, organisations and places, for related news on
//! articles that carry no tags (imported archives often have none) and as tag
//! suggestions. No model, just what Indonesian news text shows plainly:
//!
//! - runs of capitalised words (`Kim Jong Un`, `Pusat Data Nasional`), allowing the
//!   small words names contain (`Stefan de Groot`, `Bank Indonesia`);
//! - titles and honorifics before a name are not part of it (`Presiden`, `Menteri`,
//!   `Gubernur`, `Bapak`…): `Gubernur Hendra Saputra` gives `hendra saputra`;
//! - a capitalised word opening a sentence counts only if the text also writes it
//!   capitalised mid-sentence (so `Dalam` or `Sementara` are not names);
//! - common aliases are resolved (`Korut` → `korea utara`, `AS` → `amerika serikat`);
//! - day and month names, time zones and the like are not names.
//!
//! Entities come out normalised (lower case, single spaces), most frequent first.

use std::collections::HashMap;

/// Words that open a name's title rather than the name.
const TITLES: &[&str] = &[
    "bapak",
    "bu",
    "dokter",
    "dr",
    "gubernur",
    "ibu",
    "jenderal",
    "kapolda",
    "kapolri",
    "kepala",
    "ketua",
    "menko",
    "menlu",
    "menteri",
    "pak",
    "panglima",
    "pelatih",
    "presiden",
    "prof",
    "profesor",
    "saudara",
    "sekjen",
    "sekretaris",
    "wakil",
    "walikota",
    "wali",
    "bupati",
    "direktur",
    "juru",
    "kapten",
    "letjen",
    "mayjen",
    "ny",
    "nyonya",
    "raja",
    "ratu",
    "sultan",
    "tuan",
    "wapres",
];

/// Small words that may sit inside a name.
const JOINERS: &[&str] = &[
    "al", "bin", "binti", "da", "de", "del", "van", "von", "der", "el",
];

/// Capitalised words that are never names on their own.
const NOT_NAMES: &[&str] = &[
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "sabtu",
    "minggu",
    "ahad",
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
    "wib",
    "wita",
    "wit",
    "baca",
    "juga",
    "foto",
    "video",
    "advertising",
    "iklan",
    "berita",
    "terkait",
    "selengkapnya",
];

/// Short forms news text uses, and the name they stand for.
const ALIASES: &[(&str, &str)] = &[
    ("as", "amerika serikat"),
    ("dki", "jakarta"),
    ("jabar", "jawa barat"),
    ("jateng", "jawa tengah"),
    ("jatim", "jawa timur"),
    ("jokowi", "joko widodo"),
    ("korsel", "korea selatan"),
    ("korut", "korea utara"),
    ("ri", "indonesia"),
    ("sulsel", "sulawesi selatan"),
    ("sumut", "sumatera utara"),
    ("ntt", "nusa tenggara timur"),
    ("ntb", "nusa tenggara barat"),
];

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn resolve(name: &str) -> String {
    ALIASES
        .iter()
        .find(|(a, _)| *a == name)
        .map_or_else(|| name.to_owned(), |(_, full)| (*full).to_owned())
}

/// One word of the text with what the extractor needs to know about it.
struct Word<'a> {
    text: &'a str,
    lower: String,
    sentence_start: bool,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut sentence_start = true;
    for raw in text.split_whitespace() {
        let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'');
        let ends_sentence = raw.ends_with(['.', '!', '?', ':', '"', '\u{201d}']);
        if !trimmed.is_empty() {
            out.push(Word {
                text: trimmed,
                lower: trimmed.to_lowercase(),
                sentence_start,
            });
        }
        // A break in punctuation (a comma, brackets) also ends a run of name words.
        if raw.ends_with([',', ';', ')', '(']) {
            out.push(Word {
                text: "",
                lower: String::new(),
                sentence_start: false,
            });
        }
        sentence_start = ends_sentence || (trimmed.is_empty() && sentence_start);
    }
    out
}

/// The names in `text`, most frequent first, at most `limit`.
pub fn extract(text: &str, limit: usize) -> Vec<String> {
    let ws = words(text);
    // Words the text capitalises mid-sentence: a sentence-initial one counts if here.
    let mid: std::collections::HashSet<&str> = ws
        .iter()
        .filter(|w| !w.sentence_start && is_capitalised(w.text))
        .map(|w| w.lower.as_str())
        .collect();
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    let mut order = 0;
    let mut i = 0;
    while i < ws.len() {
        let w = &ws[i];
        let next_capitalised = ws
            .get(i + 1)
            .is_some_and(|n| is_capitalised(n.text) && !n.sentence_start);
        let starts = is_capitalised(w.text)
            && !NOT_NAMES.contains(&w.lower.as_str())
            && (!w.sentence_start
                || mid.contains(w.lower.as_str())
                || next_capitalised
                || ALIASES.iter().any(|(a, _)| *a == w.lower));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < ws.len() {
            let n = &ws[j];
            if n.text.is_empty() || n.sentence_start {
                break;
            }
            let name_word = is_capitalised(n.text) && !NOT_NAMES.contains(&n.lower.as_str());
            let joiner = JOINERS.contains(&n.lower.as_str())
                && ws.get(j + 1).is_some_and(|x| is_capitalised(x.text));
            if !(name_word || joiner) {
                break;
            }
            j += 1;
        }
        let mut run: Vec<&str> = ws[i..j].iter().map(|w| w.lower.as_str()).collect();
        let mut titled = false;
        while run.first().is_some_and(|f| TITLES.contains(f)) {
            run.remove(0);
            titled = true;
        }
        let mut names = Vec::new();
        if titled && run.len() >= 3 && !run.iter().any(|w| JOINERS.contains(w)) {
            // `Gubernur DKI Jakarta Hendra Saputra`: an office, then a person's name.
            let (office, person) = run.split_at(run.len() - 2);
            names.push(office.join(" "));
            names.push(person.join(" "));
        } else if !run.is_empty() && run.len() <= 6 {
            names.push(run.join(" "));
        }
        for name in names {
            let name = resolve(&name);
            if name.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
                let e = counts.entry(name).or_insert((0, order));
                e.0 += 1;
                order += 1;
            }
        }
        i = j;
    }
    let mut out: Vec<(String, (usize, usize))> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)));
    out.into_iter().take(limit).map(|(n, _)| n).collect()
}

/// A tag or entity name in the form [`extract`] gives.
pub fn normalise(name: &str) -> String {
    let lower: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    resolve(&lower.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_titles_and_aliases() {
        let text = "Gubernur DKI Jakarta Hendra Saputra meninjau lokasi. Hendra Saputra meminta \
                    pompa ditambah. Pelatih Stefan de Groot memanggil pemain. Korut kembali \
                    meluncurkan rudal, kata pejabat AS di Seoul.";
        let e = extract(text, 10);
        assert_eq!(e[0], "hendra saputra", "{e:?}");
        for want in ["stefan de groot", "korea utara", "amerika serikat", "seoul"] {
            assert!(e.iter().any(|x| x == want), "{want} in {e:?}");
        }
        assert!(
            !e.iter()
                .any(|x| x.starts_with("gubernur") || x.starts_with("pelatih"))
        );
    }

    #[test]
    fn sentence_openers_and_calendar_words_are_not_names() {
        let text = "Sementara itu warga mengungsi. Dalam rapat Senin, 12 Februari, BPBD hadir.";
        let e = extract(text, 10);
        assert_eq!(e, ["bpbd"], "{e:?}");
    }

    #[test]
    fn odd_text_gives_few_or_no_names() {
        assert!(extract("", 5).is_empty());
        assert!(extract("yang dan di", 5).is_empty());
        assert!(extract(&"A ".repeat(10_000), 5).len() <= 5);
        let _ = extract("😀 \u{202e}ABC \"\" -- ' ,,, (", 5);
    }

    #[test]
    fn normalise_matches_extract() {
        assert_eq!(normalise("Korea  Utara"), "korea utara");
        assert_eq!(normalise("Korut"), "korea utara");
    }
}
