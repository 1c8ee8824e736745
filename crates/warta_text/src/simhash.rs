//! SimHash fingerprints of texts, for telling near-copies apart: the same wire story
//! under two headlines, or a light rewrite, differ in a few bits; unrelated stories in
//! about half of the 64. Features are word 3-shingles of the lower-cased words, hashed
//! with FNV-1a (fixed, so fingerprints stored in an index stay comparable).

use crate::tokenize::tokenize;

fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(b' ')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The 64-bit SimHash of a text (0 for a text of fewer than three words).
pub fn simhash(text: &str) -> u64 {
    let words: Vec<String> = tokenize(text).into_iter().map(|t| t.text).collect();
    if words.len() < 3 {
        return 0;
    }
    let mut acc = [0i32; 64];
    for w in words.windows(3) {
        let h = fnv1a(&[&w[0], &w[1], &w[2]]);
        for (bit, a) in acc.iter_mut().enumerate() {
            if h >> bit & 1 == 1 {
                *a += 1;
            } else {
                *a -= 1;
            }
        }
    }
    acc.iter()
        .enumerate()
        .filter(|(_, a)| **a > 0)
        .fold(0u64, |h, (bit, _)| h | 1 << bit)
}

/// Bits in which two fingerprints differ.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// Two texts are near-copies: fingerprints within 6 bits (both non-empty).
pub fn near_copies(a: u64, b: u64) -> bool {
    a != 0 && b != 0 && distance(a, b) <= 6
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Korea Utara meluncurkan satu rudal balistik jarak menengah ke arah Laut \
        Jepang pada Senin pagi. Kepala Staf Gabungan Korea Selatan menyebut rudal itu terbang \
        sekitar 600 kilometer sebelum jatuh di laut, di luar zona ekonomi eksklusif Jepang. \
        Pemerintah Jepang memprotes peluncuran itu melalui saluran diplomatik.";

    const STORY2: &str = "Peluncuran itu adalah yang ketiga dalam sebulan terakhir. Para \
        analis menilai Pyongyang sedang menguji mesin berbahan bakar padat yang memungkinkan \
        rudal disiapkan lebih cepat dan lebih sulit dideteksi sebelum diluncurkan.";
    const STORY3: &str = "Dewan Keamanan dijadwalkan menggelar rapat tertutup pada Rabu untuk \
        membahas uji coba tersebut, sementara Seoul dan Tokyo menyatakan akan memperkuat \
        pertukaran data radar dan menggelar latihan pertahanan udara bersama pekan depan.";

    #[test]
    fn a_light_rewrite_is_a_near_copy_and_another_story_is_not() {
        let story = format!("{STORY} {STORY2} {STORY3}");
        let rewrite = story.replace("Senin pagi", "Senin") + " Belum ada korban.";
        let d = distance(simhash(&story), simhash(&rewrite));
        assert!(near_copies(simhash(&story), simhash(&rewrite)), "{d} bits");
        let other = "Harga cabai rawit di Pasar Induk Kramat Jati tembus Rp90 ribu per \
            kilogram pada Selasa, naik hampir dua kali lipat dalam sepekan karena pasokan \
            dari sentra produksi berkurang akibat hujan.";
        assert!(!near_copies(simhash(STORY), simhash(other)));
        assert!(distance(simhash(STORY), simhash(other)) > 12);
    }

    #[test]
    fn tiny_texts_have_no_fingerprint() {
        assert_eq!(simhash(""), 0);
        assert_eq!(simhash("dua kata"), 0);
        assert!(!near_copies(0, 0));
    }
}
