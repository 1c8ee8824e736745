//! Stemmers. [`DictStemmer`] is Warta's own, of the Nazief–Adriani / Enhanced Confix
//! Stripping family: it removes particles (`-lah`, `-kah`, `-tah`, `-pun`),
//! possessives (`-ku`, `-mu`, `-nya`), derivational suffixes (`-kan`, `-an`, `-i`)
//! and up to three prefixes (`meN-`, `peN-`, `ber-`, `ter-`, `per-`, `di-`, `ke-`,
//! `se-`) with the sound changes they cause (`menulis` → `tulis`, `penembakan` →
//! `tembak`, `berunding` → `runding`), and accepts a result only when it is in the root
//! list (`data/id-roots.txt`, from the LGPL-3 Hunspell dictionary; see its licence
//! file). A word it cannot reduce to a root is left as it is, which is what keeps it
//! from the over-stemming Snowball is known for (`menteri` → `teri`).
//!
//! Where the root list would merge words a reader keeps apart, an exception list wins
//! (`pemerintah` "government" is not `perintah` "command").

use std::collections::HashSet;
use std::sync::OnceLock;

const ROOTS: &str = include_str!("../data/id-roots.txt");

/// Words kept apart from the root the rules would find, with the stem they get.
const EXCEPTIONS: &[(&str, &str)] = &[
    ("pemerintah", "pemerintah"),
    ("pemerintahan", "pemerintah"),
    ("pemerintahnya", "pemerintah"),
    ("pengadilan", "pengadilan"),
    ("perusahaan", "perusahaan"),
    ("perusahaannya", "perusahaan"),
    ("penduduk", "penduduk"),
    ("kedutaan", "kedutaan"),
    ("pertandingan", "tanding"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StemmerKind {
    /// Words as they are (lower-cased).
    None,
    /// Snowball's Indonesian stemmer (Tala), through `frostem`.
    Snowball,
    /// [`DictStemmer`].
    Dictionary,
}

impl StemmerKind {
    pub fn parse(s: &str) -> Option<StemmerKind> {
        match s {
            "none" => Some(StemmerKind::None),
            "snowball" => Some(StemmerKind::Snowball),
            "dictionary" | "dict" => Some(StemmerKind::Dictionary),
            _ => None,
        }
    }
}

pub struct DictStemmer {
    roots: HashSet<&'static str>,
}

const PARTICLES: [&str; 4] = ["lah", "kah", "tah", "pun"];
const POSSESSIVES: [&str; 3] = ["nya", "ku", "mu"];
const SUFFIXES: [&str; 3] = ["kan", "an", "i"];

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

impl DictStemmer {
    /// The stemmer over the built-in root list, built once.
    pub fn shared() -> &'static DictStemmer {
        static S: OnceLock<DictStemmer> = OnceLock::new();
        S.get_or_init(|| DictStemmer::with_roots(ROOTS.lines().filter(|l| !l.is_empty())))
    }

    pub fn with_roots(roots: impl Iterator<Item = &'static str>) -> DictStemmer {
        DictStemmer {
            roots: roots.collect(),
        }
    }

    /// Two-letter entries (`te`, `ra`) are too easily reached by stripping to count.
    fn is_root(&self, w: &str) -> bool {
        w.len() >= 3 && self.roots.contains(w)
    }

    /// The root of a lower-cased word, or the word itself.
    pub fn stem(&self, word: &str) -> String {
        if let Some((_, s)) = EXCEPTIONS.iter().find(|(w, _)| *w == word) {
            return (*s).to_owned();
        }
        if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return word.to_owned();
        }
        // de-X-isasi is X undone (`denuklirisasi`, `demiliterisasi`), even where the
        // dictionary lists the whole word: a reader searching `nuklir` wants it.
        if let Some(mid) = word
            .strip_prefix("de")
            .and_then(|w| w.strip_suffix("isasi"))
            && self.is_root(mid)
        {
            return mid.to_owned();
        }
        if self.is_root(word) {
            return word.to_owned();
        }
        // Inflections: particle, then possessive.
        let mut bases = vec![word.to_owned()];
        let mut w = word;
        if let Some(p) = PARTICLES
            .iter()
            .find(|p| w.len() > p.len() + 2 && w.ends_with(*p))
        {
            w = &w[..w.len() - p.len()];
            bases.push(w.to_owned());
        }
        if let Some(p) = POSSESSIVES
            .iter()
            .find(|p| w.len() > p.len() + 2 && w.ends_with(*p))
        {
            w = &w[..w.len() - p.len()];
            bases.push(w.to_owned());
        }
        // The whole word's own affixes come first: `menikah` is me-nikah, not a
        // particle `-kah` on `meni`; `bertemu` is ber-temu, not `-mu` on `berte`.
        if let Some(r) = self.derivational(word, 0) {
            return r;
        }
        for b in bases.iter().skip(1).rev() {
            if self.is_root(b) {
                return b.clone();
            }
        }
        for b in bases.iter().skip(1) {
            if let Some(r) = self.derivational(b, 0) {
                return r;
            }
        }
        if let Some(r) = self.loanword(w) {
            return r;
        }
        word.to_owned()
    }

    /// Suffix and prefix removal, checking the root list at each step.
    fn derivational(&self, w: &str, depth: usize) -> Option<String> {
        if depth > 3 || w.len() < 3 {
            return None;
        }
        let mut forms = vec![w.to_owned()];
        for s in SUFFIXES {
            if w.len() > s.len() + 2 && w.ends_with(s) {
                forms.push(w[..w.len() - s.len()].to_owned());
            }
        }
        for f in forms.iter().skip(1) {
            if self.is_root(f) {
                return Some(f.clone());
            }
        }
        for f in &forms {
            for c in prefix_candidates(f) {
                if self.is_root(&c) {
                    return Some(c);
                }
            }
        }
        for f in &forms {
            for c in prefix_candidates(f) {
                if let Some(r) = self.derivational(&c, depth + 1) {
                    return Some(r);
                }
            }
        }
        None
    }

    /// Borrowed words: `nuklirisasi` → `nuklir`, `denuklirisasi` → `nuklir`.
    fn loanword(&self, w: &str) -> Option<String> {
        for s in ["isasi", "isme", "isasinya"] {
            if let Some(base) = w.strip_suffix(s) {
                for cand in [
                    base,
                    base.strip_prefix("de").unwrap_or(""),
                    base.strip_prefix("re").unwrap_or(""),
                ] {
                    if self.is_root(cand) {
                        return Some(cand.to_owned());
                    }
                }
            }
        }
        None
    }
}

/// What a word may be without its first prefix, most likely first. Over-generation is
/// harmless: a candidate counts only if it is a root.
fn prefix_candidates(w: &str) -> Vec<String> {
    let b = w.as_bytes();
    let mut out = Vec::new();
    let rest = |n: usize| w.get(n..).unwrap_or("").to_owned();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    if w.len() < 4 {
        return out;
    }
    for p in ["di", "ke", "se"] {
        if w.starts_with(p) {
            out.push(rest(2));
        }
    }
    if w.starts_with("ber") || w.starts_with("ter") || w.starts_with("per") {
        out.push(rest(3));
        // be-rV, te-rV, pe-rV: the r belongs to the root.
        out.push(rest(2));
    } else if w.starts_with("be") || w.starts_with("te") {
        out.push(rest(2));
    }
    if w.starts_with("belajar") || w.starts_with("pelajar") {
        out.push(rest(3));
    }
    for p in ["me", "pe"] {
        if !w.starts_with(p) {
            continue;
        }
        let c2 = at(2);
        if w[2..].starts_with("ng") {
            // meng-V / meng-kV / menge-C (monosyllables: mengebom).
            out.push(rest(4));
            if is_vowel(at(4)) {
                out.push(format!("k{}", rest(4)));
            }
            if at(4) == b'e' {
                out.push(rest(5));
            }
        } else if w[2..].starts_with("ny") {
            out.push(format!("s{}", rest(4)));
            out.push(rest(2));
        } else if c2 == b'm' {
            // mem-b/f/v/p…; before a vowel the root began with m or p (memakan, memukul).
            if is_vowel(at(3)) {
                out.push(format!("m{}", rest(3)));
                out.push(format!("p{}", rest(3)));
            } else {
                out.push(rest(3));
            }
        } else if c2 == b'n' {
            // men-c/d/j/z…; before a vowel the root began with n or t (menikah, menulis).
            if is_vowel(at(3)) {
                out.push(format!("n{}", rest(3)));
                out.push(format!("t{}", rest(3)));
            } else {
                out.push(rest(3));
            }
        } else {
            // me-l/r/w/y… and the rest: the prefix is just me-/pe-.
            out.push(rest(2));
        }
    }
    out.retain(|c| c.len() >= 2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_stemmer_table() {
        let s = DictStemmer::shared();
        let cases = [
            ("menteri", "menteri"),
            ("penembakan", "tembak"),
            ("menembak", "tembak"),
            ("pemerintah", "pemerintah"),
            ("pemerintahan", "pemerintah"),
            ("berunding", "runding"),
            ("perundingan", "runding"),
            ("denuklirisasi", "nuklir"),
            ("demiliterisasi", "militer"),
            ("organisasi", "organisasi"),
            ("menulis", "tulis"),
            ("membaca", "baca"),
            ("memukul", "pukul"),
            ("mengirim", "kirim"),
            ("menyapu", "sapu"),
            ("melihat", "lihat"),
            ("pelajaran", "pelajar"),
            ("bekerja", "kerja"),
            ("kebakaran", "bakar"),
            ("bertemu", "temu"),
            ("pertemuan", "temu"),
            ("memperbaiki", "baik"),
            ("bukunya", "buku"),
            ("rumahku", "rumah"),
            ("diakah", "dia"),
            ("memakan", "makan"),
            ("menikah", "nikah"),
            ("dimakan", "makan"),
            ("presiden", "presiden"),
            ("jakarta", "jakarta"),
            ("trump", "trump"),
        ];
        let mut wrong = Vec::new();
        for (w, want) in cases {
            let got = s.stem(w);
            if got != want {
                wrong.push(format!("{w} → {got} (want {want})"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("; "));
    }

    #[test]
    fn loanwords() {
        let s = DictStemmer::shared();
        assert!(s.is_root("nuklir"));
        assert_eq!(s.loanword("denuklirisasi").as_deref(), Some("nuklir"));
    }

    #[test]
    fn snowball_shows_the_known_traps() {
        // The reason a dictionary stemmer exists here.
        let sb = frostem::Stemmer::new(frostem::Algorithm::Indonesian);
        assert_ne!(sb.stem("menteri"), "menteri");
        assert_ne!(sb.stem("penembakan"), "tembak");
    }

    #[test]
    fn odd_input_is_left_alone() {
        let s = DictStemmer::shared();
        for w in [
            "",
            "a",
            "me",
            "meng",
            "ber",
            "x-y",
            "ñandu",
            "1990-an",
            &"a".repeat(10_000),
        ] {
            assert_eq!(s.stem(w), w);
        }
    }
}
