//! URL slugs: ASCII, lower case, single dashes. Indonesian headlines are mostly ASCII
//! already; accented letters are folded and anything else becomes a separator.

/// Longest slug Warta makes from a headline, cut at a word boundary.
pub const MAX_SLUG: usize = 80;

pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_SLUG + 8));
    let mut dash = false;
    for c in text.chars() {
        let folded = fold(c);
        match folded {
            Some(f) => {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push_str(f);
            }
            None if c == '\'' || c == '’' => {}
            None => dash = true,
        }
    }
    if out.len() > MAX_SLUG {
        let cut = out[..MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        out.truncate(cut);
    }
    out
}

fn fold(c: char) -> Option<&'static str> {
    const ASCII: [&str; 36] = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f", "g", "h",
        "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
    ];
    let lc = c.to_ascii_lowercase();
    if lc.is_ascii_digit() {
        return Some(ASCII[(lc as u8 - b'0') as usize]);
    }
    if lc.is_ascii_lowercase() {
        return Some(ASCII[(lc as u8 - b'a') as usize + 10]);
    }
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ç' | 'Ç' => "c",
        'ñ' | 'Ñ' => "n",
        'ß' => "ss",
        _ => return None,
    })
}

/// The site's own top-level names (issue #23): a section (or, later, a page of the
/// publication) under one of them would be hidden behind the route, or hide it. Every
/// top-level route of the router is here (a test in `warta_web` checks it), with the
/// names planned next. Checked by the store on every path that makes a section.
pub const RESERVED: &[&str] = &[
    "admin",
    "api",
    "atom.xml",
    "cari",
    "favicon.ico",
    "healthz",
    "indeks",
    "media",
    "metrics",
    "penulis",
    "readyz",
    "robots.txt",
    "rss.xml",
    "sitemap-news.xml",
    "sitemap.xml",
    "sitemaps",
    "static",
    "topik",
];

/// Whether `name` is one of the site's own top-level names, or could be mistaken for
/// one (anything starting `sitemap`).
pub fn is_reserved(name: &str) -> bool {
    RESERVED.contains(&name) || name.starts_with("sitemap")
}

/// True for what [`slugify`] can produce: `a-z`, `0-9` and single inner dashes.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_table() {
        let cases = [
            (
                "Trump Enggan Bertemu Kim Jong Un Sebelum Pilpres AS",
                "trump-enggan-bertemu-kim-jong-un-sebelum-pilpres-as",
            ),
            ("Harga Cabai Naik 20%!", "harga-cabai-naik-20"),
            ("  --Kopi  Gayo-- ", "kopi-gayo"),
            ("Jum'at Berkah", "jumat-berkah"),
            ("Café Dünya", "cafe-dunya"),
            ("日本", ""),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "input {input:?}");
        }
    }

    #[test]
    fn long_headlines_cut_at_a_word() {
        let s = slugify(&"kata ".repeat(40));
        assert!(s.len() <= MAX_SLUG);
        assert!(!s.ends_with('-'));
        assert!(is_valid(&s));
    }

    #[test]
    fn validity() {
        assert!(is_valid("a-b-1"));
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "á"] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }

    #[test]
    fn slugify_output_is_always_valid_or_empty() {
        for s in ["x", "!!", "a!b?c", "Ünïcödé ünd ñ", "1-2-3", "- - -"] {
            let slug = slugify(s);
            assert!(slug.is_empty() || is_valid(&slug), "{s:?} -> {slug:?}");
        }
    }
}
