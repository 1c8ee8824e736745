//! A synthetic corpus with the shape of a real news archive, for benchmarks: 300 to
//! 1,500 words an article from an Indonesian-like vocabulary drawn with a Zipf
//! distribution, tags with power-law popularity, publication times over ten years.
//! Written as Warta JSONL, so it goes through the real importer.

use std::io::Write;

use chrono::{DateTime, Duration, Utc};
use warta_core::{Status, TagKind, TagRef};

use crate::jsonl::{ArticleRecord, BlockRecord, Line};

/// SplitMix64: small, fast, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Samples ranks 0..n with probability proportional to 1 / (rank + 1)^s.
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf { cumulative }
    }
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|c| *c < x)
            .min(self.cumulative.len() - 1)
    }
}

/// Common Indonesian function words lead the vocabulary, as they lead real text.
const COMMON: [&str; 40] = [
    "yang",
    "dan",
    "di",
    "ke",
    "dari",
    "ini",
    "itu",
    "dengan",
    "untuk",
    "pada",
    "tidak",
    "akan",
    "dalam",
    "juga",
    "ada",
    "oleh",
    "karena",
    "sudah",
    "kata",
    "telah",
    "para",
    "bisa",
    "lebih",
    "saat",
    "tersebut",
    "menjadi",
    "mereka",
    "kami",
    "tahun",
    "harus",
    "pemerintah",
    "masyarakat",
    "hingga",
    "setelah",
    "belum",
    "masih",
    "antara",
    "sebagai",
    "namun",
    "bahwa",
];
const SYLLABLES: [&str; 30] = [
    "ba", "be", "bi", "da", "di", "ga", "ha", "ja", "ka", "ke", "la", "ma", "me", "na", "ni", "pa",
    "pe", "ra", "ri", "sa", "se", "ta", "te", "tu", "wa", "ya", "ng", "an", "ku", "lu",
];
const PREFIXES: [&str; 7] = ["", "me", "ber", "di", "pe", "ter", "ke"];
const SUFFIXES: [&str; 6] = ["", "kan", "an", "i", "nya", "lah"];

pub struct Corpus {
    words: Vec<String>,
    word_dist: Zipf,
    tags: Vec<TagRef>,
    tag_dist: Zipf,
    sections: Vec<(&'static str, &'static str)>,
}

impl Corpus {
    pub fn new(seed: u64) -> Corpus {
        let mut rng = Rng::new(seed);
        let mut words: Vec<String> = COMMON.iter().map(|w| (*w).to_owned()).collect();
        let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
        while words.len() < 30_000 {
            let root: String = (0..2 + rng.below(2))
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize])
                .collect();
            let w = format!(
                "{}{}{}",
                PREFIXES[rng.below(PREFIXES.len() as u64) as usize],
                root,
                SUFFIXES[rng.below(SUFFIXES.len() as u64) as usize]
            );
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let kinds = [
            TagKind::Person,
            TagKind::Organisation,
            TagKind::Place,
            TagKind::Topic,
        ];
        let tags: Vec<TagRef> = (0..5_000)
            .map(|i| {
                let mut name = String::new();
                for k in 0..2 {
                    let w: String = (0..2 + rng.below(2))
                        .map(|_| SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize])
                        .collect();
                    if k > 0 {
                        name.push(' ');
                    }
                    let mut c = w.chars();
                    if let Some(f) = c.next() {
                        name.extend(f.to_uppercase());
                        name.push_str(c.as_str());
                    }
                }
                name.push_str(&format!(" {i}"));
                TagRef {
                    kind: kinds[i % 4],
                    name,
                }
            })
            .collect();
        Corpus {
            word_dist: Zipf::new(words.len(), 1.07),
            words,
            tag_dist: Zipf::new(tags.len(), 1.2),
            tags,
            sections: vec![
                ("nasional", "Nasional"),
                ("dunia", "Dunia"),
                ("ekonomi", "Ekonomi"),
                ("olahraga", "Olahraga"),
                ("teknologi", "Teknologi"),
                ("gaya-hidup", "Gaya Hidup"),
                ("otomotif", "Otomotif"),
                ("hiburan", "Hiburan"),
            ],
        }
    }

    fn sentence(&self, rng: &mut Rng, words: usize, out: &mut String) {
        for i in 0..words {
            let w = &self.words[self.word_dist.sample(rng)];
            if i == 0 {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(c.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(w);
            }
        }
        out.push('.');
    }

    /// Article `i` of the corpus (the same `i` and seed give the same article).
    pub fn article(&self, rng: &mut Rng, i: usize, end: DateTime<Utc>) -> ArticleRecord {
        let total = 300 + rng.below(1_201) as usize;
        let mut body = Vec::new();
        let mut written = 0;
        while written < total {
            let mut p = String::new();
            let n = (40 + rng.below(41) as usize).min(total - written).max(1);
            let mut left = n;
            while left > 0 {
                let s = (8 + rng.below(12) as usize).min(left);
                if !p.is_empty() {
                    p.push(' ');
                }
                self.sentence(rng, s, &mut p);
                left -= s;
            }
            written += n;
            body.push(BlockRecord::Paragraph { html: p });
        }
        let mut headline = String::new();
        let n = 6 + rng.below(7) as usize;
        self.sentence(rng, n, &mut headline);
        headline.pop();
        let mut lede = String::new();
        let n = 15 + rng.below(10) as usize;
        self.sentence(rng, n, &mut lede);
        let mut tags: Vec<TagRef> = Vec::new();
        for _ in 0..2 + rng.below(5) {
            let t = &self.tags[self.tag_dist.sample(rng)];
            if !tags.contains(t) {
                tags.push(t.clone());
            }
        }
        let published = end - Duration::seconds(rng.below(10 * 365 * 86_400) as i64);
        let (section, _) = self.sections[rng.below(self.sections.len() as u64) as usize];
        ArticleRecord {
            source_id: Some(format!("gen:{i}")),
            slug: format!("{}-{i}", warta_core::slug::slugify(&headline)),
            headline,
            lede,
            body,
            dateline_place: "Jakarta".into(),
            dateline_brand: String::new(),
            seo_title: String::new(),
            seo_description: String::new(),
            seo_canonical: String::new(),
            section: section.to_owned(),
            tags,
            authors: vec![format!("penulis-{}", rng.below(50))],
            hero: None,
            status: Status::Published,
            sensitive: false,
            language: "id".into(),
            published_at: Some(published),
            updated_at: None,
            created_at: published,
            legacy_paths: Vec::new(),
            translation_of: None,
        }
    }

    /// Writes `n` articles as Warta JSONL (sections and authors first).
    pub fn write_jsonl(
        &self,
        n: usize,
        seed: u64,
        end: DateTime<Utc>,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let json = |l: &Line| serde_json::to_string(l).map_err(std::io::Error::other);
        for (i, (slug, name)) in self.sections.iter().enumerate() {
            let l = Line::Section {
                slug: (*slug).to_owned(),
                name: (*name).to_owned(),
                position: i as i64,
            };
            writeln!(out, "{}", json(&l)?)?;
        }
        for a in 0..50 {
            let l = Line::Author {
                slug: format!("penulis-{a}"),
                name: format!("Penulis {a}"),
                bio: String::new(),
            };
            writeln!(out, "{}", json(&l)?)?;
        }
        let mut rng = Rng::new(seed ^ 0x5eed);
        for i in 0..n {
            let l = Line::Article(Box::new(self.article(&mut rng, i, end)));
            writeln!(out, "{}", json(&l)?)?;
        }
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zipf_favours_low_ranks() {
        let z = Zipf::new(1000, 1.07);
        let mut rng = Rng::new(1);
        let mut counts = [0usize; 1000];
        for _ in 0..100_000 {
            counts[z.sample(&mut rng)] += 1;
        }
        assert!(counts[0] > counts[9] * 5, "{} vs {}", counts[0], counts[9]);
        assert!(counts[9] > counts[999]);
    }

    #[test]
    fn articles_have_the_documented_shape() {
        let c = Corpus::new(7);
        let mut rng = Rng::new(7);
        let end = Utc::now();
        for i in 0..50 {
            let a = c.article(&mut rng, i, end);
            let words: usize = a
                .body
                .iter()
                .map(|b| match b {
                    BlockRecord::Paragraph { html } => html.split_whitespace().count(),
                    _ => 0,
                })
                .sum();
            assert!((300..=1500).contains(&words), "{words} words");
            assert!(!a.tags.is_empty());
            let age = end - a.published_at.expect("published");
            assert!(age.num_days() <= 3651);
        }
    }
}
