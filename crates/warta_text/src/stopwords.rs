//! Indonesian stop words: function words (conjunctions, prepositions, pronouns,
//! particles, auxiliaries and a few very common adverbs) that carry no topic. The
//! list was compiled for Warta from Indonesian grammar; it copies no published list.
//! Content words that are frequent in news but carry meaning (`pemerintah`,
//! `presiden`, `harga`) are deliberately not in it.

const WORDS: &[&str] = &[
    "ada",
    "adalah",
    "agar",
    "akan",
    "aku",
    "amat",
    "anda",
    "antara",
    "apa",
    "apabila",
    "atas",
    "atau",
    "bagaimana",
    "bagi",
    "bahkan",
    "bahwa",
    "baik",
    "banyak",
    "beberapa",
    "begitu",
    "belum",
    "berbagai",
    "bersama",
    "beserta",
    "bila",
    "bisa",
    "boleh",
    "bukan",
    "dalam",
    "dan",
    "dapat",
    "dari",
    "daripada",
    "demikian",
    "dengan",
    "di",
    "dia",
    "dulu",
    "hal",
    "hampir",
    "hanya",
    "harus",
    "hingga",
    "ia",
    "ialah",
    "ini",
    "itu",
    "jadi",
    "jika",
    "juga",
    "kalau",
    "kami",
    "kamu",
    "kan",
    "karena",
    "kata",
    "ke",
    "kemudian",
    "kepada",
    "ketika",
    "kini",
    "kita",
    "lagi",
    "lain",
    "lalu",
    "lebih",
    "maka",
    "masih",
    "masing",
    "mau",
    "melainkan",
    "memang",
    "mereka",
    "meski",
    "meskipun",
    "mungkin",
    "namun",
    "nya",
    "oleh",
    "pada",
    "para",
    "pula",
    "pun",
    "saat",
    "saja",
    "sambil",
    "sampai",
    "sang",
    "sangat",
    "satu",
    "saya",
    "se",
    "seakan",
    "sebab",
    "sebagai",
    "sebelum",
    "sebuah",
    "secara",
    "sedang",
    "sedangkan",
    "sehingga",
    "sejak",
    "sekali",
    "selain",
    "selalu",
    "seluruh",
    "sementara",
    "semua",
    "seorang",
    "seperti",
    "serta",
    "sesudah",
    "setelah",
    "setiap",
    "si",
    "sini",
    "situ",
    "suatu",
    "sudah",
    "supaya",
    "tak",
    "tanpa",
    "tapi",
    "telah",
    "tentang",
    "terhadap",
    "tersebut",
    "tetapi",
    "tidak",
    "toh",
    "untuk",
    "walau",
    "walaupun",
    "ya",
    "yaitu",
    "yakni",
    "yang",
];

pub fn is_stop(word: &str) -> bool {
    // Most words are not stop words: a look at their length and first letter spares
    // them the search.
    let (Some(&first), Some(firsts)) = (word.as_bytes().first(), FIRSTS.get(word.len())) else {
        return false;
    };
    first.is_ascii_lowercase() && firsts & (1 << (first - b'a')) != 0 && SET.contains(word)
}

/// [`WORDS`] for lookups: one hash instead of a binary search's string comparisons
/// (a text's words are looked up as it is indexed).
static SET: std::sync::LazyLock<foldhash::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| WORDS.iter().copied().collect());

/// By length (up to 31 bytes), the first letters stop words of that length begin with
/// (bit 0 is `a`).
static FIRSTS: std::sync::LazyLock<[u32; 32]> = std::sync::LazyLock::new(|| {
    let mut firsts = [0u32; 32];
    for w in WORDS {
        if let (Some(&b), Some(slot)) = (w.as_bytes().first(), firsts.get_mut(w.len()))
            && b.is_ascii_lowercase()
        {
            *slot |= 1 << (b - b'a');
        }
    }
    firsts
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stop_word_passes_the_quick_look() {
        assert!(WORDS.iter().all(|w| is_stop(w)));
        assert!(!is_stop("banjir") && !is_stop("") && !is_stop("Yang"));
    }

    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(
            WORDS.windows(2).all(|w| w[0] < w[1]),
            "keep WORDS sorted and unique"
        );
    }

    #[test]
    fn stop_table() {
        for w in ["yang", "dan", "di", "tersebut", "tidak"] {
            assert!(is_stop(w), "{w}");
        }
        for w in ["pemerintah", "presiden", "harga", "banjir", "nuklir"] {
            assert!(!is_stop(w), "{w}");
        }
    }
}
